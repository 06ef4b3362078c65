/*
 * The persistent pool (see pool.h). Three parts: the keys (keyed hashes of
 * a login's parameters), the process's pool of sessions at rest, and the
 * table shared by the processes of one server that caps a user's connections.
 *
 * Locks: pool_lock (threads of a ZTS PHP and the reaper)
 * guards the pool and the counters; the shared table has a process-shared
 * robust mutex, so a worker that dies holding it does not stop the others.
 * pool_lock may be held when the shared mutex is taken, never the other way.
 * No network I/O runs under either lock: a session is taken out of the pool
 * under the lock, then used or closed outside it.
 *
 * The reaper: a thread of each process that has pooled something, started at
 * its first park, with every signal blocked (PHP's timeouts and php-fpm's
 * signals stay the main thread's). It wakes at least once a
 * SQ_POOL_REAPER_TICK_MS and logs out what is past its idle time or age or
 * was forgotten. Forks: the reaper ends before one and starts again after it
 * in the parent (atfork handlers); the child starts its own if it pools.
 */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "../util/clock.h"

/* ---- keys ----------------------------------------------------------- */

static EVP_MAC *hmac;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char proc_key[32];   /* login keys: per process, made again after fork */
static pid_t proc_key_pid;
static unsigned char user_key[32];   /* user hashes: made before fork, the same in every worker */
static int user_key_ok;

static int mac_init(EVP_MAC_CTX **ctx, const unsigned char *key)
{
	OSSL_PARAM params[2];

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	*ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
	return *ctx && EVP_MAC_init(*ctx, key, 32, params);
}

/* Each field with its length before it (or a marker for none), so that no
 * two parameter sets give the same input. */
static int mac_field(EVP_MAC_CTX *ctx, const void *p, size_t n)
{
	unsigned char len[9];
	uint64_t v = p ? (uint64_t)n : 0;
	int i;

	len[0] = p ? 1 : 0;
	for (i = 0; i < 8; i++) {
		len[1 + i] = (unsigned char)(v >> (56 - 8 * i));
	}
	return EVP_MAC_update(ctx, len, sizeof(len)) && (!p || !n || EVP_MAC_update(ctx, p, n));
}

static int mac_str(EVP_MAC_CTX *ctx, const char *s)
{
	return mac_field(ctx, s, s ? strlen(s) : 0);
}

static int mac_long(EVP_MAC_CTX *ctx, long long v)
{
	return mac_field(ctx, &v, sizeof(v));
}

static int mac_bytes(EVP_MAC_CTX *ctx, sq_bytes b)
{
	return mac_field(ctx, b.p ? b.p : (const unsigned char *)"", b.len);
}

static int mac_final(EVP_MAC_CTX *ctx, unsigned char out[32])
{
	size_t n = 0;

	return EVP_MAC_final(ctx, out, &n, 32) && n == 32;
}

/* A 64-bit hash under the key every worker shares (made before the fork), so
 * that one worker's forget or count matches another's tickets. what: 0 user at
 * server (proto, host, name: what Dovecot's mail_max_userip_connections counts,
 * whatever the port), 1 the user name alone, 2 a scope. */
static int shared_hash(int what, const sq_login_params *p, sq_bytes b, uint64_t *out)
{
	EVP_MAC_CTX *ctx = NULL;
	unsigned char h[32];
	int ok, i;

	ok = user_key_ok && mac_init(&ctx, user_key) && mac_long(ctx, what);
	if (ok && what == 0) {
		ok = mac_long(ctx, p->proto) && mac_str(ctx, p->host) && mac_bytes(ctx, b);
	} else if (ok) {
		ok = mac_bytes(ctx, b);
	}
	ok = ok && mac_final(ctx, h);
	EVP_MAC_CTX_free(ctx);
	*out = 0;
	for (i = 0; ok && i < 8; i++) {
		*out = *out << 8 | h[i];
	}
	if (ok && *out == 0) {
		*out = 1;   /* 0 marks a free slot */
	}
	return ok;
}

static unsigned forget_generation(void);

