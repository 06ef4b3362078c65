/*
 * PLAIN (RFC 4616), LOGIN (draft-murchison-sasl-login), CRAM-MD5 (RFC 2195),
 * XOAUTH2 (Google's profile) and OAUTHBEARER (RFC 7628).
 */
#include "mech.h"
#include "cram.h"
#include "crypto.h"

#include <string.h>

#include "../util/alloc.h"

static sq_rc need(const sq_sasl *s, const sq_buf *b, const char *what, sq_error *err)
{
	if (!SQ_GIVEN(*b)) {
		return sq_error_set(err, SQ_EINVAL, "%s needs a %s", s->ops->name, what);
	}
	return SQ_OK;
}

static sq_rc no_nul(const sq_sasl *s, const sq_buf *b, const char *what, sq_error *err)
{
	if (sq_buf_has_byte(b, 0)) {
		return sq_error_set(err, SQ_EINVAL, "%s: the %s must not contain NUL bytes", s->ops->name, what);
	}
	return SQ_OK;
}

/* ---- PLAIN ---------------------------------------------------------- */

static sq_rc plain_init(sq_sasl *s, sq_error *err)
{
	sq_rc rc;

	if ((rc = need(s, &s->username, "username", err)) != SQ_OK
		|| (rc = need(s, &s->password, "password", err)) != SQ_OK
		|| (rc = no_nul(s, &s->username, "username", err)) != SQ_OK
		|| (rc = no_nul(s, &s->password, "password", err)) != SQ_OK
		|| (rc = no_nul(s, &s->authz, "authorization identity", err)) != SQ_OK) {
		return rc;
	}
	return SQ_OK;
}

static sq_rc plain_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	(void)in;
	(void)inlen;
	if (SQ_GIVEN(s->authz) && sq_buf_append(out, s->authz.data, s->authz.len) != SQ_OK) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	if (sq_buf_append_byte(out, 0) != SQ_OK
		|| sq_buf_append(out, s->username.data, s->username.len) != SQ_OK
		|| sq_buf_append_byte(out, 0) != SQ_OK
		|| sq_buf_append(out, s->password.data, s->password.len) != SQ_OK) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	s->complete = 1;
	return SQ_OK;
}

const sq_mech_ops sq_mech_plain_ops = {
	SQ_MECH_PLAIN, "PLAIN", SQ_MECHF_CLIENT_FIRST | SQ_MECHF_CLEARTEXT | SQ_MECHF_AUTHZ, 20,
	plain_init, plain_step, NULL,
};

/* ---- LOGIN ---------------------------------------------------------- */

static sq_rc login_init(sq_sasl *s, sq_error *err)
{
	sq_rc rc;

	if ((rc = need(s, &s->username, "username", err)) != SQ_OK
		|| (rc = need(s, &s->password, "password", err)) != SQ_OK) {
		return rc;
	}
	if (SQ_GIVEN(s->authz) && s->authz.len) {
		return sq_error_set(err, SQ_EINVAL, "LOGIN cannot carry an authorization identity");
	}
	return SQ_OK;
}

static sq_rc login_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	const sq_buf *b;

	(void)in;
	(void)inlen;
	/* The prompts ("Username:", "Password:", or anything else servers say)
	 * carry no information; the order does. */
	if (s->stage == 0) {
		b = &s->username;
	} else if (s->stage == 1) {
		b = &s->password;
		s->complete = 1;
	} else {
		return sq_error_set(err, SQ_EPROTO, "LOGIN: unexpected third challenge");
	}
	if (sq_buf_append(out, b->data, b->len) != SQ_OK) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	return SQ_OK;
}

const sq_mech_ops sq_mech_login_ops = {
	SQ_MECH_LOGIN, "LOGIN", SQ_MECHF_CLEARTEXT, 10,
	login_init, login_step, NULL,
};

/* ---- CRAM-MD5 ------------------------------------------------------- */

