/*
 * The protocol-independent part of a login: connect, implicit TLS or
 * STARTTLS (never a fallback to plaintext), mechanism choice, the cleartext
 * policy, the SASL loop over a protocol adapter, and the check that a
 * mechanism able to authenticate the server did so.
 */
#include "proto.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../sasl/crypto.h"
#include "../util/alloc.h"
#include "../util/clock.h"
#include "../util/base64.h"

static const sq_proto_ops *ops_for(sq_proto p)
{
	return p == SQ_PROTO_IMAP ? &sq_imap_ops : p == SQ_PROTO_SMTP ? &sq_smtp_ops : &sq_pop3_ops;
}

static sq_rc strlist_copy(sq_strlist *dst, const sq_strlist *src)
{
	size_t i;
	sq_rc rc = SQ_OK;

	sq_strlist_clear(dst);
	for (i = 0; i < src->n && rc == SQ_OK; i++) {
		rc = sq_strlist_add(dst, src->items[i], strlen(src->items[i]));
	}
	return rc;
}

void sq_session_free(sq_session *s)
{
	sq_sasl_free(s->sasl);
	s->sasl = NULL;
	sq_conn_free(s->conn);
	s->conn = NULL;
	sq_buf_free(&s->greeting);
	sq_buf_free(&s->challenge);
	sq_strlist_free(&s->caps_before);
	sq_strlist_free(&s->mechs_before);
	sq_strlist_free(&s->caps);
	sq_strlist_free(&s->mechs);
}

void sq_session_abandon(sq_session *s)
{
	sq_conn_abandon(s->conn);
	s->conn = NULL;
	sq_session_free(s);
}

/* Reads the answer of a rest command sent earlier, the wait bounded by wait_ms. */
static sq_rc rest_read(sq_session *s, int reset, long wait_ms, sq_error *err)
{
	long saved = sq_conn_timeout(s->conn);
	sq_rc rc;

	if (saved < 0 || saved > wait_ms) {
		sq_conn_set_timeout(s->conn, wait_ms);
	}
	rc = ops_for(s->proto)->rest(s, reset, 1, err);
	sq_conn_set_timeout(s->conn, saved);
	return rc;
}

sq_rc sq_session_park(sq_session *s, sq_error *err)
{
	const sq_proto_ops *ops = ops_for(s->proto);
	sq_rc rc;

	/* nothing is waited for here: the answer is read by sq_session_check() */
	if (!s->conn || !ops->rest) {
		return sq_error_set(err, SQ_ESTATE, "this connection cannot be kept");
	}
	if (!sq_wtrack_at_rest(&s->wt)) {
		return sq_error_set(err, SQ_ESTATE, "%s: the caller left a command, literal or message body unfinished, "
			"or changed the connection (IDLE, ENABLE, COMPRESS, AUTH)", ops->name);
	}
	if (s->wt.selected && !sq_strlist_has(&s->caps, "UNSELECT") && !sq_strlist_has(&s->caps, "IMAP4rev2")) {
		return sq_error_set(err, SQ_ESTATE, "IMAP: a mailbox is selected and the server has no UNSELECT");
	}
	if (!sq_conn_quiet(s->conn)) {
		return sq_error_set(err, SQ_ESTATE, "%s: data was waiting, or the server closed the connection", ops->name);
	}
	rc = ops->rest(s, 1, 0, err);
	s->rest_pending = rc == SQ_OK;
	s->wt.selected = 0;
	return rc;
}

sq_rc sq_session_check(sq_session *s, int round_trip, long wait_ms, sq_error *err)
{
	const sq_proto_ops *ops = ops_for(s->proto);
	sq_rc rc;

	if (!s->conn || !ops->rest) {
		return sq_error_set(err, SQ_ESTATE, "this connection cannot be kept");
	}
	if (s->rest_pending) {
		s->rest_pending = 0;
		if ((rc = rest_read(s, 1, wait_ms, err)) != SQ_OK) {
			return rc;
		}
	}
	if (!sq_conn_quiet(s->conn)) {
		return sq_error_set(err, SQ_ECONN, "the kept connection was closed or sent something while it waited");
	}
	if (round_trip) {
		if ((rc = ops->rest(s, 0, 0, err)) != SQ_OK) {
			return rc;
		}
		return rest_read(s, 0, wait_ms, err);
	}
	return SQ_OK;
}

