/* SPDX-License-Identifier: MIT */
/* Kernel error codes. Functions return 0 or a negative code; numbers are never reused. */
#ifndef KEEL_KERNEL_ERRNO_H
#define KEEL_KERNEL_ERRNO_H

#define EPERM    1   /* operation not permitted (missing right) */
#define ENOENT   2   /* no such object / property / node */
#define EIO      5   /* device or firmware error */
#define E2BIG    7   /* argument list or value too long */
#define ENOMEM  12   /* out of memory */
#define EFAULT  14   /* bad address */
#define EBUSY   16   /* resource busy */
#define EEXIST  17   /* already exists */
#define ENODEV  19   /* no such device, or no driver for it */
#define EINVAL  22   /* invalid argument or malformed input */
#define ENOSPC  28   /* no room left in a fixed-size table */
#define ERANGE  34   /* value out of range */
#define ENOSYS  38   /* not implemented (yet) on this port */
#define EOVERFLOW 75 /* value too large for the destination */

#endif
