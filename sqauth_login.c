/*
  +----------------------------------------------------------------------+
  | sqauth: sqauth_imap_login(), sqauth_smtp_login(), sqauth_pop3_login().|
  | Arguments are checked here; the dialogue runs in src/proto over      |
  | src/net; the logged-in session becomes a PHP stream.                 |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"

#include "php_sqauth.h"
#include "sqauth_exceptions.h"
#include "sqauth_options.h"
#include "sqauth_pool.h"
#include "sqauth_stream.h"

/* Throws what a failed login means, with the server's refusal on an
 * AuthenticationException. */
static void throw_login_error(sq_rc rc, const sq_error *err, const sq_session *s)
{
	if (rc != SQ_EAUTH) {
		php_sqauth_throw(rc, err->msg);
		return;
	}
	php_sqauth_throw_refusal(err->msg, s->server_message, s->response_code, s->error_report);
}

static void do_login(INTERNAL_FUNCTION_PARAMETERS, sq_proto proto)
{
	zend_string *host, *user = NULL, *pass = NULL;
	zend_long port;
	HashTable *options = NULL;
	php_sqauth_login_opts o;
	sq_session sess;
	sq_pool_ticket ticket;
	sq_pool_limits lim;
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

	if (!php_sqauth_check_host_port(host, port, 1)) {
		RETURN_THROWS();
	}
	if (!php_sqauth_parse_login_options(options, 5, proto, (unsigned)port, 0, &o)) {
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
		if (php_sqauth_has_ctl(user)) {
			zend_argument_value_error(3, "must not contain CR, LF or NUL");
			RETURN_THROWS();
		}
		if (pass && php_sqauth_has_ctl(pass)) {
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

	if (o.persistent) {
		php_sqauth_pool_limits(&lim);
		if (sq_pool_ticket_init(&ticket, &o.p, o.scope) != SQ_OK) {
			php_sqauth_throw(SQ_ECRYPTO, "persistent: cannot compute the pool key");
			RETURN_THROWS();
		}
		sq_pool_reap(&lim);
		if (sq_pool_take(&ticket, &lim, &sess)) {
			/* the same parameters, password included, logged in before in this
			 * process, and the connection is alive: no login */
			stream = php_sqauth_stream_new(&sess, &ticket);
			if (!stream) {
				RETURN_THROWS();
			}
			php_sqauth_capture_peer_certs(stream, php_sqauth_stream_session(stream)->conn, &o);
			php_stream_to_zval(stream, return_value);
			return;
		}
		/* a real login; kept afterwards only if the user is under the cap */
		sq_pool_reserve(&ticket, &lim);
	}
	rc = sq_login(&o.p, &sess, &err);
	if (rc != SQ_OK) {
		throw_login_error(rc, &err, &sess);
		if (o.persistent) {
			sq_pool_drop(&sess, &ticket);
		} else {
			sq_session_free(&sess);
		}
		RETURN_THROWS();
	}
	if (o.persistent) {
		sq_pool_note_login(&ticket);
	}
	stream = php_sqauth_stream_new(&sess, o.persistent ? &ticket : NULL);
	if (!stream) {
		RETURN_THROWS();
	}
	php_sqauth_capture_peer_certs(stream, php_sqauth_stream_session(stream)->conn, &o);
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
