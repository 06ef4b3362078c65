#include "sq_conn.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "../util/sq_alloc.h"

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
	long verify_error;        /* first verification error, X509_V_OK if none */
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

long long sq_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sq_tls_config_init(sq_tls_config *c)
{
	memset(c, 0, sizeof(*c));
	c->verify_peer = 1;
	c->verify_peer_name = 1;
	c->sni_enabled = 1;
	c->session_cache = 1;
	c->security_level = -1;
	c->min_version = TLS1_2_VERSION;
}

void sq_conn_set_timeout(sq_conn *c, long timeout_ms) { c->timeout_ms = timeout_ms; }
void sq_conn_set_deadline(sq_conn *c, long long deadline_ms) { c->deadline_ms = deadline_ms; }
unsigned sq_conn_round_trips(const sq_conn *c) { return c->round_trips; }
void sq_conn_count_round_trip(sq_conn *c) { c->round_trips++; }
const sq_timings *sq_conn_timings(const sq_conn *c) { return &c->timings; }
sq_timings *sq_conn_timings_mut(sq_conn *c) { return &c->timings; }
int sq_conn_fd(const sq_conn *c) { return c->fd; }
const char *sq_conn_host(const sq_conn *c) { return c->host; }
unsigned sq_conn_port(const sq_conn *c) { return c->port; }
int sq_conn_is_tls(const sq_conn *c) { return c->ssl != NULL; }
int sq_conn_is_loopback(const sq_conn *c) { return c->loopback; }

/* How long the next wait may last: the per-wait timeout, cut by the
 * deadline of the whole login. -1 means no limit. */
static int wait_budget(const sq_conn *c, long timeout_ms, int *by_deadline)
{
	long long left;
	long t = timeout_ms;

	*by_deadline = 0;
	if (c->deadline_ms) {
		left = c->deadline_ms - sq_now_ms();
		if (left < 0) {
			left = 0;
		}
		if (t < 0 || left < t) {
			t = (long)left;
			*by_deadline = 1;
		}
	}
	return t < 0 ? -1 : (int)(t > 0x7fffffff ? 0x7fffffff : t);
}

/* Waits for the socket; SQ_ETIMEOUT when the budget runs out. */
static sq_rc wait_fd(sq_conn *c, short events, long timeout_ms, const char *what, sq_error *err)
{
	struct pollfd p;
	int by_deadline, r, t;
	long long start = sq_now_ms(), spent;

	for (;;) {
		t = wait_budget(c, timeout_ms, &by_deadline);
		if (t >= 0) {
			spent = sq_now_ms() - start;
			t = spent >= t ? 0 : t - (int)spent;
		}
		p.fd = c->fd;
		p.events = events;
		p.revents = 0;
		r = poll(&p, 1, t);
		if (r > 0) {
			return SQ_OK;
		}
		if (r == 0) {
			return sq_error_set(err, SQ_ETIMEOUT, "%s %s:%u timed out (%s)", what, c->host, c->port,
				by_deadline ? "login_timeout" : "timeout");
		}
		if (errno != EINTR) {
			return sq_error_set(err, SQ_ECONN, "%s %s:%u failed: %s", what, c->host, c->port, strerror(errno));
		}
	}
}

static int addr_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_LOOPBACK(a)) {
			return 1;
		}
		return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
	}
	return 0;
}

