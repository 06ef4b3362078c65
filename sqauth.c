/*
  +----------------------------------------------------------------------+
  | sqauth: the module. INI settings, start-up and shutdown (classes from |
  | sqauth_arginfo.h, the per-process core state), phpinfo(), and        |
  | SquirrelMail's own function names when sqauth.compat_functions=1.    |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "zend_attributes.h"
#include "zend_exceptions.h"
#include "ext/spl/spl_exceptions.h"

#include "php_sqauth.h"
#include "sqauth_arginfo.h"
#include "sqauth_client.h"
#include "sqauth_exceptions.h"
#include "sqauth_pool.h"

#include "src/net/conn.h"
#include "src/util/alloc.h"
#include "src/sasl/crypto.h"
#include "src/sasl/saslprep.h"
#include "src/sasl/seclayer.h"

ZEND_DECLARE_MODULE_GLOBALS(sqauth)

static ZEND_INI_MH(OnUpdateTimeout)
{
	double v = zend_strtod(ZSTR_VAL(new_value), NULL);

	if (!(v > 0 && v <= 86400)) {
		return FAILURE;
	}
	SQAUTH_G(timeout) = v;
	return SUCCESS;
}

/* Seconds, as a float: above 0 and at most a day. */
static ZEND_INI_MH(OnUpdateSeconds)
{
	double v = zend_strtod(ZSTR_VAL(new_value), NULL);

	if (!(v > 0 && v <= 86400)) {
		return FAILURE;
	}
	*(double *)ZEND_INI_GET_ADDR() = v;
	return SUCCESS;
}

#ifdef ZTS
# define SQAUTH_GLOBALS_PTR ((void *)&sqauth_globals_id)
#else
# define SQAUTH_GLOBALS_PTR ((void *)&sqauth_globals)
#endif

/* A count from 0 to mh_arg3's limit. */
static ZEND_INI_MH(OnUpdateCount)
{
	zend_long v = ZEND_STRTOL(ZSTR_VAL(new_value), NULL, 10);
	zend_long max = (zend_long)(uintptr_t)mh_arg3;

	if (v < 0 || v > max) {
		return FAILURE;
	}
	*(zend_long *)ZEND_INI_GET_ADDR() = v;
	return SUCCESS;
}

/* The site-wide SMTP password is never shown by phpinfo() or php --ri. */
static ZEND_INI_DISP(display_secret)
{
	zend_string *v = (type == ZEND_INI_DISPLAY_ORIG && ini_entry->modified) ? ini_entry->orig_value : ini_entry->value;

	if (v && ZSTR_LEN(v)) {
		PHPWRITE("********", 8);
	} else {
		PUTS("no value");
	}
}

PHP_INI_BEGIN()
	STD_PHP_INI_BOOLEAN("sqauth.compat_functions", "0", PHP_INI_SYSTEM, OnUpdateBool,
		compat_functions, zend_sqauth_globals, sqauth_globals)
	PHP_INI_ENTRY("sqauth.timeout", "15", PHP_INI_ALL, OnUpdateTimeout)
	STD_PHP_INI_ENTRY("sqauth.cafile", "", PHP_INI_SYSTEM, OnUpdateString, cafile, zend_sqauth_globals, sqauth_globals)
	STD_PHP_INI_ENTRY("sqauth.capath", "", PHP_INI_SYSTEM, OnUpdateString, capath, zend_sqauth_globals, sqauth_globals)
	STD_PHP_INI_ENTRY("sqauth.smtp_sitewide_user", "", PHP_INI_SYSTEM, OnUpdateString, smtp_sitewide_user,
		zend_sqauth_globals, sqauth_globals)
	STD_PHP_INI_ENTRY_EX("sqauth.smtp_sitewide_pass", "", PHP_INI_SYSTEM, OnUpdateString, smtp_sitewide_pass,
		zend_sqauth_globals, sqauth_globals, display_secret)
	STD_PHP_INI_ENTRY("sqauth.persistent_idle_timeout", "120", PHP_INI_SYSTEM, OnUpdateSeconds,
		persistent_idle_timeout, zend_sqauth_globals, sqauth_globals)
	STD_PHP_INI_ENTRY("sqauth.persistent_max_age", "3600", PHP_INI_SYSTEM, OnUpdateSeconds,
		persistent_max_age, zend_sqauth_globals, sqauth_globals)
	STD_PHP_INI_ENTRY("sqauth.persistent_check_after", "5", PHP_INI_SYSTEM, OnUpdateSeconds,
		persistent_check_after, zend_sqauth_globals, sqauth_globals)
	ZEND_INI_ENTRY3("sqauth.persistent_max_uses", "1000", PHP_INI_SYSTEM, OnUpdateCount,
		(void *)offsetof(zend_sqauth_globals, persistent_max_uses), SQAUTH_GLOBALS_PTR, (void *)(uintptr_t)1000000)
	ZEND_INI_ENTRY3("sqauth.persistent_per_process", "8", PHP_INI_SYSTEM, OnUpdateCount,
		(void *)offsetof(zend_sqauth_globals, persistent_per_process), SQAUTH_GLOBALS_PTR,
		(void *)(uintptr_t)SQ_POOL_MAX_PER_PROCESS)
	ZEND_INI_ENTRY3("sqauth.persistent_per_user", "4", PHP_INI_SYSTEM, OnUpdateCount,
		(void *)offsetof(zend_sqauth_globals, persistent_per_user), SQAUTH_GLOBALS_PTR, (void *)(uintptr_t)1000)
