/*
 * DIGEST-MD5 computation (RFC 2831 2.1.2) and the mechanism's step machine.
 */
#include "digest.h"
#include "crypto.h"
#include "mech.h"
#include "seclayer.h"

#include <string.h>

#include "../util/alloc.h"
#include "../util/base64.h"

/* Whether any byte is 0x80 or above. */
static int memchr_high(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] & 0x80) {
			return 1;
		}
	}
	return 0;
}

/* RFC 2831 2.1.2.1: under charset=utf-8, a string whose characters all lie in
 * ISO 8859-1 is converted to ISO 8859-1 before hashing. Anything else (not
 * valid UTF-8, or a character above U+00FF) is hashed as given. */
static sq_rc latin1_for_hash(sq_buf *out, const unsigned char *s, size_t n, int utf8)
{
	size_t i;
	int high = 0;
	sq_rc rc;

	if (utf8) {
		for (i = 0; i < n; i++) {
			if (s[i] < 0x80) {
				continue;
			}
			if ((s[i] == 0xc2 || s[i] == 0xc3) && i + 1 < n && (s[i + 1] & 0xc0) == 0x80) {
				high = 1;
				i++;
				continue;
			}
			utf8 = 0; /* not representable: hash the bytes as they are */
			break;
		}
	}
	if (!utf8 || !high) {
		return sq_buf_append(out, s, n);
	}
	for (i = 0; i < n; i++) {
		if (s[i] < 0x80) {
			rc = sq_buf_append_byte(out, s[i]);
		} else {
			rc = sq_buf_append_byte(out, (unsigned char)(((s[i] & 0x03) << 6) | (s[i + 1] & 0x3f)));
			i++;
		}
		if (rc != SQ_OK) {
			return rc;
		}
	}
	return SQ_OK;
}

static sq_rc append_quoted(sq_buf *out, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i, run = 0;
	sq_rc rc;

	/* at most 2n + 2 bytes: reserve once, then copy runs between escapes */
	if (n > SQ_BUF_MAX / 2 - 2 || (rc = sq_buf_reserve(out, 2 * n + 2)) != SQ_OK) {
		return SQ_ENOMEM;
	}
	out->data[out->len++] = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			if (i > run) {
				memcpy(out->data + out->len, s + run, i - run);
			}
			out->len += i - run;
			out->data[out->len++] = '\\';
			run = i;
		}
	}
	if (n > run) {
		memcpy(out->data + out->len, s + run, n - run);
	}
	out->len += n - run;
	out->data[out->len++] = '"';
	out->data[out->len] = '\0';
	return SQ_OK;
}

/* The inputs of one digest computation. */
typedef struct {
	sq_bytes username, password, authz, realm, nonce, cnonce, nc, digest_uri;
	unsigned qop;
	int utf8;
} digest_in;

/* H(A1) = MD5(secret ":" nonce ":" cnonce [":" authzid]) where
 * secret = MD5(user ":" realm ":" password). The strings are hashed in
 * place, part by part: no copy of the password is made. */
#define PART(x) {(x).p, (x).len}
#define LIT(s) {(s), sizeof(s) - 1}

static sq_rc ha1_from_secret(const digest_in *d, const unsigned char secret[16], unsigned char ha1[16])
{
	sq_part parts[7] = {{secret, 16}, LIT(":"), PART(d->nonce), LIT(":"), PART(d->cnonce), LIT(":"), PART(d->authz)};

	return sq_hash_parts(SQ_HASH_MD5, parts, d->authz.p && d->authz.len ? 7 : 5, ha1);
}

