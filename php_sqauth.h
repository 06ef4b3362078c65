/*
  +----------------------------------------------------------------------+
  | sqauth: native IMAP/SMTP/POP3 authentication for PHP                 |
  +----------------------------------------------------------------------+
  | The module's header: version and INI globals. Each glue file has its |
  | own header; the work is done in src/, which includes no PHP header.  |
  +----------------------------------------------------------------------+
*/

#ifndef PHP_SQAUTH_H
#define PHP_SQAUTH_H

#if PHP_VERSION_ID < 80200
# error "sqauth needs PHP 8.2 or later (config.m4 checks this too)"
#endif

extern zend_module_entry sqauth_module_entry;
#define phpext_sqauth_ptr &sqauth_module_entry

#define PHP_SQAUTH_VERSION "0.1.0"

/* The PHP versions this release is tested on (tests/tools/php-trixie for 8.4 and 8.5): package.xml's
 * <max>, composer.json, the README and `php --ri sqauth` say the same (tests/tools/check-package).
 * 8.3 is in no Debian suite: it builds from the same source, but no 8.3 has run the suite. */
#define PHP_SQAUTH_TESTED_PHP "8.2, 8.4, 8.5"

#if defined(ZTS) && defined(COMPILE_DL_SQAUTH)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#include "src/util/error.h"

ZEND_BEGIN_MODULE_GLOBALS(sqauth)
	bool compat_functions;
	double timeout;
	char *cafile;
	char *capath;
	char *smtp_sitewide_user;
	char *smtp_sitewide_pass;
	double persistent_idle_timeout;
	double persistent_max_age;
	double persistent_check_after;
	zend_long persistent_max_uses;
	zend_long persistent_per_process;
	zend_long persistent_per_user;
ZEND_END_MODULE_GLOBALS(sqauth)

ZEND_EXTERN_MODULE_GLOBALS(sqauth)
#define SQAUTH_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(sqauth, v)

#endif
