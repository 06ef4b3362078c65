/*
  +----------------------------------------------------------------------+
  | sqauth: sqauth_imap_login(), sqauth_smtp_login(), sqauth_pop3_login(),|
  | sqauth_detect(), sqauth_stream_info(), and the PHP stream they hand   |
  | back. Options are checked here; the dialogue runs in src/proto over   |
  | src/net. The stream carries a negotiated DIGEST-MD5 security layer.   |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_network.h"
#include "ext/standard/file.h"
#include "zend_exceptions.h"

#include <openssl/ssl.h>

#include "php_sqauth.h"

#include "src/proto/sq_proto.h"
#include "src/util/sq_alloc.h"

/* ---- the stream ---------------------------------------------------- */

typedef struct {
	sq_session sess;
	long timeout_ms;     /* stream_set_timeout(); default_socket_timeout */
	int blocking;
	int timed_out;
} sqauth_stream_data;

static const php_stream_ops sqauth_stream_ops;

static ssize_t sqauth_stream_read(php_stream *stream, char *buf, size_t count)
{
	sqauth_stream_data *d = stream->abstract;
	size_t n = 0;
	int timed_out = 0, eof = 0;
	sq_error err;
	sq_rc rc;

	d->timed_out = 0;
	if (!d->sess.conn) {
		stream->eof = 1;
		return -1;
	}
	/* a security layer, if any, is inside the connection: only verified
	 * plaintext comes back */
	rc = sq_conn_recv(d->sess.conn, buf, count, d->blocking ? d->timeout_ms : 0, &n, &timed_out, &eof, &err);
	if (rc == SQ_ESECURITY) {
		/* a tampered, replayed or truncated frame: the stream is finished and
		 * its connection closed, nothing unverified was returned */
		stream->eof = 1;
		sq_session_free(&d->sess);
		php_sqauth_throw(SQ_ESECURITY, err.msg);
		return -1;
	}
	if (rc != SQ_OK) {
		stream->eof = 1;
		if (!eof) {
			php_error_docref(NULL, E_NOTICE, "%s", err.msg);
			return -1;
		}
		return 0;
	}
	d->timed_out = timed_out;
	return (ssize_t)n;
}

static ssize_t sqauth_stream_write(php_stream *stream, const char *buf, size_t count)
{
	sqauth_stream_data *d = stream->abstract;
	size_t n = 0;
	sq_error err;
	sq_rc rc;

	if (!d->sess.conn) {
		return -1;
	}
	rc = sq_conn_send(d->sess.conn, buf, count,
		d->blocking || sq_conn_has_layer(d->sess.conn) ? (d->timeout_ms < 0 ? -1 : d->timeout_ms) : 0, &n, &err);
	if (rc == SQ_ETIMEOUT) {
		d->timed_out = 1;
		return n ? (ssize_t)n : -1;
	}
	if (rc == SQ_ESECURITY) {
		/* (no eof mark: a later read is refused by the connection with the same
		 * clear error, instead of PHP's silent false at EOF) */
		php_sqauth_throw(SQ_ESECURITY, err.msg);
		return n ? (ssize_t)n : -1;
	}
	if (rc != SQ_OK && sq_conn_is_tls(d->sess.conn)) {
		/* as PHP's ssl://: a failed write returns what went out (0), with a
		 * warning unless the end of the stream was seen already */
		if (!stream->eof) {
			php_error_docref(NULL, E_WARNING, "%s", err.msg);
		}
		return (ssize_t)n;
	}
	if (rc != SQ_OK) {
		stream->eof = 1;
		php_error_docref(NULL, E_NOTICE, "%s", err.msg);
		return n ? (ssize_t)n : -1;
	}
	return (ssize_t)n;
}

static int sqauth_stream_close(php_stream *stream, int close_handle)
{
	sqauth_stream_data *d = stream->abstract;

	(void)close_handle;
	sq_session_free(&d->sess); /* TLS close_notify, session kept for resumption */
	pefree(d, php_stream_is_persistent(stream));
	return 0;
}

static int sqauth_stream_flush(php_stream *stream)
{
	(void)stream;
	return 0; /* writes are not buffered here */
}

