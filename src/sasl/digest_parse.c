/*
 * DIGEST-MD5 challenge parsing (RFC 2831 2.1.1 and 7.1). Everything here is
 * server input: length-tracked, size-capped, never NUL-terminated by trust.
 */
#include "digest.h"
#include "mech.h"

#include <string.h>

#include "../util/alloc.h"

void sq_kvlist_init(sq_kvlist *l)
{
	sq_buf_init(&l->text, 0);
	l->items = NULL;
	l->n = 0;
	l->cap = 0;
}

void sq_kvlist_free(sq_kvlist *l)
{
	sq_buf_free(&l->text);
	sq_free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

static int is_lws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 2616 token characters: CHAR except CTLs and separators. */
static const unsigned char token_chars[256] = {
	/* 0x21-0x7e, less ( ) < > @ , ; : \ " / [ ] ? = { } */
	['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1,
	['-'] = 1, ['.'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
	['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
	['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['^'] = 1, ['_'] = 1,
	['`'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
	['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1,
	['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1,
	['x'] = 1, ['y'] = 1, ['z'] = 1, ['|'] = 1, ['~'] = 1,
};

static int is_token(unsigned char c)
{
	return token_chars[c];
}

static sq_rc add_item(sq_kvlist *l, sq_error *err)
{
	sq_kv *p;

	if (l->n == l->cap) {
		if (l->cap >= SQ_DIGEST_MAX_DIRECTIVES) {
			return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: more than %d directives", SQ_DIGEST_MAX_DIRECTIVES);
		}
		p = sq_realloc(l->items, (l->cap ? l->cap * 2 : 16) * sizeof(*p));
		if (!p) {
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
		l->items = p;
		l->cap = l->cap ? l->cap * 2 : 16;
	}
	memset(&l->items[l->n], 0, sizeof(sq_kv));
	l->n++;
	return SQ_OK;
}

sq_rc sq_kvlist_parse(sq_kvlist *l, const unsigned char *in, size_t len, sq_error *err)
{
	size_t i = 0, start;
	sq_kv *kv;
	sq_rc rc;

#define NOMEM() return sq_error_set(err, SQ_ENOMEM, "out of memory")
	/* reserve once: the text never outgrows the input (+ a NUL per item) */
	if (sq_buf_reserve(&l->text, len + 2 * SQ_DIGEST_MAX_DIRECTIVES) != SQ_OK) {
		NOMEM();
	}
	for (;;) {
		while (i < len && is_lws(in[i])) {
			i++;
		}
		if (i == len) {
			break;
		}
		if (in[i] == ',') {
			i++;
			continue;
		}
		if ((rc = add_item(l, err)) != SQ_OK) {
			return rc;
		}
		kv = &l->items[l->n - 1];
		start = i;
		while (i < len && is_token(in[i])) {
			i++;
		}
		if (i == start) {
			return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: expected a directive name at byte %zu", start);
		}
		kv->name_off = l->text.len;
		kv->name_len = i - start;
		if (sq_buf_append(&l->text, in + start, i - start) != SQ_OK || sq_buf_append_byte(&l->text, 0) != SQ_OK) {
			NOMEM();
		}
		while (i < len && is_lws(in[i])) {
			i++;
		}
		if (i == len || in[i] != '=') {
			return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: expected '=' after a directive name at byte %zu", i);
		}
		i++;
		while (i < len && is_lws(in[i])) {
			i++;
		}
		kv->val_off = l->text.len;
		if (i < len && in[i] == '"') {
			kv->quoted = 1;
			i++;
			for (;;) {
				if (i == len) {
					return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: unterminated quoted string");
				}
				if (in[i] == '"') {
					i++;
					break;
				}
				if (in[i] == '\\') {
					if (i + 1 == len) {
						return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: unterminated quoted string");
					}
					i++;
					if (in[i] == 0 || in[i] >= 0x80) {
						return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: invalid quoted-pair");
					}
				} else if ((in[i] < 0x20 && !is_lws(in[i])) || in[i] == 0x7f) {
					return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: control character in a quoted string");
				}
				if (sq_buf_append_byte(&l->text, in[i]) != SQ_OK) {
					NOMEM();
				}
				i++;
			}
		} else {
			start = i;
			while (i < len && is_token(in[i])) {
				i++;
			}
			if (i == start) {
				return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: expected a value at byte %zu", start);
			}
			if (sq_buf_append(&l->text, in + start, i - start) != SQ_OK) {
				NOMEM();
			}
		}
		kv->val_len = l->text.len - kv->val_off;
		if (sq_buf_append_byte(&l->text, 0) != SQ_OK) {
			NOMEM();
		}
		while (i < len && is_lws(in[i])) {
			i++;
		}
		if (i < len && in[i] != ',') {
			return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: expected ',' at byte %zu", i);
		}
	}
#undef NOMEM
	return SQ_OK;
}

void sq_list_each(const char *v, size_t len, void (*fn)(void *ud, const char *e, size_t elen), void *ud)
{
	size_t i = 0, s, e;

	while (i < len) {
		while (i < len && (is_lws((unsigned char)v[i]) || v[i] == ',')) {
			i++;
		}
		s = i;
		while (i < len && v[i] != ',') {
			i++;
		}
		e = i;
		while (e > s && is_lws((unsigned char)v[e - 1])) {
			e--;
		}
		if (e > s) {
			fn(ud, v + s, e - s);
		}
	}
}

static void add_qop(void *ud, const char *e, size_t n)
{
	*(unsigned *)ud |= (unsigned)sq_qop_lookup(e, n); /* unknown options are ignored */
}

static void add_cipher(void *ud, const char *e, size_t n)
{
	*(unsigned *)ud |= (unsigned)sq_cipher_lookup(e, n);
}

void sq_digest_challenge_free(sq_digest_challenge *c)
{
	sq_kvlist_free(&c->kv);
}

/* Overflow-checked decimal. */
static int parse_ulong(const char *s, size_t n, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return 0;
		}
		if (v > (max - (unsigned long)(s[i] - '0')) / 10) {
			return 0;
		}
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 1;
}

sq_rc sq_digest_parse_challenge(sq_digest_challenge *c, const unsigned char *in, size_t len, sq_error *err)
{
	size_t i;
	int seen_qop = 0, seen_cipher = 0, seen_charset = 0, seen_alg = 0, seen_maxbuf = 0, seen_stale = 0;
	const char *name, *val;
	size_t vlen;
	sq_rc rc;

	memset(c, 0, sizeof(*c));
	sq_kvlist_init(&c->kv);
	c->nonce = -1;
	c->maxbuf = 65536;
	if (len == 0) {
		return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: empty challenge");
	}
	if (len > SQ_DIGEST_MAX_CHALLENGE) {
		return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: challenge of %zu bytes exceeds the %d-byte limit",
			len, SQ_DIGEST_MAX_CHALLENGE);
	}
	if ((rc = sq_kvlist_parse(&c->kv, in, len, err)) != SQ_OK) {
		return rc;
	}
#define DUP(flag, what) do { \
		if (flag) return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: duplicate %s directive", what); \
		flag = 1; \
	} while (0)
	for (i = 0; i < c->kv.n; i++) {
		name = SQ_KV_NAME(&c->kv, i);
		val = SQ_KV_VAL(&c->kv, i);
		vlen = c->kv.items[i].val_len;
		if (SQ_IEQ(name, c->kv.items[i].name_len, "realm")) {
			c->realms[c->nrealms++] = i;
		} else if (SQ_IEQ(name, c->kv.items[i].name_len, "nonce")) {
			if (c->nonce >= 0) {
				return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: duplicate nonce directive");
			}
			if (vlen == 0) {
				return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: empty nonce");
			}
			c->nonce = (long)i;
		} else if (SQ_IEQ(name, c->kv.items[i].name_len, "qop")) {
			DUP(seen_qop, "qop");
			sq_list_each(val, vlen, add_qop, &c->qop_offered);
		} else if (SQ_IEQ(name, c->kv.items[i].name_len, "cipher")) {
			DUP(seen_cipher, "cipher");
			sq_list_each(val, vlen, add_cipher, &c->cipher_offered);
		} else if (SQ_IEQ(name, c->kv.items[i].name_len, "charset")) {
			DUP(seen_charset, "charset");
			if (!SQ_IEQ(val, vlen, "utf-8")) {
				return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: charset must be utf-8");
			}
			c->utf8 = 1;
		} else if (SQ_IEQ(name, c->kv.items[i].name_len, "algorithm")) {
			DUP(seen_alg, "algorithm");
			if (!SQ_IEQ(val, vlen, "md5-sess")) {
				return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: algorithm must be md5-sess");
			}
		} else if (SQ_IEQ(name, c->kv.items[i].name_len, "maxbuf")) {
			DUP(seen_maxbuf, "maxbuf");
			if (!parse_ulong(val, vlen, 16777215UL, &c->maxbuf) || c->maxbuf <= 16) {
				return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: maxbuf must be a number from 17 to 16777215");
			}
		} else if (SQ_IEQ(name, c->kv.items[i].name_len, "stale")) {
			DUP(seen_stale, "stale");
			if (!SQ_IEQ(val, vlen, "true")) {
				return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: stale must be true");
			}
			c->stale = 1;
		}
		/* any other directive is ignored, as RFC 2831 requires */
	}
#undef DUP
	if (c->nonce < 0) {
		return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: the challenge has no nonce");
	}
	if (!seen_alg) {
		return sq_error_set(err, SQ_EPROTO, "DIGEST-MD5: the challenge has no algorithm=md5-sess");
	}
	if (!seen_qop) {
		c->qop_offered = SQ_QOP_AUTH;
	}
	return SQ_OK;
}
