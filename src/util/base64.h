/*
 * sqauth core: base64 (RFC 4648, standard alphabet, padded).
 *
 * Decoding is strict: only the alphabet, padding only at the end and only as
 * much as the length requires, non-zero trailing bits rejected. The one
 * leniency is the SquirrelMail one: a challenge "as received" may end in CR,
 * LF, spaces or tabs, which sq_base64_decode_lenient() ignores.
 */
#ifndef SQ_BASE64_H
#define SQ_BASE64_H

#include <stddef.h>

#include "buf.h"

sq_rc sq_base64_encode(sq_buf *out, const void *in, size_t len);
/* Encoded length of len bytes (0 if it would not fit in a size_t), and the
 * encoder writing into caller-provided memory of at least that size (no NUL
 * added): for callers that allocate the result themselves. */
size_t sq_base64_encoded_len(size_t len);
void sq_base64_encode_to(unsigned char *dst, const void *in, size_t len);
sq_rc sq_base64_decode(sq_buf *out, const void *in, size_t len);
sq_rc sq_base64_decode_lenient(sq_buf *out, const void *in, size_t len);
/* Length of in once trailing CR, LF, SP and HT are dropped. */
size_t sq_trim_trailing_ws(const void *in, size_t len);

#endif
