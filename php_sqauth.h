/*
  +----------------------------------------------------------------------+
  | sqauth: native IMAP/SMTP/POP3 authentication for PHP                 |
  +----------------------------------------------------------------------+
  | The Zend glue shared by sqauth.c and sqauth_client.c. The work is    |
  | done in src/, which includes no PHP header.                          |
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

#if defined(ZTS) && defined(COMPILE_DL_SQAUTH)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#include "src/util/sq_error.h"

ZEND_BEGIN_MODULE_GLOBALS(sqauth)
	bool compat_functions;
	double timeout;
	char *cafile;
	char *capath;
	char *smtp_sitewide_user;
	char *smtp_sitewide_pass;
ZEND_END_MODULE_GLOBALS(sqauth)

ZEND_EXTERN_MODULE_GLOBALS(sqauth)
#define SQAUTH_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(sqauth, v)

extern zend_class_entry *php_sqauth_exception_ce;
extern zend_class_entry *php_sqauth_connection_exception_ce;
extern zend_class_entry *php_sqauth_tls_exception_ce;
extern zend_class_entry *php_sqauth_protocol_exception_ce;
extern zend_class_entry *php_sqauth_authentication_exception_ce;
extern zend_class_entry *php_sqauth_security_exception_ce;
extern zend_class_entry *php_sqauth_sasl_client_ce;

/* Throws what a core result code means in PHP: SQ_EINVAL a ValueError,
 * SQ_ESTATE an Error, the others the Sqauth\ exception classes. */
void php_sqauth_throw(sq_rc code, const char *msg);

/* Parses a qop or cipher option (a name or a list of names, in order of
 * preference) into pref[]. Throws and returns FAILURE on misuse. */
zend_result php_sqauth_parse_pref(zval *v, unsigned char *pref, int is_cipher, uint32_t arg_num, const char *key);

/* Sets up Sqauth\SaslClient's object handlers (sqauth_client.c). */
void php_sqauth_client_minit(void);

/* Frees the per-process TLS caches of the login functions (sqauth_stream.c). */
void php_sqauth_stream_mshutdown(void);

#endif