static int sqauth_stream_cast(php_stream *stream, int castas, void **ret)
{
	sqauth_stream_data *d = stream->abstract;
	size_t pending;

	if (!d->sess.conn) {
		return FAILURE;
	}
	switch (castas) {
	case PHP_STREAM_AS_FD_FOR_SELECT:
		/* data already decrypted or buffered is invisible to select(): move
		 * it into PHP's read buffer, which stream_select() looks at first */
		pending = sq_conn_pending(d->sess.conn);
		if (ret && pending && stream->writepos == stream->readpos) {
			php_stream_fill_read_buffer(stream, pending < stream->chunk_size ? pending : stream->chunk_size);
		}
		break;
	case PHP_STREAM_AS_FD:
	case PHP_STREAM_AS_SOCKETD:
		/* as PHP's ssl://: no raw descriptor (socket_import_stream(), a
		 * proc_open() descriptor) while TLS or a security layer runs on it,
		 * since whatever went through it would bypass them */
		if (sq_conn_is_tls(d->sess.conn) || sq_conn_has_layer(d->sess.conn)) {
			return FAILURE;
		}
		break;
	default:
		return FAILURE;
	}
	if (ret) {
		*(php_socket_t *)ret = sq_conn_fd(d->sess.conn);
	}
	return SUCCESS;
}

static int sqauth_stream_set_option(php_stream *stream, int option, int value, void *ptrparam)
{
	sqauth_stream_data *d = stream->abstract;
	int old;

	switch (option) {
	case PHP_STREAM_OPTION_READ_TIMEOUT: {
		struct timeval *tv = ptrparam;
		d->timeout_ms = (long)tv->tv_sec * 1000 + tv->tv_usec / 1000;
		return PHP_STREAM_OPTION_RETURN_OK;
	}
	case PHP_STREAM_OPTION_BLOCKING:
		old = d->blocking;
		d->blocking = value;
		return old;
	case PHP_STREAM_OPTION_META_DATA_API:
		add_assoc_bool((zval *)ptrparam, "timed_out", d->timed_out);
		add_assoc_bool((zval *)ptrparam, "blocked", d->blocking);
		add_assoc_bool((zval *)ptrparam, "eof", stream->eof);
		return PHP_STREAM_OPTION_RETURN_OK;
	case PHP_STREAM_OPTION_CHECK_LIVENESS:
		if (!d->sess.conn) {
			return PHP_STREAM_OPTION_RETURN_ERR;
		}
		if (sq_conn_pending(d->sess.conn)) {
			return PHP_STREAM_OPTION_RETURN_OK;
		}
		{
			char c;
			ssize_t r = recv(sq_conn_fd(d->sess.conn), &c, 1, MSG_PEEK | MSG_DONTWAIT);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
				return PHP_STREAM_OPTION_RETURN_ERR;
			}
		}
		return PHP_STREAM_OPTION_RETURN_OK;
	}
	return PHP_STREAM_OPTION_RETURN_NOTIMPL;
}

static const php_stream_ops sqauth_stream_ops = {
	sqauth_stream_write,
	sqauth_stream_read,
	sqauth_stream_close,
	sqauth_stream_flush,
	"sqauth",
	NULL, /* seek */
	sqauth_stream_cast,
	NULL, /* stat */
	sqauth_stream_set_option,
};

void php_sqauth_stream_mshutdown(void)
{
	sq_conn_shutdown();
}

/* ---- options ------------------------------------------------------- */

typedef struct {
	/* strings borrowed from the options array, valid during the call */
	sq_login_params p;
	char fp_alg[8];
	char fp_hex[EVP_MAX_MD_SIZE * 2 + 1];
	int tls_given;       /* the caller named the TLS mode */
} login_opts;

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

