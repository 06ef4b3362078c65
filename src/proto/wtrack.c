/*
 * What the caller writes on a logged-in connection, followed byte by byte so
 * that the pool knows whether the connection is at rest when it is given back
 * (see sq_wtrack in proto.h). I/O-free: it only reads the bytes it is fed.
 *
 * IMAP (RFC 9051 / 3501): a command is a line that may carry literals
 * ("{n}" or "{n+}" before its CRLF, then n bytes, then the rest of the line).
 * SELECT / EXAMINE select a mailbox, CLOSE / UNSELECT end that; IDLE lasts
 * until a line DONE; ENABLE, COMPRESS, STARTTLS, a second login and LOGOUT
 * change the connection for good (SMTP: AUTH, STARTTLS, QUIT). SMTP (RFC 5321, 3030): DATA is followed by a body up to a line ".";
 * BDAT n by n bytes. Anything that cannot be followed (a literal or chunk
 * size that does not parse or overflows) marks the connection as not at rest.
 */
#include "proto.h"

#include <string.h>

enum { WT_LINE = 0, WT_RAW, WT_DATA };

void sq_wtrack_init(sq_wtrack *w, sq_proto proto)
{
	memset(w, 0, sizeof(*w));
	w->proto = proto;
	w->line_start = 1;
}

static int word_is(const char *s, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z') {
			c = (char)(c - 'a' + 'A');
		}
		if (c != word[i]) {
			return 0;
		}
	}
	return 1;
}

/* A decimal number of at most 18 digits in s[0, n): its value, or -1. */
static long long number(const char *s, size_t n)
{
	long long v = 0;
	size_t i;

	if (n == 0 || n > 18) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The n-th word (0-based) of the line's head: its start and length, 0 if none. */
static size_t nth_word(const sq_wtrack *w, unsigned nth, const char **out)
{
	size_t i = 0, len = w->head_len, start;
	unsigned k = 0;

	for (;;) {
		while (i < len && w->head[i] == ' ') {
			i++;
		}
		start = i;
		while (i < len && w->head[i] != ' ' && w->head[i] != '\r' && w->head[i] != '\n') {
			i++;
		}
		if (i == start) {
			return 0;
		}
		if (k++ == nth) {
			*out = w->head + start;
			return i - start;
		}
	}
}

static void imap_command(sq_wtrack *w)
{
	const char *name;
	size_t n;

	if (w->idle) {
		/* during IDLE the only line the client sends is DONE */
		n = nth_word(w, 0, &name);
		if (word_is(name, n, "DONE")) {
			w->idle = 0;
		}
		return;
	}
	n = nth_word(w, 1, &name);   /* after the tag */
	if (word_is(name, n, "UID")) {
		return;
	}
	if (word_is(name, n, "SELECT") || word_is(name, n, "EXAMINE")) {
		w->selected = 1;
	} else if (word_is(name, n, "CLOSE") || word_is(name, n, "UNSELECT")) {
		w->selected = 0;
	} else if (word_is(name, n, "IDLE")) {
		w->idle = 1;
	} else if (word_is(name, n, "ENABLE") || word_is(name, n, "COMPRESS") || word_is(name, n, "STARTTLS")
		|| word_is(name, n, "AUTHENTICATE") || word_is(name, n, "LOGIN") || word_is(name, n, "LOGOUT")) {
		w->changed = 1;
	}
}

static void smtp_command(sq_wtrack *w)
{
	const char *verb, *size;
	size_t n = nth_word(w, 0, &verb), sn;
	long long v;

	if (word_is(verb, n, "DATA")) {
		w->state = WT_DATA;
		w->dot = 0;
	} else if (word_is(verb, n, "BDAT")) {
		sn = nth_word(w, 1, &size);
		v = number(size, sn);
		if (v < 0) {
			w->broken = 1;
		} else if (v > 0) {
			w->state = WT_RAW;
			w->raw_left = (unsigned long long)v;
		}
	} else if (word_is(verb, n, "AUTH") || word_is(verb, n, "STARTTLS") || word_is(verb, n, "QUIT")) {
		w->changed = 1;
	}
}

/* The end of an IMAP line: a literal follows if it ends with {n} or {n+}. */
static int imap_literal(sq_wtrack *w)
{
	size_t len = w->tail_len, i;
	long long v;

	/* the tail holds the line's last bytes, CRLF (or LF) included */
	if (len && w->tail[len - 1] == '\n') {
		len--;
	}
	if (len && w->tail[len - 1] == '\r') {
		len--;
	}
	if (!len || w->tail[len - 1] != '}') {
		return 0;
	}
	len--;
	if (len && w->tail[len - 1] == '+') {
		len--;
	}
	i = len;
	while (i > 0 && w->tail[i - 1] >= '0' && w->tail[i - 1] <= '9') {
		i--;
	}
	if (i == 0 || w->tail[i - 1] != '{') {
		return 0;
	}
	v = number(w->tail + i, len - i);
	if (v < 0) {
		w->broken = 1;
		return 0;
	}
	w->raw_left = (unsigned long long)v;
	return 1;
}

static void end_of_line(sq_wtrack *w)
{
	if (w->proto == SQ_PROTO_IMAP) {
		if (w->line_start) {
			imap_command(w);
		}
		if (imap_literal(w)) {
			w->line_start = 0;   /* the command goes on after the literal */
			w->state = w->raw_left ? WT_RAW : WT_LINE;
		} else {
			w->line_start = 1;
		}
	} else {
		smtp_command(w);
		w->line_start = 1;
	}
	w->head_len = w->tail_len = 0;
	w->in_line = 0;
}

void sq_wtrack_feed(sq_wtrack *w, const unsigned char *p, size_t n)
{
	size_t i = 0, take;

	while (i < n) {
		switch (w->state) {
		case WT_RAW:
			take = n - i < w->raw_left ? n - i : (size_t)w->raw_left;
			w->raw_left -= take;
			i += take;
			if (w->raw_left == 0) {
				w->state = WT_LINE;
				if (w->proto == SQ_PROTO_SMTP) {
					w->line_start = 1;
				}
			}
			break;
		case WT_DATA:
			/* the body ends with a line that is a single dot */
			if (p[i] == '\n') {
				if (w->dot == 2) {
					w->state = WT_LINE;
					w->line_start = 1;
				}
				w->dot = 1;   /* a line starts */
			} else if (w->dot == 1 && p[i] == '.') {
				w->dot = 3;
			} else if (w->dot == 3 && p[i] == '\r') {
				w->dot = 2;
			} else {
				w->dot = 0;
			}
			i++;
			break;
		default:
			w->in_line = 1;
			if (w->head_len < sizeof(w->head)) {
				w->head[w->head_len++] = (char)p[i];
			}
			if (w->tail_len == sizeof(w->tail)) {
				memmove(w->tail, w->tail + 1, sizeof(w->tail) - 1);
				w->tail_len--;
			}
			w->tail[w->tail_len++] = (char)p[i];
			if (p[i++] == '\n') {
				end_of_line(w);
				if (w->state == WT_DATA) {
					w->dot = 1;   /* the body's first line starts */
				}
			}
			break;
		}
	}
}

int sq_wtrack_at_rest(const sq_wtrack *w)
{
	return w->state == WT_LINE && !w->in_line && w->line_start && !w->idle && !w->changed && !w->broken;
}
