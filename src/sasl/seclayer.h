/*
 * sqauth core: the DIGEST-MD5 security layers of RFC 2831 2.3 (integrity,
 * qop=auth-int) and 2.4 (confidentiality, qop=auth-conf), over OpenSSL EVP.
 *
 * Outgoing data is cut into frames no larger than the peer's maxbuf; incoming
 * bytes are buffered until a whole frame is there, and a frame that is too
 * large, truncated, out of sequence, badly padded or fails its MAC is an
 * SQ_ESECURITY error after which the layer refuses all further data: nothing
 * unverified is ever returned.
 */
#ifndef SQ_SECLAYER_H
#define SQ_SECLAYER_H

#include "../util/buf.h"

typedef struct sq_seclayer sq_seclayer;

/* Whether this OpenSSL can run the cipher (RC4 and single DES need the
 * legacy provider, which is loaded into a private library context). */
int sq_seclayer_cipher_available(unsigned cipher);
/* Frees the private library context of the legacy provider (at module shutdown). */
void sq_seclayer_shutdown(void);

sq_rc sq_seclayer_new(sq_seclayer **out, unsigned qop, unsigned cipher, const unsigned char ha1[16],
	unsigned long send_maxbuf, unsigned long recv_maxbuf, sq_error *err);
/* The same seen from the server (keys swapped): test servers and proxies. */
sq_rc sq_seclayer_new_server(sq_seclayer **out, unsigned qop, unsigned cipher, const unsigned char ha1[16],
	unsigned long send_maxbuf, unsigned long recv_maxbuf, sq_error *err);
void sq_seclayer_free(sq_seclayer *l);

/* Largest plaintext that fits one outgoing frame. */
size_t sq_seclayer_max_plain(const sq_seclayer *l);
/* Protects len bytes, appending one or more length-prefixed frames to out. */
sq_rc sq_seclayer_wrap(sq_seclayer *l, const unsigned char *in, size_t len, sq_buf *out, sq_error *err);
/* Takes received bytes, appends the plaintext of every complete frame to out
 * and keeps an incomplete frame for the next call. */
sq_rc sq_seclayer_unwrap(sq_seclayer *l, const unsigned char *in, size_t len, sq_buf *out, sq_error *err);
/* Bytes of an incomplete frame held back. */
size_t sq_seclayer_pending(const sq_seclayer *l);

/* The four keys (for known-answer tests): Kic, Kis, Kcc, Kcs. */
sq_rc sq_seclayer_derive(unsigned cipher, const unsigned char ha1[16],
	unsigned char kic[16], unsigned char kis[16], unsigned char kcc[16], unsigned char kcs[16]);

#endif