static sq_rc compute_ha1(const digest_in *d, unsigned char ha1[16])
{
	sq_buf a = SQ_BUF_SECRET_INIT;
	unsigned char h[16];
	sq_rc rc;

	if (d->utf8 && (memchr_high(d->username.p, d->username.len) || memchr_high(d->realm.p, d->realm.len)
			|| memchr_high(d->password.p, d->password.len))) {
		/* some need converting to ISO 8859-1 first */
		if ((rc = latin1_for_hash(&a, d->username.p, d->username.len, d->utf8)) == SQ_OK
			&& (rc = sq_buf_append_byte(&a, ':')) == SQ_OK
			&& (rc = latin1_for_hash(&a, d->realm.p, d->realm.len, d->utf8)) == SQ_OK
			&& (rc = sq_buf_append_byte(&a, ':')) == SQ_OK
			&& (rc = latin1_for_hash(&a, d->password.p, d->password.len, d->utf8)) == SQ_OK) {
			rc = sq_hash(SQ_HASH_MD5, a.data, a.len, h);
		}
	} else {
		sq_part parts[5] = {PART(d->username), LIT(":"), PART(d->realm), LIT(":"), PART(d->password)};

		rc = sq_hash_parts(SQ_HASH_MD5, parts, 5, h);
	}
	if (rc == SQ_OK) {
		rc = ha1_from_secret(d, h, ha1);
	}
	sq_wipe(h, sizeof(h));
	sq_buf_free(&a);
	return rc;
}

/* HEX(KD(HEX(H(A1)), nonce:nc:cnonce:qop:HEX(H(A2)))) with
 * A2 = "AUTHENTICATE:" uri (client) or ":" uri (server, rspauth),
 * plus ":" 32 zeros for auth-int and auth-conf. */
static sq_rc compute_kd(const digest_in *d, const unsigned char ha1[16], int server, char hex[33])
{
	unsigned char h[16];
	char ha1_hex[32], h_hex[32];
	const char *qop = sq_qop_name(d->qop);
	sq_part a2[3] = {{server ? ":" : "AUTHENTICATE:", server ? 1 : 13}, PART(d->digest_uri),
		LIT(":00000000000000000000000000000000")};
	sq_part kd[11] = {{ha1_hex, 32}, LIT(":"), PART(d->nonce), LIT(":"), PART(d->nc), LIT(":"),
		PART(d->cnonce), LIT(":"), {qop, strlen(qop)}, LIT(":"), {h_hex, 32}};
	sq_rc rc;

	if ((rc = sq_hash_parts(SQ_HASH_MD5, a2, d->qop == SQ_QOP_AUTH ? 2 : 3, h)) == SQ_OK) {
		sq_hex_encode(ha1_hex, ha1, 16);
		sq_hex_encode(h_hex, h, 16);
		if ((rc = sq_hash_parts(SQ_HASH_MD5, kd, 11, h)) == SQ_OK) {
			sq_hex_encode(hex, h, 16);
			hex[32] = '\0';
		}
	}
	sq_wipe(h, sizeof(h));
	sq_wipe(ha1_hex, sizeof(ha1_hex));
	return rc;
}

sq_rc sq_digest_from_secret(const unsigned char secret[16], sq_bytes nonce, sq_bytes cnonce, sq_bytes nc,
	unsigned qop, sq_bytes digest_uri, sq_bytes authz, char response[33], char rspauth[33])
{
	digest_in d;
	unsigned char ha1[16];
	sq_rc rc;

	memset(&d, 0, sizeof(d));
	d.nonce = nonce;
	d.cnonce = cnonce;
	d.nc = nc;
	d.qop = qop;
	d.digest_uri = digest_uri;
	d.authz = authz;
	if ((rc = ha1_from_secret(&d, secret, ha1)) == SQ_OK && (rc = compute_kd(&d, ha1, 0, response)) == SQ_OK) {
		rc = compute_kd(&d, ha1, 1, rspauth);
	}
	sq_wipe(ha1, sizeof(ha1));
	return rc;
}

static sq_bytes kv_bytes(const sq_kvlist *l, size_t i)
{
	sq_bytes b;

	b.p = (const unsigned char *)SQ_KV_VAL(l, i);
	b.len = l->items[i].val_len;
	return b;
}

/* Realm choice (api.md): the realm option; else the offered realm equal to
 * the domain of a user@domain name; else the first offered; else empty. */
static sq_bytes choose_realm(const sq_digest_challenge *c, const sq_sasl_params *p)
{
	sq_bytes r = {(const unsigned char *)"", 0};
	const unsigned char *at = NULL;
	size_t i, dlen;

	if (p->realm.p) {
		return p->realm;
	}
	if (c->nrealms == 0) {
		return r;
	}
	for (i = 0; i < p->username.len; i++) {
		if (p->username.p[i] == '@') {
			at = p->username.p + i;
		}
	}
	if (at) {
		dlen = p->username.len - (size_t)(at + 1 - p->username.p);
		for (i = 0; i < c->nrealms; i++) {
			sq_bytes cand = kv_bytes(&c->kv, c->realms[i]);
			if (cand.len == dlen && sq_bytes_ieq(cand.p, cand.len, (const char *)at + 1)
				&& memchr(at + 1, 0, dlen) == NULL) {
				return cand;
			}
		}
	}
	return kv_bytes(&c->kv, c->realms[0]);
}

