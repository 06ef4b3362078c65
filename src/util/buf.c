#include "buf.h"

#include <string.h>

#include "alloc.h"

void sq_buf_init(sq_buf *b, int secret)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->secret = secret;
}

sq_rc sq_buf_reserve(sq_buf *b, size_t extra)
{
	size_t need, cap;
	unsigned char *p;

	if (extra > SQ_BUF_MAX || b->len > SQ_BUF_MAX - extra) {
		return SQ_ENOMEM;
	}
	need = b->len + extra + 1; /* room for the terminating NUL */
	if (need <= b->cap) {
		return SQ_OK;
	}
	cap = b->cap ? b->cap : 128;
	while (cap < need) {
		cap *= 2;
	}
	if (b->secret) {
		/* never let realloc leave a copy of a secret behind */
		p = sq_malloc(cap);
		if (!p) {
			return SQ_ENOMEM;
		}
		if (b->data) {
			memcpy(p, b->data, b->len + 1);
			sq_free_secret(b->data, b->cap);
		}
	} else {
		p = sq_realloc(b->data, cap);
		if (!p) {
			return SQ_ENOMEM;
		}
	}
	b->data = p;
	b->cap = cap;
	b->data[b->len] = '\0';
	return SQ_OK;
}

sq_rc sq_buf_append(sq_buf *b, const void *p, size_t n)
{
	sq_rc rc;

	/* grow only when the room is not there (cap > len always holds once
	 * allocated); an empty append still allocates, so data is never NULL
	 * after a successful append */
	if ((!b->data || n >= b->cap - b->len) && (rc = sq_buf_reserve(b, n)) != SQ_OK) {
		return rc;
	}
	/* n == 0 with p == NULL (an empty sq_buf's data) must not reach memcpy */
	if (n) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
	}
	b->data[b->len] = '\0';
	return SQ_OK;
}

sq_rc sq_buf_append_str(sq_buf *b, const char *s)
{
	return sq_buf_append(b, s, strlen(s));
}

void sq_hex_encode(char *dst, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		dst[2 * i] = hex[p[i] >> 4];
		dst[2 * i + 1] = hex[p[i] & 15];
	}
}

sq_rc sq_buf_append_hex(sq_buf *b, const unsigned char *p, size_t n)
{
	sq_rc rc;

	if (n > SQ_BUF_MAX / 2) {
		return SQ_ENOMEM;
	}
	rc = sq_buf_reserve(b, 2 * n);
	if (rc != SQ_OK) {
		return rc;
	}
	sq_hex_encode((char *)b->data + b->len, p, n);
	b->len += 2 * n;
	b->data[b->len] = '\0';
	return SQ_OK;
}

sq_rc sq_buf_append_ulong(sq_buf *b, unsigned long v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return sq_buf_append(b, tmp + i, sizeof(tmp) - i);
}

sq_rc sq_buf_set(sq_buf *b, const void *p, size_t n)
{
	sq_buf_reset(b);
	return sq_buf_append(b, p, n);
}

void sq_buf_reset(sq_buf *b)
{
	if (b->data) {
		if (b->secret) {
			sq_wipe(b->data, b->len);
		}
		b->data[0] = '\0';
	}
	b->len = 0;
}

void sq_buf_consume(sq_buf *b, size_t n)
{
	if (n >= b->len) {
		sq_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	if (b->secret) {
		sq_wipe(b->data + b->len - n, n);
	}
	b->len -= n;
	b->data[b->len] = '\0';
}

void sq_buf_free(sq_buf *b)
{
	if (b->data) {
		if (b->secret) {
			sq_free_secret(b->data, b->cap);
		} else {
			sq_free(b->data);
		}
	}
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

int sq_buf_has_byte(const sq_buf *b, unsigned char c)
{
	return b->data && b->len && memchr(b->data, c, b->len) != NULL;
}
