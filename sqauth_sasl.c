/*
  +----------------------------------------------------------------------+
  | sqauth: the SASL arithmetic as functions: sqauth_hmac_md5(),         |
  | sqauth_cram_md5_response() and DIGEST-MD5's parse, response and      |
  | rspauth check, with SquirrelMail's return shapes. The work is in     |
  | src/sasl.                                                            |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"

#include "sqauth_exceptions.h"
#include "sqauth_options.h"

#include "src/util/alloc.h"
#include "src/util/base64.h"
#include "src/sasl/cram.h"
#include "src/sasl/crypto.h"
#include "src/sasl/digest.h"

/* ---- helpers ------------------------------------------------------- */

static sq_bytes zs_bytes(const zend_string *s)
{
	sq_bytes b;

	b.p = (const unsigned char *)ZSTR_VAL(s);
	b.len = ZSTR_LEN(s);
	return b;
}

/* base64(raw) . "\r\n", as SquirrelMail's functions return */
static zend_string *b64_line(const sq_buf *raw)
{
	size_t n = sq_base64_encoded_len(raw->len);
	zend_string *r;

	if (n == 0 && raw->len) {
		return NULL;
	}
	r = zend_string_safe_alloc(1, n, 2, 0);
	sq_base64_encode_to((unsigned char *)ZSTR_VAL(r), raw->data, raw->len);
	memcpy(ZSTR_VAL(r) + n, "\r\n", 3);
	return r;
}

/* Decodes a challenge "as received": trailing CR, LF, SP, HT ignored. */
static zend_result decode_challenge(sq_buf *out, const zend_string *s, const char *what)
{
	sq_rc rc = sq_base64_decode_lenient(out, ZSTR_VAL(s), ZSTR_LEN(s));

	if (rc != SQ_OK) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%s is not valid base64", what);
		php_sqauth_throw(rc == SQ_ENOMEM ? SQ_ENOMEM : SQ_EPROTO, msg);
		return FAILURE;
	}
	return SUCCESS;
}


/* ---- functions ----------------------------------------------------- */

PHP_FUNCTION(sqauth_hmac_md5)
{
	zend_string *data, *key = NULL;
	unsigned char mac[16];

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(key)
	ZEND_PARSE_PARAMETERS_END();

	if (sq_hmac_md5_compat(key ? ZSTR_VAL(key) : "", key ? ZSTR_LEN(key) : 0,
			ZSTR_VAL(data), ZSTR_LEN(data), mac) != SQ_OK) {
		php_sqauth_throw(SQ_ECRYPTO, "HMAC-MD5 failed in OpenSSL");
		RETURN_THROWS();
	}
	RETVAL_STRINGL((const char *)mac, 16);
	sq_wipe(mac, sizeof(mac));
}

PHP_FUNCTION(sqauth_cram_md5_response)
{
	zend_string *user, *pass, *challenge, *r;
	sq_buf dec = SQ_BUF_INIT, resp = SQ_BUF_SECRET_INIT;
	sq_rc rc;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_STR(user)
		Z_PARAM_STR(pass)
		Z_PARAM_STR(challenge)
	ZEND_PARSE_PARAMETERS_END();

	if (decode_challenge(&dec, challenge, "CRAM-MD5: the challenge") == FAILURE) {
		sq_buf_free(&dec);
		RETURN_THROWS();
	}
	if (dec.len == 0) {
		sq_buf_free(&dec);
		php_sqauth_throw(SQ_EPROTO, "CRAM-MD5: the challenge is empty");
		RETURN_THROWS();
	}
	rc = sq_cram_md5_compute(&resp, ZSTR_VAL(user), ZSTR_LEN(user), ZSTR_VAL(pass), ZSTR_LEN(pass), dec.data, dec.len);
	sq_buf_free(&dec);
	r = rc == SQ_OK ? b64_line(&resp) : NULL;
	sq_buf_free(&resp);
	if (!r) {
		php_sqauth_throw(rc == SQ_OK ? SQ_ENOMEM : rc, "CRAM-MD5: could not compute the response");
		RETURN_THROWS();
	}
	RETURN_NEW_STR(r);
}

static void add_list_elem(void *ud, const char *e, size_t n)
{
	add_next_index_stringl((zval *)ud, e, n);
}

