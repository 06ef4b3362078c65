/*
 * sqauth glue: Sqauth\SaslClient. The class is registered with the module
 * (sqauth.c, from sqauth_arginfo.h); its object handlers are set here.
 */
#ifndef SQAUTH_CLIENT_H
#define SQAUTH_CLIENT_H

#include "php.h"

extern zend_class_entry *php_sqauth_sasl_client_ce;
void php_sqauth_client_minit(void);

#endif
