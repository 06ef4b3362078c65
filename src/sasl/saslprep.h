/*
 * sqauth core: SASLprep (RFC 4013) of user names and passwords for SCRAM.
 *
 * With libidn (HAVE_LIBIDN) the real stringprep profile is applied, treating
 * the input as a "stored string" as RFC 5802 asks (unassigned code points
 * are refused). Without libidn only printable US-ASCII, for which SASLprep
 * is the identity, is accepted; anything else is refused with a message
 * saying why, rather than hashed unprepared.
 */
#ifndef SQ_SASLPREP_H
#define SQ_SASLPREP_H

#include "../util/buf.h"

sq_rc sq_saslprep(sq_buf *out, const unsigned char *in, size_t len, const char *what, sq_error *err);
int sq_saslprep_available(void);

#endif
