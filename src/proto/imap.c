/*
 * IMAP (RFC 3501, RFC 9051): greeting, CAPABILITY (from the greeting's
 * response code when present), STARTTLS, AUTHENTICATE with SASL-IR
 * (RFC 4959), the LOGIN command with quoted strings or literals, RFC 5530
 * response codes.
 */
#include "proto.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../util/alloc.h"

/* Reads one response line; a line ending in a literal {n} is continued with
 * the literal's bytes and the rest of the response (total capped). */
static sq_rc read_resp(sq_session *s, sq_buf *line, sq_error *err)
{
	sq_buf part = SQ_BUF_INIT;
	size_t n, i;
	unsigned long lit;
	sq_rc rc;

	sq_buf_reset(line);
	for (;;) {
		if ((rc = sq_conn_read_line(s->conn, &part, err)) != SQ_OK) {
			break;
		}
		if (sq_buf_append(line, part.data, part.len) != SQ_OK) {
			rc = sq_error_set(err, SQ_ENOMEM, "out of memory");
			break;
		}
		n = part.len;
		if (n < 3 || part.data[n - 1] != '}') {
			break;
		}
		i = n - 2;
		if (part.data[i] == '+') {
			i--;
		}
		lit = 0;
		while (i > 0 && part.data[i] >= '0' && part.data[i] <= '9') {
			i--;
		}
		if (part.data[i] != '{' || i == n - 2) {
			break;
		}
		for (size_t j = i + 1; j < n && part.data[j] >= '0' && part.data[j] <= '9'; j++) {
			lit = lit * 10 + (unsigned long)(part.data[j] - '0');
			if (lit > SQ_MAX_LINE) {
				break;
			}
		}
		if (lit > SQ_MAX_LINE || line->len + lit > SQ_MAX_LINE) {
			rc = sq_error_set(err, SQ_EPROTO, "IMAP: a response larger than %d bytes", SQ_MAX_LINE);
			break;
		}
		if ((rc = sq_buf_append(line, "\r\n", 2)) != SQ_OK) {
			sq_error_set(err, rc, "out of memory");
			break;
		}
		if ((rc = sq_conn_read_exact(s->conn, line, (size_t)lit, err)) != SQ_OK) {
			break;
		}
	}
	sq_buf_free(&part);
	return rc;
}

/* Parses "[CAPABILITY a b c]" or "CAPABILITY a b c" text into the session. */
static sq_rc parse_caps(sq_session *s, const char *p, size_t n)
{
	size_t i = 0, st;
	sq_rc rc = SQ_OK;

	sq_strlist_clear(&s->caps);
	sq_strlist_clear(&s->mechs);
	s->starttls_offered = 0;
	s->caps_gen++;
	while (i < n && rc == SQ_OK) {
		while (i < n && p[i] == ' ') {
			i++;
		}
		st = i;
		while (i < n && p[i] != ' ' && p[i] != ']') {
			i++;
		}
		if (i == st) {
			break;
		}
		rc = sq_strlist_add(&s->caps, p + st, i - st);
		if (rc == SQ_OK && i - st > 5 && strncasecmp(p + st, "AUTH=", 5) == 0) {
			rc = sq_add_mech(s, p + st + 5, i - st - 5);
		}
		if (i - st == 8 && strncasecmp(p + st, "STARTTLS", 8) == 0) {
			s->starttls_offered = 1;
		}
		if (i < n && p[i] == ']') {
			break;
		}
	}
	return rc;
}

/* If text starts with "[CAPABILITY ...]", takes the capabilities from it. */
static int caps_from_code(sq_session *s, const char *text, size_t n)
{
	if (n > 12 && strncasecmp(text, "[CAPABILITY ", 12) == 0) {
		parse_caps(s, text + 12, n - 12);
		return 1;
	}
	return 0;
}

