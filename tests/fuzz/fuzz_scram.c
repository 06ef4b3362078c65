/* libFuzzer: SCRAM server-first parsing for every input, and a whole
 * SCRAM-SHA-256 exchange (server-first NUL server-final) when the input asks
 * for at most 64 iterations, so that runs stay fast. */
#include <stdint.h>
#include <string.h>

#include "../../src/sasl/sasl.h"
#include "../../src/sasl/scram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0, size);
	size_t flen = sep ? (size_t)(sep - data) : size;
	sq_sasl_params p;
	sq_sasl *s = NULL;
	sq_buf out = SQ_BUF_INIT;
	sq_error err;
	sq_scram_server_first sf;
	int has;

	/* the parser alone, for every input */
	sq_scram_parse_server_first(data, flen, (const unsigned char *)"abc", 3, &sf, &err);
	/* the full exchange only for small iteration counts, to keep runs fast */
	if (sq_scram_parse_server_first(data, flen, (const unsigned char *)"abc", 3, &sf, &err) == SQ_OK
		&& sf.iterations <= 64) {
		memset(&p, 0, sizeof(p));
		p.username = (sq_bytes){(const unsigned char *)"user", 4};
		p.password = (sq_bytes){(const unsigned char *)"pencil", 6};
		p.cnonce = (sq_bytes){(const unsigned char *)"abc", 3};
		if (sq_sasl_new(&s, SQ_MECH_SCRAM_SHA_256, &p, &err) == SQ_OK
			&& sq_sasl_initial(s, &out, &has, &err) == SQ_OK
			&& sq_sasl_step(s, data, flen, &out, &err) == SQ_OK && sep) {
			sq_sasl_step(s, sep + 1, size - flen - 1, &out, &err);
		}
		sq_sasl_free(s);
	}
	sq_buf_free(&out);
	return 0;
}