PHP_FUNCTION(sqauth_digest_md5_parse_challenge)
{
	zend_string *challenge;
	sq_buf dec = SQ_BUF_INIT;
	sq_digest_challenge c;
	sq_error err;
	size_t i;
	sq_rc rc;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(challenge)
	ZEND_PARSE_PARAMETERS_END();

	if (decode_challenge(&dec, challenge, "DIGEST-MD5: the challenge") == FAILURE) {
		sq_buf_free(&dec);
		RETURN_THROWS();
	}
	rc = sq_digest_parse_challenge(&c, dec.data, dec.len, &err);
	sq_buf_free(&dec);
	if (rc != SQ_OK) {
		sq_digest_challenge_free(&c);
		php_sqauth_throw(rc, err.msg);
		RETURN_THROWS();
	}
	array_init(return_value);
	for (i = 0; i < c.kv.n; i++) {
		const sq_kv *kv = &c.kv.items[i];
		const char *val = SQ_KV_VAL(&c.kv, i);
		zend_string *key = zend_string_alloc(kv->name_len, 0);
		zval zv, *have;

		zend_str_tolower_copy(ZSTR_VAL(key), SQ_KV_NAME(&c.kv, i), kv->name_len);

		if (zend_string_equals_literal(key, "realm")) {
			have = zend_hash_find(Z_ARRVAL_P(return_value), key);
			if (have && Z_TYPE_P(have) == IS_STRING) {
				zval list;
				array_init(&list);
				Z_ADDREF_P(have);
				add_next_index_zval(&list, have);
				add_next_index_stringl(&list, val, kv->val_len);
				zend_hash_update(Z_ARRVAL_P(return_value), key, &list);
			} else if (have) {
				add_next_index_stringl(have, val, kv->val_len);
			} else {
				ZVAL_STRINGL(&zv, val, kv->val_len);
				zend_hash_update(Z_ARRVAL_P(return_value), key, &zv);
			}
		} else {
			if (kv->quoted && memchr(val, ',', kv->val_len) && !zend_string_equals_literal(key, "nonce")) {
				/* as SquirrelMail: a quoted list (qop, cipher) becomes an array */
				array_init(&zv);
				sq_list_each(val, kv->val_len, add_list_elem, &zv);
			} else {
				ZVAL_STRINGL(&zv, val, kv->val_len);
			}
			zend_hash_update(Z_ARRVAL_P(return_value), key, &zv);
		}
		zend_string_release(key);
	}
	sq_digest_challenge_free(&c);
}

static const char *const digest_option_keys[] = {"realm", "cnonce", "qop", "cipher", "serv_name", "maxbuf", NULL};

