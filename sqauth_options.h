/*
 * sqauth glue: the options arrays of the login functions and of
 * sqauth_detect(), and the qop / cipher preference lists that the SASL
 * functions, Sqauth\SaslClient and the login functions share. Misuse is a
 * TypeError or ValueError naming the argument and key.
 */
#ifndef SQAUTH_OPTIONS_H
#define SQAUTH_OPTIONS_H

#include "php.h"

#include <openssl/evp.h>

#include "main/php_streams.h"
#include "src/proto/proto.h"

typedef struct {
	/* strings borrowed from the options array, valid during the call */
	sq_login_params p;
	char fp_alg[8];
	char fp_hex[EVP_MAX_MD_SIZE * 2 + 1];
	int tls_given;       /* the caller named the TLS mode */
	int persistent;      /* keep the connection for a later login (IMAP, SMTP) */
	sq_bytes scope;      /* session_id: the webmail session a kept connection serves */
	int capture_cert;    /* ssl capture_peer_cert: the stream's context gets peer_certificate */
	int capture_chain;   /* ssl capture_peer_cert_chain: ... and peer_certificate_chain */
} php_sqauth_login_opts;

/* Fills o from the options array ht (NULL: none) of argument arg; detect
 * accepts only the connection keys (and "challenge"). 0 when it threw. */
int php_sqauth_parse_login_options(HashTable *ht, uint32_t arg, sq_proto proto, unsigned port, int detect,
	php_sqauth_login_opts *o);

/* Parses a qop or cipher option (a name or a list of names, in order of
 * preference) into pref[]. Throws and returns FAILURE on misuse. */
zend_result php_sqauth_parse_pref(zval *v, unsigned char *pref, int is_cipher, uint32_t arg_num, const char *key);

/* What PHP's ssl:// does for capture_peer_cert and capture_peer_cert_chain: the
 * stream gets a context whose "ssl" options hold peer_certificate and
 * peer_certificate_chain (OpenSSLCertificate objects, made by ext/openssl's
 * openssl_x509_read(); nothing is captured without ext/openssl, as ssl:// needs it). */
void php_sqauth_capture_peer_certs(php_stream *stream, const sq_conn *conn, const php_sqauth_login_opts *o);

/* A string with NUL, CR or LF: never sent on a line. */
bool php_sqauth_has_ctl(const zend_string *s);

/* Checks a host (argument host_arg) and the port that follows it; throws a
 * ValueError and returns 0 when either is unusable. */
int php_sqauth_check_host_port(const zend_string *host, zend_long port, uint32_t host_arg);

#endif
