#include "crypto.h"

#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#ifndef _WIN32
# include <pthread.h>
#endif

static const char *const digest_names[SQ_HASH__COUNT] = {"MD5", "SHA1", "SHA256"};
static const size_t digest_lens[SQ_HASH__COUNT] = {16, 20, 32};

static CRYPTO_ONCE init_once = CRYPTO_ONCE_STATIC_INIT;
static int init_ok;
static EVP_MD *mds[SQ_HASH__COUNT];
/* One keyless HMAC context per digest, with the digest parameter already set:
 * each call duplicates it and sets only the key. */
static EVP_MAC_CTX *hmac_templates[SQ_HASH__COUNT];
static EVP_MAC *hmac;
static EVP_KDF *pbkdf2;

/* Per-thread working contexts, created on first use and reused: OpenSSL 3
 * allocates and wipes a provider context on every EVP_MAC_CTX_dup()/free and
 * every EVP_Digest(), which costs more than the hashing itself for the short
 * inputs SASL hashes. Keyed state left in them is scrubbed by
 * sq_crypto_scrub() (the glue calls it at the end of every request). */
#if defined(_MSC_VER)
# define SQ_THREAD_LOCAL __declspec(thread)
#else
# define SQ_THREAD_LOCAL _Thread_local
#endif
static SQ_THREAD_LOCAL EVP_MAC_CTX *tl_mac[SQ_HASH__COUNT];
static SQ_THREAD_LOCAL EVP_MD_CTX *tl_md[SQ_HASH__COUNT];
static SQ_THREAD_LOCAL unsigned tl_dirty; /* bit alg: MAC keyed, bit 8+alg: MD used */

/* Nonce bytes are drawn from RAND_bytes() 256 at a time: one DRBG call costs
 * about as much as the rest of a DIGEST-MD5 response. A forked child drops
 * the pool it inherited (pthread_atfork), so parent and child never send the
 * same nonce. */
#define NONCE_POOL 256
static SQ_THREAD_LOCAL unsigned char tl_pool[NONCE_POOL];
static SQ_THREAD_LOCAL size_t tl_pool_left;

#ifndef _WIN32
static void pool_drop_in_child(void)
{
	/* the child has only the thread that forked: that thread's pool */
	OPENSSL_cleanse(tl_pool, sizeof(tl_pool));
	tl_pool_left = 0;
}
#endif

static void do_init(void)
{
	int i;
	OSSL_PARAM params[2];

#ifndef _WIN32
	if (pthread_atfork(NULL, NULL, pool_drop_in_child) != 0) {
		return;
	}
#endif
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	pbkdf2 = EVP_KDF_fetch(NULL, "PBKDF2", NULL);
	if (!hmac || !pbkdf2) {
		return;
	}
	for (i = 0; i < SQ_HASH__COUNT; i++) {
		mds[i] = EVP_MD_fetch(NULL, digest_names[i], NULL);
		hmac_templates[i] = EVP_MAC_CTX_new(hmac);
		if (!mds[i] || !hmac_templates[i]) {
			return;
		}
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
			(char *)digest_names[i], 0);
		params[1] = OSSL_PARAM_construct_end();
		if (!EVP_MAC_CTX_set_params(hmac_templates[i], params)) {
			return;
		}
	}
	init_ok = 1;
}

sq_rc sq_crypto_init(void)
{
	if (!CRYPTO_THREAD_run_once(&init_once, do_init) || !init_ok) {
		return SQ_ECRYPTO;
	}
	return SQ_OK;
}

void sq_crypto_scrub(void)
{
	int i;
	static const unsigned char empty = 0;

	for (i = 0; tl_dirty && i < SQ_HASH__COUNT; i++) {
		if ((tl_dirty & (1u << i)) && tl_mac[i]
			&& !EVP_MAC_init(tl_mac[i], &empty, 0, NULL)) {
			/* could not re-key: drop the context instead (free wipes it) */
			EVP_MAC_CTX_free(tl_mac[i]);
			tl_mac[i] = NULL;
		}
		if ((tl_dirty & (1u << (8 + i))) && tl_md[i]
			&& !EVP_DigestInit_ex2(tl_md[i], NULL, NULL)) {
			EVP_MD_CTX_free(tl_md[i]);
			tl_md[i] = NULL;
		}
	}
	tl_dirty = 0;
}

void sq_crypto_thread_release(void)
{
	int i;

	for (i = 0; i < SQ_HASH__COUNT; i++) {
		EVP_MAC_CTX_free(tl_mac[i]);
		EVP_MD_CTX_free(tl_md[i]);
		tl_mac[i] = NULL;
		tl_md[i] = NULL;
	}
	tl_dirty = 0;
	OPENSSL_cleanse(tl_pool, sizeof(tl_pool));
	tl_pool_left = 0;
}