/* Handles an untagged line; SQ_ECONN for BYE. */
static sq_rc untagged(sq_session *s, const sq_buf *l, sq_error *err)
{
	const char *t = (const char *)l->data;
	char msg[200];

	if (l->len >= 6 && strncasecmp(t, "* BYE", 5) == 0) {
		sq_sanitize(msg, sizeof(msg), t + 5, l->len - 5);
		return sq_error_set(err, SQ_ECONN, "the IMAP server closed the connection (BYE%s)", msg);
	}
	if (l->len > 13 && strncasecmp(t, "* CAPABILITY ", 13) == 0) {
		parse_caps(s, t + 13, l->len - 13);
	} else if (l->len > 5 && strncasecmp(t, "* OK ", 5) == 0) {
		caps_from_code(s, t + 5, l->len - 5);
	}
	return SQ_OK;
}

/* If l is tag's tagged response: the status word (OK, NO, BAD) upper-cased
 * in status, the text after it in text, and 1. Else 0. */
static int tagged_status(const sq_buf *l, const char *tag, char status[4], sq_buf *text)
{
	const char *t = (const char *)l->data, *w;
	size_t tl = strlen(tag), wl, k = 0, u;

	if (l->len < tl + 3 || strncmp(t, tag, tl) != 0 || t[tl] != ' ') {
		return 0;
	}
	w = t + tl + 1;
	wl = l->len - tl - 1;
	while (k < wl && k < 3 && w[k] != ' ') {
		k++;
	}
	if (!((k == 2 && (strncasecmp(w, "OK", 2) == 0 || strncasecmp(w, "NO", 2) == 0))
		|| (k == 3 && strncasecmp(w, "BAD", 3) == 0)) || (k < wl && w[k] != ' ')) {
		return 0;
	}
	for (u = 0; u < k; u++) {
		status[u] = (char)(w[u] >= 'a' ? w[u] - 32 : w[u]);
	}
	status[k] = '\0';
	sq_buf_reset(text);
	if (wl > k + 1 && sq_buf_append(text, w + k + 1, wl - k - 1) != SQ_OK) {
		sq_buf_reset(text); /* out of memory: the text is only informative */
	}
	return 1;
}

/* Reads the next line that is not untagged data: untagged lines on the way
 * are taken in (capabilities) or end the read (BYE). */
static sq_rc read_reply(sq_session *s, sq_buf *l, sq_error *err)
{
	sq_rc rc;

	for (;;) {
		if ((rc = read_resp(s, l, err)) != SQ_OK) {
			return rc;
		}
		if (!(l->len >= 2 && l->data[0] == '*' && l->data[1] == ' ')) {
			return SQ_OK;
		}
		if ((rc = untagged(s, l, err)) != SQ_OK) {
			return rc;
		}
	}
}

/* Reads until the tagged response of tag; returns the status word in
 * *status (OK, NO, BAD) and the text after it in text. Continuation
 * requests are an error here. */
static sq_rc wait_tagged(sq_session *s, const char *tag, char *status, sq_buf *text, sq_error *err)
{
	sq_buf l = SQ_BUF_INIT;
	sq_rc rc = read_reply(s, &l, err);

	if (rc == SQ_OK && !tagged_status(&l, tag, status, text)) {
		rc = sq_error_set(err, SQ_EPROTO, l.len >= 1 && l.data[0] == '+'
			? "IMAP: unexpected continuation request" : "IMAP: unexpected response line");
	}
	sq_buf_free(&l);
	return rc;
}

static void next_tag(sq_session *s, char tag[16])
{
	snprintf(tag, 16, "A%u", ++s->tag);
}

/* NO / BAD: the refusal text and RFC 5530 code. */
static void record_refusal(sq_session *s, const sq_buf *text)
{
	sq_set_refusal_text(s, text->data ? (const char *)text->data : "", text->len);
}

