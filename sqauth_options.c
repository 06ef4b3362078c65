/*
  +----------------------------------------------------------------------+
  | sqauth: options. The login functions' and sqauth_detect()'s options  |
  | array (TLS mode, ssl context keys as PHP names them, trust from INI, |
  | mechanism, layer preferences) and the qop / cipher lists.            |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_ini.h"

#include <openssl/ssl.h>

#include "php_sqauth.h"
#include "sqauth_options.h"

static int opt_bool(zval *v, const char *key, uint32_t arg, const char *outer, bool *out)
{
	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) == IS_TRUE || Z_TYPE_P(v) == IS_FALSE) {
		*out = Z_TYPE_P(v) == IS_TRUE;
		return 1;
	}
	if (Z_TYPE_P(v) == IS_LONG && (Z_LVAL_P(v) == 0 || Z_LVAL_P(v) == 1)) {
		*out = Z_LVAL_P(v) == 1;
		return 1;
	}
	zend_argument_type_error(arg, "key \"%s%s\" must be of type bool, %s given", outer, key, zend_zval_type_name(v));
	return 0;
}

static int opt_string(zval *v, const char *key, uint32_t arg, const char *outer, const char **out)
{
	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) != IS_STRING) {
		zend_argument_type_error(arg, "key \"%s%s\" must be of type string, %s given", outer, key, zend_zval_type_name(v));
		return 0;
	}
	if (memchr(Z_STRVAL_P(v), '\0', Z_STRLEN_P(v))) {
		zend_argument_value_error(arg, "key \"%s%s\" must not contain NUL bytes", outer, key);
		return 0;
	}
	*out = Z_STRVAL_P(v);
	return 1;
}

static int opt_seconds(zval *v, const char *key, uint32_t arg, long *ms)
{
	double s;

	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) == IS_LONG) {
		s = (double)Z_LVAL_P(v);
	} else if (Z_TYPE_P(v) == IS_DOUBLE) {
		s = Z_DVAL_P(v);
	} else {
		zend_argument_type_error(arg, "key \"%s\" must be of type float, %s given", key, zend_zval_type_name(v));
		return 0;
	}
	if (!(s > 0 && s <= 86400)) {
		zend_argument_value_error(arg, "key \"%s\" must be a number of seconds greater than 0 and at most 86400", key);
		return 0;
	}
	*ms = (long)(s * 1000 + 0.5);
	if (*ms < 1) {
		*ms = 1;
	}
	return 1;
}

static int tls_version(zval *v, const char *key, uint32_t arg, int *out)
{
	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) == IS_STRING && zend_string_equals_literal(Z_STR_P(v), "1.2")) {
		*out = TLS1_2_VERSION;
	} else if (Z_TYPE_P(v) == IS_STRING && zend_string_equals_literal(Z_STR_P(v), "1.3")) {
		*out = TLS1_3_VERSION;
	} else if (Z_TYPE_P(v) == IS_DOUBLE && (Z_DVAL_P(v) == 1.2 || Z_DVAL_P(v) == 1.3)) {
		*out = Z_DVAL_P(v) == 1.2 ? TLS1_2_VERSION : TLS1_3_VERSION;
	} else {
		zend_argument_value_error(arg, "key \"ssl.%s\" must be '1.2' or '1.3'", key);
		return 0;
	}
	return 1;
}

/* The ssl keys that are a plain bool or string of sq_tls_config, by PHP's names. */
typedef struct {
	const char *name;
	size_t offset;
} ssl_key;

static const ssl_key ssl_bools[] = {
	{"verify_peer", offsetof(sq_tls_config, verify_peer)},
	{"verify_peer_name", offsetof(sq_tls_config, verify_peer_name)},
	{"allow_self_signed", offsetof(sq_tls_config, allow_self_signed)},
	{"SNI_enabled", offsetof(sq_tls_config, sni_enabled)},
	{"no_ticket", offsetof(sq_tls_config, no_ticket)},
	{"disable_compression", offsetof(sq_tls_config, disable_compression)},
	{NULL, 0}
};

