#include "sq_base64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

sq_rc sq_base64_encode(sq_buf *out, const void *in, size_t len)
{
	const unsigned char *s = in;
	size_t i, olen;
	unsigned char *d;
	sq_rc rc;

	if (len > (SQ_BUF_MAX / 4) * 3) {
		return SQ_ENOMEM;
	}
	olen = (len + 2) / 3 * 4;
	rc = sq_buf_reserve(out, olen);
	if (rc != SQ_OK) {
		return rc;
	}
	d = out->data + out->len;
	for (i = 0; i + 2 < len; i += 3) {
		*d++ = alphabet[s[i] >> 2];
		*d++ = alphabet[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		*d++ = alphabet[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		*d++ = alphabet[s[i + 2] & 63];
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
		*d++ = '=';
	}
	out->len += olen;
	out->data[out->len] = '\0';
	return SQ_OK;
}

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

sq_rc sq_base64_decode(sq_buf *out, const void *in, size_t len)
{
	const unsigned char *s = in;
	size_t i, pad = 0, start = out->len;
	unsigned long acc = 0;
	int v;
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
	for (i = 0; i < len - pad; i++) {
		v = b64val(s[i]);
		if (v < 0) {
			goto bad;
		}
		acc = (acc << 6) | (unsigned long)v;
		if (i % 4 == 3) {
			out->data[out->len++] = (unsigned char)(acc >> 16);
			out->data[out->len++] = (unsigned char)(acc >> 8);
			out->data[out->len++] = (unsigned char)acc;
			acc = 0;
		}
	}
	if (pad == 1) {
		/* three symbols: 18 bits, 2 bytes, last 2 bits must be zero */
		if (acc & 3) {
			goto bad;
		}
		out->data[out->len++] = (unsigned char)(acc >> 10);
		out->data[out->len++] = (unsigned char)(acc >> 2);
	} else if (pad == 2) {
		/* two symbols: 12 bits, 1 byte, last 4 bits must be zero */
		if (acc & 15) {
			goto bad;
		}
		out->data[out->len++] = (unsigned char)(acc >> 4);
	}
	out->data[out->len] = '\0';
	return SQ_OK;

bad:
	/* leave the buffer as it was, with no partial output behind */
	while (out->len > start) {
		out->data[--out->len] = 0;
	}
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
