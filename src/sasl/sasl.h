/*
 * sqauth core: SASL client mechanisms as I/O-free step machines.
 *
 * A session is created for one mechanism with its parameters, then driven by
 * the caller (the PHP class Sqauth\SaslClient, or a protocol driver):
 *
 *   sq_sasl_new()      parameters are validated and copied (secrets wiped on free)
 *   sq_sasl_initial()  the initial response, for client-first mechanisms
 *   sq_sasl_step()     one server challenge (raw bytes) in, one response out
 *   sq_sasl_free()
 *
 * No function here reads or writes a socket. Challenges and responses are raw
 * bytes: base64 belongs to the protocol layer.
 */
#ifndef SQ_SASL_H
#define SQ_SASL_H

#include <stddef.h>

#include "../util/buf.h"
#include "../util/error.h"
#include "qop.h"

typedef enum {
	SQ_MECH_PLAIN = 0,
	SQ_MECH_LOGIN,
	SQ_MECH_CRAM_MD5,
	SQ_MECH_DIGEST_MD5,
	SQ_MECH_SCRAM_SHA_1,
	SQ_MECH_SCRAM_SHA_256,
	SQ_MECH_SCRAM_SHA_1_PLUS,
	SQ_MECH_SCRAM_SHA_256_PLUS,
	SQ_MECH_XOAUTH2,
	SQ_MECH_OAUTHBEARER,
	SQ_MECH__COUNT
} sq_mech_id;

/* Mechanism properties. */
#define SQ_MECHF_CLIENT_FIRST   0x01 /* has an initial response */
#define SQ_MECHF_CLEARTEXT      0x02 /* reveals the password to an eavesdropper */
#define SQ_MECHF_MUTUAL         0x04 /* authenticates the server too */
#define SQ_MECHF_CHANNEL_BIND   0x08 /* needs channel-binding data */
#define SQ_MECHF_TOKEN          0x10 /* the "password" is a bearer token */
#define SQ_MECHF_SECURITY_LAYER 0x20 /* can negotiate an integrity/confidentiality layer */
#define SQ_MECHF_AUTHZ          0x40 /* carries an authorization identity (proxy logins) */

#define SQ_PREF_MAX 5

typedef struct {
	const unsigned char *p;
	size_t len;
} sq_bytes;

/* Everything a mechanism may need. Pointers are borrowed; sq_sasl_new()
 * copies what it keeps. A member with p == NULL is "not given". */
typedef struct {
	sq_bytes username;
	sq_bytes password;      /* the password, or the bearer token */
	sq_bytes authz;
	sq_bytes service;       /* "imap", "smtp", "pop" (DIGEST-MD5 digest-uri) */
	sq_bytes host;
	sq_bytes serv_name;     /* digest-uri serv-name, rarely needed */
	sq_bytes realm;
	sq_bytes cnonce;        /* pins the client nonce: tests only */
	sq_bytes cb_type;       /* channel binding type, e.g. "tls-exporter" */
	sq_bytes cb_data;       /* channel binding data */
	unsigned port;          /* OAUTHBEARER host/port hint; 0 = not sent */
	int cb_client_supports; /* SCRAM non-PLUS: send "y" (client could bind) */
	unsigned char qop_pref[SQ_PREF_MAX];    /* SQ_QOP_*, in order; 0 ends */
	unsigned char cipher_pref[SQ_PREF_MAX]; /* SQ_CIPHER_*, in order; 0 ends */
	unsigned long maxbuf;   /* our receive maxbuf; 0 = default 65536 */
	int no_rspauth;         /* DIGEST-MD5 response only: the caller will not check
	                         * rspauth, so it is not computed (SquirrelMail's function) */
} sq_sasl_params;

typedef struct sq_sasl sq_sasl;

/* Mechanism lookup: name is case-insensitive. Returns -1 when unknown. */
int sq_mech_lookup(const char *name, size_t len);
const char *sq_mech_name(sq_mech_id id);
unsigned sq_mech_flags(sq_mech_id id);
/* Relative strength for automatic choice: higher is better. */
int sq_mech_strength(sq_mech_id id);

sq_rc sq_sasl_new(sq_sasl **out, sq_mech_id mech, const sq_sasl_params *params, sq_error *err);
void sq_sasl_free(sq_sasl *s);
/* After a successful exchange: the password and the mechanism's own state (salted
 * password, HA1, nonces) are wiped; what is left is the outcome (qop, cipher) and a
 * negotiated security layer, which keeps only its derived keys. */
void sq_sasl_forget_secrets(sq_sasl *s);

/* For client-first mechanisms: the initial response into out, *has = 1.
 * For the others *has = 0 and nothing changes. Call at most once, first. */
sq_rc sq_sasl_initial(sq_sasl *s, sq_buf *out, int *has, sq_error *err);
/* One challenge in, the response appended to out. A client-first mechanism
 * whose initial response was not sent (no SASL-IR) takes an empty first
 * challenge and answers with the initial response. */
sq_rc sq_sasl_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err);

sq_mech_id sq_sasl_mech(const sq_sasl *s);
int sq_sasl_complete(const sq_sasl *s);
int sq_sasl_server_verified(const sq_sasl *s);
/* DIGEST-MD5 outcome: the qop and cipher chosen (0 when none), maxbufs. */
unsigned sq_sasl_qop(const sq_sasl *s);
unsigned sq_sasl_cipher(const sq_sasl *s);
/* The server's error detail, when a token mechanism got an error challenge
 * (XOAUTH2 / OAUTHBEARER JSON, sanitised), else "". */
const char *sq_sasl_server_error(const sq_sasl *s);

/* Security layer (DIGEST-MD5 auth-int / auth-conf). Without a negotiated
 * layer, data passes unchanged. unwrap buffers an incomplete frame. */
int sq_sasl_has_layer(const sq_sasl *s);
unsigned long sq_sasl_layer_max_plain(const sq_sasl *s);
/* Bytes of an incomplete incoming frame held back by the layer. */
size_t sq_sasl_layer_pending(const sq_sasl *s);
sq_rc sq_sasl_wrap(sq_sasl *s, const unsigned char *in, size_t len, sq_buf *out, sq_error *err);
sq_rc sq_sasl_unwrap(sq_sasl *s, const unsigned char *in, size_t len, sq_buf *out, sq_error *err);


#endif
