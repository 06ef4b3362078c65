/*
 * sqauth core: ASCII case-insensitive comparison of counted bytes with a
 * NUL-terminated literal (protocol keywords, mechanism and option names).
 */
#ifndef SQ_ASCII_H
#define SQ_ASCII_H

#include <stddef.h>

int sq_bytes_ieq(const void *a, size_t alen, const char *lit);
/* The same with the literal's length given (SQ_IEQ for string literals). */
int sq_bytes_ieqn(const void *a, size_t alen, const char *lit, size_t n);
#define SQ_IEQ(a, alen, lit) sq_bytes_ieqn((a), (alen), "" lit, sizeof(lit) - 1)

#endif
