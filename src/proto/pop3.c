/*
 * POP3 (RFC 1939, RFC 2449, RFC 2595, RFC 5034): greeting (with its APOP
 * timestamp), CAPA, STLS, AUTH with an initial response where it fits,
 * USER/PASS and APOP, extended response codes surfaced.
 */
#include "proto.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../sasl/crypto.h"
#include "../util/alloc.h"

/* One status line: *ok = 1 for +OK, 0 for -ERR; text after the status. */
static sq_rc read_status(sq_session *s, int *ok, sq_buf *text, sq_error *err)
{
	sq_buf l = SQ_BUF_INIT;
	sq_rc rc = sq_conn_read_line(s->conn, &l, err);

	if (rc == SQ_OK) {
		sq_buf_reset(text);
		if (l.len >= 3 && strncmp((char *)l.data, "+OK", 3) == 0) {
			*ok = 1;
			if (l.len > 4 && (rc = sq_buf_append(text, l.data + 4, l.len - 4)) != SQ_OK) {
				sq_error_set(err, rc, "out of memory");
			}
		} else if (l.len >= 4 && strncmp((char *)l.data, "-ERR", 4) == 0) {
			*ok = 0;
			if (l.len > 5 && (rc = sq_buf_append(text, l.data + 5, l.len - 5)) != SQ_OK) {
				sq_error_set(err, rc, "out of memory");
			}
		} else {
			rc = sq_error_set(err, SQ_EPROTO, "POP3: expected +OK or -ERR");
		}
	}
	sq_buf_free(&l);
	return rc;
}

static sq_rc pop3_greeting(sq_session *s, sq_tls_mode mode, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	int ok = 0;
	sq_rc rc;
	const char *lt, *gt;

	(void)mode;
	rc = read_status(s, &ok, &text, err);
	if (rc == SQ_OK) {
		sq_buf_set(&s->greeting, text.data, text.len);
		if (!ok) {
			char msg[200];
			sq_sanitize(msg, sizeof(msg), text.data, text.len);
			rc = sq_error_set(err, SQ_ECONN, "the POP3 server refused the connection: %s", msg);
		} else if (text.len && (lt = memchr(text.data, '<', text.len)) != NULL
			&& (gt = memchr(lt, '>', text.len - (size_t)(lt - (const char *)text.data))) != NULL
			&& (size_t)(gt - lt + 1) < sizeof(s->apop_stamp) && memchr(lt, '@', (size_t)(gt - lt))) {
			memcpy(s->apop_stamp, lt, (size_t)(gt - lt + 1));
			s->apop_stamp[gt - lt + 1] = '\0';
		}
	}
	sq_buf_free(&text);
	return rc;
}

static sq_rc pop3_capabilities(sq_session *s, const sq_login_params *p, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT, l = SQ_BUF_INIT;
	int ok = 0, lines = 0;
	sq_rc rc;

	(void)p;
	sq_strlist_clear(&s->caps);
	sq_strlist_clear(&s->mechs);
	s->starttls_offered = 0;
	rc = sq_send_line(s, "CAPA", NULL, NULL, err);
	if (rc == SQ_OK) {
		rc = read_status(s, &ok, &text, err);
	}
	while (rc == SQ_OK && ok) {
		if ((rc = sq_conn_read_line(s->conn, &l, err)) != SQ_OK) {
			break;
		}
		if (l.len == 1 && l.data[0] == '.') {
			break;
		}
		if (++lines > 1000) {
			rc = sq_error_set(err, SQ_EPROTO, "POP3: CAPA reply too long");
			break;
		}
		{
			const char *k = (const char *)l.data + (l.len && l.data[0] == '.'); /* dot-stuffing */
			size_t n = l.len - (l.len && l.data[0] == '.');
			if ((rc = sq_strlist_add(&s->caps, k, n)) != SQ_OK) {
				break;
			}
			if (n == 4 && strncasecmp(k, "STLS", 4) == 0) {
				s->starttls_offered = 1;
			}
			if (n > 5 && strncasecmp(k, "SASL ", 5) == 0) {
				rc = sq_add_mech_list(s, k + 5, n - 5);
			}
		}
	}
	/* -ERR: a pre-RFC 2449 server; no capabilities known */
	sq_buf_free(&text);
	sq_buf_free(&l);
	return rc;
}

