/*
 * sqauth core, internal: the interface every mechanism implements and the
 * session structure they share. Only files under src/sasl include this.
 */
#ifndef SQ_MECH_H
#define SQ_MECH_H

#include "sasl.h"
#include "seclayer.h"
#include "../util/ascii.h"

typedef struct {
	sq_mech_id id;
	const char *name;
	unsigned flags;
	int strength;
	/* Validate the parameters the mechanism needs (SQ_EINVAL on misuse). */
	sq_rc (*init)(sq_sasl *s, sq_error *err);
	/* s->stage is the number of steps already taken. For client-first
	 * mechanisms stage 0 produces the initial response and in is empty. */
	sq_rc (*step)(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err);
	void (*cleanup)(sq_sasl *s);
} sq_mech_ops;

struct sq_sasl {
	const sq_mech_ops *ops;
	int stage;
	int complete;
	int server_verified;
	int broken;             /* a step failed: the session is over */
	/* copies of the parameters; data == NULL means "not given" */
	sq_buf username, password, authz, service, host, serv_name, realm, cnonce;
	sq_buf cb_type, cb_data;
	unsigned port;
	int cb_client_supports;
	unsigned char qop_pref[SQ_PREF_MAX];
	unsigned char cipher_pref[SQ_PREF_MAX];
	unsigned long maxbuf;
	/* outcome */
	unsigned qop, cipher;
	char server_error[SQ_ERRMSG_MAX];
	void *state;            /* mechanism-specific */
	sq_seclayer *layer;     /* DIGEST-MD5 auth-int / auth-conf, once verified */
};

#define SQ_GIVEN(b) ((b).data != NULL)

extern const sq_mech_ops sq_mech_plain_ops;
extern const sq_mech_ops sq_mech_login_ops;
extern const sq_mech_ops sq_mech_cram_md5_ops;
extern const sq_mech_ops sq_mech_digest_md5_ops;
extern const sq_mech_ops sq_mech_scram_sha_1_ops;
extern const sq_mech_ops sq_mech_scram_sha_256_ops;
extern const sq_mech_ops sq_mech_scram_sha_1_plus_ops;
extern const sq_mech_ops sq_mech_scram_sha_256_plus_ops;
extern const sq_mech_ops sq_mech_xoauth2_ops;
extern const sq_mech_ops sq_mech_oauthbearer_ops;

#endif