void sq_session_quit(sq_session *s)
{
	if (s->conn) {
		ops_for(s->proto)->quit(s);
	}
}

/* ---- mechanism choice ---------------------------------------------- */

static int cleartext_method(int method)
{
	if (method >= 0) {
		return (sq_mech_flags((sq_mech_id)method) & SQ_MECHF_CLEARTEXT) != 0;
	}
	return method == SQ_METHOD_IMAP_LOGIN || method == SQ_METHOD_POP3_USER;
}

static const char *method_label(int method)
{
	switch (method) {
	case SQ_METHOD_IMAP_LOGIN: return "the IMAP LOGIN command";
	case SQ_METHOD_POP3_USER: return "USER/PASS";
	case SQ_METHOD_POP3_APOP: return "APOP";
	}
	return method >= 0 ? sq_mech_name((sq_mech_id)method) : "?";
}

/* 'auto': the strongest mechanism both sides can do. Channel binding only
 * where it is known to work (TLS 1.2 tls-unique), so that 'auto' never locks
 * a user out; cleartext only where it is allowed; never a token mechanism. */
static int choose_auto(const sq_session *s, const sq_login_params *p, int plaintext_ok)
{
	int best = -1, i;
	const char *cb = sq_conn_cb_type(s->conn);
	/* a proxy login (the session acts as authz) needs a mechanism that carries it; where
	 * cleartext may go, PLAIN first: servers take a master user's authorization identity
	 * with PLAIN, not always with the others (Dovecot 2.3 refuses it with SCRAM and
	 * DIGEST-MD5: "Authorization failed") */
	int proxy = p->authz.p && p->authz.len;

	if (proxy && plaintext_ok && sq_strlist_has(&s->mechs, "PLAIN")) {
		return SQ_MECH_PLAIN;
	}

	for (i = 0; i < SQ_MECH__COUNT; i++) {
		unsigned f = sq_mech_flags((sq_mech_id)i);
		if (!sq_strlist_has(&s->mechs, sq_mech_name((sq_mech_id)i)) || (f & SQ_MECHF_TOKEN)) {
			continue;
		}
		if (proxy && !(f & SQ_MECHF_AUTHZ)) {
			continue;
		}
		if ((f & SQ_MECHF_CHANNEL_BIND) && !(cb && strcmp(cb, "tls-unique") == 0)) {
			continue;
		}
		if ((f & SQ_MECHF_CLEARTEXT) && !plaintext_ok) {
			continue;
		}
		if (best < 0 || sq_mech_strength((sq_mech_id)i) > sq_mech_strength((sq_mech_id)best)) {
			best = i;
		}
	}
	if (best >= 0 || proxy) {
		return best >= 0 ? best : SQ_METHOD_AUTO;   /* neither LOGIN nor USER/APOP carries authz */
	}
	if (p->proto == SQ_PROTO_IMAP && !sq_strlist_has(&s->caps, "LOGINDISABLED") && plaintext_ok) {
		return SQ_METHOD_IMAP_LOGIN;
	}
	if (p->proto == SQ_PROTO_POP3) {
		if (s->apop_stamp[0]) {
			return SQ_METHOD_POP3_APOP;
		}
		if (plaintext_ok) {
			return SQ_METHOD_POP3_USER;
		}
	}
	return SQ_METHOD_AUTO; /* nothing */
}

/* ---- the SASL loop ------------------------------------------------- */

/* The server refused: its text, and for a token the error report it sent
 * first (RFC 7628 3.2.2: the JSON with the status that says why). */
static sq_rc refused(sq_session *s, sq_error *err)
{
	const char *report = s->sasl ? sq_sasl_server_error(s->sasl) : "";

	snprintf(s->error_report, sizeof(s->error_report), "%s", report);
	if (report[0]) {
		return sq_error_set(err, SQ_EAUTH, "%s authentication failed: %s (the server's error report: %s)",
			s->mechanism, s->server_message, report);
	}
	return sq_error_set(err, SQ_EAUTH, "%s authentication failed: %s", s->mechanism, s->server_message);
}

