/*
 * sqauth core: the cryptographic primitives the mechanisms need, all from
 * OpenSSL 3. Algorithms are fetched once per process (OpenSSL 3 would
 * otherwise look them up on every one-shot call) and reused.
 */
#ifndef SQ_CRYPTO_H
#define SQ_CRYPTO_H

#include <stddef.h>

#include "../util/error.h"

typedef enum {
	SQ_HASH_MD5 = 0,
	SQ_HASH_SHA1,
	SQ_HASH_SHA256,
	SQ_HASH__COUNT
} sq_hash_alg;

#define SQ_HASH_MAX 32

/* Fetch the algorithms. Idempotent and thread-safe; every function below
 * calls it, MINIT calls it early so that failures show at start-up. */
sq_rc sq_crypto_init(void);
/* Release what sq_crypto_init() fetched (MSHUTDOWN, end of a unit test). */
void sq_crypto_shutdown(void);
/* sq_hash() and sq_hmac() reuse one context per algorithm and thread. Scrub
 * re-keys the HMAC contexts with an empty key and resets the digest contexts,
 * so that no password-derived state stays in memory (the glue calls it at the
 * end of every request); release frees this thread's contexts (thread end,
 * module shutdown). */
void sq_crypto_scrub(void);
void sq_crypto_thread_release(void);

size_t sq_hash_len(sq_hash_alg alg);
sq_rc sq_hash(sq_hash_alg alg, const void *data, size_t len, unsigned char *out);
/* The hash of the concatenation of n parts, without building it (parts with
 * len 0 may have p NULL). */
typedef struct {
	const void *p;
	size_t len;
} sq_part;
sq_rc sq_hash_parts(sq_hash_alg alg, const sq_part *parts, size_t n, unsigned char *out);
sq_rc sq_hmac(sq_hash_alg alg, const void *key, size_t klen,
	const void *data, size_t dlen, unsigned char *out);
sq_rc sq_pbkdf2(sq_hash_alg alg, const void *pass, size_t plen,
	const void *salt, size_t slen, unsigned long iter,
	unsigned char *out, size_t outlen);
/* Cryptographically secure random bytes (RAND_bytes). */
sq_rc sq_random(void *out, size_t len);
/* Random bytes for values that go on the wire (client nonces): the same
 * generator, served from a per-thread pool; a forked child discards its
 * inherited pool. Never for keys. */
sq_rc sq_nonce_bytes(void *out, size_t len);
/* Constant-time equality of two equal-length byte strings. */
int sq_ct_equal(const void *a, const void *b, size_t len);

/* OpenSSL's version text, for phpinfo(). */
const char *sq_crypto_version(void);

#endif
