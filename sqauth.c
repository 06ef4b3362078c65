/*
  +----------------------------------------------------------------------+
  | sqauth: module start-up, INI, phpinfo(), exceptions and the          |
  | SquirrelMail-compatible functions. Thin: arguments are checked and   |
  | converted here, everything else happens in src/.                     |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "zend_attributes.h"
#include "zend_exceptions.h"
#include "ext/spl/spl_exceptions.h"

#include "php_sqauth.h"
#include "sqauth_arginfo.h"

#include "src/util/sq_alloc.h"
#include "src/util/sq_base64.h"
#include "src/sasl/sq_cram.h"
#include "src/sasl/sq_crypto.h"
#include "src/sasl/sq_digest.h"
#include "src/sasl/sq_saslprep.h"
#include "src/sasl/sq_seclayer.h"

zend_class_entry *php_sqauth_exception_ce;
zend_class_entry *php_sqauth_connection_exception_ce;
zend_class_entry *php_sqauth_tls_exception_ce;
zend_class_entry *php_sqauth_protocol_exception_ce;
zend_class_entry *php_sqauth_authentication_exception_ce;
zend_class_entry *php_sqauth_security_exception_ce;
zend_class_entry *php_sqauth_sasl_client_ce;

ZEND_DECLARE_MODULE_GLOBALS(sqauth)

static ZEND_INI_MH(OnUpdateTimeout)
{
	double v = zend_strtod(ZSTR_VAL(new_value), NULL);

	if (!(v > 0 && v <= 86400)) {
		return FAILURE;
	}
	SQAUTH_G(timeout) = v;
	return SUCCESS;
}

/* The site-wide SMTP password is never shown by phpinfo() or php --ri. */
static ZEND_INI_DISP(display_secret)
{
	zend_string *v = (type == ZEND_INI_DISPLAY_ORIG && ini_entry->modified) ? ini_entry->orig_value : ini_entry->value;

	if (v && ZSTR_LEN(v)) {
		PHPWRITE("********", 8);
	} else {
		PUTS("no value");
	}
}

PHP_INI_BEGIN()
	STD_PHP_INI_BOOLEAN("sqauth.compat_functions", "0", PHP_INI_SYSTEM, OnUpdateBool,
		compat_functions, zend_sqauth_globals, sqauth_globals)
	PHP_INI_ENTRY("sqauth.timeout", "15", PHP_INI_ALL, OnUpdateTimeout)
	STD_PHP_INI_ENTRY("sqauth.cafile", "", PHP_INI_SYSTEM, OnUpdateString, cafile, zend_sqauth_globals, sqauth_globals)
	STD_PHP_INI_ENTRY("sqauth.capath", "", PHP_INI_SYSTEM, OnUpdateString, capath, zend_sqauth_globals, sqauth_globals)
	STD_PHP_INI_ENTRY("sqauth.smtp_sitewide_user", "", PHP_INI_SYSTEM, OnUpdateString, smtp_sitewide_user,
		zend_sqauth_globals, sqauth_globals)
	STD_PHP_INI_ENTRY_EX("sqauth.smtp_sitewide_pass", "", PHP_INI_SYSTEM, OnUpdateString, smtp_sitewide_pass,
		zend_sqauth_globals, sqauth_globals, display_secret)
PHP_INI_END()

/* SquirrelMail's digest_md5_response() takes what sqimap_login() passes: its
 * $authz is null when no authz plugin set one. The native name keeps string. */
ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_compat_digest_md5_response, 0, 5, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, username, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, password, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, challenge, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, service, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, host, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, authz, IS_STRING, 1, "\'\'")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

