#include "saslprep.h"

#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"

#ifdef HAVE_LIBIDN
#include <stringprep.h>
#endif

int sq_saslprep_available(void)
{
#ifdef HAVE_LIBIDN
	return 1;
#else
	return 0;
#endif
}

sq_rc sq_saslprep(sq_buf *out, const unsigned char *in, size_t len, const char *what, sq_error *err)
{
	size_t i;
	int ascii = 1;

	if (memchr(in, 0, len)) {
		return sq_error_set(err, SQ_EINVAL, "SCRAM: the %s must not contain NUL bytes", what);
	}
	for (i = 0; i < len; i++) {
		if (in[i] >= 0x80) {
			ascii = 0;
		} else if (in[i] < 0x20 || in[i] == 0x7f) {
			/* RFC 4013 2.3 / RFC 3454 C.2.1: ASCII controls are prohibited */
			return sq_error_set(err, SQ_EINVAL, "SCRAM: the %s contains a control character, which SASLprep prohibits", what);
		}
	}
	if (ascii) {
		/* SASLprep maps and normalises nothing in printable ASCII */
		return sq_buf_append(out, in, len) == SQ_OK ? SQ_OK : sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
#ifdef HAVE_LIBIDN
	{
		char *src = sq_memdup(in, len), *dst = NULL;
		int rc;
		sq_rc r;

		if (!src) {
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
		rc = stringprep_profile(src, &dst, "SASLprep", STRINGPREP_NO_UNASSIGNED);
		sq_free_secret(src, len);
		if (rc != STRINGPREP_OK || !dst) {
			free(dst);
			return sq_error_set(err, SQ_EINVAL, "SCRAM: SASLprep refused the %s (%s)", what,
				stringprep_strerror((Stringprep_rc)rc));
		}
		r = sq_buf_append(out, dst, strlen(dst));
		sq_wipe(dst, strlen(dst));
		free(dst); /* allocated by libidn */
		return r == SQ_OK ? SQ_OK : sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
#else
	return sq_error_set(err, SQ_EINVAL,
		"SCRAM: the %s is not plain ASCII and this build has no SASLprep (rebuild with libidn)", what);
#endif
}