static sq_rc imap_greeting(sq_session *s, sq_tls_mode mode, sq_error *err)
{
	sq_buf l = SQ_BUF_INIT;
	const char *t;
	char msg[200];
	sq_rc rc;

	if (mode == SQ_TLS_STARTTLS && s->login_params && !s->login_params->detect_only
		&& !s->login_params->no_pipelining) {
		/* STARTTLS goes out at once, without waiting for the greeting: the
		 * server reads it after greeting, and a round trip is saved. The
		 * greeting is still read and checked first (PREAUTH and BYE end the
		 * login as before), and nothing learnt in plaintext is trusted. */
		next_tag(s, s->starttls_tag);
		if ((rc = sq_send_line(s, s->starttls_tag, " ", "STARTTLS", err)) != SQ_OK) {
			return rc;
		}
	}
	if ((rc = read_resp(s, &l, err)) != SQ_OK) {
		sq_buf_free(&l);
		return rc;
	}
	t = (const char *)l.data;
	sq_buf_set(&s->greeting, l.data, l.len);
	if (l.len >= 4 && strncasecmp(t, "* OK", 4) == 0) {
		if (l.len > 5) {
			caps_from_code(s, t + 5, l.len - 5);
		}
		rc = SQ_OK;
	} else if (l.len >= 9 && strncasecmp(t, "* PREAUTH", 9) == 0) {
		/* already authenticated: no STARTTLS is possible any more, and a
		 * man in the middle can inject this to keep the link in cleartext */
		rc = sq_error_set(err, mode == SQ_TLS_STARTTLS ? SQ_ESECURITY : SQ_EPROTO,
			"IMAP: the server sent PREAUTH%s", mode == SQ_TLS_STARTTLS ? ", which rules out STARTTLS" : " instead of a login prompt");
	} else if (l.len >= 5 && strncasecmp(t, "* BYE", 5) == 0) {
		sq_sanitize(msg, sizeof(msg), t, l.len);
		rc = sq_error_set(err, SQ_ECONN, "the IMAP server refused the connection: %s", msg);
	} else {
		sq_sanitize(msg, sizeof(msg), t, l.len);
		rc = sq_error_set(err, SQ_EPROTO, "IMAP: not an IMAP greeting: %s", msg);
	}
	sq_buf_free(&l);
	return rc;
}

static sq_rc simple_command(sq_session *s, const char *cmd, char *status, sq_buf *text, sq_error *err)
{
	char tag[16];
	sq_rc rc;

	next_tag(s, tag);
	if ((rc = sq_send_line(s, tag, " ", cmd, err)) != SQ_OK) {
		return rc;
	}
	return wait_tagged(s, tag, status, text, err);
}

/* CAPABILITY: sent, and its answer read (imap_capabilities does both; after
 * STARTTLS the answer is read once the login command has followed it). */
static sq_rc imap_caps_send(sq_session *s, sq_error *err)
{
	next_tag(s, s->caps_tag);
	return sq_send_line(s, s->caps_tag, " ", "CAPABILITY", err);
}

static sq_rc imap_caps_finish(sq_session *s, sq_error *err)
{
	char status[4];
	sq_buf text = SQ_BUF_INIT;
	sq_rc rc;

	if (!s->caps_tag[0]) {
		return SQ_OK;
	}
	rc = wait_tagged(s, s->caps_tag, status, &text, err);
	s->caps_tag[0] = '\0';
	if (rc == SQ_OK && strcmp(status, "OK") != 0) {
		rc = sq_error_set(err, SQ_EPROTO, "IMAP: CAPABILITY failed");
	}
	if (rc == SQ_OK && !sq_strlist_has(&s->caps, "IMAP4rev1") && !sq_strlist_has(&s->caps, "IMAP4rev2")) {
		rc = sq_error_set(err, SQ_EPROTO, "IMAP: the server does not announce IMAP4rev1");
	}
	/* what the login's own answer brings is what counts as new */
	s->caps_gen_at_auth = s->caps_gen;
	sq_buf_free(&text);
	return rc;
}

static sq_rc imap_capabilities(sq_session *s, const sq_login_params *p, sq_error *err)
{
	sq_rc rc;

	(void)p;
	if (s->caps.n || s->starttls_tag[0]) {
		/* the greeting's response code had them; or STARTTLS is already on
		 * its way, and the plaintext list would prove nothing anyway */
		return SQ_OK;
	}
	if ((rc = imap_caps_send(s, err)) != SQ_OK) {
		return rc;
	}
	return imap_caps_finish(s, err);
}

static sq_rc imap_starttls(sq_session *s, sq_error *err)
{
	char status[4];
	sq_buf text = SQ_BUF_INIT;
	sq_rc rc;

	if (s->starttls_tag[0]) {
		rc = wait_tagged(s, s->starttls_tag, status, &text, err);
		s->starttls_tag[0] = '\0';
	} else {
		rc = simple_command(s, "STARTTLS", status, &text, err);
	}

	if (rc == SQ_OK && strcmp(status, "OK") != 0) {
		rc = sq_error_set(err, SQ_ESECURITY, "IMAP: the server refused STARTTLS");
	}
	sq_buf_free(&text);
	return rc;
}

