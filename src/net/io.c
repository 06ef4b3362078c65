/*
 * sqauth core, reading and writing on a connection: length-capped lines,
 * exact reads, whole writes for the login, the PHP stream's partial and
 * non-blocking reads and writes, and a SASL security layer under them.
 */
#include "conn_private.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <openssl/err.h>

/* ---- reading and writing ------------------------------------------- */

/* The peer closed. Inside a protected frame that is an attack (truncation). */
static sq_rc closed(sq_conn *c, int *eof, sq_error *err)
{
	*eof = 1;
	if (c->layer && sq_sasl_layer_pending(c->layer)) {
		c->layer_failed = 1;
		return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: the connection ended inside a protected frame (truncated)");
	}
	return sq_error_set(err, SQ_ECONN, "the server closed the connection");
}

/* Reads what is available into rbuf, waiting at most timeout_ms.
 * *got = 0 with SQ_OK: timed out in a non-fatal way (only when fatal == 0). */
static sq_rc fill(sq_conn *c, long timeout_ms, int fatal, size_t *got, int *eof, sq_error *err)
{
	unsigned char tmp[16384];
	ssize_t r;
	int e;
	sq_rc rc;

	*got = 0;
	*eof = 0;
	if (c->layer_failed) {
		return sq_error_set(err, SQ_ESECURITY, "the security layer has failed; the connection is unusable");
	}
	if (c->turn) {
		/* a read after a write (or the greeting after connect) is one round
		 * trip, whether or not the answer is already here */
		c->round_trips++;
		c->turn = 0;
	}
again:
	for (;;) {
		if (c->memory) {
			/* in small pieces, so that framing across reads is exercised */
			r = (ssize_t)(c->mem_len < 7 ? c->mem_len : 7);
			if (r == 0) {
				return closed(c, eof, err);
			}
			memcpy(tmp, c->mem, (size_t)r);
			c->mem += r;
			c->mem_len -= (size_t)r;
			break;
		}
		if (c->ssl) {
			ERR_clear_error();
			errno = 0;
			r = SSL_read(c->ssl, tmp, sizeof(tmp));
			if (r > 0) {
				break;
			}
			e = SSL_get_error(c->ssl, (int)r);
			if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && r == 0)) {
				return closed(c, eof, err);
			}
			if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
				return sq_conn_tls_error(c, (int)r, "read", err);
			}
		} else {
			r = recv(c->fd, tmp, sizeof(tmp), 0);
			if (r > 0) {
				break;
			}
			if (r == 0) {
				return closed(c, eof, err);
			}
			if (errno == EINTR) {
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				return sq_error_set(err, SQ_ECONN, "read from %s:%u failed: %s", c->host, c->port, strerror(errno));
			}
			e = SSL_ERROR_WANT_READ;
		}
		if (timeout_ms == 0 && !fatal) {
			return SQ_OK;
		}
		rc = sq_conn_wait_fd(c, e == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, timeout_ms, "read from", err);
		if (rc != SQ_OK) {
			if (rc == SQ_ETIMEOUT && !fatal) {
				return SQ_OK;
			}
			return rc;
		}
	}
	if (c->layer) {
		/* only verified plaintext reaches rbuf; an incomplete frame waits */
		size_t before = c->rbuf.len;
		rc = sq_sasl_unwrap(c->layer, tmp, (size_t)r, &c->rbuf, err);
		OPENSSL_cleanse(tmp, (size_t)r);
		if (rc != SQ_OK) {
			c->layer_failed = 1;
			return rc;
		}
		*got = c->rbuf.len - before;
		if (*got == 0) {
			goto again;
		}
		return SQ_OK;
	}
	if (sq_buf_append(&c->rbuf, tmp, (size_t)r) != SQ_OK) {
		OPENSSL_cleanse(tmp, (size_t)r);
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	OPENSSL_cleanse(tmp, (size_t)r);
	*got = (size_t)r;
	return SQ_OK;
}

