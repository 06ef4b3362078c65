/*
 * sqauth core, inside the connection: the struct that tcp.c, tls.c,
 * tls_cache.c, tls_facts.c and io.c share, and the few calls they make
 * into one another. Nothing outside src/net includes this. No PHP header.
 */
#ifndef SQ_CONN_PRIVATE_H
#define SQ_CONN_PRIVATE_H

#include <openssl/ssl.h>

#include "conn.h"

struct sq_conn {
	int fd;
	SSL *ssl;
	char *host;
	unsigned port;
	long timeout_ms;
	long long deadline_ms;
	sq_buf rbuf;              /* received, not yet consumed */
	int loopback;
	int allow_self_signed, verify_peer, report_only;
	int verify_depth;         /* sq_tls_config's, for the verify callback */
	long verify_error;        /* first verification error, X509_V_OK if none */
	int tls_error_recorded;   /* the last TLS failure was on OpenSSL's error queue */
	int self_signed_accepted; /* allow_self_signed let a self-signed leaf through */
	char session_key[768];
	unsigned round_trips;
	int turn;                 /* the client has sent since it last read: the next read is a round trip */
	sq_timings timings;
	sq_sasl *layer;           /* security layer, borrowed from the session */
	int layer_failed;
	int memory;               /* sq_conn_open_memory(): no socket */
	const unsigned char *mem; /* the server's bytes, not yet read */
	size_t mem_len;
};

/* tcp.c: seconds on a monotonic clock (for the timings) */
double sq_conn_clock_s(void);
/* tcp.c: waits for the socket (POLLIN or POLLOUT) within the per-wait
 * timeout and the login's deadline; SQ_ETIMEOUT when the budget runs out */
sq_rc sq_conn_wait_fd(sq_conn *c, short events, long timeout_ms, const char *what, sq_error *err);

/* tls.c: the error of a failed SSL call, never "failed: Success" */
sq_rc sq_conn_tls_error(sq_conn *c, int ret, const char *what, sq_error *err);

/* tls_cache.c: OpenSSL set up once per process; 0 when that failed */
int sq_tls_cache_ready(void);
/* tls_cache.c: the SSL ex_data index that leads back to the sq_conn */
int sq_tls_cache_conn_index(void);
/* tls_cache.c: the cache key of a configuration (no secret in it) */
sq_rc sq_tls_cache_key(const sq_tls_config *cfg, sq_buf *k);
/* tls_cache.c: the cached SSL_CTX for cfg, with a reference for the caller */
SSL_CTX *sq_tls_cache_ctx(const sq_tls_config *cfg, sq_error *err);
/* tls_cache.c: a resumable session saved under key, with a reference, or NULL */
SSL_SESSION *sq_tls_cache_session(const char *key);

#endif
