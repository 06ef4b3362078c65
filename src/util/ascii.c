/*
 * sqauth core: ASCII case-insensitive comparison.
 */
#include "ascii.h"

#include <string.h>

int sq_bytes_ieqn(const void *a, size_t alen, const char *lit, size_t n)
{
	const unsigned char *s = a;
	size_t i;
	unsigned char c, l;

	if (alen != n) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		c = s[i];
		l = (unsigned char)lit[i];
		if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c - 'A' + 'a');
		}
		if (l >= 'A' && l <= 'Z') {
			l = (unsigned char)(l - 'A' + 'a');
		}
		if (c != l) {
			return 0;
		}
	}
	return 1;
}

int sq_bytes_ieq(const void *a, size_t alen, const char *lit)
{
	return sq_bytes_ieqn(a, alen, lit, strlen(lit));
}