static int parse_ssl(HashTable *ht, uint32_t arg, login_opts *o)
{
	sq_tls_config *c = &o->p.tls_cfg;
	zend_string *key;
	zval *v;
	bool b;

	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, v) {
		const char *k = key ? ZSTR_VAL(key) : "";
		if (!key) {
			zend_argument_value_error(arg, "key \"ssl\" must have only string keys");
			return 0;
		}
		if (strcmp(k, "verify_peer") == 0) {
			if (!opt_bool(v, k, arg, "ssl.", &b)) return 0;
			c->verify_peer = b;
		} else if (strcmp(k, "verify_peer_name") == 0) {
			if (!opt_bool(v, k, arg, "ssl.", &b)) return 0;
			c->verify_peer_name = b;
		} else if (strcmp(k, "allow_self_signed") == 0) {
			if (!opt_bool(v, k, arg, "ssl.", &b)) return 0;
			c->allow_self_signed = b;
		} else if (strcmp(k, "SNI_enabled") == 0) {
			if (!opt_bool(v, k, arg, "ssl.", &b)) return 0;
			c->sni_enabled = b;
		} else if (strcmp(k, "peer_name") == 0) {
			if (!opt_string(v, k, arg, "ssl.", &c->peer_name)) return 0;
		} else if (strcmp(k, "cafile") == 0) {
			if (!opt_string(v, k, arg, "ssl.", &c->cafile)) return 0;
		} else if (strcmp(k, "capath") == 0) {
			if (!opt_string(v, k, arg, "ssl.", &c->capath)) return 0;
		} else if (strcmp(k, "ciphers") == 0) {
			if (!opt_string(v, k, arg, "ssl.", &c->ciphers)) return 0;
		} else if (strcmp(k, "local_cert") == 0) {
			if (!opt_string(v, k, arg, "ssl.", &c->local_cert)) return 0;
		} else if (strcmp(k, "local_pk") == 0) {
			if (!opt_string(v, k, arg, "ssl.", &c->local_pk)) return 0;
		} else if (strcmp(k, "passphrase") == 0) {
			if (!opt_string(v, k, arg, "ssl.", &c->passphrase)) return 0;
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
		} else {
			zend_argument_value_error(arg, "key \"ssl\" has an unsupported key \"%s\"", k);
			return 0;
		}
	} ZEND_HASH_FOREACH_END();
	return 1;
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

/* Fills o from the options array; detect accepts only the connection keys. */
static int parse_options(HashTable *ht, uint32_t arg, sq_proto proto, unsigned port, int detect, login_opts *o)
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

static int bad_text(const zend_string *s)
{
	return memchr(ZSTR_VAL(s), '\0', ZSTR_LEN(s)) || memchr(ZSTR_VAL(s), '\r', ZSTR_LEN(s))
		|| memchr(ZSTR_VAL(s), '\n', ZSTR_LEN(s));
}

/* Throws what a failed login means, with the server's refusal on an
 * AuthenticationException. */
static void throw_login_error(sq_rc rc, const sq_error *err, const sq_session *s)
{
	zval ex;

	if (rc != SQ_EAUTH) {
		php_sqauth_throw(rc, err->msg);
		return;
	}
	object_init_ex(&ex, php_sqauth_authentication_exception_ce);
	zend_update_property_string(zend_ce_exception, Z_OBJ(ex), "message", sizeof("message") - 1, err->msg);
	zend_update_property_long(zend_ce_exception, Z_OBJ(ex), "code", sizeof("code") - 1, SQ_EAUTH);
	zend_update_property_string(php_sqauth_authentication_exception_ce, Z_OBJ(ex), "serverMessage",
		sizeof("serverMessage") - 1, s->server_message);
	if (s->response_code[0]) {
		zend_update_property_string(php_sqauth_authentication_exception_ce, Z_OBJ(ex), "responseCode",
			sizeof("responseCode") - 1, s->response_code);
	}
	zend_throw_exception_object(&ex);
}

