/*
 * SMTP submission (RFC 5321, RFC 4954): greeting, EHLO (multi-line, and the
 * old "AUTH=" form), STARTTLS then EHLO again, AUTH with an initial response
 * where it fits, every reply code checked, enhanced status codes surfaced.
 */
#include "proto.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Reads a whole reply; *code is its 3-digit code, text its last line's text
 * (after "ddd "), all its lines' texts in lines (for EHLO). */
static sq_rc read_reply(sq_session *s, int *code, sq_buf *text, sq_strlist *lines, sq_error *err)
{
	sq_buf l = SQ_BUF_INIT;
	int first = -1, c, n = 0;
	sq_rc rc;

	for (;;) {
		if ((rc = sq_conn_read_line(s->conn, &l, err)) != SQ_OK) {
			break;
		}
		if (l.len < 3 || l.data[0] < '2' || l.data[0] > '5' || l.data[1] < '0' || l.data[1] > '9'
			|| l.data[2] < '0' || l.data[2] > '9' || (l.len > 3 && l.data[3] != ' ' && l.data[3] != '-')) {
			rc = sq_error_set(err, SQ_EPROTO, "SMTP: malformed reply line");
			break;
		}
		c = (l.data[0] - '0') * 100 + (l.data[1] - '0') * 10 + (l.data[2] - '0');
		if (first >= 0 && c != first) {
			rc = sq_error_set(err, SQ_EPROTO, "SMTP: reply codes differ within one reply");
			break;
		}
		first = c;
		if (++n > 1000) {
			rc = sq_error_set(err, SQ_EPROTO, "SMTP: reply too long");
			break;
		}
		if (lines && l.len > 4 && (rc = sq_strlist_add(lines, (const char *)l.data + 4, l.len - 4)) != SQ_OK) {
			break;
		}
		if (l.len <= 3 || l.data[3] == ' ') {
			sq_buf_reset(text);
			if (l.len > 4 && (rc = sq_buf_append(text, l.data + 4, l.len - 4)) != SQ_OK) {
				sq_error_set(err, rc, "out of memory");
			}
			*code = c;
			break;
		}
	}
	sq_buf_free(&l);
	return rc;
}

static sq_rc refused(const char *what, int code, const sq_buf *text, sq_error *err)
{
	char msg[200];

	sq_sanitize(msg, sizeof(msg), text->data ? text->data : (const unsigned char *)"", text->len);
	return sq_error_set(err, SQ_EPROTO, "SMTP: %s: %d %s", what, code, msg);
}

static sq_rc smtp_greeting(sq_session *s, sq_tls_mode mode, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	int code = 0;
	sq_rc rc;

	(void)mode;
	rc = read_reply(s, &code, &text, NULL, err);
	if (rc == SQ_OK) {
		sq_buf_set(&s->greeting, text.data, text.len);
		if (code == 554 || code == 421) {
			char msg[200];
			sq_sanitize(msg, sizeof(msg), text.data, text.len);
			rc = sq_error_set(err, SQ_ECONN, "the SMTP server refused the connection: %d %s", code, msg);
		} else if (code != 220) {
			rc = refused("unexpected greeting", code, &text, err);
		}
	}
	sq_buf_free(&text);
	return rc;
}

static sq_rc smtp_capabilities(sq_session *s, const sq_login_params *p, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	sq_strlist lines = {0};
	int code = 0;
	size_t i;
	sq_rc rc;

	rc = sq_send_line(s, "EHLO ", p->helo && p->helo[0] ? p->helo : "localhost", NULL, err);
	if (rc == SQ_OK) {
		rc = read_reply(s, &code, &text, &lines, err);
	}
	if (rc == SQ_OK && code != 250) {
		rc = refused("EHLO refused", code, &text, err);
	}
	sq_strlist_clear(&s->caps);
	sq_strlist_clear(&s->mechs);
	s->starttls_offered = 0;
	/* the first line is the greeting text, the others are keywords */
	for (i = 1; rc == SQ_OK && i < lines.n; i++) {
		const char *k = lines.items[i];
		size_t n = strlen(k);
		rc = sq_strlist_add(&s->caps, k, n);
		if (strcasecmp(k, "STARTTLS") == 0) {
			s->starttls_offered = 1;
		}
		if (rc == SQ_OK && n > 5 && (strncasecmp(k, "AUTH ", 5) == 0 || strncasecmp(k, "AUTH=", 5) == 0)) {
			rc = sq_add_mech_list(s, k + 5, n - 5);
		}
	}
	sq_strlist_free(&lines);
	sq_buf_free(&text);
	return rc;
}

static sq_rc smtp_starttls(sq_session *s, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	int code = 0;
	sq_rc rc = sq_send_line(s, "STARTTLS", NULL, NULL, err);

	if (rc == SQ_OK) {
		rc = read_reply(s, &code, &text, NULL, err);
	}
	if (rc == SQ_OK && code != 220) {
		rc = sq_error_set(err, SQ_ESECURITY, "SMTP: the server refused STARTTLS (%d)", code);
	}
	sq_buf_free(&text);
	return rc;
}

