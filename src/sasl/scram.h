/* sqauth core: SCRAM server-message parsers, exposed for tests and fuzzers. */
#ifndef SQ_SCRAM_H
#define SQ_SCRAM_H

#include "../util/error.h"

#include <stddef.h>

/* A hostile server can ask for billions of PBKDF2 iterations to pin the CPU;
 * more than this is refused (RFC 7677 recommends 4096 as the minimum,
 * Dovecot and Cyrus use 4096; the bound leaves room for 250x that). */
#define SQ_SCRAM_MAX_ITERATIONS 1000000

typedef struct {
	const unsigned char *nonce;
	size_t nonce_len;
	const unsigned char *salt_b64;
	size_t salt_b64_len;
	unsigned long long iterations;
} sq_scram_server_first;

sq_rc sq_scram_parse_server_first(const unsigned char *in, size_t len,
	const unsigned char *cnonce, size_t cnlen, sq_scram_server_first *sf, sq_error *err);
sq_rc sq_scram_check_server_final(const unsigned char *in, size_t len,
	const unsigned char *expected, size_t hl, sq_error *err);

#endif