PHP_INI_END()

/* SquirrelMail's digest_md5_response() takes what sqimap_login() passes: its
 * $authz is null when no authz plugin set one. The native name keeps string. */
ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_compat_digest_md5_response, 0, 5, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, username, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, password, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, challenge, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, service, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, host, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, authz, IS_STRING, 1, "\'\'")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

static ZEND_NAMED_FUNCTION(compat_digest_md5_response)
{
	if (ZEND_NUM_ARGS() >= 6 && Z_TYPE_P(ZEND_CALL_ARG(execute_data, 6)) == IS_NULL) {
		ZVAL_EMPTY_STRING(ZEND_CALL_ARG(execute_data, 6));   /* null: no authzid, as '' */
	}
	ZEND_FN(sqauth_digest_md5_response)(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

/* SquirrelMail's own names, registered when sqauth.compat_functions=1 so that
 * a functions/auth.php that guards its definitions with function_exists()
 * uses the native ones. The sqauth_ names' handlers and signatures, but for
 * digest_md5_response()'s $authz (above). */
static const zend_function_entry compat_functions[] = {
	ZEND_NAMED_FE(hmac_md5, zif_sqauth_hmac_md5, arginfo_sqauth_hmac_md5)
	ZEND_NAMED_FE(cram_md5_response, zif_sqauth_cram_md5_response, arginfo_sqauth_cram_md5_response)
	ZEND_NAMED_FE(digest_md5_response, compat_digest_md5_response, arginfo_compat_digest_md5_response)
	ZEND_NAMED_FE(digest_md5_parse_challenge, zif_sqauth_digest_md5_parse_challenge,
		arginfo_sqauth_digest_md5_parse_challenge)
	ZEND_FE_END
};


/* ---- module -------------------------------------------------------- */

static void *php_sqauth_malloc(size_t size)
{
	return pemalloc(size, 1);
}

static void *php_sqauth_realloc(void *p, size_t size)
{
	return perealloc(p, size, 1);
}

static void php_sqauth_free(void *p)
{
	pefree(p, 1);
}

static PHP_GINIT_FUNCTION(sqauth)
{
#if defined(COMPILE_DL_SQAUTH) && defined(ZTS)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	memset(sqauth_globals, 0, sizeof(*sqauth_globals));
	sqauth_globals->timeout = 15;
}

static void mark_sensitive(const char *fname, uint32_t offset)
{
	zend_function *f = zend_hash_str_find_ptr(CG(function_table), fname, strlen(fname));

	if (f) {
		zend_add_parameter_attribute(f, offset, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);
	}
}

static PHP_MINIT_FUNCTION(sqauth)
{
	REGISTER_INI_ENTRIES();
	/* persistent, OOM-fatal like the rest of PHP: the core's per-process
	 * state (fetched algorithms) outlives requests */
	sq_set_allocator(php_sqauth_malloc, php_sqauth_realloc, php_sqauth_free);
	if (sq_crypto_init() != SQ_OK) {
		php_error_docref(NULL, E_CORE_WARNING, "sqauth: OpenSSL could not provide MD5, SHA-1, SHA-256, HMAC or PBKDF2");
		return FAILURE;
	}

	/* before any fork (php-fpm, Apache prefork): the table the workers share */
	switch (sq_pool_init()) {
	case SQ_OK:
		break;
	case SQ_ENOMEM:
		php_error_docref(NULL, E_CORE_WARNING, "sqauth: no shared memory for the per-user table; "
			"sqauth.persistent_per_user counts each process alone");
		break;
	default:
		php_error_docref(NULL, E_CORE_WARNING, "sqauth: the persistent pool cannot start (OpenSSL)");
		return FAILURE;
	}

	register_sqauth_symbols(module_number);
	php_sqauth_exception_ce = register_class_Sqauth_Exception(spl_ce_RuntimeException);
	php_sqauth_connection_exception_ce = register_class_Sqauth_ConnectionException(php_sqauth_exception_ce);
	php_sqauth_tls_exception_ce = register_class_Sqauth_TlsException(php_sqauth_exception_ce);
	php_sqauth_protocol_exception_ce = register_class_Sqauth_ProtocolException(php_sqauth_exception_ce);
	php_sqauth_authentication_exception_ce = register_class_Sqauth_AuthenticationException(php_sqauth_exception_ce);
	php_sqauth_security_exception_ce = register_class_Sqauth_SecurityException(php_sqauth_exception_ce);
	php_sqauth_sasl_client_ce = register_class_Sqauth_SaslClient();
	php_sqauth_client_minit();

	if (SQAUTH_G(compat_functions)) {
		if (zend_register_functions(NULL, compat_functions, NULL, MODULE_PERSISTENT) == FAILURE) {
			return FAILURE;
		}
		mark_sensitive("hmac_md5", 1);
		mark_sensitive("cram_md5_response", 1);
		mark_sensitive("digest_md5_response", 1);
	}
	return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(sqauth)
{
	if (SQAUTH_G(compat_functions)) {
		zend_unregister_functions(compat_functions, -1, NULL);
	}
	UNREGISTER_INI_ENTRIES();
	sq_pool_shutdown();   /* pooled connections logged out, before the TLS state goes */
	sq_conn_shutdown();   /* the TLS context and session caches */
	sq_seclayer_shutdown();
	sq_crypto_shutdown();
	return SUCCESS;
}

/* No password-derived state outlives the request: the core's reused HMAC and
 * digest contexts are re-keyed and reset. */
static PHP_RSHUTDOWN_FUNCTION(sqauth)
{
	sq_crypto_scrub();
	return SUCCESS;
}

static PHP_GSHUTDOWN_FUNCTION(sqauth)
{
	(void)sqauth_globals;  /* nothing of the globals to free: the core keeps its own per-thread state */
	/* per thread under ZTS: this thread's working contexts */
	sq_crypto_thread_release();
}

static PHP_MINFO_FUNCTION(sqauth)
{
	char mechs[256] = "";
	int i;
	static const unsigned ciphers[] = {SQ_CIPHER_3DES, SQ_CIPHER_DES, SQ_CIPHER_RC4, SQ_CIPHER_RC4_56, SQ_CIPHER_RC4_40};
	char cbuf[64] = "";

	for (i = 0; i < SQ_MECH__COUNT; i++) {
		if (i) {
			strlcat(mechs, " ", sizeof(mechs));
		}
		strlcat(mechs, sq_mech_name((sq_mech_id)i), sizeof(mechs));
	}
	for (i = 0; i < 5; i++) {
		if (sq_seclayer_cipher_available(ciphers[i])) {
			if (cbuf[0]) {
				strlcat(cbuf, " ", sizeof(cbuf));
			}
			strlcat(cbuf, sq_cipher_name(ciphers[i]), sizeof(cbuf));
		}
	}
	php_info_print_table_start();
	php_info_print_table_row(2, "sqauth support", "enabled");
	php_info_print_table_row(2, "Version", PHP_SQAUTH_VERSION);
	php_info_print_table_row(2, "Built for PHP", PHP_VERSION);
	php_info_print_table_row(2, "Tested on PHP", PHP_SQAUTH_TESTED_PHP " (8.3 untested)");
	php_info_print_table_row(2, "OpenSSL", sq_crypto_version());
	php_info_print_table_row(2, "SASL mechanisms", mechs);
	php_info_print_table_row(2, "SASLprep (libidn)", sq_saslprep_available() ? "yes" : "no (SCRAM accepts ASCII only)");
	php_info_print_table_row(2, "DIGEST-MD5 auth-conf ciphers", cbuf[0] ? cbuf : "none");
	php_info_print_table_row(2, "SquirrelMail function names", SQAUTH_G(compat_functions) ? "registered" : "not registered");
	php_sqauth_pool_info();
	php_info_print_table_end();
	DISPLAY_INI_ENTRIES();
}

zend_module_entry sqauth_module_entry = {
	STANDARD_MODULE_HEADER,
	"sqauth",
	ext_functions,
	PHP_MINIT(sqauth),
	PHP_MSHUTDOWN(sqauth),
	NULL,
	PHP_RSHUTDOWN(sqauth),
	PHP_MINFO(sqauth),
	PHP_SQAUTH_VERSION,
	PHP_MODULE_GLOBALS(sqauth),
	PHP_GINIT(sqauth),
	PHP_GSHUTDOWN(sqauth),
	NULL,
	STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_SQAUTH
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(sqauth)
#endif