static sq_rc run_sasl(sq_session *s, const sq_login_params *p, const sq_proto_ops *ops, sq_mech_id mech, sq_error *err)
{
	sq_sasl_params sp;
	sq_buf out = SQ_BUF_SECRET_INIT, b64 = SQ_BUF_SECRET_INIT, data = SQ_BUF_INIT, raw = SQ_BUF_SECRET_INIT;
	sq_buf cbdata = SQ_BUF_SECRET_INIT;
	const char *cbtype = NULL;
	sq_auth_kind kind;
	int has_ir = 0, rounds = 0, ir_sent = 0;
	sq_rc rc;

	memset(&sp, 0, sizeof(sp));
	sp.username = p->username;
	sp.password = p->password;
	sp.authz = p->authz;
	sp.realm = p->realm;
	sp.service.p = (const unsigned char *)ops->sasl_service;
	sp.service.len = strlen(ops->sasl_service);
	sp.host.p = (const unsigned char *)p->host;
	sp.host.len = strlen(p->host);
	sp.port = p->port;
	memcpy(sp.qop_pref, p->qop_pref, sizeof(sp.qop_pref));
	memcpy(sp.cipher_pref, p->cipher_pref, sizeof(sp.cipher_pref));
	sp.maxbuf = p->maxbuf;
	if (sq_mech_flags(mech) & SQ_MECHF_CHANNEL_BIND) {
		cbtype = sq_conn_cb_type(s->conn);
		if (!cbtype) {
			return sq_error_set(err, SQ_ESECURITY, "%s needs TLS for channel binding", sq_mech_name(mech));
		}
		if ((rc = sq_conn_cb_data(s->conn, cbtype, &cbdata, err)) != SQ_OK) {
			return rc;
		}
		sp.cb_type.p = (const unsigned char *)cbtype;
		sp.cb_type.len = strlen(cbtype);
		sp.cb_data.p = cbdata.data;
		sp.cb_data.len = cbdata.len;
	} else if ((mech == SQ_MECH_SCRAM_SHA_1 || mech == SQ_MECH_SCRAM_SHA_256) && sq_conn_cb_type(s->conn)
		&& strcmp(sq_conn_cb_type(s->conn), "tls-unique") == 0
		&& !sq_strlist_has(&s->mechs, mech == SQ_MECH_SCRAM_SHA_1 ? "SCRAM-SHA-1-PLUS" : "SCRAM-SHA-256-PLUS")) {
		/* we could bind, the server offers no -PLUS: say so ("y"), so that a
		 * server that does offer it detects a stripped mechanism list */
		sp.cb_client_supports = 1;
	}
	rc = sq_sasl_new(&s->sasl, mech, &sp, err);
	sq_buf_free(&cbdata);
	if (rc != SQ_OK) {
		return rc;
	}
	snprintf(s->mechanism, sizeof(s->mechanism), "%s", sq_mech_name(mech));
	if ((rc = sq_sasl_initial(s->sasl, &out, &has_ir, err)) != SQ_OK) {
		goto done;
	}
	if (has_ir && sq_base64_encode(&b64, out.data, out.len) != SQ_OK) {
		rc = sq_error_set(err, SQ_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = ops->auth_begin(s, s->mechanism, &b64, has_ir, &ir_sent, err)) != SQ_OK) {
		goto done;
	}
	if (s->caps_tag[0]) {
		/* the capabilities sent with the command answer first */
		if ((rc = ops->caps_finish(s, err)) != SQ_OK) {
			goto done;
		}
		if (!sq_strlist_has(&s->mechs, s->mechanism)) {
			/* the connection is dropped: no need to wait for the answer */
			rc = sq_error_set(err, SQ_EPROTO, "%s:%u does not offer %s", p->host, p->port, s->mechanism);
			goto done;
		}
	}
	if (has_ir && !ir_sent) {
		/* no room for it in the command: it answers the first, empty challenge */
		if ((rc = ops->auth_next(s, &kind, &data, err)) != SQ_OK) {
			goto done;
		}
		if (kind == SQ_AUTH_FAILURE) {
			rc = refused(s, err);
			goto done;
		}
		if (kind != SQ_AUTH_CHALLENGE || data.len != 0) {
			ops->auth_cancel(s, NULL);
			rc = sq_error_set(err, SQ_EPROTO, "%s: the server sent data before the initial response", s->mechanism);
			goto done;
		}
		if ((rc = ops->auth_send(s, &b64, err)) != SQ_OK) {
			goto done;
		}
	}
	for (;;) {
		sq_buf_reset(&data);
		if ((rc = ops->auth_next(s, &kind, &data, err)) != SQ_OK) {
			goto done;
		}
		if (kind == SQ_AUTH_FAILURE) {
			rc = refused(s, err);
			goto done;
		}
		if (++rounds > 16) {
			rc = sq_error_set(err, SQ_EPROTO, "%s: the server keeps sending challenges", s->mechanism);
			goto done;
		}
		sq_buf_reset(&raw);
		if (data.len && sq_base64_decode_lenient(&raw, data.data, data.len) != SQ_OK) {
			rc = sq_error_set(err, SQ_EPROTO, "%s: the server's challenge is not valid base64", s->mechanism);
			ops->auth_cancel(s, NULL);
			goto done;
		}
		if (kind == SQ_AUTH_SUCCESS) {
			/* additional data with success: the final server message */
			if (raw.len && !sq_sasl_server_verified(s->sasl)) {
				sq_buf_reset(&out);
				if ((rc = sq_sasl_step(s->sasl, raw.data, raw.len, &out, err)) != SQ_OK) {
					goto done;
				}
			}
			break;
		}
		sq_buf_reset(&out);
		rc = sq_sasl_step(s->sasl, raw.data, raw.len, &out, err);
		if (rc != SQ_OK) {
			sq_error cancel_err;
			ops->auth_cancel(s, &cancel_err); /* "*": tell the server we gave up */
			goto done;
		}
		sq_buf_reset(&b64);
		if (sq_base64_encode(&b64, out.data, out.len) != SQ_OK) {
			rc = sq_error_set(err, SQ_ENOMEM, "out of memory");
			goto done;
		}
		if ((rc = ops->auth_send(s, &b64, err)) != SQ_OK) {
			goto done;
		}
	}
	if ((sq_mech_flags(mech) & SQ_MECHF_MUTUAL) && !sq_sasl_server_verified(s->sasl)) {
		rc = sq_error_set(err, SQ_ESECURITY, "%s: the server accepted the login without proving that it knows "
			"the password (no %s): possible impersonation", s->mechanism,
			mech == SQ_MECH_DIGEST_MD5 ? "rspauth" : "server signature");
		goto done;
	}
	s->server_verified = sq_sasl_server_verified(s->sasl);
done:
	sq_buf_free(&out);
	sq_buf_free(&b64);
	sq_buf_free(&data);
	sq_buf_free(&raw);
	return rc;
}

