/* SPDX-License-Identifier: MIT */
/*
 * Kernel error codes: the one set every subsystem returns (0 or a negative code).
 *
 * Grouped by what the caller can do about the error. A number, once given, is never reused
 * or renumbered (tests, logs and, later, user space compare them); the numbers match the
 * POSIX/Linux values of the same name so a hex dump or a host test reads the same. A new
 * code goes into the group it belongs to, with the next number above every code in use, and
 * into the table below.
 *
 *   code       no  group        meaning
 *   EPERM       1  rights       operation not permitted (the caller lacks a right)
 *   ENOENT      2  lookup       no such object, property, node or handler
 *   ENODEV     19  lookup       no such device, or no driver for it
 *   EEXIST     17  lookup       already exists (or overlaps something that does)
 *   EINVAL     22  argument     invalid argument or malformed input (DTB, ACPI, boot data)
 *   EFAULT     14  argument     bad address (not mapped, not owned, not the start of a block)
 *   E2BIG       7  argument     argument list or value too long
 *   ERANGE     34  argument     value out of range
 *   EOVERFLOW  75  argument     value too large for the destination; memory written past the end
 *   ENOMEM     12  resources    out of memory
 *   ENOSPC     28  resources    no room left in a fixed-size table
 *   EBUSY      16  state        resource busy (in use, pending, already armed)
 *   EIO         5  hardware     device or firmware error
 *   ENOSYS     38  support      not implemented (yet) on this port or in this build
 */
#ifndef KEEL_KERNEL_ERRNO_H
#define KEEL_KERNEL_ERRNO_H

/* Rights: the operation is forbidden to this caller; retrying will not help. */
#define EPERM      1  /* operation not permitted (missing right) */

/* Lookup: the named thing is not there, or is there already. */
#define ENOENT     2  /* no such object / property / node */
#define ENODEV    19  /* no such device, or no driver for it */
#define EEXIST    17  /* already exists */

/* Argument: the caller (or the firmware data it passed on) is wrong; detected misuse goes
 * through misuse_report() (kernel/misuse.h) with one of these. */
#define EINVAL    22  /* invalid argument or malformed input */
#define EFAULT    14  /* bad address */
#define E2BIG      7  /* argument list or value too long */
#define ERANGE    34  /* value out of range */
#define EOVERFLOW 75  /* value too large for the destination */

/* Resources: may succeed later, once something has been freed. */
#define ENOMEM    12  /* out of memory */
#define ENOSPC    28  /* no room left in a fixed-size table */

/* State: the object is in a state that forbids this now (in use, pending). */
#define EBUSY     16  /* resource busy */

/* Hardware: a device or the firmware failed. */
#define EIO        5  /* device or firmware error */

/* Support: this port or build does not do it (yet). */
#define ENOSYS    38  /* not implemented (yet) on this port */

#endif