sq_rc sq_conn_read_line(sq_conn *c, sq_buf *line, sq_error *err)
{
	unsigned char *nl;
	size_t got, scanned = 0, n;
	int eof;
	sq_rc rc;

	for (;;) {
		nl = c->rbuf.len > scanned ? memchr(c->rbuf.data + scanned, '\n', c->rbuf.len - scanned) : NULL;
		if (nl) {
			n = (size_t)(nl - c->rbuf.data);
			if (n > SQ_MAX_LINE) {
				break;
			}
			sq_buf_reset(line);
			if (sq_buf_append(line, c->rbuf.data, n > 0 && c->rbuf.data[n - 1] == '\r' ? n - 1 : n) != SQ_OK) {
				return sq_error_set(err, SQ_ENOMEM, "out of memory");
			}
			sq_buf_consume(&c->rbuf, n + 1);
			return SQ_OK;
		}
		scanned = c->rbuf.len;
		if (scanned > SQ_MAX_LINE) {
			break;
		}
		rc = fill(c, c->timeout_ms, 1, &got, &eof, err);
		if (rc != SQ_OK) {
			return rc;
		}
	}
	return sq_error_set(err, SQ_EPROTO, "the server sent a line longer than %d bytes", SQ_MAX_LINE);
}

sq_rc sq_conn_read_exact(sq_conn *c, sq_buf *out, size_t n, sq_error *err)
{
	size_t got;
	int eof;
	sq_rc rc;

	while (c->rbuf.len < n) {
		rc = fill(c, c->timeout_ms, 1, &got, &eof, err);
		if (rc != SQ_OK) {
			return rc;
		}
	}
	if (sq_buf_append(out, c->rbuf.data, n) != SQ_OK) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	sq_buf_consume(&c->rbuf, n);
	return SQ_OK;
}

static sq_rc send_some(sq_conn *c, const unsigned char *p, size_t n, size_t *sent, int *again, sq_error *err)
{
	ssize_t r;
	int e;

	*sent = 0;
	*again = 0;
	if (c->memory) {
		(void)p;
		*sent = n;
		return SQ_OK;
	}
	if (c->ssl) {
		ERR_clear_error();
		errno = 0;
		c->tls_error_recorded = 0;
		r = SSL_write(c->ssl, p, n > 0x7fffffff ? 0x7fffffff : (int)n);
		if (r > 0) {
			*sent = (size_t)r;
			return SQ_OK;
		}
		e = SSL_get_error(c->ssl, (int)r);
		if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
			*again = e == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN;
			return SQ_OK;
		}
		return sq_conn_tls_error(c, (int)r, "write", err);
	}
	r = send(c->fd, p, n, MSG_NOSIGNAL);
	if (r >= 0) {
		*sent = (size_t)r;
		return SQ_OK;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		*again = POLLOUT;
		return SQ_OK;
	}
	return sq_error_set(err, SQ_ECONN, "write to %s:%u failed: %s", c->host, c->port, strerror(errno));
}

static sq_rc write_raw(sq_conn *c, const void *p, size_t n, sq_error *err);

/* With a security layer, the data goes out as whole frames. */
static sq_rc write_framed(sq_conn *c, const void *p, size_t n, sq_error *err)
{
	sq_buf framed = SQ_BUF_SECRET_INIT;
	sq_rc rc;

	if (c->layer_failed) {
		return sq_error_set(err, SQ_ESECURITY, "the security layer has failed; the connection is unusable");
	}
	rc = sq_sasl_wrap(c->layer, p, n, &framed, err);
	if (rc == SQ_OK) {
		rc = write_raw(c, framed.data, framed.len, err);
	}
	if (rc != SQ_OK) {
		/* wrapped frames spent sequence numbers and may have gone out in part:
		 * the server can decode nothing after this, so nothing more is tried */
		c->layer_failed = 1;
	}
	sq_buf_free(&framed);
	return rc;
}

sq_rc sq_conn_write(sq_conn *c, const void *p, size_t n, sq_error *err)
{
	return c->layer ? write_framed(c, p, n, err) : write_raw(c, p, n, err);
}

static sq_rc write_raw(sq_conn *c, const void *p, size_t n, sq_error *err)
{
	const unsigned char *s = p;
	size_t sent;
	int again;
	sq_rc rc;

	while (n) {
		rc = send_some(c, s, n, &sent, &again, err);
		if (rc != SQ_OK) {
			return rc;
		}
		if (again) {
			rc = sq_conn_wait_fd(c, (short)again, c->timeout_ms, "write to", err);
			if (rc != SQ_OK) {
				return rc;
			}
			continue;
		}
		s += sent;
		n -= sent;
		c->turn = 1;
	}
	return SQ_OK;
}

