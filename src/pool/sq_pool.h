/*
 * sqauth core: the persistent pool. Logged-in IMAP and SMTP sessions kept in
 * the process between requests and handed back to a later login made with
 * exactly the same parameters, and a small table shared by the processes of
 * one server (php-fpm workers, Apache prefork children) that caps how many
 * connections one user holds across all of them. No PHP header.
 *
 * A login is matched by a keyed hash (HMAC-SHA256 under a per-process random
 * key) of everything it was made with, password included: the password is
 * never stored, and a different password, user or option set never matches.
 */
#ifndef SQ_POOL_H
#define SQ_POOL_H

#include <stdint.h>
#include <sys/types.h>

#include "../proto/sq_proto.h"

/* Pooled connections per process, at most. */
#define SQ_POOL_MAX_PER_PROCESS 64
/* Places in the shared per-user table (one per process and user). */
#define SQ_POOL_SHARED_SLOTS 4096

typedef struct {
	long idle_ms;            /* a pooled connection idle longer is closed */
	long max_age_ms;         /* a connection older is closed instead of pooled or reused */
	long check_after_ms;     /* idle longer: a NOOP round trip before reuse; shorter: no round trip */
	long wait_ms;            /* the longest wait of a park or check */
	unsigned max_uses;       /* logins one connection serves */
	unsigned max_per_process;
	unsigned max_per_user;   /* across the processes sharing the table */
} sq_pool_limits;

/* What a persistent login carries with it. */
typedef struct {
	unsigned char key[32];   /* keyed hash of every login parameter */
	uint64_t user;           /* hash of proto, host, port and user name (shared table) */
	long long created_ms;    /* when the connection logged in */
	long long last_ms;       /* when it was last given back */
	unsigned uses;           /* logins it has served, its own included */
	int reused;              /* this login got a pooled connection */
	int counted;             /* holds a place in the per-user table */
	pid_t pid;               /* the process that logged in */
} sq_pool_ticket;

typedef struct {
	unsigned idle;           /* pooled in this process now */
	unsigned held;           /* this process's connections counted in the shared table */
	unsigned long logins, reuses, parked, refused_park, dropped_dead, capped;
	unsigned shared_slots_used, shared_slots;
} sq_pool_stats;

/* Module start-up, before any fork: the shared table (0 if that failed, then
 * the cap is per process only). */
sq_rc sq_pool_init(void);
/* Module shutdown: pooled connections logged out (a forked child's
 * inherited ones abandoned without a byte), this process's places freed. */
void sq_pool_shutdown(void);

/* Fills t->key and t->user for a login (p with user name and password set). */
sq_rc sq_pool_ticket_init(sq_pool_ticket *t, const sq_login_params *p);

/* A pooled session made with t's key, checked alive, moved into *out (with
 * its ticket in *t): 1. None usable: 0 (dead or expired ones on the way are
 * closed). */
int sq_pool_take(sq_pool_ticket *t, const sq_pool_limits *lim, sq_session *out);

/* A login made for t (not taken from the pool): its age and uses start. */
void sq_pool_note_login(sq_pool_ticket *t);

/* Counts a new connection of t's user in the shared table if the user is
 * below max_per_user: 1 (t->counted set). 0: the login may run, but its
 * connection is not to be kept. */
int sq_pool_reserve(sq_pool_ticket *t, const sq_pool_limits *lim);

/* The caller is done with a persistent session: pooled if nothing is pending
 * and it is within its bounds, else closed (and its place freed). The command
 * that proves it at rest (IMAP NOOP, SMTP RSET) is sent now and its answer
 * checked by sq_pool_take() before the session is handed out, so that the
 * round trip is not waited for by either page. *s is emptied. A forked child
 * never pools its parent's session. */
void sq_pool_give_back(sq_session *s, sq_pool_ticket *t, const sq_pool_limits *lim);

/* Closes a persistent session that is not to be pooled, and frees its place. */
void sq_pool_drop(sq_session *s, sq_pool_ticket *t);

/* Closes pooled sessions idle or alive past the limits. */
void sq_pool_reap(const sq_pool_limits *lim);

void sq_pool_get_stats(sq_pool_stats *st);

#endif
