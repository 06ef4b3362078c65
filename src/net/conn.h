/*
 * sqauth core: one client connection (TCP, then optionally TLS) with bounded
 * waits, length-capped line reading, TLS verification as PHP's ssl:// does
 * it, a per-process SSL_CTX and session cache, channel-binding data, and
 * counters for round trips and timings. No PHP header.
 */
#ifndef SQ_CONN_H
#define SQ_CONN_H

#include <stddef.h>

#include "../sasl/sasl.h"
#include "../util/buf.h"
#include "../util/error.h"

/* The longest line a server may send during login. */
#define SQ_MAX_LINE (64 * 1024)

typedef struct {
	int verify_peer;            /* default 1 */
	int verify_peer_name;       /* default 1 */
	int allow_self_signed;      /* default 0 */
	int sni_enabled;            /* default 1 */
	int report_only;            /* detect: record a verification failure, do not fail */
	int session_cache;          /* default 1 */
	int security_level;         /* -1: OpenSSL's default */
	int verify_depth;           /* longest chain below the leaf: default 9, as PHP's ssl:// */
	int no_ticket;              /* default 0: ask for no session ticket (SSL_OP_NO_TICKET) */
	int disable_compression;    /* default 1 (PHP's default; OpenSSL 3 is built without it) */
	int min_version, max_version; /* TLS1_2_VERSION..., 0 = none */
	const char *peer_name;      /* NULL: the host */
	const char *cafile, *capath;
	const char *ciphers;
	const char *local_cert, *local_pk, *passphrase;
	const char *fingerprint_alg; /* "md5", "sha1", "sha256" or NULL */
	const char *fingerprint_hex;
	const char *alpn;           /* NULL, or PHP's alpn_protocols: names separated by commas */
} sq_tls_config;

void sq_tls_config_init(sq_tls_config *c);

typedef struct {
	double connect, tls, auth, total;
} sq_timings;

typedef struct sq_conn sq_conn;

/* Resolves host (every address in turn, IPv4 and IPv6) and connects, each
 * attempt bounded by timeout_ms and the whole by the connection's deadline. */
sq_rc sq_conn_open(sq_conn **out, const char *host, unsigned port, long timeout_ms, long long deadline_ms, sq_error *err);
void sq_conn_free(sq_conn *c);   /* shuts TLS down (best effort) and closes */
/* Closes without a byte on the wire (no close_notify, no session saved): for
 * a connection a forked child inherited, whose TLS state is its parent's. */
void sq_conn_abandon(sq_conn *c);
/* A connection whose server side is a fixed byte string and whose writes are
 * discarded: for fuzzing the protocol parsers without sockets. EOF at the
 * end of the string; TLS cannot be started on it. */
sq_rc sq_conn_open_memory(sq_conn **out, const void *server_bytes, size_t len, sq_error *err);

void sq_conn_set_timeout(sq_conn *c, long timeout_ms);
long sq_conn_timeout(const sq_conn *c);
void sq_conn_set_deadline(sq_conn *c, long long deadline_ms); /* 0: none */

/* TLS handshake over the open connection. Anything received before it is
 * discarded (STARTTLS injection). */
sq_rc sq_conn_start_tls(sq_conn *c, const sq_tls_config *cfg, sq_error *err);

/* Reads one line (through LF) into line, CRLF stripped; SQ_EPROTO past
 * SQ_MAX_LINE; SQ_ECONN on EOF. */
sq_rc sq_conn_read_line(sq_conn *c, sq_buf *line, sq_error *err);
/* Reads exactly n bytes (IMAP literals in responses). */
sq_rc sq_conn_read_exact(sq_conn *c, sq_buf *out, size_t n, sq_error *err);
sq_rc sq_conn_write(sq_conn *c, const void *p, size_t n, sq_error *err);

/* For the PHP stream after login. timeout_ms < 0 waits without limit,
 * 0 does not wait. *n = 0 with SQ_OK means "nothing now" (non-blocking or
 * timeout, see *timed_out); SQ_ECONN with *eof = 1 means the peer closed. */
