#include "seclayer.h"
#include "crypto.h"
#include "qop.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "../util/alloc.h"

/* Frame overheads: 10-byte MAC, 2-byte message type, 4-byte sequence number. */
#define MAC_LEN 10
#define TRAILER_LEN 16
#define LEN_PREFIX 4

struct sq_seclayer {
	unsigned qop, cipher;
	unsigned char kic[16], kis[16];
	EVP_CIPHER_CTX *enc, *dec;
	int block;               /* 8 for des/3des, 0 for rc4 */
	unsigned long send_seq, recv_seq;
	unsigned long send_maxbuf, recv_maxbuf;
	sq_buf in;               /* incomplete incoming frame */
	int failed;
};

/* ---- ciphers ------------------------------------------------------- */

static CRYPTO_ONCE legacy_once = CRYPTO_ONCE_STATIC_INIT;
static OSSL_LIB_CTX *legacy_ctx;
static OSSL_PROVIDER *legacy_providers[2];   /* default, legacy: each load is a reference to drop */

static void legacy_free(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (legacy_providers[i]) {
			OSSL_PROVIDER_unload(legacy_providers[i]);
			legacy_providers[i] = NULL;
		}
	}
	OSSL_LIB_CTX_free(legacy_ctx);
	legacy_ctx = NULL;
}

static void legacy_init(void)
{
	legacy_ctx = OSSL_LIB_CTX_new();
	if (legacy_ctx) {
		legacy_providers[0] = OSSL_PROVIDER_load(legacy_ctx, "default");
		legacy_providers[1] = legacy_providers[0] ? OSSL_PROVIDER_load(legacy_ctx, "legacy") : NULL;
		if (!legacy_providers[1]) {
			legacy_free();
		}
	}
}

void sq_seclayer_shutdown(void)
{
	/* the once stays spent: after this, DES and RC4 report unavailable */
	legacy_free();
}

static EVP_CIPHER *fetch_cipher(unsigned cipher)
{
	switch (cipher) {
	case SQ_CIPHER_3DES:
		return EVP_CIPHER_fetch(NULL, "DES-EDE-CBC", NULL);
	case SQ_CIPHER_DES:
	case SQ_CIPHER_RC4:
	case SQ_CIPHER_RC4_56:
	case SQ_CIPHER_RC4_40:
		if (!CRYPTO_THREAD_run_once(&legacy_once, legacy_init) || !legacy_ctx) {
			return NULL;
		}
		return EVP_CIPHER_fetch(legacy_ctx, cipher == SQ_CIPHER_DES ? "DES-CBC" : "RC4", NULL);
	}
	return NULL;
}

int sq_seclayer_cipher_available(unsigned cipher)
{
	EVP_CIPHER *c = fetch_cipher(cipher);

	EVP_CIPHER_free(c);
	return c != NULL;
}

/* RFC 2831 2.4: a DES key from 7 bytes, 7 bits per byte, odd parity. */
static void des_key_from_56(unsigned char key[8], const unsigned char in[7])
{
	int i, bits;
	unsigned char b;

	key[0] = in[0];
	key[1] = (unsigned char)((in[0] << 7) | (in[1] >> 1));
	key[2] = (unsigned char)((in[1] << 6) | (in[2] >> 2));
	key[3] = (unsigned char)((in[2] << 5) | (in[3] >> 3));
	key[4] = (unsigned char)((in[3] << 4) | (in[4] >> 4));
	key[5] = (unsigned char)((in[4] << 3) | (in[5] >> 5));
	key[6] = (unsigned char)((in[5] << 2) | (in[6] >> 6));
	key[7] = (unsigned char)(in[6] << 1);
	for (i = 0; i < 8; i++) {
		b = key[i] & 0xfe;
		bits = 0;
		for (int j = 1; j < 8; j++) {
			bits += (b >> j) & 1;
		}
		key[i] = (unsigned char)(b | ((bits & 1) ? 0 : 1));
	}
}

static sq_rc md5_two(const unsigned char *a, size_t alen, const char *magic, unsigned char out[16])
{
	unsigned char buf[16 + 80];
	size_t mlen = strlen(magic);
	sq_rc rc;

	memcpy(buf, a, alen);
	memcpy(buf + alen, magic, mlen);
	rc = sq_hash(SQ_HASH_MD5, buf, alen + mlen, out);
	sq_wipe(buf, sizeof(buf));
	return rc;
}