sq_rc sq_conn_open(sq_conn **out, const char *host, unsigned port, long timeout_ms, long long deadline_ms, sq_error *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[8];
	sq_conn *c;
	int gai, fd = -1, one = 1, soerr;
	socklen_t len;
	sq_rc rc = SQ_ECONN;
	double t0 = now_s();
	char lasterr[SQ_ERRMSG_MAX] = "no address";

	*out = NULL;
	c = sq_calloc(1, sizeof(*c));
	if (!c) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	c->fd = -1;
	c->host = sq_memdup(host, strlen(host));
	c->port = port;
	c->timeout_ms = timeout_ms;
	c->deadline_ms = deadline_ms;
	sq_buf_init(&c->rbuf, 1);
	if (!c->host) {
		sq_conn_free(c);
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	snprintf(portstr, sizeof(portstr), "%u", port);
	/* getaddrinfo() has no timeout of its own: the resolver's applies */
	gai = getaddrinfo(host, portstr, &hints, &res);
	if (gai == EAI_NONAME
#ifdef EAI_ADDRFAMILY
		|| gai == EAI_ADDRFAMILY
#endif
	) {
		hints.ai_flags = 0; /* e.g. "localhost" without a configured address family */
		gai = getaddrinfo(host, portstr, &hints, &res);
	}
	if (gai != 0) {
		sq_conn_free(c);
		return sq_error_set(err, SQ_ECONN, "cannot resolve %s: %s", host, gai_strerror(gai));
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			snprintf(lasterr, sizeof(lasterr), "%s", strerror(errno));
			continue;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		c->fd = fd;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			rc = SQ_OK;
		} else if (errno == EINPROGRESS) {
			rc = wait_fd(c, POLLOUT, timeout_ms, "connect to", err);
			if (rc == SQ_OK) {
				len = sizeof(soerr);
				if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0) {
					snprintf(lasterr, sizeof(lasterr), "%s", strerror(soerr ? soerr : errno));
					rc = SQ_ECONN;
				}
			} else if (rc == SQ_ETIMEOUT) {
				snprintf(lasterr, sizeof(lasterr), "%s", err ? err->msg : "timed out");
				if (deadline_ms && sq_now_ms() >= deadline_ms) {
					close(fd);
					c->fd = -1;
					break;
				}
			}
		} else {
			snprintf(lasterr, sizeof(lasterr), "%s", strerror(errno));
			rc = SQ_ECONN;
		}
		if (rc == SQ_OK) {
			c->loopback = addr_is_loopback(ai->ai_addr);
			break;
		}
		close(fd);
		c->fd = -1;
	}
	freeaddrinfo(res);
	if (rc != SQ_OK) {
		rc = (rc == SQ_ETIMEOUT) ? SQ_ETIMEOUT : SQ_ECONN;
		sq_error_set(err, rc, "cannot connect to %s:%u: %s", host, port, lasterr);
		sq_conn_free(c);
		return rc;
	}
	/* the client's Finished and its first command must not wait for an ACK */
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->round_trips = 1; /* the TCP handshake */
	c->turn = 1;        /* the greeting comes one more round trip later */
	c->timings.connect = now_s() - t0;
	*out = c;
	return SQ_OK;
}

