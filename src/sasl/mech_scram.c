/*
 * SCRAM-SHA-1, SCRAM-SHA-256 (RFC 5802, RFC 7677) and their -PLUS forms with
 * channel binding (RFC 5929, RFC 9266).
 */
#include "crypto.h"
#include "mech.h"
#include "saslprep.h"
#include "scram.h"

#include <string.h>

#include "../util/alloc.h"
#include "../util/base64.h"

typedef struct {
	sq_hash_alg alg;
	int plus;
	sq_buf gs2_header;        /* "n,," / "y,," / "p=type,," with a=authzid */
	sq_buf client_first_bare; /* "n=user,r=nonce" */
	sq_buf nonce;             /* the client nonce */
	sq_buf auth_message;      /* secret-free but kept to the end */
	unsigned char server_signature[SQ_HASH_MAX];
	sq_buf password;          /* SASLprep'd, secret */
} scram_state;

static sq_rc append_saslname(sq_buf *out, const unsigned char *p, size_t n)
{
	size_t i;
	sq_rc rc = SQ_OK;

	for (i = 0; i < n && rc == SQ_OK; i++) {
		if (p[i] == ',') {
			rc = sq_buf_append(out, "=2C", 3);
		} else if (p[i] == '=') {
			rc = sq_buf_append(out, "=3D", 3);
		} else {
			rc = sq_buf_append_byte(out, p[i]);
		}
	}
	return rc;
}

static void scram_cleanup(sq_sasl *s)
{
	scram_state *st = s->state;

	if (!st) {
		return;
	}
	sq_buf_free(&st->gs2_header);
	sq_buf_free(&st->client_first_bare);
	sq_buf_free(&st->nonce);
	sq_buf_free(&st->auth_message);
	sq_buf_free(&st->password);
	sq_free_secret(st, sizeof(*st));
	s->state = NULL;
}

static sq_rc scram_init(sq_sasl *s, sq_error *err)
{
	scram_state *st;
	sq_buf user = SQ_BUF_INIT;
	unsigned char rnd[24];
	sq_rc rc;

	if (!SQ_GIVEN(s->username) || !SQ_GIVEN(s->password)) {
		return sq_error_set(err, SQ_EINVAL, "%s needs a username and a password", s->ops->name);
	}
	st = sq_calloc(1, sizeof(*st));
	if (!st) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	s->state = st;
	st->alg = (s->ops->id == SQ_MECH_SCRAM_SHA_1 || s->ops->id == SQ_MECH_SCRAM_SHA_1_PLUS)
		? SQ_HASH_SHA1 : SQ_HASH_SHA256;
	st->plus = (s->ops->flags & SQ_MECHF_CHANNEL_BIND) != 0;
	sq_buf_init(&st->gs2_header, 0);
	sq_buf_init(&st->client_first_bare, 0);
	sq_buf_init(&st->nonce, 0);
	sq_buf_init(&st->auth_message, 0);
	sq_buf_init(&st->password, 1);

	if (st->plus) {
		if (!SQ_GIVEN(s->cb_type) || !s->cb_type.len || !SQ_GIVEN(s->cb_data)) {
			return sq_error_set(err, SQ_EINVAL, "%s needs channel-binding data (type and data)", s->ops->name);
		}
		for (size_t i = 0; i < s->cb_type.len; i++) {
			unsigned char c = s->cb_type.data[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
				return sq_error_set(err, SQ_EINVAL, "%s: invalid channel-binding type name", s->ops->name);
			}
		}
	}

	/* gs2-header */
	if (st->plus) {
		rc = sq_buf_append_str(&st->gs2_header, "p=");
		if (rc == SQ_OK) {
			rc = sq_buf_append(&st->gs2_header, s->cb_type.data, s->cb_type.len);
		}
	} else {
		rc = sq_buf_append_str(&st->gs2_header, s->cb_client_supports ? "y" : "n");
	}
	if (rc == SQ_OK) {
		rc = sq_buf_append_byte(&st->gs2_header, ',');
	}
	if (rc == SQ_OK && SQ_GIVEN(s->authz) && s->authz.len) {
		if (sq_buf_has_byte(&s->authz, 0)) {
			return sq_error_set(err, SQ_EINVAL, "SCRAM: the authorization identity must not contain NUL bytes");
		}
		if ((rc = sq_buf_append_str(&st->gs2_header, "a=")) == SQ_OK) {
			rc = append_saslname(&st->gs2_header, s->authz.data, s->authz.len);
		}
	}
	if (rc == SQ_OK) {
		rc = sq_buf_append_byte(&st->gs2_header, ',');
	}
	if (rc != SQ_OK) {
		return sq_error_set(err, rc, "out of memory");
	}

	/* normalised credentials */
	if ((rc = sq_saslprep(&user, s->username.data, s->username.len, "username", err)) != SQ_OK) {
		sq_buf_free(&user);
		return rc;
	}
	if ((rc = sq_saslprep(&st->password, s->password.data, s->password.len, "password", err)) != SQ_OK) {
		sq_buf_free(&user);
		return rc;
	}

	/* client nonce: printable, no ',' (base64 of random bytes) */
	if (SQ_GIVEN(s->cnonce)) {
		size_t i;
		for (i = 0; i < s->cnonce.len; i++) {
			if (s->cnonce.data[i] <= 0x20 || s->cnonce.data[i] >= 0x7f || s->cnonce.data[i] == ',') {
				sq_buf_free(&user);
				return sq_error_set(err, SQ_EINVAL, "SCRAM: the client nonce must be printable ASCII without ','");
			}
		}
		rc = s->cnonce.len ? sq_buf_set(&st->nonce, s->cnonce.data, s->cnonce.len) : SQ_EINVAL;
	} else {
		rc = sq_nonce_bytes(rnd, sizeof(rnd)) == SQ_OK ? sq_base64_encode(&st->nonce, rnd, sizeof(rnd)) : SQ_ECRYPTO;
	}
	if (rc == SQ_OK && (rc = sq_buf_append_str(&st->client_first_bare, "n=")) == SQ_OK
		&& (rc = append_saslname(&st->client_first_bare, user.data, user.len)) == SQ_OK
		&& (rc = sq_buf_append_str(&st->client_first_bare, ",r=")) == SQ_OK) {
		rc = sq_buf_append(&st->client_first_bare, st->nonce.data, st->nonce.len);
	}
	sq_buf_free(&user);
	if (rc != SQ_OK) {
		return sq_error_set(err, rc, "SCRAM: could not build the first message");
	}
	return SQ_OK;
}