sq_rc sq_seclayer_derive(unsigned cipher, const unsigned char ha1[16],
	unsigned char kic[16], unsigned char kis[16], unsigned char kcc[16], unsigned char kcs[16])
{
	size_t n = cipher == SQ_CIPHER_RC4_40 ? 5 : cipher == SQ_CIPHER_RC4_56 ? 7 : 16;
	sq_rc rc;

	if ((rc = md5_two(ha1, 16, "Digest session key to client-to-server signing key magic constant", kic)) != SQ_OK
		|| (rc = md5_two(ha1, 16, "Digest session key to server-to-client signing key magic constant", kis)) != SQ_OK
		|| (rc = md5_two(ha1, n, "Digest H(A1) to client-to-server sealing key magic constant", kcc)) != SQ_OK
		|| (rc = md5_two(ha1, n, "Digest H(A1) to server-to-client sealing key magic constant", kcs)) != SQ_OK) {
		return rc;
	}
	return SQ_OK;
}

static EVP_CIPHER_CTX *make_ctx(unsigned cipher, const unsigned char kc[16], int encrypt)
{
	EVP_CIPHER *c = fetch_cipher(cipher);
	EVP_CIPHER_CTX *ctx = c ? EVP_CIPHER_CTX_new() : NULL;
	unsigned char key[16];
	const unsigned char *iv = NULL;
	int ok = 0;

	if (!ctx) {
		EVP_CIPHER_free(c);
		return NULL;
	}
	if (cipher == SQ_CIPHER_3DES) {
		/* two-key 3DES: K1 from bytes 0..6, K2 from 7..13, IV the last 8 */
		des_key_from_56(key, kc);
		des_key_from_56(key + 8, kc + 7);
		iv = kc + 8;
	} else if (cipher == SQ_CIPHER_DES) {
		des_key_from_56(key, kc);
		iv = kc + 8;
	} else {
		memcpy(key, kc, 16);
	}
	ok = EVP_CipherInit_ex2(ctx, c, NULL, NULL, encrypt, NULL)
		&& (cipher == SQ_CIPHER_3DES || cipher == SQ_CIPHER_DES || EVP_CIPHER_CTX_set_key_length(ctx, 16))
		&& EVP_CipherInit_ex2(ctx, NULL, key, iv, encrypt, NULL)
		&& EVP_CIPHER_CTX_set_padding(ctx, 0);
	sq_wipe(key, sizeof(key));
	EVP_CIPHER_free(c);
	if (!ok) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

void sq_seclayer_free(sq_seclayer *l)
{
	if (!l) {
		return;
	}
	EVP_CIPHER_CTX_free(l->enc);
	EVP_CIPHER_CTX_free(l->dec);
	sq_buf_free(&l->in);
	sq_free_secret(l, sizeof(*l));
}

static sq_rc layer_new(sq_seclayer **out, unsigned qop, unsigned cipher, const unsigned char ha1[16],
	unsigned long send_maxbuf, unsigned long recv_maxbuf, int server, sq_error *err)
{
	sq_seclayer *l;
	unsigned char kcc[16], kcs[16];

	*out = NULL;
	if (qop != SQ_QOP_AUTH_INT && qop != SQ_QOP_AUTH_CONF) {
		return sq_error_set(err, SQ_EINVAL, "no security layer for this qop");
	}
	if (send_maxbuf < 64 || recv_maxbuf < 64) {
		return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: maxbuf too small for a security layer");
	}
	l = sq_calloc(1, sizeof(*l));
	if (!l) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	l->qop = qop;
	l->cipher = qop == SQ_QOP_AUTH_CONF ? cipher : 0;
	l->send_maxbuf = send_maxbuf;
	l->recv_maxbuf = recv_maxbuf;
	sq_buf_init(&l->in, 1);
	if ((server ? sq_seclayer_derive(l->cipher, ha1, l->kis, l->kic, kcs, kcc)
			: sq_seclayer_derive(l->cipher, ha1, l->kic, l->kis, kcc, kcs)) != SQ_OK) {
		sq_seclayer_free(l);
		return sq_error_set(err, SQ_ECRYPTO, "DIGEST-MD5: key derivation failed");
	}
	if (l->cipher) {
		l->block = (cipher == SQ_CIPHER_3DES || cipher == SQ_CIPHER_DES) ? 8 : 0;
		l->enc = make_ctx(cipher, kcc, 1);
		l->dec = make_ctx(cipher, kcs, 0);
		if (!l->enc || !l->dec) {
			sq_wipe(kcc, 16);
			sq_wipe(kcs, 16);
			sq_seclayer_free(l);
			return sq_error_set(err, SQ_ECRYPTO, "DIGEST-MD5: cipher %s is not available in this OpenSSL%s",
				sq_cipher_name(cipher),
				cipher == SQ_CIPHER_3DES ? "" : " (it needs the legacy provider)");
		}
	}
	sq_wipe(kcc, 16);
	sq_wipe(kcs, 16);
	*out = l;
	return SQ_OK;
}

sq_rc sq_seclayer_new(sq_seclayer **out, unsigned qop, unsigned cipher, const unsigned char ha1[16],
	unsigned long send_maxbuf, unsigned long recv_maxbuf, sq_error *err)
{
	return layer_new(out, qop, cipher, ha1, send_maxbuf, recv_maxbuf, 0, err);
}

sq_rc sq_seclayer_new_server(sq_seclayer **out, unsigned qop, unsigned cipher, const unsigned char ha1[16],
	unsigned long send_maxbuf, unsigned long recv_maxbuf, sq_error *err)
{
	return layer_new(out, qop, cipher, ha1, send_maxbuf, recv_maxbuf, 1, err);
}

size_t sq_seclayer_max_plain(const sq_seclayer *l)
{
	/* frame body = data [+ pad] + MAC + type + seq, at most send_maxbuf */
	size_t sealed;

	if (l->block) {
		/* data + pad + MAC is encrypted and a block multiple, pad >= 1 */
		sealed = l->send_maxbuf - 6;
		sealed -= sealed % (size_t)l->block;
		return sealed - MAC_LEN - 1;
	}
	return l->send_maxbuf - TRAILER_LEN;
}

static void put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static unsigned long get32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) | ((unsigned long)p[2] << 8) | p[3];
}