sq_rc sq_conn_open_memory(sq_conn **out, const void *server_bytes, size_t len, sq_error *err)
{
	sq_conn *c = sq_calloc(1, sizeof(*c));

	*out = NULL;
	if (!c) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	c->fd = -1;
	c->memory = 1;
	c->mem = server_bytes;
	c->mem_len = len;
	c->host = sq_memdup("memory", 6);
	c->loopback = 1;
	c->timeout_ms = 1000;
	sq_buf_init(&c->rbuf, 1);
	if (!c->host) {
		sq_conn_free(c);
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	*out = c;
	return SQ_OK;
}

/* ---- TLS: contexts and sessions cached per process ----------------- */

#define CTX_CACHE 8
#define SESSION_CACHE 32

static struct {
	char *key;
	SSL_CTX *ctx;
} ctx_cache[CTX_CACHE];
static struct {
	char key[768];
	SSL_SESSION *sess;
	long long used;
} sess_cache[SESSION_CACHE];
static CRYPTO_RWLOCK *cache_lock;
static CRYPTO_ONCE cache_once = CRYPTO_ONCE_STATIC_INIT;
static int conn_ex_idx = -1;

/* keys the passphrase's place in the context cache key: per process, random */
static unsigned char cache_key_secret[32];
static int cache_key_secret_ok;

static void cache_init(void)
{
	cache_key_secret_ok = RAND_bytes(cache_key_secret, sizeof(cache_key_secret)) == 1;
	cache_lock = CRYPTO_THREAD_lock_new();
	conn_ex_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

void sq_conn_shutdown(void)
{
	int i;

	for (i = 0; i < CTX_CACHE; i++) {
		SSL_CTX_free(ctx_cache[i].ctx);
		sq_free(ctx_cache[i].key);
		ctx_cache[i].ctx = NULL;
		ctx_cache[i].key = NULL;
	}
	for (i = 0; i < SESSION_CACHE; i++) {
		SSL_SESSION_free(sess_cache[i].sess);
		sess_cache[i].sess = NULL;
	}
	/* the once stays spent: after this, TLS reports that OpenSSL is not initialised */
	OPENSSL_cleanse(cache_key_secret, sizeof(cache_key_secret));
	cache_key_secret_ok = 0;
	CRYPTO_THREAD_lock_free(cache_lock);
	cache_lock = NULL;
	if (conn_ex_idx >= 0) {
		CRYPTO_free_ex_index(CRYPTO_EX_INDEX_SSL, conn_ex_idx);
		conn_ex_idx = -1;
	}
}

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	size_t n = u ? strlen(u) : 0;

	(void)rwflag;
	if ((int)n > size) {
		n = (size_t)size;
	}
	memcpy(buf, u ? u : "", n);
	return (int)n;
}

/* As PHP's ssl:// does, the CA file and path are loaded (and must load) only
 * when the chain is checked; sqauth_detect reports verification, so it loads
 * them too. */
static int loads_trust(const sq_tls_config *cfg)
{
	return cfg->verify_peer || cfg->report_only;
}

/* The cache key of a TLS configuration. The key passphrase is in it only as
 * HMAC-SHA256 under a per-process random key: the same passphrase finds the same
 * context, and nothing in the cache (which lives as long as the process) can be
 * turned back into the passphrase. */
static sq_rc ctx_key(const sq_tls_config *cfg, sq_buf *k)
{
	unsigned char mac[32];
	char mac_hex[65];
	size_t i, mac_len = 0;
	sq_rc rc = SQ_OK;
	char nums[64];
	const char *parts[] = {cfg->cafile, cfg->capath, cfg->ciphers, cfg->local_cert, cfg->local_pk, NULL};

	if (cfg->passphrase) {
		if (!cache_key_secret_ok || !EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, cache_key_secret, sizeof(cache_key_secret),
				(const unsigned char *)cfg->passphrase, strlen(cfg->passphrase), mac, sizeof(mac), &mac_len) || mac_len != 32) {
			return SQ_ENOMEM;
		}
		sq_hex_encode(mac_hex, mac, sizeof(mac));
		mac_hex[64] = '\0';
		parts[5] = mac_hex;
	}

	snprintf(nums, sizeof(nums), "%d|%d|%d|%d|", cfg->security_level, cfg->min_version, cfg->max_version,
		loads_trust(cfg));
	rc = sq_buf_append_str(k, nums);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && rc == SQ_OK; i++) {
		/* each part length-prefixed so that no two configurations collide */
		snprintf(nums, sizeof(nums), "%zu:", parts[i] ? strlen(parts[i]) : (size_t)-1);
		if ((rc = sq_buf_append_str(k, nums)) == SQ_OK && parts[i]) {
			rc = sq_buf_append_str(k, parts[i]);
		}
	}
	OPENSSL_cleanse(mac, sizeof(mac));
	return rc;
}