static sq_rc pop3_starttls(sq_session *s, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	int ok = 0;
	sq_rc rc = sq_send_line(s, "STLS", NULL, NULL, err);

	if (rc == SQ_OK) {
		rc = read_status(s, &ok, &text, err);
	}
	if (rc == SQ_OK && !ok) {
		rc = sq_error_set(err, SQ_ESECURITY, "POP3: the server refused STLS");
	}
	sq_buf_free(&text);
	return rc;
}

/* RFC 5034 4: a command line with the initial response may hold 255 octets
 * (its CRLF included) */
static sq_rc pop3_auth_begin(sq_session *s, const char *mech, const sq_buf *ir, int has_ir, int *ir_sent, sq_error *err)
{
	return sq_send_auth_command(s, "AUTH ", mech, ir, has_ir, 255, ir_sent, err);
}

static void record_refusal(sq_session *s, const sq_buf *text)
{
	/* RFC 2449 extended codes: "-ERR [AUTH] ..." */
	sq_set_refusal_text(s, text->data ? (const char *)text->data : "", text->len);
}

static sq_rc pop3_auth_next(sq_session *s, sq_auth_kind *kind, sq_buf *data, sq_error *err)
{
	sq_buf l = SQ_BUF_INIT;
	sq_rc rc = sq_conn_read_line(s->conn, &l, err);

	if (rc == SQ_OK) {
		sq_buf_reset(data);
		if (l.len >= 1 && l.data[0] == '+' && (l.len == 1 || l.data[1] == ' ')) {
			*kind = SQ_AUTH_CHALLENGE;
			if (l.len > 2 && (rc = sq_buf_append(data, l.data + 2, l.len - 2)) != SQ_OK) {
				sq_error_set(err, rc, "out of memory");
			}
		} else if (l.len >= 3 && strncmp((char *)l.data, "+OK", 3) == 0) {
			*kind = SQ_AUTH_SUCCESS;
		} else if (l.len >= 4 && strncmp((char *)l.data, "-ERR", 4) == 0) {
			sq_buf text = SQ_BUF_INIT;
			if (l.len > 5 && sq_buf_append(&text, l.data + 5, l.len - 5) != SQ_OK) {
				sq_buf_reset(&text); /* the refusal text is only informative */
			}
			*kind = SQ_AUTH_FAILURE;
			record_refusal(s, &text);
			sq_buf_free(&text);
		} else {
			rc = sq_error_set(err, SQ_EPROTO, "POP3: unexpected line during authentication");
		}
	}
	sq_buf_free(&l);
	return rc;
}

static sq_rc pop3_auth_send(sq_session *s, const sq_buf *resp, sq_error *err)
{
	return sq_send_line(s, resp->len ? (const char *)resp->data : "", NULL, NULL, err);
}

static sq_rc pop3_auth_cancel(sq_session *s, sq_error *err)
{
	sq_buf text = SQ_BUF_INIT;
	int ok;
	sq_error e2;
	sq_rc rc = sq_send_line(s, "*", NULL, NULL, err ? err : &e2);

	if (rc == SQ_OK) {
		rc = read_status(s, &ok, &text, err ? err : &e2);
	}
	sq_buf_free(&text);
	return rc;
}

static int has_ctl(sq_bytes b)
{
	size_t i;

	for (i = 0; i < b.len; i++) {
		if (b.p[i] == '\r' || b.p[i] == '\n' || b.p[i] == '\0') {
			return 1;
		}
	}
	return 0;
}

