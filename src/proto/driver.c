/*
 * What every protocol driver (imap.c, smtp.c, pop3.c) shares with the login:
 * the session's capability and mechanism lists, a command line and an AUTH
 * command sent, and a refusal recorded (sanitised) for the caller.
 */
#include "proto.h"

#include <string.h>

#include "../util/alloc.h"
#include "../util/base64.h"

void sq_strlist_clear(sq_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		sq_free(l->items[i]);
	}
	l->n = 0;
}

void sq_strlist_free(sq_strlist *l)
{
	sq_strlist_clear(l);
	sq_free(l->items);
	l->items = NULL;
	l->cap = 0;
}

sq_rc sq_strlist_add(sq_strlist *l, const char *s, size_t n)
{
	char **p;

	if (l->n >= 1024) {
		return SQ_EPROTO; /* a capability list is not that long */
	}
	if (l->n == l->cap) {
		p = sq_realloc(l->items, (l->cap ? l->cap * 2 : 16) * sizeof(char *));
		if (!p) {
			return SQ_ENOMEM;
		}
		l->items = p;
		l->cap = l->cap ? l->cap * 2 : 16;
	}
	l->items[l->n] = sq_memdup(s, n);
	if (!l->items[l->n]) {
		return SQ_ENOMEM;
	}
	l->n++;
	return SQ_OK;
}

int sq_strlist_has(const sq_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcasecmp(l->items[i], s) == 0) {
			return 1;
		}
	}
	return 0;
}

sq_rc sq_add_mech(sq_session *s, const char *m, size_t n)
{
	char up[64];
	size_t i;

	if (n == 0 || n >= sizeof(up)) {
		return SQ_OK; /* not a mechanism name we could use */
	}
	for (i = 0; i < n; i++) {
		up[i] = (m[i] >= 'a' && m[i] <= 'z') ? (char)(m[i] - 32) : m[i];
	}
	up[n] = '\0';
	if (sq_strlist_has(&s->mechs, up)) {
		return SQ_OK;
	}
	return sq_strlist_add(&s->mechs, up, n);
}

sq_rc sq_add_mech_list(sq_session *s, const char *p, size_t n)
{
	size_t i = 0, st;
	sq_rc rc = SQ_OK;

	while (i < n && rc == SQ_OK) {
		while (i < n && p[i] == ' ') {
			i++;
		}
		st = i;
		while (i < n && p[i] != ' ') {
			i++;
		}
		if (i > st) {
			rc = sq_add_mech(s, p + st, i - st);
		}
	}
	return rc;
}

void sq_set_refusal_text(sq_session *s, const char *t, size_t n)
{
	const char *end, *code_end;
	size_t skip;

	if (n > 2 && t[0] == '[' && (end = memchr(t, ']', n)) != NULL) {
		code_end = t + 1;
		while (code_end < end && *code_end != ' ') {
			code_end++;
		}
		skip = (size_t)(end - t) + 1;
		if (skip < n && t[skip] == ' ') {
			skip++;
		}
		sq_set_refusal(s, t + skip, n - skip, t + 1, (size_t)(code_end - t - 1));
	} else {
		sq_set_refusal(s, t, n, NULL, 0);
	}
}

sq_rc sq_send_line(sq_session *s, const char *a, const char *b, const char *c, sq_error *err)
{
	sq_buf line = SQ_BUF_SECRET_INIT;
	sq_rc rc;

	if (sq_buf_append_str(&line, a) != SQ_OK || (b && sq_buf_append_str(&line, b) != SQ_OK)
		|| (c && sq_buf_append_str(&line, c) != SQ_OK) || sq_buf_append(&line, "\r\n", 2) != SQ_OK) {
		sq_buf_free(&line);
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	rc = sq_conn_write(s->conn, line.data, line.len, err);
	sq_buf_free(&line);
	return rc;
}

sq_rc sq_send_auth_command(sq_session *s, const char *prefix, const char *mech, const sq_buf *ir, int has_ir,
	size_t max_line, int *ir_sent, sq_error *err)
{
	sq_buf line = SQ_BUF_SECRET_INIT;
	size_t with_ir = strlen(prefix) + strlen(mech) + 1 + (ir->len ? ir->len : 1) + 2;
	sq_rc rc;

	*ir_sent = 0;
	if (sq_buf_append_str(&line, prefix) != SQ_OK || sq_buf_append_str(&line, mech) != SQ_OK) {
		sq_buf_free(&line);
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	if (has_ir && with_ir <= max_line) {
		if (sq_buf_append_byte(&line, ' ') != SQ_OK
			|| (ir->len ? sq_buf_append(&line, ir->data, ir->len) : sq_buf_append_byte(&line, '=')) != SQ_OK) {
			sq_buf_free(&line);
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
		*ir_sent = 1;
	}
	rc = sq_send_line(s, (const char *)line.data, NULL, NULL, err);
	sq_buf_free(&line);
	return rc;
}

void sq_set_refusal(sq_session *s, const char *text, size_t len, const char *code, size_t clen)
{
	sq_sanitize(s->server_message, sizeof(s->server_message), text, len);
	if (code) {
		sq_sanitize(s->response_code, sizeof(s->response_code), code, clen);
	} else {
		s->response_code[0] = '\0';
	}
}
