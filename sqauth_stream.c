/*
  +----------------------------------------------------------------------+
  | sqauth: the PHP stream a login hands back. Reads and writes go       |
  | through the connection (TLS, a DIGEST-MD5 security layer), and       |
  | behave as PHP's ssl:// stream does: timeouts, non-blocking I/O, EOF, |
  | casts, liveness.                                                     |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_network.h"
#include "ext/standard/file.h"

#include "sqauth_exceptions.h"
#include "sqauth_pool.h"
#include "sqauth_stream.h"

typedef struct {
	sq_session sess;
	long timeout_ms;     /* stream_set_timeout(); default_socket_timeout */
	int blocking;
	int timed_out;
	int persistent;      /* closing gives the session back to the pool */
	sq_pool_ticket ticket;
} sqauth_stream_data;

static const php_stream_ops sqauth_stream_ops;

static ssize_t sqauth_stream_read(php_stream *stream, char *buf, size_t count)
{
	sqauth_stream_data *d = stream->abstract;
	size_t n = 0;
	int timed_out = 0, eof = 0;
	sq_error err;
	sq_rc rc;

	d->timed_out = 0;
	if (!d->sess.conn) {
		stream->eof = 1;
		return -1;
	}
	/* a security layer, if any, is inside the connection: only verified
	 * plaintext comes back */
	rc = sq_conn_recv(d->sess.conn, buf, count, d->blocking ? d->timeout_ms : 0, &n, &timed_out, &eof, &err);
	if (rc == SQ_ESECURITY) {
		/* a tampered, replayed or truncated frame: the stream is finished and
		 * its connection closed, nothing unverified was returned */
		stream->eof = 1;
		sq_session_free(&d->sess);
		php_sqauth_throw(SQ_ESECURITY, err.msg);
		return -1;
	}
	if (rc != SQ_OK) {
		stream->eof = 1;
		if (!eof) {
			php_error_docref(NULL, E_NOTICE, "%s", err.msg);
			return -1;
		}
		return 0;
	}
	d->timed_out = timed_out;
	return (ssize_t)n;
}

static ssize_t sqauth_stream_write(php_stream *stream, const char *buf, size_t count)
{
	sqauth_stream_data *d = stream->abstract;
	size_t n = 0;
	sq_error err;
	sq_rc rc;

	if (!d->sess.conn) {
		return -1;
	}
	rc = sq_conn_send(d->sess.conn, buf, count,
		d->blocking || sq_conn_has_layer(d->sess.conn) ? (d->timeout_ms < 0 ? -1 : d->timeout_ms) : 0, &n, &err);
	if (rc == SQ_ETIMEOUT) {
		d->timed_out = 1;
		return n ? (ssize_t)n : -1;
	}
	if (rc == SQ_ESECURITY) {
		/* (no eof mark: a later read is refused by the connection with the same
		 * clear error, instead of PHP's silent false at EOF) */
		php_sqauth_throw(SQ_ESECURITY, err.msg);
		return n ? (ssize_t)n : -1;
	}
	if (d->persistent && n) {
		/* what went out, followed so that the pool knows whether the connection is at rest */
		sq_wtrack_feed(&d->sess.wt, (const unsigned char *)buf, n);
	}
	if (rc != SQ_OK && sq_conn_is_tls(d->sess.conn)) {
		/* as PHP's ssl://: a failed write returns what went out (0), with a
		 * warning unless the end of the stream was seen already and OpenSSL
		 * recorded nothing (conn.h, sq_conn_tls_error_recorded()) */
		if (!stream->eof || sq_conn_tls_error_recorded(d->sess.conn)) {
			php_error_docref(NULL, E_WARNING, "%s", err.msg);
		}
		return (ssize_t)n;
	}
	if (rc != SQ_OK) {
		stream->eof = 1;
		php_error_docref(NULL, E_NOTICE, "%s", err.msg);
		return n ? (ssize_t)n : -1;
	}
	return (ssize_t)n;
}

static int sqauth_stream_close(php_stream *stream, int close_handle)
{
	sqauth_stream_data *d = stream->abstract;

	(void)close_handle;
	if (d->persistent) {
		/* fclose() or the end of the request: back to the pool if the
		 * connection is at rest, else closed */
		sq_pool_limits lim;
		php_sqauth_pool_limits(&lim);
		if (d->sess.conn && stream->writepos == stream->readpos) {
			/* (nothing of a response left unread in PHP's read buffer either) */
			sq_pool_give_back(&d->sess, &d->ticket, &lim);
		} else {
			sq_pool_drop(&d->sess, &d->ticket);
		}
	} else {
		sq_session_free(&d->sess); /* TLS close_notify, session kept for resumption */
	}
	pefree(d, php_stream_is_persistent(stream));
	return 0;
}

static int sqauth_stream_flush(php_stream *stream)
{
	(void)stream;
	return 0; /* writes are not buffered here */
}

