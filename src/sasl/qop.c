/*
 * sqauth core: DIGEST-MD5's quality-of-protection and cipher names (RFC 2831
 * 2.1.1), shared by the mechanism, its challenge parser and the security
 * layers.
 */
#include "qop.h"

#include "../util/ascii.h"

static const struct { unsigned v; const char *name; } qops[] = {
	{SQ_QOP_AUTH, "auth"}, {SQ_QOP_AUTH_INT, "auth-int"}, {SQ_QOP_AUTH_CONF, "auth-conf"},
};
static const struct { unsigned v; const char *name; } ciphers[] = {
	{SQ_CIPHER_3DES, "3des"}, {SQ_CIPHER_DES, "des"}, {SQ_CIPHER_RC4, "rc4"},
	{SQ_CIPHER_RC4_56, "rc4-56"}, {SQ_CIPHER_RC4_40, "rc4-40"},
};

const char *sq_qop_name(unsigned qop)
{
	size_t i;

	for (i = 0; i < sizeof(qops) / sizeof(qops[0]); i++) {
		if (qops[i].v == qop) {
			return qops[i].name;
		}
	}
	return NULL;
}

const char *sq_cipher_name(unsigned cipher)
{
	size_t i;

	for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		if (ciphers[i].v == cipher) {
			return ciphers[i].name;
		}
	}
	return NULL;
}

int sq_qop_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(qops) / sizeof(qops[0]); i++) {
		if (sq_bytes_ieq(name, len, qops[i].name)) {
			return (int)qops[i].v;
		}
	}
	return 0;
}

int sq_cipher_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		if (sq_bytes_ieq(name, len, ciphers[i].name)) {
			return (int)ciphers[i].v;
		}
	}
	return 0;
}
