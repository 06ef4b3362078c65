/*
 * sqauth core: result codes and error details.
 *
 * Every fallible core function returns an sq_rc and, when it fails, fills an
 * sq_error with a human-readable message. Messages never contain secrets:
 * they are written from fixed text and from data the server sent (sanitised).
 */
#ifndef SQ_ERROR_H
#define SQ_ERROR_H

#include <stddef.h>

typedef enum {
	SQ_OK = 0,
	SQ_ENOMEM,     /* allocation failed */
	SQ_EINVAL,     /* caller misuse: bad argument or option (ValueError in PHP) */
	SQ_EPROTO,     /* the peer sent something malformed, unexpected or oversized */
	SQ_ESECURITY,  /* downgrade or impersonation refused */
	SQ_EAUTH,      /* the server refused the credentials */
	SQ_ECONN,      /* resolve, connect, read, write, EOF */
	SQ_ETIMEOUT,   /* a bounded wait ran out */
	SQ_ETLS,       /* TLS handshake or certificate failure */
	SQ_ECRYPTO,    /* an OpenSSL primitive failed */
	SQ_ESTATE      /* called in the wrong state */
} sq_rc;

#define SQ_ERRMSG_MAX 256

typedef struct {
	sq_rc code;
	char msg[SQ_ERRMSG_MAX];
} sq_error;

void sq_error_clear(sq_error *err);

/* Sets err (if not NULL) and returns code. printf-style. */
sq_rc sq_error_set(sq_error *err, sq_rc code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Appends a printable, truncated rendering of untrusted bytes to a message:
 * control and 8-bit bytes become '?', at most max bytes are shown. */
void sq_sanitize(char *dst, size_t dstsize, const void *src, size_t len);

const char *sq_rc_name(sq_rc code);

#endif
