/*
 * sqauth glue: the PHP stream a login hands back ("sqauth"), over the
 * session that logged in.
 */
#ifndef SQAUTH_STREAM_H
#define SQAUTH_STREAM_H

#include "php.h"

#include "src/pool/pool.h"
#include "src/proto/proto.h"

/* A stream over a logged-in session, which it takes over (*s is emptied).
 * With a ticket (a persistent login), closing the stream gives the session
 * back to the pool. On failure the session is closed, an exception thrown,
 * NULL returned. */
php_stream *php_sqauth_stream_new(sq_session *s, const sq_pool_ticket *ticket);

/* The session under an sqauth stream; NULL for any other stream. The
 * session's conn is NULL once the stream ended (a security failure). */
const sq_session *php_sqauth_stream_session(php_stream *stream);

/* The pool ticket of a persistent sqauth stream; NULL for any other. */
const sq_pool_ticket *php_sqauth_stream_ticket(php_stream *stream);

#endif