static const ssl_key ssl_strings[] = {
	{"peer_name", offsetof(sq_tls_config, peer_name)},
	{"cafile", offsetof(sq_tls_config, cafile)},
	{"capath", offsetof(sq_tls_config, capath)},
	{"ciphers", offsetof(sq_tls_config, ciphers)},
	{"local_cert", offsetof(sq_tls_config, local_cert)},
	{"local_pk", offsetof(sq_tls_config, local_pk)},
	{"passphrase", offsetof(sq_tls_config, passphrase)},
	{"alpn_protocols", offsetof(sq_tls_config, alpn)},
	{NULL, 0}
};

/* PHP's STREAM_CRYPTO_METHOD_* version bits (main/streams/php_stream_transport.h),
 * from TLS 1.0 up: this OpenSSL has no SSL 3, so ssl:// knows no lower version */
#define CRYPTO_BIT_CLIENT 1
#define CRYPTO_BIT_TLS1_0 (1 << 3)
#define CRYPTO_BIT_TLS1_3 (1 << 6)

static int crypto_bit_version(int bit)
{
	return bit == (1 << 3) ? TLS1_VERSION : bit == (1 << 4) ? TLS1_1_VERSION : bit == (1 << 5) ? TLS1_2_VERSION : TLS1_3_VERSION;
}

/* The TLS versions PHP's ssl:// allows for crypto_method, min_proto_version and
 * max_proto_version (0: not given), by ssl://'s own arithmetic: the versions
 * crypto_method names (every TLS version by default), widened or narrowed to
 * min..max; the lowest and highest left, TLS 1.3 alone when none is. */
static void php_tls_range(zend_long method, zend_long min, zend_long max, int *lo, int *hi)
{
	int flags = (int)(method & ~(zend_long)CRYPTO_BIT_CLIENT), ver, lo_bit = 0, hi_bit = 0;

	if (!min) {
		for (ver = CRYPTO_BIT_TLS1_0; ver <= CRYPTO_BIT_TLS1_3 && !min; ver <<= 1) {
			min = (flags & ver) ? ver : 0;
		}
		min = min ? min : CRYPTO_BIT_TLS1_3;
	}
	if (!max) {
		for (ver = CRYPTO_BIT_TLS1_3; ver >= CRYPTO_BIT_TLS1_0 && !max; ver >>= 1) {
			max = (flags & ver) ? ver : 0;
		}
		max = max ? max : CRYPTO_BIT_TLS1_3;
	}
	for (ver = CRYPTO_BIT_TLS1_0; ver <= CRYPTO_BIT_TLS1_3; ver <<= 1) {
		if (ver >= min && ver <= max) {
			flags |= ver;
			hi_bit = ver;
			lo_bit = lo_bit ? lo_bit : ver;
		} else {
			flags &= ~ver;
		}
	}
	*lo = crypto_bit_version(lo_bit ? lo_bit : CRYPTO_BIT_TLS1_3);
	*hi = crypto_bit_version(hi_bit ? hi_bit : CRYPTO_BIT_TLS1_3);
}

static int opt_long(zval *v, const char *key, uint32_t arg, zend_long *out)
{
	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) != IS_LONG) {
		zend_argument_type_error(arg, "key \"ssl.%s\" must be of type int, %s given", key, zend_zval_type_name(v));
		return 0;
	}
	*out = Z_LVAL_P(v);
	return 1;
}

static int find_key(const ssl_key *keys, const char *k)
{
	int i;

	for (i = 0; keys[i].name; i++) {
		if (strcmp(keys[i].name, k) == 0) {
			return i;
		}
	}
	return -1;
}

