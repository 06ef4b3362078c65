#include "base64.h"

#include <stdint.h>
#include "alloc.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t sq_base64_encoded_len(size_t len)
{
	return len > (SIZE_MAX / 4) * 3 - 2 ? 0 : (len + 2) / 3 * 4;
}

void sq_base64_encode_to(unsigned char *d, const void *in, size_t len)
{
	const unsigned char *s = in;
	size_t i;
	uint32_t v;

	/* (the three bytes go through a local: d may alias s as far as the
	 * compiler knows, which would otherwise reload them after every store) */
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		d[0] = (unsigned char)alphabet[v >> 18];
		d[1] = (unsigned char)alphabet[(v >> 12) & 63];
		d[2] = (unsigned char)alphabet[(v >> 6) & 63];
		d[3] = (unsigned char)alphabet[v & 63];
		d += 4;
	}
	if (i < len) {
		*d++ = alphabet[s[i] >> 2];
		if (i + 1 < len) {
			*d++ = alphabet[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
			*d++ = alphabet[(s[i + 1] & 15) << 2];
		} else {
			*d++ = alphabet[(s[i] & 3) << 4];
			*d++ = '=';
		}
		*d = '=';
	}
}

sq_rc sq_base64_encode(sq_buf *out, const void *in, size_t len)
{
	size_t olen;
	sq_rc rc;

	if (len > (SQ_BUF_MAX / 4) * 3) {
		return SQ_ENOMEM;
	}
	olen = sq_base64_encoded_len(len);
	rc = sq_buf_reserve(out, olen);
	if (rc != SQ_OK) {
		return rc;
	}
	sq_base64_encode_to(out->data + out->len, in, len);
	out->len += olen;
	out->data[out->len] = '\0';
	return SQ_OK;
}

/* symbol -> value, 0x40 for anything outside the alphabet */
static const unsigned char dec_table[256] = {
#define X 0x40
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, 62, X, X, X, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, X, X, X,
	X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, X,
	X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
#undef X
};

sq_rc sq_base64_decode(sq_buf *out, const void *in, size_t len)
{
	const unsigned char *s = in;
	size_t i, full, pad = 0;
	unsigned char *d;
	unsigned a, b, c, e;
	sq_rc rc;

	if (len % 4) {
		return SQ_EPROTO;
	}
	if (len && s[len - 1] == '=') {
		pad++;
		if (s[len - 2] == '=') {
			pad++;
		}
	}
	rc = sq_buf_reserve(out, len / 4 * 3);
	if (rc != SQ_OK) {
		return rc;
	}
	d = out->data + out->len;
	/* whole quads first; the last one, if padded, after */
	full = pad ? len - 4 : len;
	for (i = 0; i < full; i += 4) {
		a = dec_table[s[i]];
		b = dec_table[s[i + 1]];
		c = dec_table[s[i + 2]];
		e = dec_table[s[i + 3]];
		if ((a | b | c | e) & 0x40) {
			goto bad;
		}
		*d++ = (unsigned char)(a << 2 | b >> 4);
		*d++ = (unsigned char)(b << 4 | c >> 2);
		*d++ = (unsigned char)(c << 6 | e);
	}
	if (pad) {
		a = dec_table[s[i]];
		b = dec_table[s[i + 1]];
		c = pad == 1 ? dec_table[s[i + 2]] : 0;
		if ((a | b | c) & 0x40) {
			goto bad;
		}
		if (pad == 2) {
			/* two symbols: 12 bits, 1 byte, last 4 bits must be zero */
			if (b & 15) {
				goto bad;
			}
			*d++ = (unsigned char)(a << 2 | b >> 4);
		} else {
			/* three symbols: 18 bits, 2 bytes, last 2 bits must be zero */
			if (c & 3) {
				goto bad;
			}
			*d++ = (unsigned char)(a << 2 | b >> 4);
			*d++ = (unsigned char)(b << 4 | c >> 2);
		}
	}
	out->len = (size_t)(d - out->data);
	out->data[out->len] = '\0';
	return SQ_OK;

bad:
	/* leave the buffer as it was, with no partial output behind */
	sq_wipe(out->data + out->len, (size_t)(d - (out->data + out->len)));
	out->data[out->len] = '\0';
	return SQ_EPROTO;
}

size_t sq_trim_trailing_ws(const void *in, size_t len)
{
	const unsigned char *s = in;

	while (len && (s[len - 1] == '\r' || s[len - 1] == '\n' ||
			s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	return len;
}

sq_rc sq_base64_decode_lenient(sq_buf *out, const void *in, size_t len)
{
	return sq_base64_decode(out, in, sq_trim_trailing_ws(in, len));
}
