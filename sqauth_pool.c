/*
  +----------------------------------------------------------------------+
  | sqauth: persistent logins, the glue's side: the INI bounds of the    |
  | pool (sqauth.persistent_*) and its counts in phpinfo(). Logins take  |
  | from it in sqauth_login.c; streams give back in sqauth_stream.c.     |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "ext/standard/info.h"

#include "php_sqauth.h"
#include "sqauth_pool.h"

/* how long a park or a check may wait for the server */
#define POOL_WAIT_MS 2000

void php_sqauth_pool_limits(sq_pool_limits *lim)
{
	lim->idle_ms = (long)(SQAUTH_G(persistent_idle_timeout) * 1000);
	lim->max_age_ms = (long)(SQAUTH_G(persistent_max_age) * 1000);
	lim->check_after_ms = (long)(SQAUTH_G(persistent_check_after) * 1000);
	lim->wait_ms = POOL_WAIT_MS;
	lim->max_uses = (unsigned)SQAUTH_G(persistent_max_uses);
	lim->max_per_process = (unsigned)SQAUTH_G(persistent_per_process);
	lim->max_per_user = (unsigned)SQAUTH_G(persistent_per_user);
}

PHP_FUNCTION(sqauth_pool_forget)
{
	zend_string *user, *scope = NULL;
	sq_pool_limits lim;
	sq_bytes u, sc = {NULL, 0};

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR(user)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(scope)
	ZEND_PARSE_PARAMETERS_END();

	if (ZSTR_LEN(user) == 0) {
		zend_argument_value_error(1, "must not be empty");
		RETURN_THROWS();
	}
	if (scope && memchr(ZSTR_VAL(scope), '\0', ZSTR_LEN(scope))) {
		zend_argument_value_error(2, "must not contain NUL bytes");   /* as the logins' session_id */
		RETURN_THROWS();
	}
	u.p = (const unsigned char *)ZSTR_VAL(user);
	u.len = ZSTR_LEN(user);
	if (scope && ZSTR_LEN(scope)) {
		sc.p = (const unsigned char *)ZSTR_VAL(scope);
		sc.len = ZSTR_LEN(scope);
	}
	php_sqauth_pool_limits(&lim);
	RETURN_LONG((zend_long)sq_pool_forget(u, sc, &lim));
}

void php_sqauth_pool_info(void)
{
	sq_pool_stats st;
	char b[160];

	sq_pool_get_stats(&st);
	snprintf(b, sizeof(b), "%u pooled, %u held by this process", st.idle, st.held);
	php_info_print_table_row(2, "Persistent connections", b);
	snprintf(b, sizeof(b), "%lu logins made, %lu served from the pool, %lu given back, %lu not at rest, %lu found dead, %lu over the per-user cap",
		st.logins, st.reuses, st.parked, st.refused_park, st.dropped_dead, st.capped);
	php_info_print_table_row(2, "Persistent logins (this process)", b);
	if (st.shared_slots) {
		snprintf(b, sizeof(b), "%u of %u places used", st.shared_slots_used, st.shared_slots);
	} else {
		snprintf(b, sizeof(b), "not available: the per-user cap counts this process only");
	}
	php_info_print_table_row(2, "Per-user table (shared by the workers)", b);
}