static sq_rc imap_auth_begin(sq_session *s, const char *mech, const sq_buf *ir, int has_ir, int *ir_sent, sq_error *err)
{
	char prefix[40];

	next_tag(s, s->pending_tag);
	s->caps_gen_at_auth = s->caps_gen;
	snprintf(prefix, sizeof(prefix), "%s AUTHENTICATE ", s->pending_tag);
	/* RFC 4959 SASL-IR: the initial response on the command line */
	/* while the CAPABILITY sent with this command is unanswered, the
	 * greeting's list decides (a wrong guess costs a BAD, never a secret:
	 * TLS is up and verified) */
	return sq_send_auth_command(s, prefix, mech, ir, has_ir && (sq_strlist_has(&s->caps, "SASL-IR")
		|| (s->caps_tag[0] && sq_strlist_has(&s->caps_before, "SASL-IR"))),
		(size_t)-1, ir_sent, err);
}

static sq_rc imap_auth_next(sq_session *s, sq_auth_kind *kind, sq_buf *data, sq_error *err)
{
	sq_buf l = SQ_BUF_INIT, text = SQ_BUF_INIT;
	char status[4];
	const char *t;
	sq_rc rc = read_reply(s, &l, err);

	t = (const char *)l.data;
	if (rc != SQ_OK) {
		/* nothing */
	} else if (l.len >= 1 && t[0] == '+') {
		*kind = SQ_AUTH_CHALLENGE;
		sq_buf_reset(data);
		if (l.len > 2 && (rc = sq_buf_append(data, t + 2, l.len - 2)) != SQ_OK) {
			sq_error_set(err, rc, "out of memory");
		}
	} else if (tagged_status(&l, s->pending_tag, status, &text)) {
		sq_buf_reset(data);
		if (strcmp(status, "OK") == 0) {
			*kind = SQ_AUTH_SUCCESS;
			caps_from_code(s, text.data ? (const char *)text.data : "", text.len);
		} else if (strcmp(status, "NO") == 0) {
			*kind = SQ_AUTH_FAILURE;
			record_refusal(s, &text);
		} else {
			char msg[200];
			sq_sanitize(msg, sizeof(msg), l.data, l.len);
			rc = sq_error_set(err, SQ_EPROTO, "IMAP: the server rejected the command: %s", msg);
		}
	} else {
		rc = sq_error_set(err, SQ_EPROTO, "IMAP: unexpected response line during authentication");
	}
	sq_buf_free(&l);
	sq_buf_free(&text);
	return rc;
}

static sq_rc imap_auth_send(sq_session *s, const sq_buf *resp, sq_error *err)
{
	return sq_send_line(s, resp->len ? (const char *)resp->data : "", NULL, NULL, err);
}

static sq_rc imap_auth_cancel(sq_session *s, sq_error *err)
{
	/* "*" ends the exchange; the tagged BAD (or NO) that answers it is expected */
	char status[4];
	sq_buf text = SQ_BUF_INIT;
	sq_error e2;
	sq_rc rc = sq_send_line(s, "*", NULL, NULL, err ? err : &e2);

	if (rc == SQ_OK) {
		rc = wait_tagged(s, s->pending_tag, status, &text, err ? err : &e2);
	}
	sq_buf_free(&text);
	return rc;
}

/* An IMAP astring for LOGIN: a quoted string when the value is 7-bit,
 * else a literal (synchronising, or LITERAL+ when offered). */
static int needs_literal(sq_bytes v)
{
	size_t i;

	for (i = 0; i < v.len; i++) {
		if (v.p[i] >= 0x80) {
			return 1;
		}
	}
	return 0;
}

