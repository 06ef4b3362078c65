/*
  +----------------------------------------------------------------------+
  | sqauth: the Sqauth\ exception classes: throwing them from a core     |
  | result code, and AuthenticationException's accessors. The classes    |
  | are registered with the module (sqauth.c, from sqauth_arginfo.h).    |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "sqauth_exceptions.h"

zend_class_entry *php_sqauth_exception_ce;
zend_class_entry *php_sqauth_connection_exception_ce;
zend_class_entry *php_sqauth_tls_exception_ce;
zend_class_entry *php_sqauth_protocol_exception_ce;
zend_class_entry *php_sqauth_authentication_exception_ce;
zend_class_entry *php_sqauth_security_exception_ce;

void php_sqauth_throw(sq_rc code, const char *msg)
{
	zend_class_entry *ce;

	switch (code) {
	case SQ_EINVAL:
		zend_value_error("%s", msg);
		return;
	case SQ_ESTATE:
		zend_throw_error(NULL, "%s", msg);
		return;
	case SQ_EPROTO: ce = php_sqauth_protocol_exception_ce; break;
	case SQ_ESECURITY: ce = php_sqauth_security_exception_ce; break;
	case SQ_EAUTH: ce = php_sqauth_authentication_exception_ce; break;
	case SQ_ECONN:
	case SQ_ETIMEOUT: ce = php_sqauth_connection_exception_ce; break;
	case SQ_ETLS: ce = php_sqauth_tls_exception_ce; break;
	default: ce = php_sqauth_exception_ce; break;
	}
	zend_throw_exception(ce, msg, (zend_long)code);
}

void php_sqauth_throw_refusal(const char *msg, const char *server_message, const char *response_code,
	const char *error_report)
{
	zval ex;

	object_init_ex(&ex, php_sqauth_authentication_exception_ce);
	zend_update_property_string(zend_ce_exception, Z_OBJ(ex), "message", sizeof("message") - 1, msg);
	zend_update_property_long(zend_ce_exception, Z_OBJ(ex), "code", sizeof("code") - 1, SQ_EAUTH);
	zend_update_property_string(php_sqauth_authentication_exception_ce, Z_OBJ(ex), "serverMessage",
		sizeof("serverMessage") - 1, server_message);
	if (response_code[0]) {
		zend_update_property_string(php_sqauth_authentication_exception_ce, Z_OBJ(ex), "responseCode",
			sizeof("responseCode") - 1, response_code);
	}
	if (error_report[0]) {
		zend_update_property_string(php_sqauth_authentication_exception_ce, Z_OBJ(ex), "errorReport",
			sizeof("errorReport") - 1, error_report);
	}
	zend_throw_exception_object(&ex);
}

/* The value of one of AuthenticationException's own properties. */
static void return_property(zend_object *obj, const char *name, size_t len, zval *return_value)
{
	zval rv, *prop = zend_read_property(php_sqauth_authentication_exception_ce, obj, name, len, 1, &rv);

	RETURN_COPY_DEREF(prop);
}

ZEND_METHOD(Sqauth_AuthenticationException, getServerMessage)
{
	ZEND_PARSE_PARAMETERS_NONE();
	return_property(Z_OBJ_P(ZEND_THIS), "serverMessage", sizeof("serverMessage") - 1, return_value);
}

ZEND_METHOD(Sqauth_AuthenticationException, getResponseCode)
{
	ZEND_PARSE_PARAMETERS_NONE();
	return_property(Z_OBJ_P(ZEND_THIS), "responseCode", sizeof("responseCode") - 1, return_value);
}

ZEND_METHOD(Sqauth_AuthenticationException, getErrorReport)
{
	ZEND_PARSE_PARAMETERS_NONE();
	return_property(Z_OBJ_P(ZEND_THIS), "errorReport", sizeof("errorReport") - 1, return_value);
}