/* detect's --challenge: starts the mechanism without any initial response,
 * keeps the server's first challenge, and cancels with "*". No credential
 * is ever sent. */
static sq_rc capture_challenge(sq_session *s, const sq_login_params *p, const sq_proto_ops *ops, sq_error *err)
{
	const char *name = sq_mech_name((sq_mech_id)p->challenge_mech);
	sq_buf none = SQ_BUF_INIT, data = SQ_BUF_INIT;
	sq_auth_kind kind;
	int ir_sent = 0;
	sq_rc rc;

	if (!sq_strlist_has(&s->mechs, name)) {
		return sq_error_set(err, SQ_EPROTO, "%s:%u does not offer %s", p->host, p->port, name);
	}
	if ((rc = ops->auth_begin(s, name, &none, 0, &ir_sent, err)) == SQ_OK
		&& (rc = ops->auth_next(s, &kind, &data, err)) == SQ_OK) {
		if (kind != SQ_AUTH_CHALLENGE) {
			rc = sq_error_set(err, SQ_EPROTO, "%s: the server answered without a challenge", name);
		} else if (sq_base64_decode_lenient(&s->challenge, data.data, data.len) != SQ_OK) {
			rc = sq_error_set(err, SQ_EPROTO, "%s: the server's challenge is not valid base64", name);
		} else {
			s->challenge_seen = 1;
			rc = ops->auth_cancel(s, err);
		}
	}
	sq_buf_free(&data);
	return rc;
}

/* Whether the capability request after STARTTLS may go with the login
 * command: only for a named method (auto chooses from the list), and not for
 * SCRAM without -PLUS under tls-unique, whose GS2 header depends on whether
 * the server offers -PLUS. */
static int can_pipeline_caps(const sq_session *s, const sq_login_params *p)
{
	const char *cb;

	if (p->detect_only || p->no_pipelining || p->method == SQ_METHOD_AUTO || p->method == SQ_METHOD_NONE) {
		return 0;
	}
	cb = sq_conn_cb_type(s->conn);
	if ((p->method == SQ_MECH_SCRAM_SHA_1 || p->method == SQ_MECH_SCRAM_SHA_256) && cb && strcmp(cb, "tls-unique") == 0) {
		return 0;
	}
	return 1;
}