static void do_login(INTERNAL_FUNCTION_PARAMETERS, sq_proto proto)
{
	zend_string *host, *user = NULL, *pass = NULL;
	zend_long port;
	HashTable *options = NULL;
	login_opts o;
	sqauth_stream_data *d;
	php_stream *stream;
	sq_error err;
	sq_rc rc;
	const char *u, *pw;
	size_t ulen, plen;
	char hostname[256];

	ZEND_PARSE_PARAMETERS_START(4, 5)
		Z_PARAM_STR(host)
		Z_PARAM_LONG(port)
		if (proto == SQ_PROTO_SMTP) {
			Z_PARAM_STR_OR_NULL(user)
			Z_PARAM_STR_OR_NULL(pass)
		} else {
			Z_PARAM_STR(user)
			Z_PARAM_STR(pass)
		}
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (ZSTR_LEN(host) == 0 || bad_text(host) || strchr(ZSTR_VAL(host), ' ')) {
		zend_argument_value_error(1, "must be a host name or address without spaces, CR, LF or NUL");
		RETURN_THROWS();
	}
	if (port < 1 || port > 65535) {
		zend_argument_value_error(2, "must be between 1 and 65535");
		RETURN_THROWS();
	}
	if (!parse_options(options, 5, proto, (unsigned)port, 0, &o)) {
		RETURN_THROWS();
	}
	if (proto == SQ_PROTO_SMTP && !user) {
		/* the seed document's $smtp_sitewide_user / $smtp_sitewide_pass */
		u = SQAUTH_G(smtp_sitewide_user);
		pw = SQAUTH_G(smtp_sitewide_pass);
		if ((!u || !*u) && o.p.method != SQ_METHOD_NONE) {
			zend_argument_value_error(3, "is null and sqauth.smtp_sitewide_user is not set");
			RETURN_THROWS();
		}
		u = u ? u : "";
		pw = pw ? pw : "";
		ulen = strlen(u);
		plen = strlen(pw);
	} else {
		if (!pass && o.p.method != SQ_METHOD_NONE) {
			zend_argument_value_error(4, "must not be null when a username is given");
			RETURN_THROWS();
		}
		u = ZSTR_VAL(user);
		ulen = ZSTR_LEN(user);
		pw = pass ? ZSTR_VAL(pass) : "";
		plen = pass ? ZSTR_LEN(pass) : 0;
		if (bad_text(user)) {
			zend_argument_value_error(3, "must not contain CR, LF or NUL");
			RETURN_THROWS();
		}
		if (pass && bad_text(pass)) {
			zend_argument_value_error(4, "must not contain CR, LF or NUL");
			RETURN_THROWS();
		}
	}
	o.p.host = ZSTR_VAL(host);
	o.p.port = (unsigned)port;
	o.p.username.p = (const unsigned char *)u;
	o.p.username.len = ulen;
	o.p.password.p = (const unsigned char *)pw;
	o.p.password.len = plen;
	if (!o.p.helo) {
		/* SMTP EHLO name: this machine's host name */
		memset(hostname, 0, sizeof(hostname));
		o.p.helo = gethostname(hostname, sizeof(hostname) - 1) == 0 && hostname[0] && !strpbrk(hostname, " \r\n")
			? hostname : "localhost";
	}

	d = ecalloc(1, sizeof(*d));
	rc = sq_login(&o.p, &d->sess, &err);
	if (rc != SQ_OK) {
		throw_login_error(rc, &err, &d->sess);
		sq_session_free(&d->sess);
		efree(d);
		RETURN_THROWS();
	}
	d->blocking = 1;
	d->timeout_ms = (long)(FG(default_socket_timeout) * 1000);
	if (FG(default_socket_timeout) < 0) {
		d->timeout_ms = -1;
	}
	stream = php_stream_alloc(&sqauth_stream_ops, d, NULL, "r+b");
	if (!stream) {
		sq_session_free(&d->sess);
		efree(d);
		php_sqauth_throw(SQ_ENOMEM, "cannot create the stream");
		RETURN_THROWS();
	}
	stream->flags |= PHP_STREAM_FLAG_NO_SEEK;
	php_stream_to_zval(stream, return_value);
}

PHP_FUNCTION(sqauth_imap_login)
{
	do_login(INTERNAL_FUNCTION_PARAM_PASSTHRU, SQ_PROTO_IMAP);
}

PHP_FUNCTION(sqauth_smtp_login)
{
	do_login(INTERNAL_FUNCTION_PARAM_PASSTHRU, SQ_PROTO_SMTP);
}

PHP_FUNCTION(sqauth_pop3_login)
{
	do_login(INTERNAL_FUNCTION_PARAM_PASSTHRU, SQ_PROTO_POP3);
}

/* ---- reports ------------------------------------------------------- */

static void add_list(zval *arr, const char *key, const sq_strlist *l)
{
	zval z;
	size_t i;

	array_init_size(&z, (uint32_t)l->n);
	for (i = 0; i < l->n; i++) {
		add_next_index_string(&z, l->items[i]);
	}
	add_assoc_zval(arr, key, &z);
}

static void add_certificate(zval *arr, const char *key, const sq_conn *c)
{
	sq_buf subj = SQ_BUF_INIT, iss = SQ_BUF_INIT, fp = SQ_BUF_INIT, na = SQ_BUF_INIT;
	const char *verr;
	zval z;

	if (!c || !sq_conn_is_tls(c) || !sq_conn_peer_cert(c, &subj, &iss, &fp, &na)) {
		add_assoc_null(arr, key);
	} else {
		array_init(&z);
		add_assoc_stringl(&z, "subject", subj.data ? (char *)subj.data : "", subj.len);
		add_assoc_stringl(&z, "issuer", iss.data ? (char *)iss.data : "", iss.len);
		add_assoc_stringl(&z, "fingerprint_sha256", fp.data ? (char *)fp.data : "", fp.len);
		add_assoc_stringl(&z, "not_after", na.data ? (char *)na.data : "", na.len);
		verr = sq_conn_tls_verify_error(c);
		add_assoc_bool(&z, "verified", verr == NULL);
		if (verr) {
			add_assoc_string(&z, "verify_error", verr);
		} else {
			add_assoc_null(&z, "verify_error");
		}
		add_assoc_zval(arr, key, &z);
	}
	sq_buf_free(&subj);
	sq_buf_free(&iss);
	sq_buf_free(&fp);
	sq_buf_free(&na);
}