void sq_crypto_shutdown(void)
{
	int i;

	sq_crypto_thread_release();
	for (i = 0; i < SQ_HASH__COUNT; i++) {
		EVP_MAC_CTX_free(hmac_templates[i]);
		EVP_MD_free(mds[i]);
		hmac_templates[i] = NULL;
		mds[i] = NULL;
	}
	EVP_MAC_free(hmac);
	EVP_KDF_free(pbkdf2);
	hmac = NULL;
	pbkdf2 = NULL;
	init_ok = 0;
	/* CRYPTO_ONCE cannot be re-armed portably; a later init would find
	 * init_ok == 0 and fail, which is what a shut-down module should do. */
}

size_t sq_hash_len(sq_hash_alg alg)
{
	return (unsigned)alg < SQ_HASH__COUNT ? digest_lens[alg] : 0;
}

sq_rc sq_hash(sq_hash_alg alg, const void *data, size_t len, unsigned char *out)
{
	sq_part part = {data, len};

	return sq_hash_parts(alg, &part, 1, out);
}

sq_rc sq_hash_parts(sq_hash_alg alg, const sq_part *parts, size_t n, unsigned char *out)
{
	size_t i;

	if (sq_crypto_init() != SQ_OK || (unsigned)alg >= SQ_HASH__COUNT) {
		return SQ_ECRYPTO;
	}
	if (!tl_md[alg] && !(tl_md[alg] = EVP_MD_CTX_new())) {
		return SQ_ECRYPTO;
	}
	tl_dirty |= 1u << (8 + alg);
	if (!EVP_DigestInit_ex2(tl_md[alg], mds[alg], NULL)) {
		return SQ_ECRYPTO;
	}
	for (i = 0; i < n; i++) {
		if (parts[i].len && !EVP_DigestUpdate(tl_md[alg], parts[i].p, parts[i].len)) {
			return SQ_ECRYPTO;
		}
	}
	return EVP_DigestFinal_ex(tl_md[alg], out, NULL) ? SQ_OK : SQ_ECRYPTO;
}

sq_rc sq_hmac(sq_hash_alg alg, const void *key, size_t klen,
	const void *data, size_t dlen, unsigned char *out)
{
	EVP_MAC_CTX *ctx;
	size_t outl = 0;
	int ok;
	static const unsigned char empty = 0;

	if (sq_crypto_init() != SQ_OK || (unsigned)alg >= SQ_HASH__COUNT) {
		return SQ_ECRYPTO;
	}
	if (!tl_mac[alg] && !(tl_mac[alg] = EVP_MAC_CTX_dup(hmac_templates[alg]))) {
		return SQ_ECRYPTO;
	}
	ctx = tl_mac[alg];
	tl_dirty |= 1u << alg;
	/* OpenSSL refuses a NULL key pointer even when its length is zero */
	ok = EVP_MAC_init(ctx, klen ? key : &empty, klen, NULL)
		&& EVP_MAC_update(ctx, data, dlen)
		&& EVP_MAC_final(ctx, out, &outl, digest_lens[alg])
		&& outl == digest_lens[alg];
	return ok ? SQ_OK : SQ_ECRYPTO;
}

sq_rc sq_pbkdf2(sq_hash_alg alg, const void *pass, size_t plen,
	const void *salt, size_t slen, unsigned long iter,
	unsigned char *out, size_t outlen)
{
	EVP_KDF_CTX *ctx;
	OSSL_PARAM params[6], *p = params;
	uint64_t it = iter;
	int pkcs5 = 1; /* RFC 8018 semantics: no SP 800-132 lower bounds */
	static unsigned char empty = 0;
	int ok;

	if (sq_crypto_init() != SQ_OK || (unsigned)alg >= SQ_HASH__COUNT || iter == 0) {
		return SQ_ECRYPTO;
	}
	ctx = EVP_KDF_CTX_new(pbkdf2);
	if (!ctx) {
		return SQ_ECRYPTO;
	}
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
		plen ? (void *)pass : &empty, plen);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		slen ? (void *)salt : &empty, slen);
	*p++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &it);
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
		(char *)digest_names[alg], 0);
	*p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5);
	*p = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, out, outlen, params);
	EVP_KDF_CTX_free(ctx);
	return ok > 0 ? SQ_OK : SQ_ECRYPTO;
}

sq_rc sq_random(void *out, size_t len)
{
	if (len > 0x7fffffff || RAND_bytes(out, (int)len) != 1) {
		return SQ_ECRYPTO;
	}
	return SQ_OK;
}

sq_rc sq_nonce_bytes(void *out, size_t len)
{
	if (len > NONCE_POOL / 4) {
		return sq_random(out, len);
	}
	if (tl_pool_left < len) {
		if (sq_random(tl_pool, sizeof(tl_pool)) != SQ_OK) {
			tl_pool_left = 0;
			return SQ_ECRYPTO;
		}
		tl_pool_left = sizeof(tl_pool);
	}
	/* hand out from the end, and wipe what was handed out */
	tl_pool_left -= len;
	memcpy(out, tl_pool + tl_pool_left, len);
	OPENSSL_cleanse(tl_pool + tl_pool_left, len);
	return SQ_OK;
}

int sq_ct_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

const char *sq_crypto_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}