static int sqauth_stream_cast(php_stream *stream, int castas, void **ret)
{
	sqauth_stream_data *d = stream->abstract;
	size_t pending;

	if (!d->sess.conn) {
		return FAILURE;
	}
	switch (castas) {
	case PHP_STREAM_AS_FD_FOR_SELECT:
		/* data already decrypted or buffered is invisible to select(): move
		 * it into PHP's read buffer, which stream_select() looks at first */
		pending = sq_conn_pending(d->sess.conn);
		if (ret && pending && stream->writepos == stream->readpos) {
			php_stream_fill_read_buffer(stream, pending < stream->chunk_size ? pending : stream->chunk_size);
		}
		break;
	case PHP_STREAM_AS_FD:
	case PHP_STREAM_AS_SOCKETD:
		/* as PHP's ssl://: no raw descriptor (socket_import_stream(), a
		 * proc_open() descriptor) while TLS or a security layer runs on it,
		 * since whatever went through it would bypass them */
		if (sq_conn_is_tls(d->sess.conn) || sq_conn_has_layer(d->sess.conn)) {
			return FAILURE;
		}
		break;
	default:
		return FAILURE;
	}
	if (ret) {
		*(php_socket_t *)ret = sq_conn_fd(d->sess.conn);
	}
	return SUCCESS;
}

static int sqauth_stream_set_option(php_stream *stream, int option, int value, void *ptrparam)
{
	sqauth_stream_data *d = stream->abstract;
	int old;

	switch (option) {
	case PHP_STREAM_OPTION_READ_TIMEOUT: {
		struct timeval *tv = ptrparam;
		d->timeout_ms = (long)tv->tv_sec * 1000 + tv->tv_usec / 1000;
		return PHP_STREAM_OPTION_RETURN_OK;
	}
	case PHP_STREAM_OPTION_BLOCKING:
		old = d->blocking;
		d->blocking = value;
		return old;
	case PHP_STREAM_OPTION_META_DATA_API:
		add_assoc_bool((zval *)ptrparam, "timed_out", d->timed_out);
		add_assoc_bool((zval *)ptrparam, "blocked", d->blocking);
		add_assoc_bool((zval *)ptrparam, "eof", stream->eof);
		return PHP_STREAM_OPTION_RETURN_OK;
	case PHP_STREAM_OPTION_CHECK_LIVENESS:
		if (!d->sess.conn) {
			return PHP_STREAM_OPTION_RETURN_ERR;
		}
		if (sq_conn_pending(d->sess.conn)) {
			return PHP_STREAM_OPTION_RETURN_OK;
		}
		{
			char c;
			ssize_t r = recv(sq_conn_fd(d->sess.conn), &c, 1, MSG_PEEK | MSG_DONTWAIT);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
				return PHP_STREAM_OPTION_RETURN_ERR;
			}
		}
		return PHP_STREAM_OPTION_RETURN_OK;
	}
	return PHP_STREAM_OPTION_RETURN_NOTIMPL;
}

static const php_stream_ops sqauth_stream_ops = {
	sqauth_stream_write,
	sqauth_stream_read,
	sqauth_stream_close,
	sqauth_stream_flush,
	"sqauth",
	NULL, /* seek */
	sqauth_stream_cast,
	NULL, /* stat */
	sqauth_stream_set_option,
};

php_stream *php_sqauth_stream_new(sq_session *s, const sq_pool_ticket *ticket)
{
	sqauth_stream_data *d = ecalloc(1, sizeof(*d));
	php_stream *stream;

	d->sess = *s;
	memset(s, 0, sizeof(*s));
	if (ticket) {
		d->persistent = 1;
		d->ticket = *ticket;
	}
	d->blocking = 1;
	d->timeout_ms = (long)(FG(default_socket_timeout) * 1000);
	if (FG(default_socket_timeout) < 0) {
		d->timeout_ms = -1;
	}
	stream = php_stream_alloc(&sqauth_stream_ops, d, NULL, "r+b");
	if (!stream) {
		if (d->persistent) {
			sq_pool_drop(&d->sess, &d->ticket);
		} else {
			sq_session_free(&d->sess);
		}
		efree(d);
		php_sqauth_throw(SQ_ENOMEM, "cannot create the stream");
		return NULL;
	}
	stream->flags |= PHP_STREAM_FLAG_NO_SEEK;
	return stream;
}

const sq_session *php_sqauth_stream_session(php_stream *stream)
{
	return stream->ops == &sqauth_stream_ops ? &((sqauth_stream_data *)stream->abstract)->sess : NULL;
}

const sq_pool_ticket *php_sqauth_stream_ticket(php_stream *stream)
{
	sqauth_stream_data *d = stream->abstract;

	return stream->ops == &sqauth_stream_ops && d->persistent ? &d->ticket : NULL;
}