static ZEND_NAMED_FUNCTION(compat_digest_md5_response)
{
	if (ZEND_NUM_ARGS() >= 6 && Z_TYPE_P(ZEND_CALL_ARG(execute_data, 6)) == IS_NULL) {
		ZVAL_EMPTY_STRING(ZEND_CALL_ARG(execute_data, 6));   /* null: no authzid, as '' */
	}
	ZEND_FN(sqauth_digest_md5_response)(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

/* SquirrelMail's own names, registered when sqauth.compat_functions=1 so that
 * a functions/auth.php that guards its definitions with function_exists()
 * uses the native ones. The sqauth_ names' handlers and signatures, but for
 * digest_md5_response()'s $authz (above). */
static const zend_function_entry compat_functions[] = {
	ZEND_RAW_FENTRY("hmac_md5", zif_sqauth_hmac_md5, arginfo_sqauth_hmac_md5, 0)
	ZEND_RAW_FENTRY("cram_md5_response", zif_sqauth_cram_md5_response, arginfo_sqauth_cram_md5_response, 0)
	ZEND_RAW_FENTRY("digest_md5_response", compat_digest_md5_response, arginfo_compat_digest_md5_response, 0)
	ZEND_RAW_FENTRY("digest_md5_parse_challenge", zif_sqauth_digest_md5_parse_challenge,
		arginfo_sqauth_digest_md5_parse_challenge, 0)
	ZEND_FE_END
};

/* ---- errors -------------------------------------------------------- */

void php_sqauth_throw(sq_rc code, const char *msg)
{
	zend_class_entry *ce;

	switch (code) {
	case SQ_EINVAL:
		zend_value_error("%s", msg);
		return;
	case SQ_ESTATE:
		zend_throw_error(NULL, "%s", msg);
		return;
	case SQ_EPROTO: ce = php_sqauth_protocol_exception_ce; break;
	case SQ_ESECURITY: ce = php_sqauth_security_exception_ce; break;
	case SQ_EAUTH: ce = php_sqauth_authentication_exception_ce; break;
	case SQ_ECONN:
	case SQ_ETIMEOUT: ce = php_sqauth_connection_exception_ce; break;
	case SQ_ETLS: ce = php_sqauth_tls_exception_ce; break;
	default: ce = php_sqauth_exception_ce; break;
	}
	zend_throw_exception(ce, msg, (zend_long)code);
}

ZEND_METHOD(Sqauth_AuthenticationException, getServerMessage)
{
	zval rv, *prop;

	ZEND_PARSE_PARAMETERS_NONE();
	prop = zend_read_property(php_sqauth_authentication_exception_ce, Z_OBJ_P(ZEND_THIS),
		"serverMessage", sizeof("serverMessage") - 1, 1, &rv);
	RETURN_COPY_DEREF(prop);
}

ZEND_METHOD(Sqauth_AuthenticationException, getResponseCode)
{
	zval rv, *prop;

	ZEND_PARSE_PARAMETERS_NONE();
	prop = zend_read_property(php_sqauth_authentication_exception_ce, Z_OBJ_P(ZEND_THIS),
		"responseCode", sizeof("responseCode") - 1, 1, &rv);
	RETURN_COPY_DEREF(prop);
}

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

static int has_ctl(const zend_string *s)
{
	return memchr(ZSTR_VAL(s), '\0', ZSTR_LEN(s)) || memchr(ZSTR_VAL(s), '\r', ZSTR_LEN(s))
		|| memchr(ZSTR_VAL(s), '\n', ZSTR_LEN(s));
}

zend_result php_sqauth_parse_pref(zval *v, unsigned char *pref, int is_cipher, uint32_t arg_num, const char *key)
{
	zval *e;
	size_t n = 0;
	int val;
	const char *allowed = is_cipher ? "\"3des\", \"des\", \"rc4\", \"rc4-56\" or \"rc4-40\""
		: "\"auth\", \"auth-int\" or \"auth-conf\"";

	memset(pref, 0, SQ_PREF_MAX);
	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) == IS_STRING) {
		val = is_cipher ? sq_cipher_lookup(Z_STRVAL_P(v), Z_STRLEN_P(v)) : sq_qop_lookup(Z_STRVAL_P(v), Z_STRLEN_P(v));
		if (!val) {
			zend_argument_value_error(arg_num, "key \"%s\" must be %s", key, allowed);
			return FAILURE;
		}
		pref[0] = (unsigned char)val;
		return SUCCESS;
	}
	if (Z_TYPE_P(v) != IS_ARRAY) {
		zend_argument_type_error(arg_num, "key \"%s\" must be of type string|array, %s given", key, zend_zval_type_name(v));
		return FAILURE;
	}
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
		ZVAL_DEREF(e);
		if (Z_TYPE_P(e) != IS_STRING) {
			zend_argument_type_error(arg_num, "key \"%s\" must hold only strings, %s given", key, zend_zval_type_name(e));
			return FAILURE;
		}
		val = is_cipher ? sq_cipher_lookup(Z_STRVAL_P(e), Z_STRLEN_P(e)) : sq_qop_lookup(Z_STRVAL_P(e), Z_STRLEN_P(e));
		if (!val) {
			zend_argument_value_error(arg_num, "key \"%s\" must hold only %s", key, allowed);
			return FAILURE;
		}
		if (memchr(pref, val, n) == NULL) {
			pref[n++] = (unsigned char)val;
		}
	} ZEND_HASH_FOREACH_END();
	if (n == 0) {
		zend_argument_value_error(arg_num, "key \"%s\" must not be empty", key);
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
	if (ZSTR_LEN(service) == 0 || has_ctl(service)) {
		zend_argument_value_error(4, "must be a non-empty string without CR, LF or NUL");
		RETURN_THROWS();
	}
	if (ZSTR_LEN(host) == 0 || has_ctl(host)) {
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

/* ---- module -------------------------------------------------------- */

static void *php_sqauth_malloc(size_t size)
{
	return pemalloc(size, 1);
}

static void *php_sqauth_realloc(void *p, size_t size)
{
	return perealloc(p, size, 1);
}

static void php_sqauth_free(void *p)
{
	pefree(p, 1);
}

static PHP_GINIT_FUNCTION(sqauth)
{
#if defined(COMPILE_DL_SQAUTH) && defined(ZTS)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	memset(sqauth_globals, 0, sizeof(*sqauth_globals));
	sqauth_globals->timeout = 15;
}

static void mark_sensitive(const char *fname, uint32_t offset)
{
	zend_function *f = zend_hash_str_find_ptr(CG(function_table), fname, strlen(fname));

	if (f) {
		zend_add_parameter_attribute(f, offset, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);
	}
}

static PHP_MINIT_FUNCTION(sqauth)
{
	REGISTER_INI_ENTRIES();
	/* persistent, OOM-fatal like the rest of PHP: the core's per-process
	 * state (fetched algorithms) outlives requests */
	sq_set_allocator(php_sqauth_malloc, php_sqauth_realloc, php_sqauth_free);
	if (sq_crypto_init() != SQ_OK) {
		php_error_docref(NULL, E_CORE_WARNING, "sqauth: OpenSSL could not provide MD5, SHA-1, SHA-256, HMAC or PBKDF2");
		return FAILURE;
	}

	register_sqauth_symbols(module_number);
	php_sqauth_exception_ce = register_class_Sqauth_Exception(spl_ce_RuntimeException);
	php_sqauth_connection_exception_ce = register_class_Sqauth_ConnectionException(php_sqauth_exception_ce);
	php_sqauth_tls_exception_ce = register_class_Sqauth_TlsException(php_sqauth_exception_ce);
	php_sqauth_protocol_exception_ce = register_class_Sqauth_ProtocolException(php_sqauth_exception_ce);
	php_sqauth_authentication_exception_ce = register_class_Sqauth_AuthenticationException(php_sqauth_exception_ce);
	php_sqauth_security_exception_ce = register_class_Sqauth_SecurityException(php_sqauth_exception_ce);
	php_sqauth_sasl_client_ce = register_class_Sqauth_SaslClient();
	php_sqauth_client_minit();

	if (SQAUTH_G(compat_functions)) {
		if (zend_register_functions(NULL, compat_functions, NULL, MODULE_PERSISTENT) == FAILURE) {
			return FAILURE;
		}
		mark_sensitive("hmac_md5", 1);
		mark_sensitive("cram_md5_response", 1);
		mark_sensitive("digest_md5_response", 1);
	}
	return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(sqauth)
{
	if (SQAUTH_G(compat_functions)) {
		zend_unregister_functions(compat_functions, -1, NULL);
	}
	UNREGISTER_INI_ENTRIES();
	php_sqauth_stream_mshutdown();
	sq_seclayer_shutdown();
	sq_crypto_shutdown();
	return SUCCESS;
}

/* No password-derived state outlives the request: the core's reused HMAC and
 * digest contexts are re-keyed and reset. */
static PHP_RSHUTDOWN_FUNCTION(sqauth)
{
	sq_crypto_scrub();
	return SUCCESS;
}

static PHP_GSHUTDOWN_FUNCTION(sqauth)
{
	(void)sqauth_globals;  /* nothing of the globals to free: the core keeps its own per-thread state */
	/* per thread under ZTS: this thread's working contexts */
	sq_crypto_thread_release();
}

static PHP_MINFO_FUNCTION(sqauth)
{
	char mechs[256] = "";
	int i;
	static const unsigned ciphers[] = {SQ_CIPHER_3DES, SQ_CIPHER_DES, SQ_CIPHER_RC4, SQ_CIPHER_RC4_56, SQ_CIPHER_RC4_40};
	char cbuf[64] = "";

	for (i = 0; i < SQ_MECH__COUNT; i++) {
		if (i) {
			strlcat(mechs, " ", sizeof(mechs));
		}
		strlcat(mechs, sq_mech_name((sq_mech_id)i), sizeof(mechs));
	}
	for (i = 0; i < 5; i++) {
		if (sq_seclayer_cipher_available(ciphers[i])) {
			if (cbuf[0]) {
				strlcat(cbuf, " ", sizeof(cbuf));
			}
			strlcat(cbuf, sq_cipher_name(ciphers[i]), sizeof(cbuf));
		}
	}
	php_info_print_table_start();
	php_info_print_table_row(2, "sqauth support", "enabled");
	php_info_print_table_row(2, "Version", PHP_SQAUTH_VERSION);
	php_info_print_table_row(2, "OpenSSL", sq_crypto_version());
	php_info_print_table_row(2, "SASL mechanisms", mechs);
	php_info_print_table_row(2, "SASLprep (libidn)", sq_saslprep_available() ? "yes" : "no (SCRAM accepts ASCII only)");
	php_info_print_table_row(2, "DIGEST-MD5 auth-conf ciphers", cbuf[0] ? cbuf : "none");
	php_info_print_table_row(2, "SquirrelMail function names", SQAUTH_G(compat_functions) ? "registered" : "not registered");
	php_info_print_table_end();
	DISPLAY_INI_ENTRIES();
}

zend_module_entry sqauth_module_entry = {
	STANDARD_MODULE_HEADER,
	"sqauth",
	ext_functions,
	PHP_MINIT(sqauth),
	PHP_MSHUTDOWN(sqauth),
	NULL,
	PHP_RSHUTDOWN(sqauth),
	PHP_MINFO(sqauth),
	PHP_SQAUTH_VERSION,
	PHP_MODULE_GLOBALS(sqauth),
	PHP_GINIT(sqauth),
	PHP_GSHUTDOWN(sqauth),
	NULL,
	STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_SQAUTH
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(sqauth)
#endif
