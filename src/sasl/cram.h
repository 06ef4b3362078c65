/* sqauth core: CRAM-MD5 (RFC 2195) and SquirrelMail's hmac_md5(). */
#ifndef SQ_CRAM_H
#define SQ_CRAM_H

#include "../util/buf.h"

/* SquirrelMail's hmac_md5(): HMAC-MD5, or plain MD5 when the key is empty. */
sq_rc sq_hmac_md5_compat(const void *key, size_t klen, const void *data, size_t dlen,
	unsigned char out[16]);
/* Appends "username SP lowercase-hex(HMAC-MD5(password, challenge))". */
sq_rc sq_cram_md5_compute(sq_buf *out, const void *user, size_t ulen,
	const void *pass, size_t plen, const void *challenge, size_t clen);

#endif
