/* SPDX-License-Identifier: MIT */
/*
 * Freestanding string and memory functions (lib/string.c). The kernel needs the standard
 * names because the compiler emits calls to memcpy/memset/memmove/memcmp on its own.
 * Host unit tests link these next to the C library, so there they are renamed keel_*.
 */
#ifndef KEEL_LIB_STRING_H
#define KEEL_LIB_STRING_H

#include <stddef.h>
#include <stdbool.h>

#ifdef KEEL_HOST_TEST
#define memcpy   keel_memcpy
#define memmove  keel_memmove
#define memset   keel_memset
#define memcmp   keel_memcmp
#define memchr   keel_memchr
#define strlen   keel_strlen
#define strnlen  keel_strnlen
#define strcmp   keel_strcmp
#define strncmp  keel_strncmp
#define strchr   keel_strchr
#endif

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Copy at most @size-1 bytes of @src into @dst and NUL-terminate (when @size > 0).
 * Returns strlen(src), so a result >= @size means the copy was truncated. */
size_t strlcpy(char *dst, const char *src, size_t size);

/* True when @s starts with @prefix. */
bool str_starts_with(const char *s, const char *prefix);

#endif