sq_rc sq_hmac_md5_compat(const void *key, size_t klen, const void *data, size_t dlen,
	unsigned char out[16])
{
	if (klen == 0) {
		return sq_hash(SQ_HASH_MD5, data, dlen, out);
	}
	return sq_hmac(SQ_HASH_MD5, key, klen, data, dlen, out);
}

sq_rc sq_cram_md5_compute(sq_buf *out, const void *user, size_t ulen,
	const void *pass, size_t plen, const void *challenge, size_t clen)
{
	unsigned char mac[16];
	sq_rc rc;

	rc = sq_hmac(SQ_HASH_MD5, pass, plen, challenge, clen, mac);
	if (rc == SQ_OK) {
		if ((rc = sq_buf_append(out, user, ulen)) == SQ_OK
			&& (rc = sq_buf_append_byte(out, ' ')) == SQ_OK) {
			rc = sq_buf_append_hex(out, mac, sizeof(mac));
		}
	}
	sq_wipe(mac, sizeof(mac));
	return rc;
}

static sq_rc cram_init(sq_sasl *s, sq_error *err)
{
	sq_rc rc;

	if ((rc = need(s, &s->username, "username", err)) != SQ_OK
		|| (rc = need(s, &s->password, "password", err)) != SQ_OK) {
		return rc;
	}
	if (SQ_GIVEN(s->authz) && s->authz.len) {
		return sq_error_set(err, SQ_EINVAL, "CRAM-MD5 cannot carry an authorization identity");
	}
	return SQ_OK;
}

static sq_rc cram_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	sq_rc rc;

	if (inlen == 0) {
		return sq_error_set(err, SQ_EPROTO, "CRAM-MD5: the server sent an empty challenge");
	}
	rc = sq_cram_md5_compute(out, s->username.data, s->username.len,
		s->password.data, s->password.len, in, inlen);
	if (rc != SQ_OK) {
		return sq_error_set(err, rc, "CRAM-MD5: %s", sq_rc_name(rc));
	}
	s->complete = 1;
	return SQ_OK;
}

const sq_mech_ops sq_mech_cram_md5_ops = {
	SQ_MECH_CRAM_MD5, "CRAM-MD5", 0, 30,
	cram_init, cram_step, NULL,
};

/* ---- XOAUTH2 and OAUTHBEARER --------------------------------------- */

static sq_rc token_init(sq_sasl *s, sq_error *err)
{
	sq_rc rc;

	if ((rc = need(s, &s->password, "token (as the password)", err)) != SQ_OK) {
		return rc;
	}
	if (s->ops->id == SQ_MECH_XOAUTH2 && (rc = need(s, &s->username, "username", err)) != SQ_OK) {
		return rc;
	}
	/* \x01 separates the key/value pairs: no field may contain one, nor NUL */
	if (sq_buf_has_byte(&s->username, 1) || sq_buf_has_byte(&s->password, 1)
		|| sq_buf_has_byte(&s->authz, 1) || sq_buf_has_byte(&s->host, 1)
		|| sq_buf_has_byte(&s->username, 0) || sq_buf_has_byte(&s->password, 0)
		|| sq_buf_has_byte(&s->authz, 0) || sq_buf_has_byte(&s->host, 0)) {
		return sq_error_set(err, SQ_EINVAL, "%s: control bytes \\x00 and \\x01 are not allowed", s->ops->name);
	}
	return SQ_OK;
}

static sq_rc append_saslname(sq_buf *out, const sq_buf *name)
{
	size_t i;
	sq_rc rc = SQ_OK;

	for (i = 0; i < name->len && rc == SQ_OK; i++) {
		if (name->data[i] == ',') {
			rc = sq_buf_append(out, "=2C", 3);
		} else if (name->data[i] == '=') {
			rc = sq_buf_append(out, "=3D", 3);
		} else {
			rc = sq_buf_append_byte(out, name->data[i]);
		}
	}
	return rc;
}