static const char *proto_name(sq_proto p)
{
	return p == SQ_PROTO_IMAP ? "imap" : p == SQ_PROTO_SMTP ? "smtp" : "pop3";
}

static const char *tls_mode_name(int m)
{
	return m == SQ_TLS_IMPLICIT ? "implicit" : m == SQ_TLS_STARTTLS ? "starttls" : "none";
}

/* how long detect waits for a plaintext greeting before it tries implicit TLS */
#define DETECT_GREETING_MS 2000

PHP_FUNCTION(sqauth_detect)
{
	zend_string *protocol, *host;
	zend_long port;
	HashTable *options = NULL;
	login_opts o;
	sq_session s;
	sq_error err;
	sq_proto proto;
	sq_rc rc;
	int probe;

	ZEND_PARSE_PARAMETERS_START(3, 4)
		Z_PARAM_STR(protocol)
		Z_PARAM_STR(host)
		Z_PARAM_LONG(port)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (zend_string_equals_literal_ci(protocol, "imap")) {
		proto = SQ_PROTO_IMAP;
	} else if (zend_string_equals_literal_ci(protocol, "smtp")) {
		proto = SQ_PROTO_SMTP;
	} else if (zend_string_equals_literal_ci(protocol, "pop3")) {
		proto = SQ_PROTO_POP3;
	} else {
		zend_argument_value_error(1, "must be 'imap', 'smtp' or 'pop3'");
		RETURN_THROWS();
	}
	if (ZSTR_LEN(host) == 0 || bad_text(host) || strchr(ZSTR_VAL(host), ' ')) {
		zend_argument_value_error(2, "must be a host name or address without spaces, CR, LF or NUL");
		RETURN_THROWS();
	}
	if (port < 1 || port > 65535) {
		zend_argument_value_error(3, "must be between 1 and 65535");
		RETURN_THROWS();
	}
	if (!parse_options(options, 4, proto, (unsigned)port, 1, &o)) {
		RETURN_THROWS();
	}
	o.p.host = ZSTR_VAL(host);
	o.p.port = (unsigned)port;
	o.p.detect_only = 1;
	o.p.tls_cfg.report_only = 1;   /* a certificate that does not verify is reported */
	o.p.tls_cfg.session_cache = 0;
	if (!o.p.helo) {
		o.p.helo = "localhost";
	}
	/* Without a tls option the mode is found here: a plaintext server greets at
	 * once; a port that stays silent for a short while is tried with implicit TLS. */
	probe = !o.tls_given && o.p.tls != SQ_TLS_IMPLICIT;
	if (probe) {
		o.p.greeting_timeout_ms = o.p.timeout_ms < 0 || o.p.timeout_ms > DETECT_GREETING_MS ? DETECT_GREETING_MS : o.p.timeout_ms;
	}
	rc = sq_login(&o.p, &s, &err);
	if (rc == SQ_ETIMEOUT && probe && s.greeting_timed_out) {
		sq_session_free(&s);
		o.p.tls = SQ_TLS_IMPLICIT;
		o.p.greeting_timeout_ms = 0;
		rc = sq_login(&o.p, &s, &err);
		if (rc != SQ_OK) {
			size_t l = strlen(err.msg);
			snprintf(err.msg + l, sizeof(err.msg) - l, " (tried with implicit TLS: no plaintext greeting came within %.1f s)",
				(o.p.timeout_ms < 0 || o.p.timeout_ms > DETECT_GREETING_MS ? DETECT_GREETING_MS : o.p.timeout_ms) / 1000.0);
		}
	}
	if (rc != SQ_OK) {
		sq_session_free(&s);
		php_sqauth_throw(rc, err.msg);
		RETURN_THROWS();
	}
	array_init(return_value);
	add_assoc_string(return_value, "protocol", proto_name(proto));
	add_assoc_str(return_value, "host", zend_string_copy(host));
	add_assoc_long(return_value, "port", port);
	add_assoc_string(return_value, "tls", sq_conn_is_tls(s.conn) ? tls_mode_name(s.tls_mode) : "none");
	add_assoc_bool(return_value, "starttls", s.starttls_before);
	{
		char g[1024];
		sq_sanitize(g, sizeof(g), s.greeting.data ? s.greeting.data : (const unsigned char *)"", s.greeting.len);
		add_assoc_string(return_value, "greeting", g);
	}
	if (s.tls_mode == SQ_TLS_STARTTLS || !sq_conn_is_tls(s.conn)) {
		add_list(return_value, "capabilities_before_tls", sq_conn_is_tls(s.conn) ? &s.caps_before : &s.caps);
		add_list(return_value, "mechanisms_before_tls", sq_conn_is_tls(s.conn) ? &s.mechs_before : &s.mechs);
	} else {
		sq_strlist empty = {0};
		add_list(return_value, "capabilities_before_tls", &empty);
		add_list(return_value, "mechanisms_before_tls", &empty);
	}
	add_list(return_value, "capabilities", &s.caps);
	add_list(return_value, "mechanisms", &s.mechs);
	add_certificate(return_value, "certificate", s.conn);
	if (s.challenge_seen) {
		add_assoc_stringl(return_value, "challenge", s.challenge.data ? (char *)s.challenge.data : "", s.challenge.len);
	}
	sq_session_quit(&s);
	sq_session_free(&s);
}