static SSL_CTX *make_ctx(const sq_tls_config *cfg, sq_error *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	unsigned long e;
	char ebuf[200];

	if (!ctx) {
		sq_error_set(err, SQ_ETLS, "TLS: cannot create a context");
		return NULL;
	}
	/* a peer that closes without close_notify (many IMAP servers after BYE) is at
	 * EOF, as PHP's ssl:// sees it, not in error */
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* a PHP stream may retry a write that wanted more room from another
	 * buffer, and report a partial write */
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
	if (cfg->security_level >= 0) {
		SSL_CTX_set_security_level(ctx, cfg->security_level);
	}
	if (!SSL_CTX_set_min_proto_version(ctx, cfg->min_version)
		|| (cfg->max_version && !SSL_CTX_set_max_proto_version(ctx, cfg->max_version))) {
		sq_error_set(err, SQ_EINVAL, "TLS: unsupported min_version or max_version");
		goto fail;
	}
	if (cfg->ciphers && !SSL_CTX_set_cipher_list(ctx, cfg->ciphers)) {
		sq_error_set(err, SQ_EINVAL, "TLS: no cipher matches the ciphers option");
		goto fail;
	}
	if (!loads_trust(cfg)) {
		/* nothing to load */
	} else if (cfg->cafile || cfg->capath) {
		if (!SSL_CTX_load_verify_locations(ctx, cfg->cafile, cfg->capath)) {
			e = ERR_peek_last_error();
			ERR_error_string_n(e, ebuf, sizeof(ebuf));
			sq_error_set(err, SQ_ETLS, "TLS: cannot load the CA file or path: %s", ebuf);
			goto fail;
		}
	} else if (!SSL_CTX_set_default_verify_paths(ctx)) {
		sq_error_set(err, SQ_ETLS, "TLS: cannot load the system trust store");
		goto fail;
	}
	if (cfg->local_cert) {
		if (cfg->passphrase) {
			SSL_CTX_set_default_passwd_cb(ctx, pass_cb);
			SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)cfg->passphrase);
		}
		if (!SSL_CTX_use_certificate_chain_file(ctx, cfg->local_cert)
			|| !SSL_CTX_use_PrivateKey_file(ctx, cfg->local_pk ? cfg->local_pk : cfg->local_cert, SSL_FILETYPE_PEM)
			|| !SSL_CTX_check_private_key(ctx)) {
			sq_error_set(err, SQ_ETLS, "TLS: cannot use the local certificate or key");
			goto fail;
		}
		/* the passphrase must not outlive this call inside the cached context */
		SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
	}
	ERR_clear_error();
	return ctx;
fail:
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return NULL;
}

/* The cached context for this configuration (a new one on a miss). The
 * trust store is loaded once per configuration and process. */
static SSL_CTX *get_ctx(const sq_tls_config *cfg, sq_error *err)
{
	sq_buf k = SQ_BUF_INIT;
	SSL_CTX *ctx = NULL;
	int i, free_slot = -1;

	if (ctx_key(cfg, &k) != SQ_OK) {
		sq_error_set(err, SQ_ENOMEM, "out of memory");
		return NULL;
	}
	CRYPTO_THREAD_write_lock(cache_lock);
	for (i = 0; i < CTX_CACHE; i++) {
		if (ctx_cache[i].key && strcmp(ctx_cache[i].key, (char *)k.data) == 0) {
			ctx = ctx_cache[i].ctx;
			SSL_CTX_up_ref(ctx);
			break;
		}
		if (!ctx_cache[i].key && free_slot < 0) {
			free_slot = i;
		}
	}
	if (!ctx) {
		ctx = make_ctx(cfg, err);
		if (ctx) {
			if (free_slot < 0) {
				free_slot = 0; /* full: replace the oldest entry */
				SSL_CTX_free(ctx_cache[0].ctx);
				sq_free(ctx_cache[0].key);
				memmove(&ctx_cache[0], &ctx_cache[1], sizeof(ctx_cache[0]) * (CTX_CACHE - 1));
				free_slot = CTX_CACHE - 1;
			}
			ctx_cache[free_slot].key = sq_memdup(k.data, k.len);
			if (ctx_cache[free_slot].key) {
				ctx_cache[free_slot].ctx = ctx;
				SSL_CTX_up_ref(ctx);
			} else {
				ctx_cache[free_slot].ctx = NULL;
			}
		}
	}
	CRYPTO_THREAD_unlock(cache_lock);
	sq_buf_free(&k);
	return ctx;
}

static SSL_SESSION *session_get(const char *key)
{
	SSL_SESSION *s = NULL;
	int i;

	CRYPTO_THREAD_write_lock(cache_lock);
	for (i = 0; i < SESSION_CACHE; i++) {
		if (sess_cache[i].sess && strcmp(sess_cache[i].key, key) == 0) {
			if (SSL_SESSION_is_resumable(sess_cache[i].sess)) {
				s = sess_cache[i].sess;
				SSL_SESSION_up_ref(s);
				sess_cache[i].used = sq_now_ms();
			}
			break;
		}
	}
	CRYPTO_THREAD_unlock(cache_lock);
	return s;
}

