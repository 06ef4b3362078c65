/*
 * sqauth glue: persistent logins. The pool's bounds from INI, and the pool's
 * counts for phpinfo(). The pool itself is src/pool.
 */
#ifndef SQAUTH_POOL_H
#define SQAUTH_POOL_H

#include "src/pool/pool.h"

/* The bounds as the INI settings give them now. */
void php_sqauth_pool_limits(sq_pool_limits *lim);

/* phpinfo()'s rows for the pool. */
void php_sqauth_pool_info(void);

#endif
