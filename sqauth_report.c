/*
  +----------------------------------------------------------------------+
  | sqauth: reports. sqauth_detect() (what a server offers, before and   |
  | after TLS, and its certificate) and sqauth_stream_info() (what a     |
  | login negotiated).                                                   |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"

#include "sqauth_exceptions.h"
#include "sqauth_options.h"
#include "sqauth_stream.h"
#include "src/util/clock.h"

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
	php_sqauth_login_opts o;
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
	if (!php_sqauth_check_host_port(host, port, 2)) {
		RETURN_THROWS();
	}
	if (!php_sqauth_parse_login_options(options, 4, proto, (unsigned)port, 1, &o)) {
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
	zval *zstream, tls, timings, persistent;
	const sq_pool_ticket *ticket;
	php_stream *stream;
	const sq_session *sess;
	const sq_conn *c;
	const sq_timings *t;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_RESOURCE(zstream)
	ZEND_PARSE_PARAMETERS_END();

	php_stream_from_zval(stream, zstream);
	sess = php_sqauth_stream_session(stream);
	if (!sess) {
		zend_argument_type_error(1, "must be a stream returned by sqauth_imap_login(), sqauth_smtp_login() or sqauth_pop3_login()");
		RETURN_THROWS();
	}
	c = sess->conn;
	array_init(return_value);
	add_assoc_string(return_value, "protocol", proto_name(sess->proto));
	if (!c) {
		add_assoc_bool(return_value, "closed", 1);
		return;
	}
	add_assoc_string(return_value, "host", sq_conn_host(c));
	add_assoc_long(return_value, "port", sq_conn_port(c));
	if (sess->mechanism[0]) {
		add_assoc_string(return_value, "mechanism", sess->mechanism);
	} else {
		add_assoc_null(return_value, "mechanism");
	}
	if (sess->sasl && sq_sasl_mech(sess->sasl) == SQ_MECH_DIGEST_MD5) {
		add_assoc_string(return_value, "qop", sq_qop_name(sq_sasl_qop(sess->sasl)));
		if (sq_sasl_cipher(sess->sasl)) {
			add_assoc_string(return_value, "cipher", sq_cipher_name(sq_sasl_cipher(sess->sasl)));
		} else {
			add_assoc_null(return_value, "cipher");
		}
		if (sq_sasl_has_layer(sess->sasl)) {
			add_assoc_long(return_value, "maxbuf", (zend_long)sq_sasl_layer_max_plain(sess->sasl));
		} else {
			add_assoc_null(return_value, "maxbuf");
		}
	} else {
		add_assoc_null(return_value, "qop");
		add_assoc_null(return_value, "cipher");
		add_assoc_null(return_value, "maxbuf");
	}
	add_assoc_bool(return_value, "server_verified", sess->server_verified);
	{
		char g[1024];
		sq_sanitize(g, sizeof(g), sess->greeting.data ? sess->greeting.data : (const unsigned char *)"", sess->greeting.len);
		add_assoc_string(return_value, "greeting", g);
	}
	add_list(return_value, "capabilities", &sess->caps);
	if (sq_conn_is_tls(c)) {
		array_init(&tls);
		add_assoc_string(&tls, "version", sq_conn_tls_version(c));
		add_assoc_string(&tls, "cipher", sq_conn_tls_cipher(c));
		add_assoc_bool(&tls, "resumed", sq_conn_tls_resumed(c));
		add_assoc_bool(&tls, "verified", sq_conn_tls_verified(c));
		{
			const unsigned char *ap;
			unsigned alen;
			sq_conn_tls_alpn(c, &ap, &alen);
			if (alen) {
				add_assoc_stringl(&tls, "alpn_protocol", (const char *)ap, alen);
			} else {
				add_assoc_null(&tls, "alpn_protocol");
			}
		}
		add_certificate(&tls, "peer_certificate", c);
		add_assoc_zval(return_value, "tls", &tls);
	} else {
		add_assoc_null(return_value, "tls");
	}
	ticket = php_sqauth_stream_ticket(stream);
	if (ticket) {
		array_init(&persistent);
		add_assoc_bool(&persistent, "reused", ticket->reused);
		add_assoc_double(&persistent, "age", (double)(sq_now_ms() - ticket->created_ms) / 1000.0);
		add_assoc_long(&persistent, "uses", (zend_long)ticket->uses);
		add_assoc_bool(&persistent, "kept", ticket->counted);   /* false: over the per-user cap, closed at fclose() */
		add_assoc_zval(return_value, "persistent", &persistent);
	} else {
		add_assoc_null(return_value, "persistent");
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