sq_rc sq_pool_ticket_init(sq_pool_ticket *t, const sq_login_params *p, sq_bytes scope)
{
	const sq_tls_config *c = &p->tls_cfg;
	EVP_MAC_CTX *ctx = NULL;
	unsigned char key[32];
	int ok;
	/* the user the session acts as, which the server counts and a sign-out names: the
	 * authorization identity of a proxy login, else the login name */
	sq_bytes acting = p->authz.p && p->authz.len ? p->authz : p->username;

	memset(t, 0, sizeof(*t));
	t->pid = getpid();
	/* a forget from now on concerns this login too, even one made while it logs in; and a
	 * session forgotten before (signed out while one of its pages was on its way) is looked up
	 * at the first check (a generation it cannot have been checked at) */
	t->created_ms = t->last_ms = sq_now_ms();
	t->forget_gen = forget_generation() - 1;
	t->no_keep = p->method == SQ_METHOD_NONE;
	pthread_mutex_lock(&pool_lock);
	if (proc_key_pid != t->pid) {
		ok = RAND_bytes(proc_key, sizeof(proc_key)) == 1;
		proc_key_pid = ok ? t->pid : 0;
	}
	memcpy(key, proc_key, sizeof(key));
	ok = proc_key_pid == t->pid;
	pthread_mutex_unlock(&pool_lock);

	ok = ok && mac_init(&ctx, key)
		&& mac_long(ctx, p->proto) && mac_str(ctx, p->host) && mac_long(ctx, p->port)
		&& mac_bytes(ctx, p->username) && mac_bytes(ctx, p->password) && mac_bytes(ctx, p->authz)
		&& mac_bytes(ctx, p->realm) && mac_field(ctx, p->qop_pref, sizeof(p->qop_pref))
		&& mac_field(ctx, p->cipher_pref, sizeof(p->cipher_pref)) && mac_long(ctx, (long long)p->maxbuf)
		&& mac_long(ctx, p->method) && mac_long(ctx, p->tls) && mac_str(ctx, p->helo)
		&& mac_long(ctx, p->allow_plaintext) && mac_long(ctx, p->no_pipelining)
		&& mac_long(ctx, c->verify_peer) && mac_long(ctx, c->verify_peer_name) && mac_long(ctx, c->allow_self_signed)
		&& mac_long(ctx, c->sni_enabled) && mac_long(ctx, c->session_cache) && mac_long(ctx, c->security_level)
		&& mac_long(ctx, c->min_version) && mac_long(ctx, c->max_version) && mac_long(ctx, c->verify_depth)
		&& mac_long(ctx, c->no_ticket) && mac_long(ctx, c->disable_compression) && mac_str(ctx, c->alpn)
		&& mac_str(ctx, c->peer_name) && mac_str(ctx, c->cafile) && mac_str(ctx, c->capath) && mac_str(ctx, c->ciphers)
		&& mac_str(ctx, c->local_cert) && mac_str(ctx, c->local_pk) && mac_str(ctx, c->passphrase)
		&& mac_str(ctx, c->fingerprint_alg) && mac_str(ctx, c->fingerprint_hex)
		&& mac_bytes(ctx, scope) && mac_final(ctx, t->key)
		&& shared_hash(0, p, acting, &t->user) && shared_hash(1, p, acting, &t->who)
		&& (!scope.len || shared_hash(2, p, scope, &t->scope));
	EVP_MAC_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof(key));
	if (!ok) {
		OPENSSL_cleanse(t->key, sizeof(t->key));
		return SQ_ECRYPTO;
	}
	return SQ_OK;
}

/* ---- the table shared by the processes ------------------------------ */

typedef struct {
	pid_t pid;        /* 0: free */
	uint32_t count;   /* that process's connections of that user */
	uint64_t user;
} shared_slot;

typedef struct {
	uint64_t who;      /* 0: free */
	uint64_t scope;    /* 0: every scope of the user */
	long long at_ms;   /* connections that logged in at or before it are forgotten */
} forget_slot;

typedef struct {
	pthread_mutex_t mu;
	unsigned forget_gen;       /* changes with every forget (read without the lock) */
	long long forget_all_ms;   /* every connection that logged in at or before it is forgotten */
	forget_slot forget[SQ_POOL_FORGET_SLOTS];
	shared_slot slot[SQ_POOL_SHARED_SLOTS];
} shared_table;

static shared_table *shared;

static int shared_lock(void)
{
	int r = pthread_mutex_lock(&shared->mu);

	if (r == EOWNERDEAD) {
		/* its holder died: the slots are whole (each write is one store) */
		pthread_mutex_consistent(&shared->mu);
		r = 0;
	}
	return r == 0;
}