static int parse_ssl(HashTable *ht, uint32_t arg, php_sqauth_login_opts *o)
{
	sq_tls_config *c = &o->p.tls_cfg;
	zend_string *key;
	zval *v;
	bool b;
	int flag, lo, hi;
	zend_long n, crypto_method = STREAM_CRYPTO_METHOD_TLS_ANY_CLIENT, min_proto = 0, max_proto = 0;
	int php_versions = 0;

	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, v) {
		const char *k = key ? ZSTR_VAL(key) : "";
		if (!key) {
			zend_argument_value_error(arg, "key \"ssl\" must have only string keys");
			return 0;
		}
		if ((flag = find_key(ssl_bools, k)) >= 0) {
			if (!opt_bool(v, k, arg, "ssl.", &b)) return 0;
			*(int *)((char *)c + ssl_bools[flag].offset) = b;
		} else if ((flag = find_key(ssl_strings, k)) >= 0) {
			if (!opt_string(v, k, arg, "ssl.", (const char **)((char *)c + ssl_strings[flag].offset))) return 0;
			if (strcmp(k, "alpn_protocols") == 0) {
				sq_buf w = SQ_BUF_INIT;
				sq_rc rc = sq_tls_alpn_wire(c->alpn, &w);
				sq_buf_free(&w);
				if (rc != SQ_OK) {
					zend_argument_value_error(arg, "key \"ssl.alpn_protocols\" must be protocol names of 1 to 255 bytes separated by commas");
					return 0;
				}
			}
		} else if (strcmp(k, "verify_depth") == 0) {
			if (!opt_long(v, k, arg, &n)) return 0;
			if (n < 0) {
				zend_argument_value_error(arg, "key \"ssl.verify_depth\" must be 0 or more");
				return 0;
			}
			c->verify_depth = n > INT_MAX ? INT_MAX : (int)n;   /* deeper than any chain: no limit, as in PHP */
		} else if (strcmp(k, "capture_peer_cert") == 0 || strcmp(k, "capture_peer_cert_chain") == 0) {
			if (!opt_bool(v, k, arg, "ssl.", &b)) return 0;
			*(k[17] ? &o->capture_chain : &o->capture_cert) = b;
		} else if (strcmp(k, "crypto_method") == 0 || strcmp(k, "min_proto_version") == 0
			|| strcmp(k, "max_proto_version") == 0) {
			if (!opt_long(v, k, arg, &n)) return 0;
			*(k[0] == 'c' ? &crypto_method : k[1] == 'i' ? &min_proto : &max_proto) = n;
			php_versions = 1;
		} else if (strcmp(k, "security_level") == 0) {
			ZVAL_DEREF(v);
			if (Z_TYPE_P(v) != IS_LONG || Z_LVAL_P(v) < 0 || Z_LVAL_P(v) > 5) {
				zend_argument_value_error(arg, "key \"ssl.security_level\" must be an int from 0 to 5");
				return 0;
			}
			c->security_level = (int)Z_LVAL_P(v);
		} else if (strcmp(k, "min_version") == 0) {
			if (!tls_version(v, k, arg, &c->min_version)) return 0;
		} else if (strcmp(k, "max_version") == 0) {
			if (!tls_version(v, k, arg, &c->max_version)) return 0;
		} else if (strcmp(k, "peer_fingerprint") == 0) {
			/* PHP's forms: a hex string (md5 or sha1 by length; sha256 too),
			 * or [algo => hex] */
			zval *fv = NULL;
			zend_string *alg = NULL;
			ZVAL_DEREF(v);
			if (Z_TYPE_P(v) == IS_STRING) {
				fv = v;
			} else if (Z_TYPE_P(v) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL_P(v)) == 1) {
				ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(v), alg, fv) {
					break;
				} ZEND_HASH_FOREACH_END();
				ZVAL_DEREF(fv);
			}
			if (!fv || Z_TYPE_P(fv) != IS_STRING || Z_STRLEN_P(fv) >= sizeof(o->fp_hex)) {
				zend_argument_value_error(arg, "key \"ssl.peer_fingerprint\" must be a hex string or [algorithm => hex]");
				return 0;
			}
			if (alg) {
				if (!zend_string_equals_literal(alg, "md5") && !zend_string_equals_literal(alg, "sha1")
					&& !zend_string_equals_literal(alg, "sha256")) {
					zend_argument_value_error(arg, "key \"ssl.peer_fingerprint\" supports md5, sha1 and sha256");
					return 0;
				}
				snprintf(o->fp_alg, sizeof(o->fp_alg), "%s", ZSTR_VAL(alg));
			} else {
				size_t l = Z_STRLEN_P(fv);
				snprintf(o->fp_alg, sizeof(o->fp_alg), "%s", l == 32 ? "md5" : l == 40 ? "sha1" : l == 64 ? "sha256" : "");
				if (!o->fp_alg[0]) {
					zend_argument_value_error(arg, "key \"ssl.peer_fingerprint\" must be 32, 40 or 64 hex digits");
					return 0;
				}
			}
			memcpy(o->fp_hex, Z_STRVAL_P(fv), Z_STRLEN_P(fv) + 1);
			c->fingerprint_alg = o->fp_alg;
			c->fingerprint_hex = o->fp_hex;
		}
		/* any other key is ignored, as PHP's ssl:// ignores a key it does not know and
		 * its server-only keys (honor_cipher_order, ecdh_curve, dh_param, reneg_limit, ...)
		 * on a client */
	} ZEND_HASH_FOREACH_END();
	if (php_versions) {
		/* PHP's version keys narrow sqauth's own (min_version 1.2 by default): sqauth never
		 * speaks a TLS version before 1.2 */
		php_tls_range(crypto_method, min_proto, max_proto, &lo, &hi);
		if (hi < TLS1_2_VERSION) {
			zend_argument_value_error(arg, "keys \"ssl.crypto_method\", \"ssl.min_proto_version\" and \"ssl.max_proto_version\" "
				"allow only TLS versions before 1.2, which sqauth does not speak");
			return 0;
		}
		c->min_version = lo > c->min_version ? lo : c->min_version;
		c->max_version = c->max_version && c->max_version < hi ? c->max_version : hi;
		if (c->max_version < c->min_version) {
			zend_argument_value_error(arg, "key \"ssl\" allows no TLS version: its version keys contradict each other");
			return 0;
		}
	}
	return 1;
}