sq_rc sq_conn_recv(sq_conn *c, void *buf, size_t len, long timeout_ms, size_t *n, int *timed_out, int *eof, sq_error *err)
{
	size_t got;
	sq_rc rc;

	*n = 0;
	*timed_out = 0;
	*eof = 0;
	if (c->rbuf.len == 0) {
		long long saved = c->deadline_ms;
		c->deadline_ms = 0; /* after login only the stream's own timeout applies */
		rc = fill(c, timeout_ms, 0, &got, eof, err);
		c->deadline_ms = saved;
		if (rc != SQ_OK) {
			return rc;
		}
		if (got == 0) {
			*timed_out = timeout_ms != 0;
			return SQ_OK;
		}
	}
	*n = c->rbuf.len < len ? c->rbuf.len : len;
	if (*n) {
		memcpy(buf, c->rbuf.data, *n);
	}
	sq_buf_consume(&c->rbuf, *n);
	return SQ_OK;
}

sq_rc sq_conn_send(sq_conn *c, const void *buf, size_t len, long timeout_ms, size_t *n, sq_error *err)
{
	const unsigned char *s = buf;
	size_t sent;
	int again;
	long saved_t = c->timeout_ms;
	long long saved_d = c->deadline_ms;
	sq_rc rc = SQ_OK;

	*n = 0;
	c->deadline_ms = 0;
	c->timeout_ms = timeout_ms;
	if (c->layer) {
		/* frames cannot be cut: they go out whole, waiting up to the timeout */
		rc = write_framed(c, buf, len, err);
		if (rc == SQ_OK) {
			*n = len;
		}
		c->timeout_ms = saved_t;
		c->deadline_ms = saved_d;
		return rc;
	}
	while (*n < len) {
		rc = send_some(c, s + *n, len - *n, &sent, &again, err);
		if (rc != SQ_OK) {
			break;
		}
		if (again) {
			if (timeout_ms == 0) {
				/* non-blocking: what went out, 0 if nothing could (PHP's ssl:// and
				 * tcp:// return 0 then, not a timeout) */
				break;
			}
			rc = sq_conn_wait_fd(c, (short)again, timeout_ms, "write to", err);
			if (rc != SQ_OK) {
				break;
			}
			continue;
		}
		*n += sent;
		c->turn = 1;
	}
	c->timeout_ms = saved_t;
	c->deadline_ms = saved_d;
	return rc;
}

sq_rc sq_conn_set_layer(sq_conn *c, sq_sasl *s, sq_error *err)
{
	sq_buf raw = SQ_BUF_SECRET_INIT;
	sq_rc rc = SQ_OK;

	c->layer = s;
	if (c->rbuf.len) {
		/* anything already received after the exchange is protected */
		if (sq_buf_append(&raw, c->rbuf.data, c->rbuf.len) != SQ_OK) {
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
		sq_buf_reset(&c->rbuf);
		rc = sq_sasl_unwrap(s, raw.data, raw.len, &c->rbuf, err);
		if (rc != SQ_OK) {
			c->layer_failed = 1;
		}
	}
	sq_buf_free(&raw);
	return rc;
}

int sq_conn_has_layer(const sq_conn *c)
{
	return c->layer != NULL;
}

size_t sq_conn_pending(const sq_conn *c)
{
	return c->rbuf.len + (c->ssl ? (size_t)SSL_pending(c->ssl) : 0);
}

int sq_conn_quiet(sq_conn *c)
{
	size_t got = 0;
	int eof = 0, turn = c->turn;
	sq_error e;

	if (c->layer_failed || c->rbuf.len || (c->layer && sq_sasl_layer_pending(c->layer))) {
		return 0;
	}
	/* a read that does not wait: TLS records without data (a session ticket)
	 * are taken in, anything else (data, EOF, an error) means not quiet */
	if (fill(c, 0, 0, &got, &eof, &e) != SQ_OK || got || c->rbuf.len) {
		return 0;
	}
	c->turn = turn;   /* no round trip was made */
	return 1;
}