static sq_rc append_quoted(sq_buf *b, sq_bytes v)
{
	size_t i;
	sq_rc rc = sq_buf_append_byte(b, '"');

	for (i = 0; i < v.len && rc == SQ_OK; i++) {
		if (v.p[i] == '"' || v.p[i] == '\\') {
			rc = sq_buf_append_byte(b, '\\');
		}
		if (rc == SQ_OK) {
			rc = sq_buf_append_byte(b, v.p[i]);
		}
	}
	return rc == SQ_OK ? sq_buf_append_byte(b, '"') : rc;
}

/* Sends "TAG LOGIN user pass" with literals where needed, waiting for the
 * continuation of each synchronising literal. */
static sq_rc send_login(sq_session *s, const sq_login_params *p, sq_error *err)
{
	sq_buf cmd = SQ_BUF_SECRET_INIT, l = SQ_BUF_INIT;
	const sq_bytes *vals[2] = {&p->username, &p->password};
	int plus = sq_strlist_has(&s->caps, "LITERAL+") || sq_strlist_has(&s->caps, "LITERAL-");
	char num[32];
	int i;
	sq_rc rc = SQ_OK;

	next_tag(s, s->pending_tag);
	s->caps_gen_at_auth = s->caps_gen;
	if ((rc = sq_buf_append_str(&cmd, s->pending_tag)) == SQ_OK) {
		rc = sq_buf_append_str(&cmd, " LOGIN");
	}
	for (i = 0; i < 2 && rc == SQ_OK; i++) {
		if ((rc = sq_buf_append_byte(&cmd, ' ')) != SQ_OK) {
			break;
		}
		if (!needs_literal(*vals[i])) {
			rc = append_quoted(&cmd, *vals[i]);
			continue;
		}
		snprintf(num, sizeof(num), "{%zu%s}\r\n", vals[i]->len, plus ? "+" : "");
		if ((rc = sq_buf_append_str(&cmd, num)) != SQ_OK) {
			break;
		}
		if ((rc = sq_conn_write(s->conn, cmd.data, cmd.len, err)) != SQ_OK) {
			break;
		}
		sq_buf_reset(&cmd);
		if (!plus) {
			/* synchronising literal: the server must say "+" first */
			if ((rc = read_reply(s, &l, err)) != SQ_OK) {
				break;
			}
			if (!(l.len >= 1 && l.data[0] == '+')) {
				rc = sq_error_set(err, SQ_EPROTO, "IMAP: the server refused the LOGIN literal");
				break;
			}
		}
		rc = sq_buf_append(&cmd, vals[i]->p, vals[i]->len);
	}
	if (rc == SQ_OK && (rc = sq_buf_append(&cmd, "\r\n", 2)) == SQ_OK) {
		rc = sq_conn_write(s->conn, cmd.data, cmd.len, err);
	}
	if (rc == SQ_ENOMEM) {
		sq_error_set(err, rc, "out of memory");
	}
	sq_buf_free(&cmd);
	sq_buf_free(&l);
	return rc;
}

static sq_rc imap_plain_login(sq_session *s, const sq_login_params *p, int method, sq_error *err)
{
	sq_auth_kind kind;
	sq_buf data = SQ_BUF_INIT;
	sq_rc rc;

	if (method != SQ_METHOD_IMAP_LOGIN) {
		return sq_error_set(err, SQ_EINVAL, "IMAP has no such login method");
	}
	if (s->caps_tag[0] && (needs_literal(p->username) || needs_literal(p->password))
		&& (rc = imap_caps_finish(s, err)) != SQ_OK) {
		return rc; /* literals: their "+" would come after the capabilities */
	}
	if (sq_strlist_has(&s->caps, "LOGINDISABLED")) {
		return sq_error_set(err, SQ_EPROTO, "IMAP: the server disables the LOGIN command (LOGINDISABLED)");
	}
	snprintf(s->mechanism, sizeof(s->mechanism), "LOGIN-COMMAND");
	if ((rc = send_login(s, p, err)) != SQ_OK) {
		return rc;
	}
	if (s->caps_tag[0]) {
		if ((rc = imap_caps_finish(s, err)) != SQ_OK) {
			return rc;
		}
		if (sq_strlist_has(&s->caps, "LOGINDISABLED")) {
			return sq_error_set(err, SQ_EPROTO, "IMAP: the server disables the LOGIN command (LOGINDISABLED)");
		}
	}
	rc = imap_auth_next(s, &kind, &data, err);
	sq_buf_free(&data);
	if (rc == SQ_OK && kind == SQ_AUTH_FAILURE) {
		rc = sq_error_set(err, SQ_EAUTH, "IMAP LOGIN failed: %s", s->server_message);
	} else if (rc == SQ_OK && kind == SQ_AUTH_CHALLENGE) {
		rc = sq_error_set(err, SQ_EPROTO, "IMAP: unexpected continuation request after LOGIN");
	}
	return rc;
}