static sq_rc pop3_plain_login(sq_session *s, const sq_login_params *p, int method, sq_error *err)
{
	sq_buf line = SQ_BUF_SECRET_INIT, text = SQ_BUF_INIT, digest_in = SQ_BUF_SECRET_INIT;
	unsigned char md[16];
	int ok = 0;
	sq_rc rc;

	if (has_ctl(p->username) || has_ctl(p->password)) {
		return sq_error_set(err, SQ_EINVAL, "POP3: CR, LF and NUL cannot be sent in a user name or password");
	}
	if (method == SQ_METHOD_POP3_APOP) {
		if (!s->apop_stamp[0]) {
			return sq_error_set(err, SQ_EPROTO, "POP3: the greeting has no APOP timestamp");
		}
		snprintf(s->mechanism, sizeof(s->mechanism), "APOP");
		/* RFC 1939 7: MD5(timestamp password), as lowercase hex */
		if (sq_buf_append_str(&digest_in, s->apop_stamp) != SQ_OK
			|| sq_buf_append(&digest_in, p->password.p, p->password.len) != SQ_OK
			|| sq_hash(SQ_HASH_MD5, digest_in.data, digest_in.len, md) != SQ_OK
			|| sq_buf_append_str(&line, "APOP ") != SQ_OK
			|| sq_buf_append(&line, p->username.p, p->username.len) != SQ_OK
			|| sq_buf_append_byte(&line, ' ') != SQ_OK
			|| sq_buf_append_hex(&line, md, 16) != SQ_OK) {
			rc = sq_error_set(err, SQ_ENOMEM, "out of memory");
		} else if ((rc = sq_send_line(s, (const char *)line.data, NULL, NULL, err)) == SQ_OK) {
			rc = read_status(s, &ok, &text, err);
		}
	} else if (method == SQ_METHOD_POP3_USER) {
		snprintf(s->mechanism, sizeof(s->mechanism), "USER");
		if (sq_buf_append_str(&line, "USER ") != SQ_OK || sq_buf_append(&line, p->username.p, p->username.len) != SQ_OK) {
			rc = sq_error_set(err, SQ_ENOMEM, "out of memory");
		} else if ((rc = sq_send_line(s, (const char *)line.data, NULL, NULL, err)) == SQ_OK
			&& (rc = read_status(s, &ok, &text, err)) == SQ_OK && ok) {
			sq_buf_reset(&line);
			if (sq_buf_append_str(&line, "PASS ") != SQ_OK || sq_buf_append(&line, p->password.p, p->password.len) != SQ_OK) {
				rc = sq_error_set(err, SQ_ENOMEM, "out of memory");
			} else if ((rc = sq_send_line(s, (const char *)line.data, NULL, NULL, err)) == SQ_OK) {
				rc = read_status(s, &ok, &text, err);
			}
		}
	} else {
		rc = sq_error_set(err, SQ_EINVAL, "POP3 has no such login method");
	}
	if (rc == SQ_OK && !ok) {
		record_refusal(s, &text);
		rc = sq_error_set(err, SQ_EAUTH, "POP3 %s failed: %s", s->mechanism, s->server_message);
	}
	sq_wipe(md, sizeof(md));
	sq_buf_free(&line);
	sq_buf_free(&text);
	sq_buf_free(&digest_in);
	return rc;
}

static sq_rc pop3_after_login(sq_session *s, sq_error *err)
{
	(void)s;
	(void)err;
	return SQ_OK;
}

static void pop3_quit(sq_session *s)
{
	sq_buf text = SQ_BUF_INIT;
	int ok;
	sq_error e;

	if (sq_send_line(s, "QUIT", NULL, NULL, &e) == SQ_OK) {
		read_status(s, &ok, &text, &e);
	}
	sq_buf_free(&text);
}

const sq_proto_ops sq_pop3_ops = {
	"POP3", "pop",
	pop3_greeting, pop3_capabilities, pop3_starttls, NULL, NULL,
	pop3_auth_begin, pop3_auth_next, pop3_auth_send, pop3_auth_cancel,
	pop3_plain_login, pop3_after_login, pop3_quit,
	NULL, /* never pooled: POP3 locks the mailbox for the session and commits at QUIT */
};