void sq_conn_save_session(sq_conn *c)
{
	SSL_SESSION *s;
	int i, slot = -1, oldest = 0;

	if (!c->ssl || !c->session_key[0]) {
		return;
	}
	s = SSL_get1_session(c->ssl);
	if (!s || !SSL_SESSION_is_resumable(s)) {
		SSL_SESSION_free(s);
		return;
	}
	CRYPTO_THREAD_write_lock(cache_lock);
	for (i = 0; i < SESSION_CACHE; i++) {
		if (sess_cache[i].sess && strcmp(sess_cache[i].key, c->session_key) == 0) {
			slot = i;
			break;
		}
		if (!sess_cache[i].sess && slot < 0) {
			slot = i;
		}
		if (sess_cache[i].used < sess_cache[oldest].used) {
			oldest = i;
		}
	}
	if (slot < 0) {
		slot = oldest; /* bounded: evict the least recently used */
	}
	SSL_SESSION_free(sess_cache[slot].sess);
	sess_cache[slot].sess = s;
	snprintf(sess_cache[slot].key, sizeof(sess_cache[slot].key), "%s", c->session_key);
	sess_cache[slot].used = sq_now_ms();
	CRYPTO_THREAD_unlock(cache_lock);
}

/* Records the first verification failure; lets the handshake go on only
 * for allow_self_signed's one exception, or in report-only mode. */
static int verify_cb(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	sq_conn *c = ssl ? SSL_get_ex_data(ssl, conn_ex_idx) : NULL;
	int e = X509_STORE_CTX_get_error(x);

	if (ok || !c) {
		return ok;
	}
	if (c->allow_self_signed && e == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) {
		/* as PHP: a self-signed leaf is accepted (and reported as not
		 * verified); verification goes on, so the host name is checked */
		c->self_signed_accepted = 1;
		return 1;
	}
	if (c->verify_error == X509_V_OK) {
		c->verify_error = e;
	}
	return (c->verify_peer && !c->report_only) ? 0 : 1;
}

static int is_ip(const char *h)
{
	unsigned char b[16];

	return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* The host name (or IP address) check on its own, as PHP's ssl:// makes it when
 * verify_peer is off and verify_peer_name on; with verify_peer on, OpenSSL's
 * chain verification has made it already (SSL_set1_host). */
static sq_rc check_name(sq_conn *c, const char *name, sq_error *err)
{
	X509 *peer = SSL_get0_peer_certificate(c->ssl);
	int ip = is_ip(name);

	if (!peer) {
		return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: the server sent no certificate", c->host, c->port);
	}
	if ((ip ? X509_check_ip_asc(peer, name, 0) : X509_check_host(peer, name, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL)) != 1) {
		return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: certificate verify failed: %s", c->host, c->port,
			X509_verify_cert_error_string(ip ? X509_V_ERR_IP_ADDRESS_MISMATCH : X509_V_ERR_HOSTNAME_MISMATCH));
	}
	return SQ_OK;
}