/* The capabilities change with login. The tagged OK (or an untagged
 * CAPABILITY) usually carries the new ones; ask only when neither did. */
static sq_rc imap_after_login(sq_session *s, sq_error *err)
{
	char status[4];
	sq_buf text = SQ_BUF_INIT;
	sq_rc rc;

	if (s->caps_gen != s->caps_gen_at_auth && !sq_conn_has_layer(s->conn)) {
		return SQ_OK;
	}
	rc = simple_command(s, "CAPABILITY", status, &text, err);
	if (rc == SQ_OK && strcmp(status, "OK") != 0) {
		rc = sq_error_set(err, SQ_EPROTO, "IMAP: CAPABILITY failed after login");
	}
	sq_buf_free(&text);
	return rc;
}

static void imap_quit(sq_session *s)
{
	char status[4];
	sq_buf text = SQ_BUF_INIT;
	sq_error e;

	simple_command(s, "LOGOUT", status, &text, &e);
	sq_buf_free(&text);
}

/* A tagged NOOP of our own: OK after nothing but untagged data. Another tag's
 * response (a command in flight, IDLE ended by our line), a continuation
 * request (an open literal) or BYE means the connection was not at rest. */
static sq_rc imap_rest(sq_session *s, int reset, int read, sq_error *err)
{
	char status[4];
	sq_buf l = SQ_BUF_INIT, text = SQ_BUF_INIT;
	sq_rc rc;

	if (!read) {
		/* a park leaves no mailbox selected: UNSELECT where one is (sq_session_park) */
		s->rest_unselect = reset && s->wt.selected;
		snprintf(s->rest_tag, sizeof(s->rest_tag), "SQP%u", ++s->tag);
		return sq_send_line(s, s->rest_tag, " ", s->rest_unselect ? "UNSELECT" : "NOOP", err);
	}
	if (s->rest_unselect) {
		/* the selected mailbox's news may come before UNSELECT's answer: they are
		 * about a mailbox that is no longer selected */
		rc = read_reply(s, &l, err);
	} else {
		/* a NOOP with no mailbox selected is answered OK and nothing else: untagged data
		 * here (an EXISTS, an ALERT) would be lost to the next caller, who gets a
		 * connection as a login gives it */
		rc = read_resp(s, &l, err);
		if (rc == SQ_OK && l.len >= 2 && l.data[0] == '*' && l.data[1] == ' ') {
			rc = sq_error_set(err, SQ_ESTATE, "IMAP: the NOOP was answered with untagged data");
		}
	}
	if (rc != SQ_OK) {
		/* (set above) */
	} else if (!tagged_status(&l, s->rest_tag, status, &text)) {
		rc = sq_error_set(err, SQ_ESTATE, "IMAP: the connection was not at rest (%s)",
			l.len >= 1 && l.data[0] == '+' ? "a continuation request came" : "another command's response came");
	} else if (!s->rest_unselect && strcmp(status, "OK") != 0) {
		rc = sq_error_set(err, SQ_ESTATE, "IMAP: NOOP was answered %s", status);
	} else if (rc == SQ_OK && !sq_conn_quiet(s->conn)) {
		rc = sq_error_set(err, SQ_ESTATE, "IMAP: more came after the NOOP's answer");
	}
	sq_buf_free(&l);
	sq_buf_free(&text);
	return rc;
}

const sq_proto_ops sq_imap_ops = {
	"IMAP", "imap",
	imap_greeting, imap_capabilities, imap_starttls, imap_caps_send, imap_caps_finish,
	imap_auth_begin, imap_auth_next, imap_auth_send, imap_auth_cancel,
	imap_plain_login, imap_after_login, imap_quit, imap_rest,
};
