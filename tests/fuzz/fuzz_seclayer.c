/* libFuzzer: the DIGEST-MD5 security-layer frame decoder, for auth-int and
 * each auth-conf cipher. The first input byte picks the layer; the rest is
 * fed in two pieces as received bytes. Also checks wrap -> unwrap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sasl/sasl.h"
#include "../../src/sasl/seclayer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned ciphers[] = {0, SQ_CIPHER_3DES, SQ_CIPHER_DES, SQ_CIPHER_RC4, SQ_CIPHER_RC4_56, SQ_CIPHER_RC4_40};
	static const unsigned char ha1[16] = "0123456789abcdef";
	sq_seclayer *cl = NULL, *sv = NULL;
	sq_buf out = SQ_BUF_INIT, w = SQ_BUF_INIT;
	sq_error err;
	unsigned cipher;
	unsigned qop;
	size_t half;

	if (size < 1) {
		return 0;
	}
	cipher = ciphers[data[0] % 6];
	qop = cipher ? SQ_QOP_AUTH_CONF : SQ_QOP_AUTH_INT;
	data++;
	size--;
	if (cipher && !sq_seclayer_cipher_available(cipher)) {
		return 0;
	}
	if (sq_seclayer_new(&cl, qop, cipher, ha1, 4096, 4096, &err) == SQ_OK) {
		half = size / 2;
		if (sq_seclayer_unwrap(cl, data, half, &out, &err) == SQ_OK) {
			sq_seclayer_unwrap(cl, data + half, size - half, &out, &err);
		}
	}
	sq_seclayer_free(cl);
	/* whatever the server side wraps, the client must get back exactly */
	if (sq_seclayer_new(&cl, qop, cipher, ha1, 4096, 4096, &err) == SQ_OK
		&& sq_seclayer_new_server(&sv, qop, cipher, ha1, 4096, 4096, &err) == SQ_OK) {
		sq_buf_reset(&out);
		if (sq_seclayer_wrap(sv, data, size, &w, &err) != SQ_OK
			|| sq_seclayer_unwrap(cl, w.data, w.len, &out, &err) != SQ_OK
			|| out.len != size || (size && memcmp(out.data, data, size) != 0)) {
			abort();
		}
	}
	sq_seclayer_free(cl);
	sq_seclayer_free(sv);
	sq_buf_free(&out);
	sq_buf_free(&w);
	return 0;
}