sq_rc sq_conn_recv(sq_conn *c, void *buf, size_t len, long timeout_ms, size_t *n, int *timed_out, int *eof, sq_error *err);
sq_rc sq_conn_send(sq_conn *c, const void *buf, size_t len, long timeout_ms, size_t *n, sq_error *err);
/* 1 when nothing is buffered, arriving or half-framed and the peer has not
 * closed: checked without waiting and without a round trip (pooling). */
int sq_conn_quiet(sq_conn *c);
/* Bytes readable without waiting (buffered line data, TLS records). */
size_t sq_conn_pending(const sq_conn *c);
int sq_conn_fd(const sq_conn *c);
const char *sq_conn_host(const sq_conn *c);
unsigned sq_conn_port(const sq_conn *c);

/* Facts for sqauth_stream_info() and detect. */
int sq_conn_is_tls(const sq_conn *c);
/* Whether OpenSSL put the last failed TLS read or write on its error queue. From OpenSSL 3.2
 * on, a write to a peer that has gone is recorded there (a system-library "Broken pipe");
 * OpenSSL 3.0 leaves only errno. PHP's ssl:// stream warns about a recorded failure on every
 * write, and about an unrecorded one only until it has seen the end of the stream: the glue
 * does the same, so that sqauth's stream warns when PHP's own would, on each PHP and OpenSSL. */
int sq_conn_tls_error_recorded(const sq_conn *c);
int sq_conn_is_loopback(const sq_conn *c);
const char *sq_conn_tls_version(const sq_conn *c);
const char *sq_conn_tls_cipher(const sq_conn *c);
int sq_conn_tls_resumed(const sq_conn *c);
int sq_conn_tls_verified(const sq_conn *c);
const char *sq_conn_tls_verify_error(const sq_conn *c); /* NULL when verified */
/* The protocol ALPN chose ("" when none was). */
void sq_conn_tls_alpn(const sq_conn *c, const unsigned char **p, unsigned *len);
/* The server's certificates in PEM: index 0 the leaf, 1 to n the chain as the
 * server sent it (for a client OpenSSL keeps the leaf as the chain's first),
 * n being sq_conn_peer_chain_len(). SQ_EINVAL past the end. */
int sq_conn_peer_chain_len(const sq_conn *c);
sq_rc sq_conn_peer_cert_pem(const sq_conn *c, int chain_index, sq_buf *out);
/* PHP's alpn_protocols in TLS's wire form (each name 1 to 255 bytes): SQ_EINVAL
 * for an empty name or one that is too long. */
sq_rc sq_tls_alpn_wire(const char *list, sq_buf *out);
/* Peer certificate facts; each returns 0 when there is no certificate. */
int sq_conn_peer_cert(const sq_conn *c, sq_buf *subject, sq_buf *issuer, sq_buf *fingerprint_sha256, sq_buf *not_after);
/* Channel binding: the best type for this TLS connection ("tls-exporter"
 * for TLS 1.3, "tls-unique" for TLS 1.2), or NULL; and its data. */
const char *sq_conn_cb_type(const sq_conn *c);
sq_rc sq_conn_cb_data(const sq_conn *c, const char *type, sq_buf *out, sq_error *err);
/* Puts a negotiated SASL security layer (DIGEST-MD5 auth-int/auth-conf)
 * under everything read and written from now on: writes are wrapped into
 * frames, reads return only the plaintext of verified frames. Bytes
 * already received are treated as protected. The session keeps owning s. */
sq_rc sq_conn_set_layer(sq_conn *c, sq_sasl *s, sq_error *err);
int sq_conn_has_layer(const sq_conn *c);

/* Remember the TLS session for resumption (per-process cache). */
void sq_conn_save_session(sq_conn *c);

unsigned sq_conn_round_trips(const sq_conn *c);
void sq_conn_count_round_trip(sq_conn *c);
/* Round trips and timings from zero (a pooled connection handed out again). */
void sq_conn_reset_counters(sq_conn *c);
const sq_timings *sq_conn_timings(const sq_conn *c);
sq_timings *sq_conn_timings_mut(sq_conn *c);

/* Drop everything cached per process (MSHUTDOWN). */
void sq_conn_shutdown(void);

#endif
