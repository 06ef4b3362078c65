/* libFuzzer: DIGEST-MD5 challenge parsing, response building, rspauth check,
 * and the stateless verifier. Input: challenge NUL second-message. */
#include <stdint.h>
#include <string.h>

#include "../../src/sasl/digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0, size);
	size_t clen = sep ? (size_t)(sep - data) : size;
	const uint8_t *second = sep ? sep + 1 : data + size;
	size_t slen = size - clen - (sep ? 1 : 0);
	sq_digest_challenge c;
	sq_digest_result res;
	sq_sasl_params p;
	sq_buf out = SQ_BUF_INIT;
	sq_error err;
	int ok;

	if (sq_digest_parse_challenge(&c, data, clen, &err) == SQ_OK) {
		memset(&p, 0, sizeof(p));
		p.username = (sq_bytes){(const unsigned char *)"user@realm", 10};
		p.password = (sq_bytes){(const unsigned char *)"pw", 2};
		p.service = (sq_bytes){(const unsigned char *)"imap", 4};
		p.host = (sq_bytes){(const unsigned char *)"h", 1};
		p.cnonce = (sq_bytes){(const unsigned char *)"c", 1};
		p.qop_pref[0] = SQ_QOP_AUTH_CONF;
		p.qop_pref[1] = SQ_QOP_AUTH_INT;
		p.qop_pref[2] = SQ_QOP_AUTH;
		if (sq_digest_respond(&c, &p, &out, &res, &err) == SQ_OK) {
			sq_digest_check_rspauth(res.rspauth, second, slen, &err);
			sq_digest_verify(p.username, p.password, data, clen, out.data, out.len, second, slen, &ok, &err);
		}
	}
	sq_digest_challenge_free(&c);
	sq_buf_free(&out);
	return 0;
}