static int pid_gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

/* counted connections of this process when there is no shared table (then the cap counts all
 * of the process's users together) */
static unsigned local_held;

static int reserve(sq_pool_ticket *t, const sq_pool_limits *lim);
static int evict_user(uint64_t user);

int sq_pool_reserve(sq_pool_ticket *t, const sq_pool_limits *lim)
{
	/* at the cap: this process's idle connections of the user at that server (another
	 * password's, mechanism's or session's) make room for the one in use */
	while (!reserve(t, lim) && !t->no_keep) {
		if (!evict_user(t->user)) {
			return 0;
		}
	}
	return t->counted;
}

static int reserve(sq_pool_ticket *t, const sq_pool_limits *lim)
{
	pid_t me = getpid();
	unsigned sum = 0;
	int i, own = -1, free_slot = -1;

	t->counted = 0;
	if (t->no_keep || lim->max_per_user == 0 || lim->max_per_process == 0) {
		return 0;
	}
	if (!shared) {
		pthread_mutex_lock(&pool_lock);
		t->counted = local_held < lim->max_per_user;
		local_held += t->counted;
		pthread_mutex_unlock(&pool_lock);
		return t->counted;
	}
	if (!shared_lock()) {
		return 0;
	}
	for (i = 0; i < SQ_POOL_SHARED_SLOTS; i++) {
		shared_slot *s = &shared->slot[i];
		if (s->pid && s->pid != me && pid_gone(s->pid)) {
			memset(s, 0, sizeof(*s));   /* a worker that died without shutting down */
		}
		if (!s->pid) {
			if (free_slot < 0) {
				free_slot = i;
			}
			continue;
		}
		if (s->user == t->user) {
			sum += s->count;
			if (s->pid == me) {
				own = i;
			}
		}
	}
	if (sum < lim->max_per_user && (own >= 0 || free_slot >= 0)) {
		if (own < 0) {
			own = free_slot;
			shared->slot[own].user = t->user;
			shared->slot[own].count = 0;
			shared->slot[own].pid = me;
		}
		shared->slot[own].count++;
		t->counted = 1;
	}
	pthread_mutex_unlock(&shared->mu);
	return t->counted;
}

static void release(sq_pool_ticket *t)
{
	pid_t me = getpid();
	int i;

	if (!t->counted || t->pid != me) {
		return;   /* nothing counted, or the parent's place */
	}
	t->counted = 0;
	if (!shared || !shared_lock()) {
		return;
	}
	for (i = 0; i < SQ_POOL_SHARED_SLOTS; i++) {
		shared_slot *s = &shared->slot[i];
		if (s->pid == me && s->user == t->user) {
			if (--s->count == 0) {
				memset(s, 0, sizeof(*s));
			}
			break;
		}
	}
	pthread_mutex_unlock(&shared->mu);
}

/* ---- forgotten users -------------------------------------------------- */

static unsigned forget_generation(void)
{
	return shared ? __atomic_load_n(&shared->forget_gen, __ATOMIC_ACQUIRE) : 0;
}

/* Was t's connection forgotten (sq_pool_forget in any process)? A user's forget concerns the
 * connections that logged in before it (a later one has the new password); a session's, every
 * connection of that session, however late it logged in (the session is over). */
static int forgotten(sq_pool_ticket *t)
{
	unsigned gen = forget_generation();
	int i, hit = 0;

	if (!shared || gen == t->forget_gen) {
		return 0;   /* nothing was forgotten since it was last looked at */
	}
	if (!shared_lock()) {
		return 1;   /* cannot tell: not handed out */
	}
	hit = t->created_ms <= shared->forget_all_ms;
	for (i = 0; i < SQ_POOL_FORGET_SLOTS && !hit; i++) {
		const forget_slot *f = &shared->forget[i];
		hit = f->who && f->who == t->who && (f->scope ? f->scope == t->scope : t->created_ms <= f->at_ms);
	}
	pthread_mutex_unlock(&shared->mu);
	if (!hit) {
		t->forget_gen = gen;
	}
	return hit;
}