void php_sqauth_capture_peer_certs(php_stream *stream, const sq_conn *conn, const php_sqauth_login_opts *o)
{
	php_stream_context *ctx;
	zval fn, arg, cert, chain;
	sq_buf pem = SQ_BUF_INIT;
	int i, n;

	if ((!o->capture_cert && !o->capture_chain) || !sq_conn_tls_version(conn)
		|| !zend_hash_str_exists(EG(function_table), "openssl_x509_read", sizeof("openssl_x509_read") - 1)) {
		return;
	}
	ctx = php_stream_context_alloc();
	ZVAL_STRING(&fn, "openssl_x509_read");
	if (o->capture_cert && sq_conn_peer_cert_pem(conn, 0, &pem) == SQ_OK) {
		ZVAL_STRINGL(&arg, (const char *)pem.data, pem.len);
		if (call_user_function(NULL, NULL, &fn, &cert, 1, &arg) == SUCCESS && Z_TYPE(cert) == IS_OBJECT) {
			php_stream_context_set_option(ctx, "ssl", "peer_certificate", &cert);
		}
		zval_ptr_dtor(&cert);
		zval_ptr_dtor(&arg);
	}
	if (o->capture_chain) {
		n = sq_conn_peer_chain_len(conn);
		if (n > 0) {
			array_init_size(&chain, (uint32_t)n);
			for (i = 1; i <= n; i++) {
				sq_buf_reset(&pem);
				if (sq_conn_peer_cert_pem(conn, i, &pem) != SQ_OK) {
					continue;
				}
				ZVAL_STRINGL(&arg, (const char *)pem.data, pem.len);
				if (call_user_function(NULL, NULL, &fn, &cert, 1, &arg) == SUCCESS && Z_TYPE(cert) == IS_OBJECT) {
					add_next_index_zval(&chain, &cert);
				} else {
					zval_ptr_dtor(&cert);
				}
				zval_ptr_dtor(&arg);
			}
		} else {
			ZVAL_NULL(&chain);
		}
		php_stream_context_set_option(ctx, "ssl", "peer_certificate_chain", &chain);
		zval_ptr_dtor(&chain);
	}
	zval_ptr_dtor(&fn);
	sq_buf_free(&pem);
	php_stream_context_set(stream, ctx);
	zend_list_delete(ctx->res);   /* the stream holds the context now */
}