static sq_rc tls_error(sq_conn *c, int ret, const char *what, sq_error *err)
{
	int saved_errno = errno;   /* from the SSL call, before anything else can change it */
	unsigned long e = ERR_get_error();
	char ebuf[200] = "";
	sq_rc rc;

	if (c->verify_error != X509_V_OK) {
		rc = sq_error_set(err, SQ_ETLS, "TLS %s with %s:%u failed: certificate verify failed: %s", what, c->host, c->port,
			X509_verify_cert_error_string(c->verify_error));
	} else if (e) {
		ERR_error_string_n(e, ebuf, sizeof(ebuf));
		rc = sq_error_set(err, SQ_ETLS, "TLS %s with %s:%u failed: %s", what, c->host, c->port, ebuf);
	} else if (ret == 0 || saved_errno == 0) {
		/* no OpenSSL error and no errno (never "failed: Success") */
		rc = sq_error_set(err, SQ_ETLS, "TLS %s with %s:%u failed: the server closed the connection", what, c->host, c->port);
	} else {
		rc = sq_error_set(err, SQ_ETLS, "TLS %s with %s:%u failed: %s", what, c->host, c->port, strerror(saved_errno));
	}
	ERR_clear_error();
	return rc;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

static sq_rc check_fingerprint(sq_conn *c, const sq_tls_config *cfg, sq_error *err)
{
	X509 *cert = SSL_get0_peer_certificate(c->ssl);
	const EVP_MD *md = EVP_get_digestbyname(cfg->fingerprint_alg);
	unsigned char want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	size_t hl = strlen(cfg->fingerprint_hex);

	if (!cert || !md || !X509_digest(cert, md, got, &n) || hl != 2 * (size_t)n) {
		return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: peer_fingerprint does not match", c->host, c->port);
	}
	for (i = 0; i < n; i++) {
		int hi = hexval(cfg->fingerprint_hex[2 * i]), lo = hexval(cfg->fingerprint_hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			return sq_error_set(err, SQ_EINVAL, "peer_fingerprint is not hexadecimal");
		}
		want[i] = (unsigned char)(hi << 4 | lo);
	}
	if (CRYPTO_memcmp(want, got, n) != 0) {
		return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: peer_fingerprint does not match", c->host, c->port);
	}
	return SQ_OK;
}

sq_rc sq_conn_start_tls(sq_conn *c, const sq_tls_config *cfg, sq_error *err)
{
	SSL_CTX *ctx;
	SSL_SESSION *sess = NULL;
	const char *name = cfg->peer_name ? cfg->peer_name : c->host;
	int ret, e;
	sq_rc rc;
	double t0 = now_s();

	if (!CRYPTO_THREAD_run_once(&cache_once, cache_init) || !cache_lock || conn_ex_idx < 0) {
		return sq_error_set(err, SQ_ETLS, "TLS: OpenSSL initialisation failed");
	}
	if (c->ssl) {
		return sq_error_set(err, SQ_ESTATE, "TLS is already active");
	}
	if (c->memory) {
		return sq_error_set(err, SQ_ETLS, "TLS cannot run over an in-memory connection");
	}
	/* STARTTLS: whatever arrived before the handshake is not trusted */
	sq_buf_reset(&c->rbuf);
	ctx = get_ctx(cfg, err);
	if (!ctx) {
		return err ? err->code : SQ_ETLS;
	}
	c->ssl = SSL_new(ctx);
	SSL_CTX_free(ctx); /* the SSL holds its own reference */
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd)) {
		return sq_error_set(err, SQ_ETLS, "TLS: cannot create a connection");
	}
	SSL_set_ex_data(c->ssl, conn_ex_idx, c);
	c->verify_peer = cfg->verify_peer;
	c->allow_self_signed = cfg->allow_self_signed;
	c->report_only = cfg->report_only;
	c->verify_error = X509_V_OK;
	c->self_signed_accepted = 0;
	SSL_set_verify(c->ssl, SSL_VERIFY_PEER, verify_cb);
	if (cfg->verify_peer_name) {
		if (is_ip(name)) {
			X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), name);
		} else {
			SSL_set_hostflags(c->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
			SSL_set1_host(c->ssl, name);
		}
	}
	if (cfg->sni_enabled && !is_ip(name)) {
		SSL_set_tlsext_host_name(c->ssl, name);
	}
	if (cfg->session_cache) {
		/* A resumed session skips certificate verification, so a session is
		 * reused only under the very same trust and verification settings. */
		sq_buf k = SQ_BUF_INIT;
		unsigned char h[32];
		char hex[65];
		if (ctx_key(cfg, &k) != SQ_OK || !EVP_Digest(k.data, k.len, h, NULL, EVP_sha256(), NULL)) {
			sq_buf_free(&k);
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
		sq_buf_free(&k);
		sq_hex_encode(hex, h, sizeof(h));
		hex[64] = '\0';
		snprintf(c->session_key, sizeof(c->session_key), "%s|%u|%s|%d%d%d%d|%s|%s", c->host, c->port, name,
			cfg->verify_peer, cfg->verify_peer_name, cfg->allow_self_signed, cfg->report_only,
			cfg->fingerprint_hex ? cfg->fingerprint_hex : "", hex);
		sess = session_get(c->session_key);
		if (sess) {
			SSL_set_session(c->ssl, sess);
			SSL_SESSION_free(sess);
		}
	}
	for (;;) {
		ERR_clear_error();
		errno = 0;
		ret = SSL_connect(c->ssl);
		if (ret == 1) {
			break;
		}
		e = SSL_get_error(c->ssl, ret);
		if (e == SSL_ERROR_WANT_READ) {
			rc = wait_fd(c, POLLIN, c->timeout_ms, "TLS handshake with", err);
		} else if (e == SSL_ERROR_WANT_WRITE) {
			rc = wait_fd(c, POLLOUT, c->timeout_ms, "TLS handshake with", err);
		} else {
			return tls_error(c, ret, "handshake", err);
		}
		if (rc != SQ_OK) {
			return rc;
		}
	}
	/* The handshake's round trips, by protocol rather than by how many reads
	 * happened to wait: TLS 1.3 and resumed sessions take one, a full TLS 1.2
	 * handshake two (a HelloRetryRequest, which OpenSSL's key shares avoid
	 * with current servers, would add one). After TLS 1.3 the server's next
	 * words wait for the client's Finished; after TLS 1.2 they can follow the
	 * server's own Finished at once. */
	c->round_trips += (SSL_version(c->ssl) == TLS1_3_VERSION || SSL_session_reused(c->ssl)) ? 1 : 2;
	c->turn = SSL_version(c->ssl) == TLS1_3_VERSION;
	if (cfg->verify_peer && !cfg->report_only) {
		long vr = SSL_get_verify_result(c->ssl);
		if (!SSL_get0_peer_certificate(c->ssl)) {
			return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: the server sent no certificate", c->host, c->port);
		}
		if (vr != X509_V_OK && !(c->self_signed_accepted && c->verify_error == X509_V_OK)) {
			return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: certificate verify failed: %s", c->host, c->port,
				X509_verify_cert_error_string(vr));
		}
	}
	if (cfg->verify_peer_name && !cfg->verify_peer && !cfg->report_only && (rc = check_name(c, name, err)) != SQ_OK) {
		return rc;
	}
	if (cfg->fingerprint_alg && cfg->fingerprint_hex && (rc = check_fingerprint(c, cfg, err)) != SQ_OK) {
		return rc;
	}
	c->timings.tls += now_s() - t0;
	return SQ_OK;
}