/* Records a forget for every process. */
static void remember_forget(uint64_t who, uint64_t scope, long long now, const sq_pool_limits *lim)
{
	int i, use = -1, oldest = -1;

	if (!shared || !shared_lock()) {
		return;
	}
	for (i = 0; i < SQ_POOL_FORGET_SLOTS; i++) {
		forget_slot *f = &shared->forget[i];
		if (f->who == who && f->scope == scope) {
			use = i;   /* the same user and scope again: a later time */
			break;
		}
		if (use < 0 && (!f->who || now - f->at_ms > lim->max_age_ms)) {
			use = i;   /* free, or so old that nothing it concerns is still kept */
		}
		if (f->who && (oldest < 0 || f->at_ms < shared->forget[oldest].at_ms)) {
			oldest = i;
		}
	}
	if (use < 0) {
		/* every place holds a recent forget: the oldest one widens to every user */
		use = oldest;
		if (shared->forget[use].at_ms > shared->forget_all_ms) {
			shared->forget_all_ms = shared->forget[use].at_ms;
		}
	}
	shared->forget[use].who = who;
	shared->forget[use].scope = scope;
	shared->forget[use].at_ms = now;
	__atomic_add_fetch(&shared->forget_gen, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&shared->mu);
}

/* ---- the process's pool --------------------------------------------- */

/* A pooled connection past its idle time, age or uses, or forgotten: never handed out again
 * (the one rule of sq_pool_take() and the reaper). */
static int outlived(sq_pool_ticket *t, const sq_pool_limits *lim, long long now)
{
	return now - t->last_ms > lim->idle_ms || now - t->created_ms >= lim->max_age_ms || t->uses >= lim->max_uses
		|| forgotten(t);
}

typedef struct {
	int used;
	sq_session sess;
	sq_pool_ticket t;
} entry;

static entry pool[SQ_POOL_MAX_PER_PROCESS];
static void reaper_start(const sq_pool_limits *lim);
static pid_t pool_pid;
static sq_pool_stats stats;

/* After fork: what the parent pooled is the parent's. Under pool_lock. */
static void forget_parents(void)
{
	pid_t me = getpid();
	int i;

	if (pool_pid == me) {
		return;
	}
	for (i = 0; i < SQ_POOL_MAX_PER_PROCESS; i++) {
		if (pool[i].used) {
			sq_session_abandon(&pool[i].sess);
			pool[i].used = 0;
		}
	}
	stats.idle = 0;
	local_held = 0;
	pool_pid = me;
}

/* Logs out and closes (at rest: LOGOUT / QUIT), frees the place. */
static void close_session(sq_session *s, sq_pool_ticket *t, int polite)
{
	if (polite && s->conn) {
		sq_conn_set_timeout(s->conn, 1000);   /* a LOGOUT's answer is not worth a long wait */
		sq_session_quit(s);
	}
	sq_session_free(s);
	if (t->counted && !shared) {
		pthread_mutex_lock(&pool_lock);
		local_held--;
		pthread_mutex_unlock(&pool_lock);
		t->counted = 0;
	}
	release(t);
}

void sq_pool_drop(sq_session *s, sq_pool_ticket *t)
{
	if (t->pid != getpid()) {
		sq_session_free(s);   /* a child's copy of a stream: closed as any stream, never counted here */
		return;
	}
	close_session(s, t, 0);
}

