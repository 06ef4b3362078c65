/*
 * sqauth glue: the Sqauth\ exception classes and how a core result code
 * becomes a PHP exception. Shared by every glue file.
 */
#ifndef SQAUTH_EXCEPTIONS_H
#define SQAUTH_EXCEPTIONS_H

#include "php.h"

#include "src/util/error.h"

extern zend_class_entry *php_sqauth_exception_ce;
extern zend_class_entry *php_sqauth_connection_exception_ce;
extern zend_class_entry *php_sqauth_tls_exception_ce;
extern zend_class_entry *php_sqauth_protocol_exception_ce;
extern zend_class_entry *php_sqauth_authentication_exception_ce;
extern zend_class_entry *php_sqauth_security_exception_ce;

/* Throws what a core result code means in PHP: SQ_EINVAL a ValueError,
 * SQ_ESTATE an Error, the others the Sqauth\ exception classes. */
void php_sqauth_throw(sq_rc code, const char *msg);

/* Throws Sqauth\AuthenticationException with the server's refusal: its text
 * and, when the server sent them, its response code and the error report of a
 * token mechanism ("" for none). */
void php_sqauth_throw_refusal(const char *msg, const char *server_message, const char *response_code,
	const char *error_report);

#endif