int sq_conn_tls_verified(const sq_conn *c)
{
	return c->ssl && c->verify_error == X509_V_OK && !c->self_signed_accepted && SSL_get0_peer_certificate(c->ssl) != NULL;
}

const char *sq_conn_tls_verify_error(const sq_conn *c)
{
	if (!c->ssl) {
		return NULL;
	}
	if (c->verify_error != X509_V_OK) {
		return X509_verify_cert_error_string(c->verify_error);
	}
	if (c->self_signed_accepted) {
		return "self-signed certificate (accepted by allow_self_signed)";
	}
	return SSL_get0_peer_certificate(c->ssl) ? NULL : "no certificate";
}

const char *sq_conn_tls_version(const sq_conn *c) { return c->ssl ? SSL_get_version(c->ssl) : NULL; }
const char *sq_conn_tls_cipher(const sq_conn *c) { return c->ssl ? SSL_get_cipher_name(c->ssl) : NULL; }
int sq_conn_tls_resumed(const sq_conn *c) { return c->ssl ? SSL_session_reused(c->ssl) : 0; }

static sq_rc append_name(sq_buf *out, X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long len;
	sq_rc rc;

	if (!b) {
		return SQ_ENOMEM;
	}
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_get_mem_data(b, &p);
	rc = sq_buf_append(out, p, len > 0 ? (size_t)len : 0);
	BIO_free(b);
	return rc;
}

int sq_conn_peer_cert(const sq_conn *c, sq_buf *subject, sq_buf *issuer, sq_buf *fp, sq_buf *not_after)
{
	X509 *cert = c->ssl ? SSL_get0_peer_certificate(c->ssl) : NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	struct tm tm;
	char t[32];

	if (!cert) {
		return 0;
	}
	append_name(subject, X509_get_subject_name(cert));
	append_name(issuer, X509_get_issuer_name(cert));
	if (X509_digest(cert, EVP_sha256(), md, &n)) {
		for (i = 0; i < n; i++) {
			if (i) {
				sq_buf_append_byte(fp, ':');
			}
			sq_buf_append_hex(fp, md + i, 1);
		}
	}
	if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm)) {
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
		sq_buf_append_str(not_after, t);
	}
	return 1;
}