int sq_pool_take(sq_pool_ticket *t, const sq_pool_limits *lim, sq_session *out)
{
	entry e;
	long long now;
	int i, found;
	sq_error err;
	sq_rc rc;

	if (t->no_keep) {
		return 0;
	}
	for (;;) {
		found = 0;
		pthread_mutex_lock(&pool_lock);
		forget_parents();
		for (i = 0; i < SQ_POOL_MAX_PER_PROCESS; i++) {
			/* every entry compared in constant time; the first match taken */
			if (pool[i].used && CRYPTO_memcmp(pool[i].t.key, t->key, sizeof(t->key)) == 0 && !found) {
				e = pool[i];
				memset(&pool[i], 0, sizeof(pool[i]));
				stats.idle--;
				found = 1;
			}
		}
		pthread_mutex_unlock(&pool_lock);
		if (!found) {
			return 0;
		}
		now = sq_now_ms();
		if (outlived(&e.t, lim, now)) {
			close_session(&e.sess, &e.t, 1);
			continue;
		}
		/* what stream_info reports for this login: the check's round trips and time */
		sq_conn_reset_counters(e.sess.conn);
		if ((rc = sq_session_check(&e.sess, now - e.t.last_ms > lim->check_after_ms, lim->wait_ms, &err)) != SQ_OK) {
			pthread_mutex_lock(&pool_lock);
			if (rc == SQ_ESTATE) {
				stats.refused_park++;    /* its park's answer showed it was not at rest */
			} else {
				stats.dropped_dead++;
			}
			pthread_mutex_unlock(&pool_lock);
			close_session(&e.sess, &e.t, 0);
			continue;
		}
		sq_conn_timings_mut(e.sess.conn)->auth = (double)(sq_now_ms() - now) / 1000.0;
		sq_conn_timings_mut(e.sess.conn)->total = sq_conn_timings(e.sess.conn)->auth;
		e.t.uses++;
		e.t.reused = 1;
		*t = e.t;
		*out = e.sess;
		pthread_mutex_lock(&pool_lock);
		stats.reuses++;
		pthread_mutex_unlock(&pool_lock);
		return 1;
	}
}

void sq_pool_give_back(sq_session *s, sq_pool_ticket *t, const sq_pool_limits *lim)
{
	long long now = sq_now_ms();
	entry evicted;
	int i, slot = -1, oldest = -1, have_evicted = 0;
	unsigned n = 0;
	sq_error err;

	if (t->pid != getpid()) {
		sq_pool_drop(s, t);
		return;
	}
	if (!t->counted || !s->conn || t->uses >= lim->max_uses || now - t->created_ms >= lim->max_age_ms
		|| lim->max_per_process == 0) {
		close_session(s, t, 0);   /* as a stream that was never persistent */
		memset(s, 0, sizeof(*s));
		return;
	}
	if (sq_session_park(s, &err) != SQ_OK) {
		pthread_mutex_lock(&pool_lock);
		stats.refused_park++;
		pthread_mutex_unlock(&pool_lock);
		close_session(s, t, 0);
		memset(s, 0, sizeof(*s));
		return;
	}
	t->last_ms = sq_now_ms();
	t->reused = 0;
	pthread_mutex_lock(&pool_lock);
	forget_parents();
	for (i = 0; i < SQ_POOL_MAX_PER_PROCESS; i++) {
		if (pool[i].used) {
			n++;
			if (oldest < 0 || pool[i].t.last_ms < pool[oldest].t.last_ms) {
				oldest = i;
			}
		} else if (slot < 0) {
			slot = i;
		}
	}
	if ((n >= lim->max_per_process || slot < 0) && oldest >= 0) {
		/* full: the least recently used goes */
		evicted = pool[oldest];
		have_evicted = 1;
		memset(&pool[oldest], 0, sizeof(pool[oldest]));
		stats.idle--;
		slot = oldest;
	}
	pool[slot].used = 1;
	pool[slot].sess = *s;
	pool[slot].t = *t;
	stats.idle++;
	stats.parked++;
	pthread_mutex_unlock(&pool_lock);
	memset(s, 0, sizeof(*s));
	if (have_evicted) {
		close_session(&evicted.sess, &evicted.t, 1);
	}
	reaper_start(lim);
}

/* What close_where() picks: an entry, what to compare, and the time. */
typedef int (*entry_test)(entry *e, const void *arg, long long now);

/* Takes out and logs out, one at a time, up to max pooled sessions that test picks. */
static unsigned close_where(entry_test test, const void *arg, unsigned max)
{
	entry e;
	unsigned n = 0;
	int i, found;

	do {
		long long now = sq_now_ms();
		found = 0;
		pthread_mutex_lock(&pool_lock);
		forget_parents();
		for (i = 0; i < SQ_POOL_MAX_PER_PROCESS && !found; i++) {
			if (pool[i].used && test(&pool[i], arg, now)) {
				e = pool[i];
				memset(&pool[i], 0, sizeof(pool[i]));
				stats.idle--;
				found = 1;
			}
		}
		pthread_mutex_unlock(&pool_lock);
		if (found) {
			close_session(&e.sess, &e.t, 1);
			n++;
		}
	} while (found && n < max);
	return n;
}

static int past_bounds(entry *e, const void *arg, long long now)
{
	return outlived(&e->t, arg, now);
}

