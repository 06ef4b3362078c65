/*
 * sqauth core: length-tracked, growable byte buffers.
 *
 * Every string the core builds goes through one of these: lengths are tracked
 * (no strlen on untrusted data), growth is overflow-checked and capped, and a
 * buffer marked secret is wiped whenever its memory is released or moved.
 * data is always NUL-terminated (the NUL is not counted in len) so that a
 * buffer holding text can be handed to C string functions safely.
 */
#ifndef SQ_BUF_H
#define SQ_BUF_H

#include <stddef.h>

#include "error.h"

/* No single buffer grows beyond this (1 GiB): a hard cap against runaway input. */
#define SQ_BUF_MAX ((size_t)1 << 30)

typedef struct {
	unsigned char *data;
	size_t len;
	size_t cap;
	int secret;
} sq_buf;

#define SQ_BUF_INIT {NULL, 0, 0, 0}
#define SQ_BUF_SECRET_INIT {NULL, 0, 0, 1}

void sq_buf_init(sq_buf *b, int secret);
sq_rc sq_buf_reserve(sq_buf *b, size_t extra);
sq_rc sq_buf_append(sq_buf *b, const void *p, size_t n);
sq_rc sq_buf_append_str(sq_buf *b, const char *s);
/* One byte: inline, since parsers and encoders append byte by byte. */
static inline sq_rc sq_buf_append_byte(sq_buf *b, unsigned char c)
{
	if (b->data && b->cap - b->len > 1) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return SQ_OK;
	}
	return sq_buf_append(b, &c, 1);
}
/* Lowercase hex of n bytes. */
sq_rc sq_buf_append_hex(sq_buf *b, const unsigned char *p, size_t n);
/* The same into 2n bytes of caller memory (no NUL added). */
void sq_hex_encode(char *dst, const unsigned char *p, size_t n);
/* Decimal of an unsigned number. */
sq_rc sq_buf_append_ulong(sq_buf *b, unsigned long v);
sq_rc sq_buf_set(sq_buf *b, const void *p, size_t n);
/* Drop the contents (wiped if secret), keep the memory. */
void sq_buf_reset(sq_buf *b);
/* Remove the first n bytes. */
void sq_buf_consume(sq_buf *b, size_t n);
/* Release the memory (wiped if secret). */
void sq_buf_free(sq_buf *b);
/* Whether the buffer holds the byte c. */
int sq_buf_has_byte(const sq_buf *b, unsigned char c);

#endif