static int parse_tls_mode(zval *v, uint32_t arg, sq_tls_mode *mode)
{
	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) == IS_LONG || (Z_TYPE_P(v) == IS_STRING && Z_STRLEN_P(v) == 1 && Z_STRVAL_P(v)[0] >= '0'
		&& Z_STRVAL_P(v)[0] <= '2')) {
		/* SquirrelMail's $use_imap_tls: 0 none, 1 TLS, 2 STARTTLS; '2' is
		 * STARTTLS, never (as in SquirrelMail) silently plaintext */
		zend_long n = Z_TYPE_P(v) == IS_LONG ? Z_LVAL_P(v) : Z_STRVAL_P(v)[0] - '0';
		if (n < 0 || n > 2) {
			zend_argument_value_error(arg, "key \"tls\" must be 'none', 'implicit', 'starttls', 0, 1 or 2");
			return 0;
		}
		*mode = n == 0 ? SQ_TLS_NONE : n == 1 ? SQ_TLS_IMPLICIT : SQ_TLS_STARTTLS;
		return 1;
	}
	if (Z_TYPE_P(v) == IS_TRUE || Z_TYPE_P(v) == IS_FALSE) {
		*mode = Z_TYPE_P(v) == IS_TRUE ? SQ_TLS_IMPLICIT : SQ_TLS_NONE; /* SquirrelMail 1.4's boolean */
		return 1;
	}
	if (Z_TYPE_P(v) == IS_STRING) {
		if (zend_string_equals_literal_ci(Z_STR_P(v), "none")) { *mode = SQ_TLS_NONE; return 1; }
		if (zend_string_equals_literal_ci(Z_STR_P(v), "implicit")) { *mode = SQ_TLS_IMPLICIT; return 1; }
		if (zend_string_equals_literal_ci(Z_STR_P(v), "starttls")) { *mode = SQ_TLS_STARTTLS; return 1; }
		zend_argument_value_error(arg, "key \"tls\" must be 'none', 'implicit', 'starttls', 0, 1 or 2");
		return 0;
	}
	zend_argument_type_error(arg, "key \"tls\" must be of type string|int|bool, %s given", zend_zval_type_name(v));
	return 0;
}

static int parse_mechanism(zval *v, uint32_t arg, sq_proto proto, int *method)
{
	zend_string *m;
	int id;

	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) != IS_STRING) {
		zend_argument_type_error(arg, "key \"mechanism\" must be of type string, %s given", zend_zval_type_name(v));
		return 0;
	}
	m = Z_STR_P(v);
	if (zend_string_equals_literal_ci(m, "auto")) {
		*method = SQ_METHOD_AUTO;
		return 1;
	}
	if (proto == SQ_PROTO_IMAP && zend_string_equals_literal_ci(m, "login")) {
		*method = SQ_METHOD_IMAP_LOGIN; /* SquirrelMail's 'login' is the IMAP LOGIN command */
		return 1;
	}
	if (proto == SQ_PROTO_IMAP && zend_string_equals_literal_ci(m, "sasl-login")) {
		*method = SQ_MECH_LOGIN;
		return 1;
	}
	if (proto == SQ_PROTO_SMTP && zend_string_equals_literal_ci(m, "none")) {
		*method = SQ_METHOD_NONE;
		return 1;
	}
	if (proto == SQ_PROTO_POP3 && zend_string_equals_literal_ci(m, "user")) {
		*method = SQ_METHOD_POP3_USER;
		return 1;
	}
	if (proto == SQ_PROTO_POP3 && zend_string_equals_literal_ci(m, "apop")) {
		*method = SQ_METHOD_POP3_APOP;
		return 1;
	}
	id = sq_mech_lookup(ZSTR_VAL(m), ZSTR_LEN(m));
	if (id < 0) {
		zend_argument_value_error(arg, "key \"mechanism\" must be 'auto' or a mechanism sqauth knows%s",
			proto == SQ_PROTO_IMAP ? " ('login' is the LOGIN command, 'sasl-login' AUTHENTICATE LOGIN)"
			: proto == SQ_PROTO_SMTP ? " or 'none'" : " or 'user' or 'apop'");
		return 0;
	}
	*method = id;
	return 1;
}