static const unsigned char default_cipher_pref[SQ_PREF_MAX] = {
	SQ_CIPHER_3DES, SQ_CIPHER_RC4, SQ_CIPHER_DES, SQ_CIPHER_RC4_56, SQ_CIPHER_RC4_40,
};

sq_rc sq_digest_respond(const sq_digest_challenge *c, const sq_sasl_params *p,
	sq_buf *out, sq_digest_result *res, sq_error *err)
{
	sq_buf uri = SQ_BUF_INIT;
	unsigned char rnd[18];
	sq_buf cn = SQ_BUF_INIT;
	digest_in d;
	char response[33];
	const unsigned char *pref;
	unsigned char auth_only[1] = {SQ_QOP_AUTH};
	size_t i, npref;
	sq_rc rc;

	memset(res, 0, sizeof(*res));
	if (!p->username.p || !p->password.p) {
		return sq_error_set(err, SQ_EINVAL, "DIGEST-MD5 needs a username and a password");
	}
	if (!p->service.p || !p->service.len || !p->host.p || !p->host.len) {
		return sq_error_set(err, SQ_EINVAL, "DIGEST-MD5 needs a service and a host for the digest-uri");
	}

	/* qop: the first of ours that the server offers */
	pref = p->qop_pref[0] ? p->qop_pref : auth_only;
	npref = p->qop_pref[0] ? SQ_PREF_MAX : 1;
	for (i = 0; i < npref && pref[i]; i++) {
		if (c->qop_offered & pref[i]) {
			res->qop = pref[i];
			break;
		}
	}
	if (!res->qop) {
		return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: the server does not offer the requested qop (it offers%s%s%s)",
			c->qop_offered & SQ_QOP_AUTH ? " auth" : "",
			c->qop_offered & SQ_QOP_AUTH_INT ? " auth-int" : "",
			c->qop_offered & SQ_QOP_AUTH_CONF ? " auth-conf" : "");
	}
	if (res->qop == SQ_QOP_AUTH_CONF) {
		pref = p->cipher_pref[0] ? p->cipher_pref : default_cipher_pref;
		for (i = 0; i < SQ_PREF_MAX && pref[i]; i++) {
			if ((c->cipher_offered & pref[i]) && sq_seclayer_cipher_available(pref[i])) {
				res->cipher = pref[i];
				break;
			}
		}
		if (!res->cipher) {
			for (i = 0; i < SQ_PREF_MAX && pref[i]; i++) {
				if ((c->cipher_offered & pref[i]) && !sq_seclayer_cipher_available(pref[i])) {
					return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: cipher %s needs OpenSSL's legacy provider, "
						"which this OpenSSL cannot load", sq_cipher_name(pref[i]));
				}
			}
			return sq_error_set(err, SQ_EPROTO,
				"DIGEST-MD5: no cipher both offered by the server and available here for auth-conf");
		}
	}
	res->server_maxbuf = c->maxbuf;

	/* digest-uri = serv-type "/" host [ "/" serv-name ] */
	if (sq_buf_append(&uri, p->service.p, p->service.len) != SQ_OK
		|| sq_buf_append_byte(&uri, '/') != SQ_OK
		|| sq_buf_append(&uri, p->host.p, p->host.len) != SQ_OK
		|| (p->serv_name.p && p->serv_name.len
			&& (sq_buf_append_byte(&uri, '/') != SQ_OK
				|| sq_buf_append(&uri, p->serv_name.p, p->serv_name.len) != SQ_OK))) {
		sq_buf_free(&uri);
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}

	if (p->cnonce.p) {
		if (sq_buf_append(&cn, p->cnonce.p, p->cnonce.len) != SQ_OK) {
			sq_buf_free(&uri);
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
	} else if (sq_nonce_bytes(rnd, sizeof(rnd)) != SQ_OK || sq_base64_encode(&cn, rnd, sizeof(rnd)) != SQ_OK) {
		sq_buf_free(&uri);
		sq_buf_free(&cn);
		return sq_error_set(err, SQ_ECRYPTO, "DIGEST-MD5: could not make a client nonce");
	}

	memset(&d, 0, sizeof(d));
	d.username = p->username;
	d.password = p->password;
	d.authz = p->authz;
	d.realm = choose_realm(c, p);
	d.nonce = kv_bytes(&c->kv, (size_t)c->nonce);
	d.cnonce.p = cn.data;
	d.cnonce.len = cn.len;
	d.nc.p = (const unsigned char *)"00000001";
	d.nc.len = 8;
	d.digest_uri.p = uri.data;
	d.digest_uri.len = uri.len;
	d.qop = res->qop;
	d.utf8 = c->utf8;

	rc = compute_ha1(&d, res->ha1);
	if (rc == SQ_OK) {
		rc = compute_kd(&d, res->ha1, 0, response);
	}
	if (rc == SQ_OK && !p->no_rspauth) {
		rc = compute_kd(&d, res->ha1, 1, res->rspauth);
	}
	if (rc != SQ_OK) {
		sq_buf_free(&uri);
		sq_buf_free(&cn);
		sq_wipe(res, sizeof(*res));
		return sq_error_set(err, rc, "DIGEST-MD5: %s", sq_rc_name(rc));
	}

	if ((c->utf8 && sq_buf_append_str(out, "charset=utf-8,") != SQ_OK)
		|| sq_buf_append_str(out, "username=") != SQ_OK
		|| append_quoted(out, d.username.p, d.username.len) != SQ_OK
		|| (d.realm.len && (sq_buf_append_str(out, ",realm=") != SQ_OK
			|| append_quoted(out, d.realm.p, d.realm.len) != SQ_OK))
		|| sq_buf_append_str(out, ",nonce=") != SQ_OK
		|| append_quoted(out, d.nonce.p, d.nonce.len) != SQ_OK
		|| sq_buf_append_str(out, ",nc=00000001,cnonce=") != SQ_OK
		|| append_quoted(out, d.cnonce.p, d.cnonce.len) != SQ_OK
		|| sq_buf_append_str(out, ",digest-uri=") != SQ_OK
		|| append_quoted(out, d.digest_uri.p, d.digest_uri.len) != SQ_OK
		|| sq_buf_append_str(out, ",response=") != SQ_OK
		|| sq_buf_append_str(out, response) != SQ_OK
		|| sq_buf_append_str(out, ",qop=") != SQ_OK
		|| sq_buf_append_str(out, sq_qop_name(res->qop)) != SQ_OK
		|| (res->cipher && (sq_buf_append_str(out, ",cipher=") != SQ_OK
			|| sq_buf_append_str(out, sq_cipher_name(res->cipher)) != SQ_OK))
		|| (res->qop != SQ_QOP_AUTH && p->maxbuf && p->maxbuf != 65536
			&& (sq_buf_append_str(out, ",maxbuf=") != SQ_OK
				|| sq_buf_append_ulong(out, p->maxbuf) != SQ_OK))
		|| (p->authz.p && p->authz.len && (sq_buf_append_str(out, ",authzid=") != SQ_OK
			|| append_quoted(out, p->authz.p, p->authz.len) != SQ_OK))) {
		rc = sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	sq_wipe(response, sizeof(response));
	sq_buf_free(&uri);
	sq_buf_free(&cn);
	return rc;
}

static int find_kv(const sq_kvlist *l, const char *name, long *idx)
{
	size_t i;
	int count = 0;

	*idx = -1;
	for (i = 0; i < l->n; i++) {
		if (sq_bytes_ieq(SQ_KV_NAME(l, i), l->items[i].name_len, name)) {
			if (*idx < 0) {
				*idx = (long)i;
			}
			count++;
		}
	}
	return count;
}

sq_rc sq_digest_check_rspauth(const char expected[33], const unsigned char *in, size_t len, sq_error *err)
{
	sq_kvlist l;
	long idx;
	int n, ok = 0;
	char got[32];
	size_t i;
	sq_rc rc;

	if (len > SQ_DIGEST_MAX_CHALLENGE) {
		return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: second challenge exceeds %d bytes", SQ_DIGEST_MAX_CHALLENGE);
	}
	sq_kvlist_init(&l);
	rc = sq_kvlist_parse(&l, in, len, err);
	if (rc != SQ_OK) {
		sq_kvlist_free(&l);
		return rc;
	}
	n = find_kv(&l, "rspauth", &idx);
	if (n == 0) {
		sq_kvlist_free(&l);
		return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: the server did not send rspauth, so it did not prove that it knows the password");
	}
	if (n > 1) {
		sq_kvlist_free(&l);
		return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: duplicate rspauth directive");
	}
	if (l.items[idx].val_len == 32) {
		const char *v = SQ_KV_VAL(&l, (size_t)idx);
		for (i = 0; i < 32; i++) {
			got[i] = (v[i] >= 'A' && v[i] <= 'F') ? (char)(v[i] - 'A' + 'a') : v[i];
		}
		ok = sq_ct_equal(got, expected, 32);
	}
	sq_kvlist_free(&l);
	if (!ok) {
		return sq_error_set(err, SQ_ESECURITY, "DIGEST-MD5: the server's rspauth is wrong: it did not prove that it knows the password");
	}
	return SQ_OK;
}

sq_rc sq_digest_verify(sq_bytes username, sq_bytes password,
	const unsigned char *challenge, size_t clen,
	const unsigned char *response, size_t rlen,
	const unsigned char *rspauth, size_t alen, int *ok, sq_error *err)
{
	sq_digest_challenge c;
	sq_kvlist r;
	digest_in d;
	unsigned char ha1[16];
	char expected[33];
	long idx;
	sq_rc rc;
	sq_error tmp;
	static const char *const required[] = {"nonce", "cnonce", "nc", "digest-uri", "username"};
	size_t i;

	*ok = 0;
	rc = sq_digest_parse_challenge(&c, challenge, clen, err);
	if (rc != SQ_OK) {
		sq_digest_challenge_free(&c);
		return rc;
	}
	sq_kvlist_init(&r);
	if (rlen > SQ_DIGEST_MAX_CHALLENGE * 4) {
		rc = sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: response too long");
		goto done;
	}
	if ((rc = sq_kvlist_parse(&r, response, rlen, err)) != SQ_OK) {
		goto done;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (find_kv(&r, required[i], &idx) != 1) {
			rc = sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: the response needs exactly one %s directive", required[i]);
			goto done;
		}
	}
	memset(&d, 0, sizeof(d));
	d.username = username;
	d.password = password;
	find_kv(&r, "nonce", &idx);
	d.nonce = kv_bytes(&r, (size_t)idx);
	find_kv(&r, "cnonce", &idx);
	d.cnonce = kv_bytes(&r, (size_t)idx);
	find_kv(&r, "nc", &idx);
	d.nc = kv_bytes(&r, (size_t)idx);
	find_kv(&r, "digest-uri", &idx);
	d.digest_uri = kv_bytes(&r, (size_t)idx);
	d.realm.p = (const unsigned char *)"";
	if (find_kv(&r, "realm", &idx) > 1) {
		rc = sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: duplicate realm in the response");
		goto done;
	}
	if (idx >= 0) {
		d.realm = kv_bytes(&r, (size_t)idx);
	}
	if (find_kv(&r, "authzid", &idx) > 1) {
		rc = sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: duplicate authzid in the response");
		goto done;
	}
	if (idx >= 0) {
		d.authz = kv_bytes(&r, (size_t)idx);
	}
	d.qop = SQ_QOP_AUTH;
	if (find_kv(&r, "qop", &idx) > 1) {
		rc = sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: duplicate qop in the response");
		goto done;
	}
	if (idx >= 0 && !(d.qop = (unsigned)sq_qop_lookup(SQ_KV_VAL(&r, (size_t)idx), r.items[idx].val_len))) {
		rc = sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: unknown qop in the response");
		goto done;
	}
	d.utf8 = find_kv(&r, "charset", &idx) > 0;
	/* the response must answer this challenge */
	{
		sq_bytes cn = kv_bytes(&c.kv, (size_t)c.nonce);
		if (cn.len != d.nonce.len || (cn.len && memcmp(cn.p, d.nonce.p, cn.len) != 0)) {
			goto done; /* well-formed, but not for this challenge: false */
		}
	}
	if ((rc = compute_ha1(&d, ha1)) != SQ_OK || (rc = compute_kd(&d, ha1, 1, expected)) != SQ_OK) {
		rc = sq_error_set(err, rc, "DIGEST-MD5: %s", sq_rc_name(rc));
		goto done;
	}
	rc = sq_digest_check_rspauth(expected, rspauth, alen, &tmp);
	if (rc == SQ_OK) {
		*ok = 1;
	} else if (rc == SQ_ESECURITY) {
		rc = SQ_OK; /* wrong or missing: false, not an error */
	} else {
		sq_error_set(err, rc, "%s", tmp.msg);
	}
done:
	sq_wipe(ha1, sizeof(ha1));
	sq_wipe(expected, sizeof(expected));
	sq_kvlist_free(&r);
	sq_digest_challenge_free(&c);
	return rc;
}

/* ---- the step machine ---------------------------------------------- */

typedef struct {
	sq_digest_result res;
} digest_state;

static sq_rc digest_init(sq_sasl *s, sq_error *err)
{
	if (!SQ_GIVEN(s->username) || !SQ_GIVEN(s->password)) {
		return sq_error_set(err, SQ_EINVAL, "DIGEST-MD5 needs a username and a password");
	}
	if (!SQ_GIVEN(s->service) || !s->service.len || !SQ_GIVEN(s->host) || !s->host.len) {
		return sq_error_set(err, SQ_EINVAL, "DIGEST-MD5 needs a service and a host");
	}
	s->state = sq_calloc(1, sizeof(digest_state));
	return s->state ? SQ_OK : sq_error_set(err, SQ_ENOMEM, "out of memory");
}

static sq_bytes as_bytes(const sq_buf *b)
{
	sq_bytes r;

	r.p = b->data;
	r.len = b->len;
	return r;
}

static sq_rc digest_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	digest_state *st = s->state;
	sq_digest_challenge c;
	sq_sasl_params p;
	sq_rc rc;

	if (s->stage == 0) {
		rc = sq_digest_parse_challenge(&c, in, inlen, err);
		if (rc == SQ_OK) {
			memset(&p, 0, sizeof(p));
			p.username = as_bytes(&s->username);
			p.password = as_bytes(&s->password);
			p.authz = as_bytes(&s->authz);
			p.service = as_bytes(&s->service);
			p.host = as_bytes(&s->host);
			p.serv_name = as_bytes(&s->serv_name);
			p.realm = as_bytes(&s->realm);
			p.cnonce = as_bytes(&s->cnonce);
			memcpy(p.qop_pref, s->qop_pref, sizeof(p.qop_pref));
			memcpy(p.cipher_pref, s->cipher_pref, sizeof(p.cipher_pref));
			p.maxbuf = s->maxbuf;
			rc = sq_digest_respond(&c, &p, out, &st->res, err);
		}
		sq_digest_challenge_free(&c);
		if (rc == SQ_OK) {
			s->qop = st->res.qop;
			s->cipher = st->res.cipher;
		}
		return rc;
	}
	if (s->stage == 1) {
		rc = sq_digest_check_rspauth(st->res.rspauth, in, inlen, err);
		if (rc != SQ_OK) {
			return rc;
		}
		s->server_verified = 1;
		s->complete = 1;
		if (s->qop != SQ_QOP_AUTH) {
			rc = sq_seclayer_new(&s->layer, s->qop, s->cipher, st->res.ha1,
				st->res.server_maxbuf, s->maxbuf ? s->maxbuf : 65536, err);
		}
		return rc; /* the answer to rspauth is empty */
	}
	return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: unexpected challenge");
}

static void digest_cleanup(sq_sasl *s)
{
	sq_free_secret(s->state, sizeof(digest_state));
	s->state = NULL;
}

const sq_mech_ops sq_mech_digest_md5_ops = {
	SQ_MECH_DIGEST_MD5, "DIGEST-MD5", SQ_MECHF_MUTUAL | SQ_MECHF_SECURITY_LAYER | SQ_MECHF_AUTHZ, 40,
	digest_init, digest_step, digest_cleanup,
};
