#include "sq_crypto.h"

#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

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

static void do_init(void)
{
	int i;
	OSSL_PARAM params[2];

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

void sq_crypto_shutdown(void)
{
	int i;

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
	if (sq_crypto_init() != SQ_OK || (unsigned)alg >= SQ_HASH__COUNT) {
		return SQ_ECRYPTO;
	}
	if (!EVP_Digest(data, len, out, NULL, mds[alg], NULL)) {
		return SQ_ECRYPTO;
	}
	return SQ_OK;
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
	ctx = EVP_MAC_CTX_dup(hmac_templates[alg]);
	if (!ctx) {
		return SQ_ECRYPTO;
	}
	/* OpenSSL refuses a NULL key pointer even when its length is zero */
	ok = EVP_MAC_init(ctx, klen ? key : &empty, klen, NULL)
		&& EVP_MAC_update(ctx, data, dlen)
		&& EVP_MAC_final(ctx, out, &outl, digest_lens[alg])
		&& outl == digest_lens[alg];
	EVP_MAC_CTX_free(ctx);
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

int sq_ct_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

const char *sq_crypto_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}