/* The first non-empty of sqauth's own INI path and PHP's openssl.* one; NULL if
 * neither is set (or ext/openssl, which registers openssl.*, is not loaded). */
static const char *ini_path(const char *own, const char *php_name)
{
	const char *v;

	if (own && *own) {
		return own;
	}
	v = zend_ini_string(php_name, strlen(php_name), 0);
	return v && *v ? v : NULL;
}

int php_sqauth_parse_login_options(HashTable *ht, uint32_t arg, sq_proto proto, unsigned port, int detect, php_sqauth_login_opts *o)
{
	sq_login_params *p = &o->p;
	zend_string *key;
	zval *v;
	bool b;
	int tls_given = 0;

	memset(o, 0, sizeof(*o));
	p->proto = proto;
	p->method = SQ_METHOD_AUTO;
	p->challenge_mech = -1;
	p->timeout_ms = (long)(SQAUTH_G(timeout) * 1000);
	sq_tls_config_init(&p->tls_cfg);
	/* Trust, key by key as PHP's ssl:// does: the ssl option (parsed below), then
	 * sqauth.cafile / sqauth.capath, then PHP's openssl.cafile / openssl.capath,
	 * then (neither set) the system store. */
	p->tls_cfg.cafile = ini_path(SQAUTH_G(cafile), "openssl.cafile");
	p->tls_cfg.capath = ini_path(SQAUTH_G(capath), "openssl.capath");
	if (ht) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, v) {
			const char *k = key ? ZSTR_VAL(key) : "";
			int conn_key = 1;
			if (!key) {
				zend_argument_value_error(arg, "must have only string keys");
				return 0;
			}
			if (strcmp(k, "tls") == 0) {
				if (!parse_tls_mode(v, arg, &p->tls)) return 0;
				tls_given = 1;
			} else if (strcmp(k, "timeout") == 0) {
				if (!opt_seconds(v, k, arg, &p->timeout_ms)) return 0;
			} else if (strcmp(k, "login_timeout") == 0) {
				if (!opt_seconds(v, k, arg, &p->login_timeout_ms)) return 0;
			} else if (strcmp(k, "ssl") == 0) {
				ZVAL_DEREF(v);
				if (Z_TYPE_P(v) != IS_ARRAY) {
					zend_argument_type_error(arg, "key \"ssl\" must be of type array, %s given", zend_zval_type_name(v));
					return 0;
				}
				if (!parse_ssl(Z_ARRVAL_P(v), arg, o)) return 0;
			} else if (strcmp(k, "session_cache") == 0) {
				if (!opt_bool(v, k, arg, "", &b)) return 0;
				p->tls_cfg.session_cache = b;
			} else if (strcmp(k, "helo") == 0) {
				if (!opt_string(v, k, arg, "", &p->helo)) return 0;
				if (strpbrk(p->helo, "\r\n ")) {
					zend_argument_value_error(arg, "key \"helo\" must not contain spaces, CR or LF");
					return 0;
				}
			} else {
				conn_key = 0;
			}
			if (conn_key) {
				continue;
			}
			if (detect && strcmp(k, "challenge") == 0) {
				const char *m;
				if (!opt_string(v, k, arg, "", &m)) return 0;
				if ((p->challenge_mech = sq_mech_lookup(m, strlen(m))) < 0) {
					zend_argument_value_error(arg, "key \"challenge\" must be a SASL mechanism name");
					return 0;
				}
				continue;
			}
			if (detect) {
				zend_argument_value_error(arg, "has an unknown key \"%s\"", k);
				return 0;
			}
			if (strcmp(k, "mechanism") == 0) {
				if (!parse_mechanism(v, arg, proto, &p->method)) return 0;
			} else if (strcmp(k, "persistent") == 0) {
				if (!opt_bool(v, k, arg, "", &b)) return 0;
				if (b && proto == SQ_PROTO_POP3) {
					/* the mailbox stays locked for the session and deletions
					 * are committed at QUIT: a kept POP3 session would hold
					 * both across pages */
					zend_argument_value_error(arg, "key \"persistent\" is not supported for POP3 "
						"(the server locks the mailbox for a session and commits deletions at QUIT)");
					return 0;
				}
				o->persistent = b;
			} else if (strcmp(k, "session_id") == 0) {
				/* the webmail session a kept connection is bound to (part of the pool's key) */
				const char *s;
				if (!opt_string(v, k, arg, "", &s)) return 0;
				o->scope.p = (const unsigned char *)s;
				o->scope.len = strlen(s);
			} else if (strcmp(k, "allow_plaintext") == 0) {
				if (!opt_bool(v, k, arg, "", &b)) return 0;
				p->allow_plaintext = b;
			} else if (strcmp(k, "pipelining") == 0) {
				if (!opt_bool(v, k, arg, "", &b)) return 0;
				p->no_pipelining = !b;
			} else if (strcmp(k, "authz") == 0 || strcmp(k, "realm") == 0) {
				const char *s;
				if (!opt_string(v, k, arg, "", &s)) return 0;
				if (strpbrk(s, "\r\n")) {
					zend_argument_value_error(arg, "key \"%s\" must not contain CR or LF", k);
					return 0;
				}
				sq_bytes *dst = k[0] == 'a' ? &p->authz : &p->realm;
				dst->p = (const unsigned char *)s;
				dst->len = strlen(s);
			} else if (strcmp(k, "qop") == 0) {
				if (php_sqauth_parse_pref(v, p->qop_pref, 0, arg, "qop") == FAILURE) return 0;
			} else if (strcmp(k, "cipher") == 0) {
				if (php_sqauth_parse_pref(v, p->cipher_pref, 1, arg, "cipher") == FAILURE) return 0;
			} else if (strcmp(k, "maxbuf") == 0) {
				ZVAL_DEREF(v);
				if (Z_TYPE_P(v) != IS_LONG) {
					zend_argument_type_error(arg, "key \"maxbuf\" must be of type int, %s given", zend_zval_type_name(v));
					return 0;
				}
				if (Z_LVAL_P(v) < 64 || Z_LVAL_P(v) > 16777215) {
					zend_argument_value_error(arg, "key \"maxbuf\" must be an int from 64 to 16777215");
					return 0;
				}
				p->maxbuf = (unsigned long)Z_LVAL_P(v);
			} else {
				zend_argument_value_error(arg, "has an unknown key \"%s\"", k);
				return 0;
			}
		} ZEND_HASH_FOREACH_END();
	}
	o->tls_given = tls_given;
	if (!tls_given) {
		p->tls = (port == 993 || port == 465 || port == 995) ? SQ_TLS_IMPLICIT : SQ_TLS_STARTTLS;
	}
	if (p->login_timeout_ms == 0) {
		p->login_timeout_ms = 2 * p->timeout_ms;
	}
	if (p->tls_cfg.max_version && p->tls_cfg.max_version < p->tls_cfg.min_version) {
		zend_argument_value_error(arg, "key \"ssl\": max_version is below min_version");
		return 0;
	}
	return 1;
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

bool php_sqauth_has_ctl(const zend_string *s)
{
	return memchr(ZSTR_VAL(s), '\0', ZSTR_LEN(s)) || memchr(ZSTR_VAL(s), '\r', ZSTR_LEN(s))
		|| memchr(ZSTR_VAL(s), '\n', ZSTR_LEN(s));
}

int php_sqauth_check_host_port(const zend_string *host, zend_long port, uint32_t host_arg)
{
	if (ZSTR_LEN(host) == 0 || php_sqauth_has_ctl(host) || strchr(ZSTR_VAL(host), ' ')) {
		zend_argument_value_error(host_arg, "must be a host name or address without spaces, CR, LF or NUL");
		return 0;
	}
	if (port < 1 || port > 65535) {
		zend_argument_value_error(host_arg + 1, "must be between 1 and 65535");
		return 0;
	}
	return 1;
}
