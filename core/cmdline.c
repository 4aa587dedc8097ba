// SPDX-License-Identifier: MIT
/* Kernel command-line parsing: whole words and key=value options. */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <lib/string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Advance over spaces; return the start of the next word and its length in *len. */
static const char *next_word(const char *p, size_t *len)
{
	while (is_space(*p))
		p++;
	*len = 0;
	while (p[*len] && !is_space(p[*len]))
		(*len)++;
	return p;
}

bool cmdline_has_word(const char *cmdline, const char *word)
{
	size_t wlen = strlen(word), len;

	for (const char *p = next_word(cmdline, &len); len; p = next_word(p + len, &len))
		if (len == wlen && memcmp(p, word, len) == 0)
			return true;
	return false;
}

int cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key), len;
	const char *val = NULL;
	size_t vlen = 0;

	for (const char *p = next_word(cmdline, &len); len; p = next_word(p + len, &len)) {
		if (len > klen && p[klen] == '=' && memcmp(p, key, klen) == 0) {
			val = p + klen + 1;
			vlen = len - klen - 1;
		}
	}
	if (!val)
		return -ENOENT;
	if (size) {
		size_t n = vlen < size - 1 ? vlen : size - 1;
		memcpy(buf, val, n);
		buf[n] = '\0';
	}
	return (int)vlen;
}
