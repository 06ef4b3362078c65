/* libFuzzer: strict and lenient base64 decoding, and the round trip. */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#include "../../src/util/base64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sq_buf a = SQ_BUF_INIT, b = SQ_BUF_INIT, c = SQ_BUF_INIT;

	sq_base64_decode_lenient(&a, data, size);
	if (sq_base64_encode(&b, data, size) == SQ_OK && sq_base64_decode(&c, b.data, b.len) == SQ_OK) {
		if (c.len != size || (size && memcmp(c.data, data, size) != 0)) {
			abort(); /* the round trip must be exact */
		}
	} else {
		abort();
	}
	sq_buf_free(&a);
	sq_buf_free(&b);
	sq_buf_free(&c);
	return 0;
}