/* RFC 4954 4: the AUTH command line may hold 12288 octets */
#define SMTP_AUTH_LINE_MAX 12288

static sq_rc smtp_auth_begin(sq_session *s, const char *mech, const sq_buf *ir, int has_ir, int *ir_sent, sq_error *err)
{
	return sq_send_auth_command(s, "AUTH ", mech, ir, has_ir, SMTP_AUTH_LINE_MAX, ir_sent, err);
}

static void record_refusal(sq_session *s, int code, const sq_buf *text)
{
	char c[64];
	const char *t = (const char *)(text->data ? text->data : (const unsigned char *)"");
	size_t i = 0, n = text->len;

	/* an enhanced status code (RFC 3463) leads the text: "535 5.7.8" */
	if (n >= 5 && t[0] >= '2' && t[0] <= '5' && t[1] == '.') {
		while (i < n && t[i] != ' ') {
			i++;
		}
	}
	snprintf(c, sizeof(c), "%d%s%.*s", code, i ? " " : "", (int)(i > 20 ? 20 : i), t);
	sq_set_refusal(s, i < n ? t + i + (t[i] == ' ') : t + n, i < n ? n - i - (t[i] == ' ') : 0, c, strlen(c));
}

static sq_rc smtp_auth_next(sq_session *s, sq_auth_kind *kind, sq_buf *data, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	int code = 0;
	sq_rc rc = read_reply(s, &code, &text, NULL, err);

	if (rc == SQ_OK) {
		sq_buf_reset(data);
		if (code == 334) {
			*kind = SQ_AUTH_CHALLENGE;
			rc = sq_buf_append(data, text.data, text.len);
			if (rc != SQ_OK) {
				sq_error_set(err, rc, "out of memory");
			}
		} else if (code == 235) {
			*kind = SQ_AUTH_SUCCESS;
		} else if (code == 535 || code == 534 || code == 538 || code == 454 || code == 432 || code == 530) {
			*kind = SQ_AUTH_FAILURE;
			record_refusal(s, code, &text);
		} else {
			rc = refused("AUTH failed", code, &text, err);
		}
	}
	sq_buf_free(&text);
	return rc;
}

static sq_rc smtp_auth_send(sq_session *s, const sq_buf *resp, sq_error *err)
{
	return sq_send_line(s, resp->len ? (const char *)resp->data : "", NULL, NULL, err);
}

static sq_rc smtp_auth_cancel(sq_session *s, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	int code;
	sq_error e2;
	sq_rc rc = sq_send_line(s, "*", NULL, NULL, err ? err : &e2);

	if (rc == SQ_OK) {
		rc = read_reply(s, &code, &text, NULL, err ? err : &e2); /* 501 */
	}
	sq_buf_free(&text);
	return rc;
}

static sq_rc smtp_plain_login(sq_session *s, const sq_login_params *p, int method, sq_error *err)
{
	(void)s;
	(void)p;
	(void)method;
	return sq_error_set(err, SQ_EINVAL, "SMTP authenticates with SASL only");
}

static sq_rc smtp_after_login(sq_session *s, sq_error *err)
{
	/* RFC 4954 4: after a security layer, EHLO again and forget the old list */
	if (sq_conn_has_layer(s->conn)) {
		return smtp_capabilities(s, s->login_params, err);
	}
	return SQ_OK; /* ready for MAIL FROM */
}

static void smtp_quit(sq_session *s)
{
	sq_buf text = SQ_BUF_INIT;
	int code;
	sq_error e;

	if (sq_send_line(s, "QUIT", NULL, NULL, &e) == SQ_OK) {
		read_reply(s, &code, &text, NULL, &e);
	}
	sq_buf_free(&text);
}

/* RSET (or NOOP) answered 250. A reply to something else in flight (DATA
 * not ended, a pipelined command) is not 250 to ours, or comes before it:
 * either way the connection is not at rest. */
static sq_rc smtp_rest(sq_session *s, int reset, int read, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	int code = 0;
	sq_rc rc;

	if (!read) {
		return sq_send_line(s, reset ? "RSET" : "NOOP", NULL, NULL, err);
	}
	rc = read_reply(s, &code, &text, NULL, err);
	if (rc == SQ_OK && code != 250) {
		rc = sq_error_set(err, SQ_ESTATE, "SMTP: %s was answered %d", reset ? "RSET" : "NOOP", code);
	}
	if (rc == SQ_OK && !sq_conn_quiet(s->conn)) {
		rc = sq_error_set(err, SQ_ESTATE, "SMTP: more replies came than commands were sent");
	}
	sq_buf_free(&text);
	return rc;
}

const sq_proto_ops sq_smtp_ops = {
	"SMTP", "smtp",
	smtp_greeting, smtp_capabilities, smtp_starttls, NULL, NULL,
	smtp_auth_begin, smtp_auth_next, smtp_auth_send, smtp_auth_cancel,
	smtp_plain_login, smtp_after_login, smtp_quit, smtp_rest,
};
