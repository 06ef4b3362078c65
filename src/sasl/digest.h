/*
 * sqauth core: DIGEST-MD5 (RFC 2831), in the GNU SASL manner: parse into a
 * typed structure, validate, then compute.
 */
#ifndef SQ_DIGEST_H
#define SQ_DIGEST_H

#include "sasl.h"

/* The longest decoded challenge accepted (RFC 2831 2.1.1). */
#define SQ_DIGEST_MAX_CHALLENGE 2048
/* The most directives one challenge or response may hold. */
#define SQ_DIGEST_MAX_DIRECTIVES 256

/* One directive: offsets into the list's text buffer, value unescaped. */
typedef struct {
	size_t name_off, name_len;
	size_t val_off, val_len;
	int quoted;
} sq_kv;

typedef struct {
	sq_buf text;
	sq_kv *items;
	size_t n, cap;
} sq_kvlist;

void sq_kvlist_init(sq_kvlist *l);
void sq_kvlist_free(sq_kvlist *l);
/* RFC 2831 7.1 "#rule" list of name=value directives: LWS allowed around
 * '=' and ',', empty elements allowed, quoted-pair unescaped, names kept
 * as sent (compare them case-insensitively). */
sq_rc sq_kvlist_parse(sq_kvlist *l, const unsigned char *in, size_t len, sq_error *err);
#define SQ_KV_NAME(l, i) ((const char *)(l)->text.data + (l)->items[i].name_off)
#define SQ_KV_VAL(l, i) ((const char *)(l)->text.data + (l)->items[i].val_off)

/* Calls fn for each element of a comma-separated list value (LWS trimmed,
 * empty elements skipped). */
void sq_list_each(const char *v, size_t len, void (*fn)(void *ud, const char *e, size_t elen), void *ud);

typedef struct {
	sq_kvlist kv;
	size_t realms[SQ_DIGEST_MAX_DIRECTIVES]; /* indexes into kv */
	size_t nrealms;
	long nonce;              /* index into kv */
	unsigned qop_offered;    /* SQ_QOP_* mask; SQ_QOP_AUTH when absent */
	unsigned cipher_offered; /* SQ_CIPHER_* mask */
	int utf8;                /* charset=utf-8 */
	int stale;
	unsigned long maxbuf;    /* the server's; 65536 when absent */
} sq_digest_challenge;

sq_rc sq_digest_parse_challenge(sq_digest_challenge *c, const unsigned char *in, size_t len, sq_error *err);
void sq_digest_challenge_free(sq_digest_challenge *c);

/* What one authentication produced. */
typedef struct {
	unsigned qop;
	unsigned cipher;
	unsigned long server_maxbuf;
	unsigned char ha1[16];   /* H(A1), the security layer's key material */
	char rspauth[33];        /* the rspauth the server must send */
} sq_digest_result;

/* Builds the digest-response (not base64) for a parsed challenge, in
 * SquirrelMail's field order: charset, username, realm, nonce, nc, cnonce,
 * digest-uri, response, qop[, cipher][, maxbuf][, authzid]. Uses username,
 * password, authz, service, host, serv_name, realm, cnonce, qop_pref,
 * cipher_pref and maxbuf from p. */
sq_rc sq_digest_respond(const sq_digest_challenge *c, const sq_sasl_params *p,
	sq_buf *out, sq_digest_result *res, sq_error *err);

/* Checks a server's "rspauth=..." (raw) against the expected value, in
 * constant time. SQ_OK when it matches, SQ_ESECURITY when it is wrong or
 * missing, SQ_EPROTO when malformed. */
sq_rc sq_digest_check_rspauth(const char expected[33], const unsigned char *in, size_t len, sq_error *err);

/* Stateless verification (sqauth_digest_md5_verify): recomputes the rspauth
 * from the first challenge, the response that was sent and the password.
 * *ok = 1 on a match, 0 on a well-formed mismatch; an error when malformed. */
sq_rc sq_digest_verify(sq_bytes username, sq_bytes password,
	const unsigned char *challenge, size_t clen,
	const unsigned char *response, size_t rlen,
	const unsigned char *rspauth, size_t alen, int *ok, sq_error *err);

/* The response and rspauth from a precomputed secret = H(user:realm:pass),
 * as GNU SASL's own test vectors are stated. */
sq_rc sq_digest_from_secret(const unsigned char secret[16], sq_bytes nonce, sq_bytes cnonce, sq_bytes nc,
	unsigned qop, sq_bytes digest_uri, sq_bytes authz, char response[33], char rspauth[33]);

#endif