void sq_pool_reap(const sq_pool_limits *lim)
{
	close_where(past_bounds, lim, SQ_POOL_MAX_PER_PROCESS);
}

/* Logs out the least recently used of this process's pooled connections of the user at
 * that server: 1 if there was one. */
static int evict_user(uint64_t user)
{
	entry e;
	int i, lru = -1;

	pthread_mutex_lock(&pool_lock);
	forget_parents();
	for (i = 0; i < SQ_POOL_MAX_PER_PROCESS; i++) {
		if (pool[i].used && pool[i].t.user == user && (lru < 0 || pool[i].t.last_ms < pool[lru].t.last_ms)) {
			lru = i;
		}
	}
	if (lru >= 0) {
		e = pool[lru];
		memset(&pool[lru], 0, sizeof(pool[lru]));
		stats.idle--;
	}
	pthread_mutex_unlock(&pool_lock);
	if (lru < 0) {
		return 0;
	}
	close_session(&e.sess, &e.t, 1);
	return 1;
}

typedef struct {
	uint64_t who, scope;
} forget_arg;

static int forgotten_now(entry *e, const void *arg, long long now)
{
	const forget_arg *f = arg;

	(void)now;
	return e->t.who == f->who && (!f->scope || e->t.scope == f->scope);
}

unsigned sq_pool_forget(sq_bytes user, sq_bytes scope, const sq_pool_limits *lim)
{
	sq_login_params none;
	forget_arg f = {0, 0};

	memset(&none, 0, sizeof(none));
	if (!shared_hash(1, &none, user, &f.who) || (scope.len && !shared_hash(2, &none, scope, &f.scope))) {
		return 0;
	}
	/* the other processes: recorded before this one's are closed, so that no take anywhere hands
	 * one out after this returns */
	remember_forget(f.who, f.scope, sq_now_ms(), lim);
	return close_where(forgotten_now, &f, SQ_POOL_MAX_PER_PROCESS);
}

/* ---- the reaper ------------------------------------------------------- */

static pthread_mutex_t reaper_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reaper_cv;
static pthread_t reaper_thread;
static pid_t reaper_pid;       /* the process whose reaper runs; 0 none */
static int reaper_stop;
static sq_pool_limits reaper_lim;

static void *reaper_main(void *arg)
{
	struct timespec ts;

	(void)arg;
	pthread_mutex_lock(&reaper_mu);
	while (!reaper_stop) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += SQ_POOL_REAPER_TICK_MS / 1000;
		ts.tv_nsec += (long)(SQ_POOL_REAPER_TICK_MS % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&reaper_cv, &reaper_mu, &ts);
		if (reaper_stop) {
			break;
		}
		pthread_mutex_unlock(&reaper_mu);
		sq_pool_reap(&reaper_lim);
		pthread_mutex_lock(&reaper_mu);
	}
	pthread_mutex_unlock(&reaper_mu);
	return NULL;
}