/* Parses "k=v,k=v,..." of a SCRAM server message into up to 8 attributes.
 * Returns the number found or -1 when malformed. */
typedef struct {
	char name;
	const unsigned char *v;
	size_t len;
} scram_attr;

static int parse_attrs(const unsigned char *in, size_t len, scram_attr *a, int max)
{
	size_t i = 0, start;
	int n = 0;

	while (i < len) {
		if (n == max) {
			return n; /* further extensions are ignored */
		}
		if (i + 1 >= len || !((in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z')) || in[i + 1] != '=') {
			return -1;
		}
		a[n].name = (char)in[i];
		i += 2;
		start = i;
		while (i < len && in[i] != ',') {
			i++;
		}
		a[n].v = in + start;
		a[n].len = i - start;
		n++;
		if (i < len) {
			i++; /* ',' */
			if (i == len) {
				return -1; /* trailing comma */
			}
		}
	}
	return n;
}

sq_rc sq_scram_parse_server_first(const unsigned char *in, size_t len, const unsigned char *cnonce, size_t cnlen,
	sq_scram_server_first *sf, sq_error *err)
{
	scram_attr a[8];
	int n;
	size_t i;

	memset(sf, 0, sizeof(*sf));
	if (len == 0) {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: empty server-first-message");
	}
	if (len > 4096) {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: server-first-message exceeds 4096 bytes");
	}
	if (memchr(in, 0, len)) {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: NUL byte in the server-first-message");
	}
	if (len >= 2 && in[0] == 'e' && in[1] == '=') {
		return sq_error_set(err, SQ_EAUTH, "SCRAM: the server reported an error: %.*s",
			(int)(len - 2 > 100 ? 100 : len - 2), (const char *)in + 2);
	}
	n = parse_attrs(in, len, a, 8);
	if (n < 3) {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: malformed server-first-message");
	}
	if (a[0].name == 'm') {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: the server requires an extension this client does not know");
	}
	if (a[0].name != 'r' || a[1].name != 's' || a[2].name != 'i') {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: server-first-message must start with r=, s=, i=");
	}
	for (i = 0; i < a[0].len; i++) {
		if (a[0].v[i] <= 0x20 || a[0].v[i] >= 0x7f) {
			return sq_error_set(err, SQ_EPROTO, "SCRAM: the server nonce is not printable ASCII");
		}
	}
	if (a[0].len <= cnlen || memcmp(a[0].v, cnonce, cnlen) != 0) {
		return sq_error_set(err, SQ_ESECURITY, "SCRAM: the server nonce does not extend the client nonce");
	}
	sf->nonce = a[0].v;
	sf->nonce_len = a[0].len;
	sf->salt_b64 = a[1].v;
	sf->salt_b64_len = a[1].len;
	if (a[1].len == 0) {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: empty salt");
	}
	if (a[2].len == 0 || a[2].len > 10 || a[2].v[0] == '0') {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: invalid iteration count");
	}
	for (i = 0; i < a[2].len; i++) {
		if (a[2].v[i] < '0' || a[2].v[i] > '9') {
			return sq_error_set(err, SQ_EPROTO, "SCRAM: invalid iteration count");
		}
		sf->iterations = sf->iterations * 10 + (unsigned long long)(a[2].v[i] - '0');
	}
	if (sf->iterations > SQ_SCRAM_MAX_ITERATIONS) {
		return sq_error_set(err, SQ_ESECURITY, "SCRAM: the server asks for %llu iterations, more than the limit of %d",
			sf->iterations, SQ_SCRAM_MAX_ITERATIONS);
	}
	return SQ_OK;
}

static sq_rc scram_client_final(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	scram_state *st = s->state;
	sq_scram_server_first sf;
	sq_buf salt = SQ_BUF_INIT, cbind = SQ_BUF_INIT, without_proof = SQ_BUF_INIT;
	unsigned char salted[SQ_HASH_MAX], ckey[SQ_HASH_MAX], skey[SQ_HASH_MAX], stored[SQ_HASH_MAX];
	unsigned char csig[SQ_HASH_MAX], proof[SQ_HASH_MAX];
	size_t hl = sq_hash_len(st->alg), i;
	sq_rc rc;

	rc = sq_scram_parse_server_first(in, inlen, st->nonce.data, st->nonce.len, &sf, err);
	if (rc != SQ_OK) {
		return rc;
	}
	if (sq_base64_decode(&salt, sf.salt_b64, sf.salt_b64_len) != SQ_OK || salt.len == 0) {
		sq_buf_free(&salt);
		return sq_error_set(err, SQ_EPROTO, "SCRAM: the salt is not valid base64");
	}
	/* c= base64(gs2-header [cbind-data]) */
	rc = sq_buf_append(&cbind, st->gs2_header.data, st->gs2_header.len);
	if (rc == SQ_OK && st->plus) {
		rc = sq_buf_append(&cbind, s->cb_data.data, s->cb_data.len);
	}
	if (rc == SQ_OK && (rc = sq_buf_append_str(&without_proof, "c=")) == SQ_OK
		&& (rc = sq_base64_encode(&without_proof, cbind.data, cbind.len)) == SQ_OK
		&& (rc = sq_buf_append_str(&without_proof, ",r=")) == SQ_OK
		&& (rc = sq_buf_append(&without_proof, sf.nonce, sf.nonce_len)) == SQ_OK
		/* AuthMessage = client-first-bare "," server-first "," client-final-without-proof */
		&& (rc = sq_buf_append(&st->auth_message, st->client_first_bare.data, st->client_first_bare.len)) == SQ_OK
		&& (rc = sq_buf_append_byte(&st->auth_message, ',')) == SQ_OK
		&& (rc = sq_buf_append(&st->auth_message, in, inlen)) == SQ_OK
		&& (rc = sq_buf_append_byte(&st->auth_message, ',')) == SQ_OK) {
		rc = sq_buf_append(&st->auth_message, without_proof.data, without_proof.len);
	}
	if (rc == SQ_OK) {
		rc = sq_pbkdf2(st->alg, st->password.data, st->password.len, salt.data, salt.len,
			(unsigned long)sf.iterations, salted, hl);
	}
	if (rc == SQ_OK
		&& (rc = sq_hmac(st->alg, salted, hl, "Client Key", 10, ckey)) == SQ_OK
		&& (rc = sq_hash(st->alg, ckey, hl, stored)) == SQ_OK
		&& (rc = sq_hmac(st->alg, stored, hl, st->auth_message.data, st->auth_message.len, csig)) == SQ_OK
		&& (rc = sq_hmac(st->alg, salted, hl, "Server Key", 10, skey)) == SQ_OK
		&& (rc = sq_hmac(st->alg, skey, hl, st->auth_message.data, st->auth_message.len, st->server_signature)) == SQ_OK) {
		for (i = 0; i < hl; i++) {
			proof[i] = ckey[i] ^ csig[i];
		}
		if ((rc = sq_buf_append(out, without_proof.data, without_proof.len)) == SQ_OK
			&& (rc = sq_buf_append_str(out, ",p=")) == SQ_OK) {
			rc = sq_base64_encode(out, proof, hl);
		}
	}
	sq_wipe(salted, sizeof(salted));
	sq_wipe(ckey, sizeof(ckey));
	sq_wipe(skey, sizeof(skey));
	sq_wipe(stored, sizeof(stored));
	sq_wipe(csig, sizeof(csig));
	sq_wipe(proof, sizeof(proof));
	sq_buf_free(&salt);
	sq_buf_free(&cbind);
	sq_buf_free(&without_proof);
	sq_buf_free(&st->password); /* no longer needed */
	if (rc != SQ_OK) {
		return sq_error_set(err, rc, "SCRAM: %s", sq_rc_name(rc));
	}
	return SQ_OK;
}

sq_rc sq_scram_check_server_final(const unsigned char *in, size_t len, const unsigned char *expected, size_t hl,
	sq_error *err)
{
	scram_attr a[4];
	sq_buf sig = SQ_BUF_INIT;
	char detail[101];
	int n, ok;

	if (len > 4096) {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: server-final-message exceeds 4096 bytes");
	}
	if (len == 0 || memchr(in, 0, len)) {
		return sq_error_set(err, SQ_ESECURITY, "SCRAM: the server did not send its signature, so it did not prove that it knows the password");
	}
	n = parse_attrs(in, len, a, 4);
	if (n < 1) {
		return sq_error_set(err, SQ_EPROTO, "SCRAM: malformed server-final-message");
	}
	if (a[0].name == 'e') {
		sq_sanitize(detail, sizeof(detail), a[0].v, a[0].len);
		if (a[0].len >= 8 && memcmp(a[0].v, "channel-", 8) == 0) {
			return sq_error_set(err, SQ_ESECURITY, "SCRAM: the server reported a channel-binding failure: %s", detail);
		}
		return sq_error_set(err, SQ_EAUTH, "SCRAM: the server reported an error: %s", detail);
	}
	if (a[0].name != 'v') {
		return sq_error_set(err, SQ_ESECURITY, "SCRAM: the server did not send its signature, so it did not prove that it knows the password");
	}
	if (sq_base64_decode(&sig, a[0].v, a[0].len) != SQ_OK) {
		sq_buf_free(&sig);
		return sq_error_set(err, SQ_EPROTO, "SCRAM: the server signature is not valid base64");
	}
	ok = sig.len == hl && sq_ct_equal(sig.data, expected, hl);
	sq_buf_free(&sig);
	if (!ok) {
		return sq_error_set(err, SQ_ESECURITY, "SCRAM: the server signature is wrong: the server did not prove that it knows the password");
	}
	return SQ_OK;
}

static sq_rc scram_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	scram_state *st = s->state;
	sq_rc rc;

	switch (s->stage) {
	case 0:
		if (sq_buf_append(out, st->gs2_header.data, st->gs2_header.len) != SQ_OK
			|| sq_buf_append(out, st->client_first_bare.data, st->client_first_bare.len) != SQ_OK) {
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
		return SQ_OK;
	case 1:
		return scram_client_final(s, in, inlen, out, err);
	case 2:
		rc = sq_scram_check_server_final(in, inlen, st->server_signature, sq_hash_len(st->alg), err);
		if (rc == SQ_OK) {
			s->server_verified = 1;
			s->complete = 1;
		}
		return rc;
	}
	return sq_error_set(err, SQ_EPROTO, "SCRAM: unexpected challenge");
}

#define SCRAM_OPS(ID, NAME, FLAGS, STRENGTH) \
	{ID, NAME, SQ_MECHF_CLIENT_FIRST | SQ_MECHF_MUTUAL | SQ_MECHF_AUTHZ | (FLAGS), STRENGTH, scram_init, scram_step, scram_cleanup}

const sq_mech_ops sq_mech_scram_sha_1_ops = SCRAM_OPS(SQ_MECH_SCRAM_SHA_1, "SCRAM-SHA-1", 0, 50);
const sq_mech_ops sq_mech_scram_sha_256_ops = SCRAM_OPS(SQ_MECH_SCRAM_SHA_256, "SCRAM-SHA-256", 0, 60);
const sq_mech_ops sq_mech_scram_sha_1_plus_ops =
	SCRAM_OPS(SQ_MECH_SCRAM_SHA_1_PLUS, "SCRAM-SHA-1-PLUS", SQ_MECHF_CHANNEL_BIND, 70);
const sq_mech_ops sq_mech_scram_sha_256_plus_ops =
	SCRAM_OPS(SQ_MECH_SCRAM_SHA_256_PLUS, "SCRAM-SHA-256-PLUS", SQ_MECHF_CHANNEL_BIND, 80);