/* HMAC(Ki, {SeqNum, msg})[0..9] */
static sq_rc frame_mac(const unsigned char key[16], unsigned long seq, const unsigned char *msg, size_t len,
	unsigned char mac[16])
{
	sq_buf b = SQ_BUF_SECRET_INIT;
	unsigned char s[4];
	sq_rc rc;

	put32(s, seq);
	if ((rc = sq_buf_append(&b, s, 4)) == SQ_OK && (rc = sq_buf_append(&b, msg, len)) == SQ_OK) {
		rc = sq_hmac(SQ_HASH_MD5, key, 16, b.data, b.len, mac);
	}
	sq_buf_free(&b);
	return rc;
}

static sq_rc wrap_one(sq_seclayer *l, const unsigned char *msg, size_t len, sq_buf *out)
{
	unsigned char mac[16], trailer[6], hdr[4], pad[8];
	size_t start = out->len, padlen = 0, body, i;
	sq_buf plain = SQ_BUF_SECRET_INIT;
	int outl = 0;
	sq_rc rc;

	if ((rc = frame_mac(l->kic, l->send_seq, msg, len, mac)) != SQ_OK) {
		return rc;
	}
	trailer[0] = 0;
	trailer[1] = 1;
	put32(trailer + 2, l->send_seq);
	if (!l->cipher) {
		body = len + TRAILER_LEN;
		put32(hdr, (unsigned long)body);
		if ((rc = sq_buf_append(out, hdr, 4)) == SQ_OK && (rc = sq_buf_append(out, msg, len)) == SQ_OK
			&& (rc = sq_buf_append(out, mac, MAC_LEN)) == SQ_OK) {
			rc = sq_buf_append(out, trailer, 6);
		}
	} else {
		if (l->block) {
			padlen = (size_t)l->block - (len + MAC_LEN) % (size_t)l->block;
			for (i = 0; i < padlen; i++) {
				pad[i] = (unsigned char)padlen;
			}
		}
		body = len + padlen + MAC_LEN + 6;
		put32(hdr, (unsigned long)body);
		if ((rc = sq_buf_append(&plain, msg, len)) == SQ_OK && (rc = sq_buf_append(&plain, pad, padlen)) == SQ_OK
			&& (rc = sq_buf_append(&plain, mac, MAC_LEN)) == SQ_OK
			&& (rc = sq_buf_append(out, hdr, 4)) == SQ_OK
			&& (rc = sq_buf_reserve(out, plain.len + 6)) == SQ_OK) {
			if (plain.len > 0x7fffffff
				|| !EVP_EncryptUpdate(l->enc, out->data + out->len, &outl, plain.data, (int)plain.len)
				|| (size_t)outl != plain.len) {
				rc = SQ_ECRYPTO;
			} else {
				out->len += (size_t)outl;
				rc = sq_buf_append(out, trailer, 6);
			}
		}
	}
	sq_wipe(mac, sizeof(mac));
	sq_buf_free(&plain);
	if (rc != SQ_OK) {
		out->len = start;
		if (out->data) {
			out->data[start] = '\0';
		}
		return rc;
	}
	l->send_seq = (l->send_seq + 1) & 0xffffffffUL;
	return SQ_OK;
}