PHP_FUNCTION(sqauth_digest_md5_response)
{
	zend_string *user, *pass, *challenge, *service, *host, *authz = NULL, *key, *r;
	HashTable *options = NULL;
	sq_buf dec = SQ_BUF_INIT, resp = SQ_BUF_SECRET_INIT;
	sq_digest_challenge c;
	sq_digest_result res;
	sq_sasl_params p;
	sq_error err;
	zval *v;
	sq_rc rc;
	int i, known;

	ZEND_PARSE_PARAMETERS_START(5, 7)
		Z_PARAM_STR(user)
		Z_PARAM_STR(pass)
		Z_PARAM_STR(challenge)
		Z_PARAM_STR(service)
		Z_PARAM_STR(host)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(authz)
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	memset(&p, 0, sizeof(p));
	p.username = zs_bytes(user);
	p.password = zs_bytes(pass);
	p.service = zs_bytes(service);
	p.host = zs_bytes(host);
	if (authz) {
		p.authz = zs_bytes(authz);
	}
	if (ZSTR_LEN(service) == 0 || php_sqauth_has_ctl(service)) {
		zend_argument_value_error(4, "must be a non-empty string without CR, LF or NUL");
		RETURN_THROWS();
	}
	if (ZSTR_LEN(host) == 0 || php_sqauth_has_ctl(host)) {
		zend_argument_value_error(5, "must be a non-empty string without CR, LF or NUL");
		RETURN_THROWS();
	}
	if (options) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(options, key, v) {
			known = 0;
			if (!key) {
				zend_argument_value_error(7, "must have only string keys");
				RETURN_THROWS();
			}
			for (i = 0; digest_option_keys[i]; i++) {
				known |= zend_string_equals_cstr(key, digest_option_keys[i], strlen(digest_option_keys[i]));
			}
			if (!known) {
				zend_argument_value_error(7, "has an unknown key \"%s\"", ZSTR_VAL(key));
				RETURN_THROWS();
			}
			ZVAL_DEREF(v);
			if (zend_string_equals_literal(key, "qop")) {
				if (php_sqauth_parse_pref(v, p.qop_pref, 0, 7, "qop") == FAILURE) {
					RETURN_THROWS();
				}
			} else if (zend_string_equals_literal(key, "cipher")) {
				if (php_sqauth_parse_pref(v, p.cipher_pref, 1, 7, "cipher") == FAILURE) {
					RETURN_THROWS();
				}
			} else if (zend_string_equals_literal(key, "maxbuf")) {
				if (Z_TYPE_P(v) != IS_LONG) {
					zend_argument_type_error(7, "key \"maxbuf\" must be of type int, %s given", zend_zval_type_name(v));
					RETURN_THROWS();
				}
				if (Z_LVAL_P(v) < 64 || Z_LVAL_P(v) > 16777215) {
					zend_argument_value_error(7, "key \"maxbuf\" must be between 64 and 16777215");
					RETURN_THROWS();
				}
				p.maxbuf = (unsigned long)Z_LVAL_P(v);
			} else {
				sq_bytes *dst = zend_string_equals_literal(key, "realm") ? &p.realm
					: zend_string_equals_literal(key, "cnonce") ? &p.cnonce : &p.serv_name;
				if (Z_TYPE_P(v) != IS_STRING) {
					zend_argument_type_error(7, "key \"%s\" must be of type string, %s given", ZSTR_VAL(key),
						zend_zval_type_name(v));
					RETURN_THROWS();
				}
				if (memchr(Z_STRVAL_P(v), '\0', Z_STRLEN_P(v))
					|| (dst == &p.cnonce && Z_STRLEN_P(v) == 0)) {
					zend_argument_value_error(7, "key \"%s\" must be a%s string without NUL bytes", ZSTR_VAL(key),
						dst == &p.cnonce ? " non-empty" : "");
					RETURN_THROWS();
				}
				dst->p = (const unsigned char *)Z_STRVAL_P(v);
				dst->len = Z_STRLEN_P(v);
			}
		} ZEND_HASH_FOREACH_END();
	}

	if (decode_challenge(&dec, challenge, "DIGEST-MD5: the challenge") == FAILURE) {
		sq_buf_free(&dec);
		RETURN_THROWS();
	}
	rc = sq_digest_parse_challenge(&c, dec.data, dec.len, &err);
	sq_buf_free(&dec);
	if (rc == SQ_OK) {
		p.no_rspauth = 1; /* this function's caller has no way to check it */
		rc = sq_digest_respond(&c, &p, &resp, &res, &err);
		sq_wipe(&res, sizeof(res));
	}
	sq_digest_challenge_free(&c);
	if (rc != SQ_OK) {
		sq_buf_free(&resp);
		php_sqauth_throw(rc, err.msg);
		RETURN_THROWS();
	}
	r = b64_line(&resp);
	sq_buf_free(&resp);
	if (!r) {
		php_sqauth_throw(SQ_ENOMEM, "out of memory");
		RETURN_THROWS();
	}
	RETURN_NEW_STR(r);
}

PHP_FUNCTION(sqauth_digest_md5_verify)
{
	zend_string *user, *pass, *challenge, *response, *rspauth;
	sq_buf c = SQ_BUF_INIT, r = SQ_BUF_INIT, a = SQ_BUF_INIT;
	sq_error err;
	int ok = 0;
	sq_rc rc;

	ZEND_PARSE_PARAMETERS_START(5, 5)
		Z_PARAM_STR(user)
		Z_PARAM_STR(pass)
		Z_PARAM_STR(challenge)
		Z_PARAM_STR(response)
		Z_PARAM_STR(rspauth)
	ZEND_PARSE_PARAMETERS_END();

	if (decode_challenge(&c, challenge, "DIGEST-MD5: the challenge") == FAILURE
		|| decode_challenge(&r, response, "DIGEST-MD5: the response") == FAILURE
		|| decode_challenge(&a, rspauth, "DIGEST-MD5: the rspauth challenge") == FAILURE) {
		sq_buf_free(&c);
		sq_buf_free(&r);
		sq_buf_free(&a);
		RETURN_THROWS();
	}
	rc = sq_digest_verify(zs_bytes(user), zs_bytes(pass), c.data, c.len, r.data, r.len, a.data, a.len, &ok, &err);
	sq_buf_free(&c);
	sq_buf_free(&r);
	sq_buf_free(&a);
	if (rc != SQ_OK) {
		php_sqauth_throw(rc, err.msg);
		RETURN_THROWS();
	}
	RETURN_BOOL(ok);
}