static void record_server_error(sq_sasl *s, const unsigned char *in, size_t inlen)
{
	sq_sanitize(s->server_error, sizeof(s->server_error), in, inlen);
}

static sq_rc xoauth2_initial(sq_sasl *s, sq_buf *out, sq_error *err)
{
	if (sq_buf_append_str(out, "user=") != SQ_OK
		|| sq_buf_append(out, s->username.data, s->username.len) != SQ_OK
		|| sq_buf_append_str(out, "\001auth=Bearer ") != SQ_OK
		|| sq_buf_append(out, s->password.data, s->password.len) != SQ_OK
		|| sq_buf_append(out, "\001\001", 2) != SQ_OK) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	s->complete = 1;
	return SQ_OK;
}

/* A challenge after the initial response is the server's JSON error: record
 * it and answer as the profile says (XOAUTH2: empty; OAUTHBEARER: %x01), so
 * that the server ends the exchange with its failure reply. */
static sq_rc token_error_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	if (s->stage != 1) {
		return sq_error_set(err, SQ_EPROTO, "%s: unexpected challenge after the error report", s->ops->name);
	}
	record_server_error(s, in, inlen);
	s->complete = 0; /* the server will now refuse the login */
	if (s->ops->id == SQ_MECH_OAUTHBEARER && sq_buf_append_byte(out, 1) != SQ_OK) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	return SQ_OK;
}

static sq_rc oauthbearer_initial(sq_sasl *s, sq_buf *out, sq_error *err)
{
	const sq_buf *id = SQ_GIVEN(s->authz) ? &s->authz : &s->username;
	sq_rc rc = SQ_OK;

	rc = sq_buf_append_str(out, "n,");
	if (rc == SQ_OK && SQ_GIVEN(*id) && id->len) {
		if ((rc = sq_buf_append_str(out, "a=")) == SQ_OK) {
			rc = append_saslname(out, id);
		}
	}
	if (rc == SQ_OK) {
		rc = sq_buf_append_str(out, ",\001");
	}
	if (rc == SQ_OK && SQ_GIVEN(s->host) && s->host.len) {
		if ((rc = sq_buf_append_str(out, "host=")) == SQ_OK
			&& (rc = sq_buf_append(out, s->host.data, s->host.len)) == SQ_OK) {
			rc = sq_buf_append_byte(out, 1);
		}
	}
	if (rc == SQ_OK && s->port) {
		if ((rc = sq_buf_append_str(out, "port=")) == SQ_OK
			&& (rc = sq_buf_append_ulong(out, s->port)) == SQ_OK) {
			rc = sq_buf_append_byte(out, 1);
		}
	}
	if (rc == SQ_OK
		&& (rc = sq_buf_append_str(out, "auth=Bearer ")) == SQ_OK
		&& (rc = sq_buf_append(out, s->password.data, s->password.len)) == SQ_OK) {
		rc = sq_buf_append(out, "\001\001", 2);
	}
	if (rc != SQ_OK) {
		return sq_error_set(err, rc, "out of memory");
	}
	s->complete = 1;
	return SQ_OK;
}

static sq_rc token_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	if (s->stage == 0) {
		return s->ops->id == SQ_MECH_XOAUTH2
			? xoauth2_initial(s, out, err)
			: oauthbearer_initial(s, out, err);
	}
	return token_error_step(s, in, inlen, out, err);
}

const sq_mech_ops sq_mech_xoauth2_ops = {
	SQ_MECH_XOAUTH2, "XOAUTH2", SQ_MECHF_CLIENT_FIRST | SQ_MECHF_TOKEN, 0,
	token_init, token_step, NULL,
};

const sq_mech_ops sq_mech_oauthbearer_ops = {
	SQ_MECH_OAUTHBEARER, "OAUTHBEARER", SQ_MECHF_CLIENT_FIRST | SQ_MECHF_TOKEN | SQ_MECHF_AUTHZ, 0,
	token_init, token_step, NULL,
};