const char *sq_conn_cb_type(const sq_conn *c)
{
	if (!c->ssl) {
		return NULL;
	}
	switch (SSL_version(c->ssl)) {
	case TLS1_3_VERSION:
		return "tls-exporter";
	case TLS1_2_VERSION:
		return "tls-unique";
	}
	return NULL;
}

sq_rc sq_conn_cb_data(const sq_conn *c, const char *type, sq_buf *out, sq_error *err)
{
	unsigned char buf[EVP_MAX_MD_SIZE > 64 ? EVP_MAX_MD_SIZE : 64];
	size_t n;

	if (!c->ssl) {
		return sq_error_set(err, SQ_ESECURITY, "channel binding needs TLS");
	}
	if (strcmp(type, "tls-exporter") == 0) {
		/* RFC 9266: 32 bytes, label EXPORTER-Channel-Binding, no context */
		if (SSL_version(c->ssl) != TLS1_3_VERSION
			|| SSL_export_keying_material(c->ssl, buf, 32, "EXPORTER-Channel-Binding", 24, NULL, 0, 0) != 1) {
			return sq_error_set(err, SQ_ESECURITY, "tls-exporter channel binding is only defined for TLS 1.3");
		}
		n = 32;
	} else if (strcmp(type, "tls-unique") == 0) {
		/* RFC 5929: the first Finished message of the handshake */
		if (SSL_version(c->ssl) == TLS1_3_VERSION) {
			return sq_error_set(err, SQ_ESECURITY, "tls-unique channel binding is not defined for TLS 1.3");
		}
		n = SSL_session_reused(c->ssl) ? SSL_get_peer_finished(c->ssl, buf, sizeof(buf))
			: SSL_get_finished(c->ssl, buf, sizeof(buf));
	} else if (strcmp(type, "tls-server-end-point") == 0) {
		X509 *cert = SSL_get0_peer_certificate(c->ssl);
		int nid = 0;
		const EVP_MD *md;
		unsigned int mlen = 0;
		if (!cert) {
			return sq_error_set(err, SQ_ESECURITY, "no server certificate for tls-server-end-point");
		}
		/* RFC 5929 4.1: the certificate's signature hash, MD5 and SHA-1 upgraded to SHA-256 */
		if (!OBJ_find_sigid_algs(X509_get_signature_nid(cert), &nid, NULL) || nid == NID_md5 || nid == NID_sha1
			|| !(md = EVP_get_digestbynid(nid))) {
			md = EVP_sha256();
		}
		if (!X509_digest(cert, md, buf, &mlen)) {
			return sq_error_set(err, SQ_ECRYPTO, "cannot hash the server certificate");
		}
		n = mlen;
	} else {
		return sq_error_set(err, SQ_EINVAL, "unknown channel-binding type");
	}
	return sq_buf_append(out, buf, n) == SQ_OK ? SQ_OK : sq_error_set(err, SQ_ENOMEM, "out of memory");
}

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
				return tls_error(c, (int)r, "read", err);
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
		rc = wait_fd(c, e == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, timeout_ms, "read from", err);
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
		return tls_error(c, (int)r, "write", err);
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
			rc = wait_fd(c, (short)again, c->timeout_ms, "write to", err);
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
			rc = wait_fd(c, (short)again, timeout_ms, "write to", err);
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

void sq_conn_free(sq_conn *c)
{
	if (!c) {
		return;
	}
	if (c->ssl) {
		sq_conn_save_session(c);
		/* one close_notify, no waiting for the peer's */
		ERR_clear_error();
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		ERR_clear_error();
	}
	if (c->fd >= 0) {
		close(c->fd);
	}
	sq_free(c->host);
	sq_buf_free(&c->rbuf);
	sq_free(c);
}