sq_rc sq_seclayer_wrap(sq_seclayer *l, const unsigned char *in, size_t len, sq_buf *out, sq_error *err)
{
	size_t max = sq_seclayer_max_plain(l), n;
	sq_rc rc;

	if (l->failed) {
		return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: the security layer has failed");
	}
	do {
		n = len < max ? len : max;
		if ((rc = wrap_one(l, in, n, out)) != SQ_OK) {
			l->failed = 1;
			return sq_error_set(err, rc, "DIGEST-MD5: could not protect data (%s)", sq_rc_name(rc));
		}
		in += n;
		len -= n;
	} while (len);
	return SQ_OK;
}

static sq_rc unwrap_one(sq_seclayer *l, const unsigned char *body, size_t blen, sq_buf *out, sq_error *err)
{
	const unsigned char *trailer = body + blen - 6;
	unsigned char mac[16];
	sq_buf plain = SQ_BUF_SECRET_INIT;
	const unsigned char *msg;
	size_t mlen, padlen = 0, i, clen = blen - 6;
	int outl = 0, ok, pad_ok;
	sq_rc rc = SQ_OK;

	if (trailer[0] != 0 || trailer[1] != 1) {
		return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: frame with an unknown message type");
	}
	if (get32(trailer + 2) != l->recv_seq) {
		return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)");
	}
	if (l->cipher) {
		if (clen < MAC_LEN || (l->block && clen % (size_t)l->block)) {
			return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: encrypted frame of a bad length");
		}
		if (sq_buf_reserve(&plain, clen) != SQ_OK) {
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
		if (!EVP_DecryptUpdate(l->dec, plain.data, &outl, body, (int)clen) || (size_t)outl != clen) {
			sq_buf_free(&plain);
			return sq_error_set(err, SQ_ECRYPTO, "DIGEST-MD5: decryption failed");
		}
		plain.len = clen;
		mlen = clen - MAC_LEN;
		pad_ok = 1;
		if (l->block) {
			/* Padding and MAC failures must look alike (no padding oracle):
			 * a bad pad is remembered, the MAC is computed anyway over the
			 * unpadded length, and both give the same error. */
			padlen = mlen ? plain.data[mlen - 1] : 0;
			if (padlen < 1 || padlen > (size_t)l->block || padlen > mlen) {
				pad_ok = 0;
				padlen = 0;
			}
			for (i = mlen - padlen; i < mlen; i++) {
				pad_ok &= plain.data[i] == padlen;
			}
			mlen -= padlen;
		}
		msg = plain.data;
		rc = frame_mac(l->kis, l->recv_seq, msg, mlen, mac);
		ok = rc == SQ_OK && sq_ct_equal(mac, plain.data + clen - MAC_LEN, MAC_LEN) && pad_ok;
	} else {
		mlen = blen - TRAILER_LEN;
		msg = body;
		rc = frame_mac(l->kis, l->recv_seq, msg, mlen, mac);
		ok = rc == SQ_OK && sq_ct_equal(mac, body + mlen, MAC_LEN);
	}
	sq_wipe(mac, sizeof(mac));
	if (!ok) {
		sq_buf_free(&plain);
		return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: a frame failed its integrity check (tampered with)");
	}
	if (sq_buf_append(out, msg, mlen) != SQ_OK) {
		sq_buf_free(&plain);
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	sq_buf_free(&plain);
	l->recv_seq = (l->recv_seq + 1) & 0xffffffffUL;
	return SQ_OK;
}

sq_rc sq_seclayer_unwrap(sq_seclayer *l, const unsigned char *in, size_t len, sq_buf *out, sq_error *err)
{
	unsigned long flen;
	size_t off = 0;
	sq_rc rc;

	if (l->failed) {
		return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: the security layer has failed");
	}
	if (len && sq_buf_append(&l->in, in, len) != SQ_OK) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	while (l->in.len - off >= LEN_PREFIX) {
		flen = get32(l->in.data + off);
		/* check the peer-supplied length before any arithmetic on it */
		if (flen > l->recv_maxbuf || flen < TRAILER_LEN) {
			l->failed = 1;
			return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: frame of %lu bytes is outside 16..%lu", flen, l->recv_maxbuf);
		}
		if (l->in.len - off - LEN_PREFIX < flen) {
			break;
		}
		rc = unwrap_one(l, l->in.data + off + LEN_PREFIX, (size_t)flen, out, err);
		if (rc != SQ_OK) {
			l->failed = 1;
			return rc;
		}
		off += LEN_PREFIX + (size_t)flen;
	}
	sq_buf_consume(&l->in, off);
	return SQ_OK;
}

size_t sq_seclayer_pending(const sq_seclayer *l)
{
	return l->in.len;
}