static sq_rc login(const sq_login_params *p, sq_session *s, sq_error *err)
{
	const sq_proto_ops *ops = ops_for(p->proto);
	long long deadline = sq_now_ms() + (p->login_timeout_ms > 0 ? p->login_timeout_ms : 2 * p->timeout_ms);
	double t0 = (double)sq_now_ms() / 1000.0, t_auth;
	int method = p->method, plaintext_ok;
	sq_rc rc;

	memset(s, 0, sizeof(*s));
	s->proto = p->proto;
	s->tls_mode = p->tls;
	s->login_params = p;
	sq_buf_init(&s->greeting, 0);
	sq_buf_init(&s->challenge, 0);
	if (p->conn) {
		s->conn = p->conn; /* the session takes it over */
	} else if ((rc = sq_conn_open(&s->conn, p->host, p->port, p->timeout_ms, deadline, err)) != SQ_OK) {
		return rc;
	}
	if (p->tls == SQ_TLS_IMPLICIT && (rc = sq_conn_start_tls(s->conn, &p->tls_cfg, err)) != SQ_OK) {
		return rc;
	}
	if (p->greeting_timeout_ms > 0 && p->tls != SQ_TLS_IMPLICIT) {
		sq_conn_set_timeout(s->conn, p->greeting_timeout_ms);
	}
	rc = ops->greeting(s, p->tls, err);
	sq_conn_set_timeout(s->conn, p->timeout_ms);
	if (rc != SQ_OK) {
		if (rc == SQ_ETIMEOUT && p->tls != SQ_TLS_IMPLICIT) {
			s->greeting_timed_out = 1;
			if (err) {
				size_t l = strlen(err->msg);
				snprintf(err->msg + l, sizeof(err->msg) - l, " waiting for the greeting; if this port speaks TLS at once, set tls 'implicit'");
			}
		}
		return rc;
	}
	if ((rc = ops->capabilities(s, p, err)) != SQ_OK) {
		return rc;
	}
	s->starttls_before = !sq_conn_is_tls(s->conn) && s->starttls_offered;
	if (p->tls == SQ_TLS_STARTTLS || (p->detect_only && p->tls == SQ_TLS_NONE && s->starttls_offered)) {
		if ((rc = strlist_copy(&s->caps_before, &s->caps)) != SQ_OK || (rc = strlist_copy(&s->mechs_before, &s->mechs)) != SQ_OK) {
			return sq_error_set(err, rc, "out of memory");
		}
		if (!s->starttls_offered && (!s->starttls_tag[0] || s->caps.n)) {
			/* (with STARTTLS already sent before the greeting, a greeting
			 * without a capability list leaves the answer to decide) */
			if (p->detect_only) {
				goto detected;
			}
			return sq_error_set(err, SQ_ESECURITY, "%s:%u does not offer STARTTLS, and tls 'starttls' never falls back to plaintext",
				p->host, p->port);
		}
		if ((rc = ops->starttls(s, err)) != SQ_OK || (rc = sq_conn_start_tls(s->conn, &p->tls_cfg, err)) != SQ_OK) {
			return rc;
		}
		s->tls_mode = SQ_TLS_STARTTLS;
		/* capabilities again, over TLS: the plaintext ones proved nothing.
		 * With a named mechanism the request travels with the login command
		 * (one round trip less); the mechanism is checked against the answer
		 * before the exchange goes on. */
		sq_strlist_clear(&s->caps);
		sq_strlist_clear(&s->mechs);
		if (ops->caps_send && can_pipeline_caps(s, p)) {
			rc = ops->caps_send(s, err);
		} else {
			rc = ops->capabilities(s, p, err);
		}
		if (rc != SQ_OK) {
			return rc;
		}
	}
detected:
	if (p->detect_only) {
		if (p->challenge_mech >= 0 && (rc = capture_challenge(s, p, ops, err)) != SQ_OK) {
			return rc;
		}
		sq_conn_timings_mut(s->conn)->total = (double)sq_now_ms() / 1000.0 - t0;
		return SQ_OK;
	}
	t_auth = (double)sq_now_ms() / 1000.0;
	plaintext_ok = sq_conn_is_tls(s->conn) || sq_conn_is_loopback(s->conn) || p->allow_plaintext;
	if (method == SQ_METHOD_AUTO) {
		method = choose_auto(s, p, plaintext_ok);
		if (method == SQ_METHOD_AUTO && p->authz.p && p->authz.len) {
			return sq_error_set(err, SQ_EPROTO, "%s:%u offers no mechanism this client can use that carries an "
				"authorization identity (authz needs PLAIN, DIGEST-MD5 or SCRAM%s)", p->host, p->port,
				plaintext_ok ? "" : "; PLAIN only over TLS or with allow_plaintext");
		}
		if (method == SQ_METHOD_AUTO) {
			return sq_error_set(err, plaintext_ok ? SQ_EPROTO : SQ_ESECURITY,
				plaintext_ok ? "%s:%u offers no authentication mechanism this client can use"
					: "%s:%u offers only cleartext logins and the connection is not encrypted "
					  "(use TLS, or set allow_plaintext)", p->host, p->port);
		}
	} else if (method == SQ_METHOD_NONE) {
		sq_conn_timings_mut(s->conn)->total = (double)sq_now_ms() / 1000.0 - t0;
		return SQ_OK;
	}
	if (method >= 0 && (sq_mech_flags((sq_mech_id)method) & SQ_MECHF_TOKEN)
		&& !sq_conn_is_tls(s->conn) && !sq_conn_is_loopback(s->conn)) {
		/* a bearer token is as good as the login to whoever reads it, for
		 * its lifetime: TLS always (RFC 6750 5.3), allow_plaintext or not */
		return sq_error_set(err, SQ_ESECURITY, "refusing to send a bearer token (%s) over an unencrypted connection "
			"to %s (tokens need TLS; allow_plaintext does not cover them)", method_label(method), p->host);
	}
	if (cleartext_method(method) && !plaintext_ok) {
		return sq_error_set(err, SQ_ESECURITY, "refusing to send %s credentials over an unencrypted connection to %s "
			"(use TLS, or set allow_plaintext)", method_label(method), p->host);
	}
	if (method >= 0) {
		if (!s->caps_tag[0] && !sq_strlist_has(&s->mechs, sq_mech_name((sq_mech_id)method))) {
			return sq_error_set(err, SQ_EPROTO, "%s:%u does not offer %s", p->host, p->port, sq_mech_name((sq_mech_id)method));
		}
		rc = run_sasl(s, p, ops, (sq_mech_id)method, err);
	} else {
		rc = ops->plain_login(s, p, method, err);
	}
	if (rc == SQ_ETIMEOUT && err) {
		/* the server was reached, greeted and took the login, then kept the answer back:
		 * not a server that cannot be reached (Dovecot delays logins from an address after
		 * failed ones, up to 15 s by default) */
		size_t l = strlen(err->msg);
		snprintf(err->msg + l, sizeof(err->msg) - l, " waiting for the answer to the login (%s): the server answered "
			"until then, and may be delaying logins", method_label(method));
	}
	if (s->sasl) {
		/* the session outlives the login: nothing password-derived stays but the
		 * layer's own keys, neither in the mechanism nor in the reused HMAC and
		 * digest contexts that computed with the password */
		sq_sasl_forget_secrets(s->sasl);
		sq_crypto_scrub();
	}
	if (rc == SQ_OK && s->sasl && sq_sasl_has_layer(s->sasl)) {
		/* RFC 3501 6.2.2, RFC 4954 4, RFC 5034 4: the layer starts right after
		 * the exchange's final response, and capabilities learnt before it
		 * are forgotten */
		rc = sq_conn_set_layer(s->conn, s->sasl, err);
		s->caps_gen_at_auth = s->caps_gen = 0;
	}
	if (rc == SQ_OK) {
		rc = ops->after_login(s, err);
	}
	if (rc == SQ_OK) {
		sq_conn_timings_mut(s->conn)->auth = (double)sq_now_ms() / 1000.0 - t_auth;
		sq_conn_timings_mut(s->conn)->total = (double)sq_now_ms() / 1000.0 - t0;
		sq_conn_set_deadline(s->conn, 0);
		sq_conn_save_session(s->conn);
	}
	return rc;
}

sq_rc sq_login(const sq_login_params *p, sq_session *s, sq_error *err)
{
	sq_rc rc = login(p, s, err);

	s->login_params = NULL;
	sq_wtrack_init(&s->wt, p->proto);
	return rc;
}