PHP_FUNCTION(sqauth_stream_info)
{
	zval *zstream, tls, timings;
	php_stream *stream;
	sqauth_stream_data *d;
	const sq_conn *c;
	const sq_timings *t;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_RESOURCE(zstream)
	ZEND_PARSE_PARAMETERS_END();

	php_stream_from_zval(stream, zstream);
	if (stream->ops != &sqauth_stream_ops) {
		zend_argument_type_error(1, "must be a stream returned by sqauth_imap_login(), sqauth_smtp_login() or sqauth_pop3_login()");
		RETURN_THROWS();
	}
	d = stream->abstract;
	c = d->sess.conn;
	array_init(return_value);
	add_assoc_string(return_value, "protocol", proto_name(d->sess.proto));
	if (!c) {
		add_assoc_bool(return_value, "closed", 1);
		return;
	}
	add_assoc_string(return_value, "host", sq_conn_host(c));
	add_assoc_long(return_value, "port", sq_conn_port(c));
	if (d->sess.mechanism[0]) {
		add_assoc_string(return_value, "mechanism", d->sess.mechanism);
	} else {
		add_assoc_null(return_value, "mechanism");
	}
	if (d->sess.sasl && sq_sasl_mech(d->sess.sasl) == SQ_MECH_DIGEST_MD5) {
		add_assoc_string(return_value, "qop", sq_qop_name(sq_sasl_qop(d->sess.sasl)));
		if (sq_sasl_cipher(d->sess.sasl)) {
			add_assoc_string(return_value, "cipher", sq_cipher_name(sq_sasl_cipher(d->sess.sasl)));
		} else {
			add_assoc_null(return_value, "cipher");
		}
		if (sq_sasl_has_layer(d->sess.sasl)) {
			add_assoc_long(return_value, "maxbuf", (zend_long)sq_sasl_layer_max_plain(d->sess.sasl));
		} else {
			add_assoc_null(return_value, "maxbuf");
		}
	} else {
		add_assoc_null(return_value, "qop");
		add_assoc_null(return_value, "cipher");
		add_assoc_null(return_value, "maxbuf");
	}
	add_assoc_bool(return_value, "server_verified", d->sess.server_verified);
	add_list(return_value, "capabilities", &d->sess.caps);
	if (sq_conn_is_tls(c)) {
		array_init(&tls);
		add_assoc_string(&tls, "version", sq_conn_tls_version(c));
		add_assoc_string(&tls, "cipher", sq_conn_tls_cipher(c));
		add_assoc_bool(&tls, "resumed", sq_conn_tls_resumed(c));
		add_assoc_bool(&tls, "verified", sq_conn_tls_verified(c));
		add_certificate(&tls, "peer_certificate", c);
		add_assoc_zval(return_value, "tls", &tls);
	} else {
		add_assoc_null(return_value, "tls");
	}
	add_assoc_long(return_value, "round_trips", sq_conn_round_trips(c));
	t = sq_conn_timings(c);
	array_init(&timings);
	add_assoc_double(&timings, "connect", t->connect);
	add_assoc_double(&timings, "tls", t->tls);
	add_assoc_double(&timings, "auth", t->auth);
	add_assoc_double(&timings, "total", t->total);
	add_assoc_zval(return_value, "timings", &timings);
}
