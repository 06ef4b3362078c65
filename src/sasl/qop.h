/*
 * sqauth core: DIGEST-MD5's quality of protection and ciphers (RFC 2831
 * 2.1.1): the values and their names on the wire.
 */
#ifndef SQ_QOP_H
#define SQ_QOP_H

#include <stddef.h>

/* DIGEST-MD5 quality of protection. */
#define SQ_QOP_AUTH      0x01
#define SQ_QOP_AUTH_INT  0x02
#define SQ_QOP_AUTH_CONF 0x04

/* DIGEST-MD5 ciphers (RFC 2831 2.1.1). */
#define SQ_CIPHER_3DES   0x01
#define SQ_CIPHER_DES    0x02
#define SQ_CIPHER_RC4    0x04
#define SQ_CIPHER_RC4_56 0x08
#define SQ_CIPHER_RC4_40 0x10

const char *sq_qop_name(unsigned qop);
const char *sq_cipher_name(unsigned cipher);
int sq_qop_lookup(const char *name, size_t len);     /* SQ_QOP_* or 0 */
int sq_cipher_lookup(const char *name, size_t len);  /* SQ_CIPHER_* or 0 */

#endif
