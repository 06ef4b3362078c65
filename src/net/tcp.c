/*
 * sqauth core, the connection's TCP side: resolving and connecting with
 * bounded waits, the in-memory connection for fuzzing, the accessors, and
 * closing.
 */
#include "conn_private.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>

#include "../util/alloc.h"
#include "../util/clock.h"

double sq_conn_clock_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sq_conn_set_timeout(sq_conn *c, long timeout_ms) { c->timeout_ms = timeout_ms; }
long sq_conn_timeout(const sq_conn *c) { return c->timeout_ms; }
void sq_conn_set_deadline(sq_conn *c, long long deadline_ms) { c->deadline_ms = deadline_ms; }
unsigned sq_conn_round_trips(const sq_conn *c) { return c->round_trips; }
void sq_conn_count_round_trip(sq_conn *c) { c->round_trips++; }
void sq_conn_reset_counters(sq_conn *c)
{
	c->round_trips = 0;
	c->turn = 0;
	memset(&c->timings, 0, sizeof(c->timings));
}
const sq_timings *sq_conn_timings(const sq_conn *c) { return &c->timings; }
sq_timings *sq_conn_timings_mut(sq_conn *c) { return &c->timings; }
int sq_conn_fd(const sq_conn *c) { return c->fd; }
const char *sq_conn_host(const sq_conn *c) { return c->host; }
unsigned sq_conn_port(const sq_conn *c) { return c->port; }
int sq_conn_is_tls(const sq_conn *c) { return c->ssl != NULL; }
int sq_conn_tls_error_recorded(const sq_conn *c) { return c->tls_error_recorded; }
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
sq_rc sq_conn_wait_fd(sq_conn *c, short events, long timeout_ms, const char *what, sq_error *err)
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
	double t0 = sq_conn_clock_s();
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
			rc = sq_conn_wait_fd(c, POLLOUT, timeout_ms, "connect to", err);
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
	c->timings.connect = sq_conn_clock_s() - t0;
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

void sq_conn_abandon(sq_conn *c)
{
	if (!c) {
		return;
	}
	if (c->ssl) {
		/* no close_notify, no session saved: the TLS state belongs to the
		 * process that made it */
		SSL_set_quiet_shutdown(c->ssl, 1);
		SSL_free(c->ssl);
		ERR_clear_error();
		c->ssl = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	sq_conn_free(c);
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
