/*
 * sqauth core: the persistent pool. Logged-in IMAP and SMTP sessions kept in
 * the process between requests and handed back to a later login made with
 * exactly the same parameters, and a small table shared by the processes of
 * one server (php-fpm workers, Apache prefork children) that caps how many
 * connections one user holds across all of them. No PHP header.
 *
 * A login is matched by a keyed hash (HMAC-SHA256 under a per-process random
 * key) of everything it was made with, password included, and the webmail
 * session it was made for (its scope): the password is never stored, and a
 * different password, user, session or option set never matches.
 *
 * The server is the authority on credentials. A pooled connection is never
 * handed to another webmail session (a new sign-in logs in for real, so a
 * password changed or a token revoked at the server is refused there), is
 * never older than max_age, and sq_pool_forget() makes every process of the
 * server drop a user's connections (sign-out, a password change): the shared
 * table records it, each process's reaper thread logs those connections out
 * within a second, and no take hands one out after the call returned. The
 * reaper also closes connections at their idle time and age, so a kept
 * connection does not wait for the next login in its process to be closed.
 */
#ifndef SQ_POOL_H
#define SQ_POOL_H

#include <stdint.h>
#include <sys/types.h>

#include "../proto/proto.h"

/* Pooled connections per process, at most. */
#define SQ_POOL_MAX_PER_PROCESS 64
/* Places in the shared per-user table (one per process and user). */
#define SQ_POOL_SHARED_SLOTS 4096
/* Places in the shared table of forgotten users; when every place holds a
 * forget younger than max_age, the oldest one widens to every user. */
#define SQ_POOL_FORGET_SLOTS 1024
/* The reaper's longest sleep: sq_pool_forget() reaches other processes within it. */
#define SQ_POOL_REAPER_TICK_MS 1000

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
	unsigned char key[32];   /* keyed hash of every login parameter and the scope */
	uint64_t user;           /* hash of proto, host and the user the session acts as (authz, else the
	                          * login name): what a server counts (shared table) */
	uint64_t who;            /* hash of that user alone (forget) */
	uint64_t scope;          /* hash of the webmail session it serves, 0 none */
	unsigned forget_gen;     /* the forget table's generation when last found not forgotten */
	int no_keep;             /* never pooled (SMTP 'none': the caller may authenticate by itself) */
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

/* Fills the ticket for a login (p with user name and password set); scope:
 * the webmail session the connection serves (empty: none). */
sq_rc sq_pool_ticket_init(sq_pool_ticket *t, const sq_login_params *p, sq_bytes scope);

/* Every process of the server drops the user's pooled connections that
 * logged in before this call, or, if scope is not empty, every connection of
 * that scope (the session is over: one of its pages still on its way is not
 * kept either, until max_age has passed); this process's are logged out now.
 * Returns how many this process closed. */
unsigned sq_pool_forget(sq_bytes user, sq_bytes scope, const sq_pool_limits *lim);

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