static void reaper_start(const sq_pool_limits *lim)
{
	pthread_condattr_t ca;
	sigset_t all, old;
	pid_t me = getpid();

	pthread_mutex_lock(&reaper_mu);
	if (reaper_pid != me) {
		if (lim != &reaper_lim) {
			reaper_lim = *lim;
		}
		reaper_stop = 0;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&reaper_cv, &ca);
		pthread_condattr_destroy(&ca);
		/* every signal stays with the threads PHP knows */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		if (pthread_create(&reaper_thread, NULL, reaper_main, NULL) == 0) {
			reaper_pid = me;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	pthread_mutex_unlock(&reaper_mu);
}

static void reaper_end(void)
{
	pthread_mutex_lock(&reaper_mu);
	if (reaper_pid != getpid()) {
		pthread_mutex_unlock(&reaper_mu);
		return;   /* none, or the parent's (which does not run in this process) */
	}
	reaper_stop = 1;
	pthread_cond_broadcast(&reaper_cv);
	pthread_mutex_unlock(&reaper_mu);
	pthread_join(reaper_thread, NULL);
	pthread_mutex_lock(&reaper_mu);
	pthread_cond_destroy(&reaper_cv);
	reaper_pid = 0;
	pthread_mutex_unlock(&reaper_mu);
}

/* fork(): the reaper ends before it, so that the child inherits nothing only a thread it does
 * not have could free or release (its thread-local state, OpenSSL's included, and the pool's
 * locks): both locks are taken, released in the parent, made anew in the child; the parent's
 * reaper starts again after the fork, the child's at its own first park. */
static int reaper_paused;

static void atfork_prepare(void)
{
	pthread_mutex_lock(&reaper_mu);
	reaper_paused = reaper_pid == getpid();
	pthread_mutex_unlock(&reaper_mu);
	if (reaper_paused) {
		reaper_end();
	}
	pthread_mutex_lock(&reaper_mu);
	pthread_mutex_lock(&pool_lock);
}

static void atfork_parent(void)
{
	pthread_mutex_unlock(&pool_lock);
	pthread_mutex_unlock(&reaper_mu);
	if (reaper_paused) {
		reaper_paused = 0;
		reaper_start(&reaper_lim);
	}
}

static void atfork_child(void)
{
	pthread_mutex_init(&pool_lock, NULL);
	pthread_mutex_init(&reaper_mu, NULL);
	reaper_paused = 0;
}

static int atfork_done;

void sq_pool_note_login(sq_pool_ticket *t)
{
	/* (created_ms: when the login started, sq_pool_ticket_init) */
	t->last_ms = sq_now_ms();
	t->uses = 1;
	t->reused = 0;
	pthread_mutex_lock(&pool_lock);
	stats.logins++;
	if (!t->counted && !t->no_keep) {
		stats.capped++;
	}
	pthread_mutex_unlock(&pool_lock);
}

void sq_pool_get_stats(sq_pool_stats *st)
{
	pid_t me = getpid();
	int i;

	pthread_mutex_lock(&pool_lock);
	forget_parents();
	*st = stats;
	st->held = shared ? 0 : local_held;
	pthread_mutex_unlock(&pool_lock);
	st->shared_slots = shared ? SQ_POOL_SHARED_SLOTS : 0;
	st->shared_slots_used = 0;
	if (shared && shared_lock()) {
		for (i = 0; i < SQ_POOL_SHARED_SLOTS; i++) {
			if (shared->slot[i].pid) {
				st->shared_slots_used++;
				if (shared->slot[i].pid == me) {
					st->held += shared->slot[i].count;
				}
			}
		}
		pthread_mutex_unlock(&shared->mu);
	}
}

/* ---- start-up and shutdown ------------------------------------------ */

sq_rc sq_pool_init(void)
{
	pthread_mutexattr_t a;
	void *m;

	if (!atfork_done) {
		/* once per process image (glibc drops a library's handlers when it is unloaded) */
		atfork_done = pthread_atfork(atfork_prepare, atfork_parent, atfork_child) == 0;
	}
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	user_key_ok = RAND_bytes(user_key, sizeof(user_key)) == 1;
	pool_pid = getpid();
	if (!hmac || !user_key_ok) {
		return SQ_ECRYPTO;
	}
	m = mmap(NULL, sizeof(shared_table), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		return SQ_ENOMEM;
	}
	shared = m;   /* zero-filled: every slot free */
	if (pthread_mutexattr_init(&a) != 0 || pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) != 0
		|| pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) != 0 || pthread_mutex_init(&shared->mu, &a) != 0) {
		munmap(m, sizeof(shared_table));
		shared = NULL;
		return SQ_ENOMEM;
	}
	pthread_mutexattr_destroy(&a);
	return SQ_OK;
}

void sq_pool_shutdown(void)
{
	int i;

	reaper_end();   /* before anything it uses goes */
	pthread_mutex_lock(&pool_lock);
	forget_parents();
	pthread_mutex_unlock(&pool_lock);
	for (i = 0; i < SQ_POOL_MAX_PER_PROCESS; i++) {
		if (pool[i].used) {
			close_session(&pool[i].sess, &pool[i].t, 1);
			pool[i].used = 0;
		}
	}
	memset(&stats, 0, sizeof(stats));
	if (shared) {
		munmap(shared, sizeof(shared_table));   /* the other processes keep their mapping */
		shared = NULL;
	}
	EVP_MAC_free(hmac);
	hmac = NULL;
	OPENSSL_cleanse(proc_key, sizeof(proc_key));
	OPENSSL_cleanse(user_key, sizeof(user_key));
	proc_key_pid = 0;
	user_key_ok = 0;
}
