#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sq_error_clear(sq_error *err)
{
	if (err) {
		err->code = SQ_OK;
		err->msg[0] = '\0';
	}
}

sq_rc sq_error_set(sq_error *err, sq_rc code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

void sq_sanitize(char *dst, size_t dstsize, const void *src, size_t len)
{
	const unsigned char *s = src;
	size_t i, n;

	if (!dstsize) {
		return;
	}
	n = len < dstsize - 1 ? len : dstsize - 1;
	for (i = 0; i < n; i++) {
		dst[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	}
	dst[n] = '\0';
	if (len > n && n >= 3) {
		memcpy(dst + n - 3, "...", 3);
	}
}

const char *sq_rc_name(sq_rc code)
{
	switch (code) {
	case SQ_OK: return "ok";
	case SQ_ENOMEM: return "out of memory";
	case SQ_EINVAL: return "invalid argument";
	case SQ_EPROTO: return "protocol error";
	case SQ_ESECURITY: return "security error";
	case SQ_EAUTH: return "authentication failed";
	case SQ_ECONN: return "connection error";
	case SQ_ETIMEOUT: return "timeout";
	case SQ_ETLS: return "TLS error";
	case SQ_ECRYPTO: return "crypto error";
	case SQ_ESTATE: return "wrong state";
	}
	return "unknown error";
}
