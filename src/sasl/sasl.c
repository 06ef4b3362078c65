#include "mech.h"

#include <string.h>

#include "../util/alloc.h"

static const sq_mech_ops *const registry[SQ_MECH__COUNT] = {
	&sq_mech_plain_ops,
	&sq_mech_login_ops,
	&sq_mech_cram_md5_ops,
	&sq_mech_digest_md5_ops,
	&sq_mech_scram_sha_1_ops,
	&sq_mech_scram_sha_256_ops,
	&sq_mech_scram_sha_1_plus_ops,
	&sq_mech_scram_sha_256_plus_ops,
	&sq_mech_xoauth2_ops,
	&sq_mech_oauthbearer_ops,
};

int sq_mech_lookup(const char *name, size_t len)
{
	int i;

	for (i = 0; i < SQ_MECH__COUNT; i++) {
		if (sq_bytes_ieq(name, len, registry[i]->name)) {
			return i;
		}
	}
	return -1;
}

const char *sq_mech_name(sq_mech_id id)
{
	return (unsigned)id < SQ_MECH__COUNT ? registry[id]->name : "";
}

unsigned sq_mech_flags(sq_mech_id id)
{
	return (unsigned)id < SQ_MECH__COUNT ? registry[id]->flags : 0;
}

int sq_mech_strength(sq_mech_id id)
{
	return (unsigned)id < SQ_MECH__COUNT ? registry[id]->strength : 0;
}

static sq_rc copy_param(sq_buf *dst, sq_bytes src, int secret)
{
	sq_buf_init(dst, secret);
	if (!src.p) {
		return SQ_OK;
	}
	return sq_buf_set(dst, src.p, src.len);
}

void sq_sasl_free(sq_sasl *s)
{
	if (!s) {
		return;
	}
	if (s->ops && s->ops->cleanup) {
		s->ops->cleanup(s);
	}
	sq_seclayer_free(s->layer);
	sq_buf_free(&s->username);
	sq_buf_free(&s->password);
	sq_buf_free(&s->authz);
	sq_buf_free(&s->service);
	sq_buf_free(&s->host);
	sq_buf_free(&s->serv_name);
	sq_buf_free(&s->realm);
	sq_buf_free(&s->cnonce);
	sq_buf_free(&s->cb_type);
	sq_buf_free(&s->cb_data);
	sq_free_secret(s, sizeof(*s));
}

void sq_sasl_forget_secrets(sq_sasl *s)
{
	if (!s) {
		return;
	}
	if (s->ops && s->ops->cleanup) {
		s->ops->cleanup(s);   /* sets s->state to NULL; sq_sasl_free() calls it again harmlessly */
	}
	sq_buf_free(&s->password);
}

sq_rc sq_sasl_new(sq_sasl **out, sq_mech_id mech, const sq_sasl_params *p, sq_error *err)
{
	sq_sasl *s;
	sq_rc rc = SQ_OK;

	*out = NULL;
	if ((unsigned)mech >= SQ_MECH__COUNT) {
		return sq_error_set(err, SQ_EINVAL, "unknown SASL mechanism");
	}
	s = sq_calloc(1, sizeof(*s));
	if (!s) {
		return sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	s->ops = registry[mech];
	if ((rc = copy_param(&s->username, p->username, 0)) != SQ_OK
		|| (rc = copy_param(&s->password, p->password, 1)) != SQ_OK
		|| (rc = copy_param(&s->authz, p->authz, 0)) != SQ_OK
		|| (rc = copy_param(&s->service, p->service, 0)) != SQ_OK
		|| (rc = copy_param(&s->host, p->host, 0)) != SQ_OK
		|| (rc = copy_param(&s->serv_name, p->serv_name, 0)) != SQ_OK
		|| (rc = copy_param(&s->realm, p->realm, 0)) != SQ_OK
		|| (rc = copy_param(&s->cnonce, p->cnonce, 0)) != SQ_OK
		|| (rc = copy_param(&s->cb_type, p->cb_type, 0)) != SQ_OK
		|| (rc = copy_param(&s->cb_data, p->cb_data, 1)) != SQ_OK) {
		sq_sasl_free(s);
		return sq_error_set(err, rc, "out of memory");
	}
	s->port = p->port;
	s->cb_client_supports = p->cb_client_supports;
	memcpy(s->qop_pref, p->qop_pref, sizeof(s->qop_pref));
	memcpy(s->cipher_pref, p->cipher_pref, sizeof(s->cipher_pref));
	s->maxbuf = p->maxbuf;
	if (s->ops->init && (rc = s->ops->init(s, err)) != SQ_OK) {
		sq_sasl_free(s);
		return rc;
	}
	*out = s;
	return SQ_OK;
}

static sq_rc run_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	size_t mark = out->len;
	sq_rc rc;

	if (s->broken) {
		return sq_error_set(err, SQ_ESTATE, "the SASL exchange has already failed");
	}
	/* a token mechanism is done after its initial response unless the
	 * server answers with one error challenge */
	if (s->complete && !((s->ops->flags & SQ_MECHF_TOKEN) && s->stage == 1)) {
		s->broken = 1;
		return sq_error_set(err, SQ_EPROTO,
			"%s: the server sent a challenge after the exchange was complete", s->ops->name);
	}
	rc = s->ops->step(s, in, inlen, out, err);
	if (rc != SQ_OK) {
		s->broken = 1;
		/* never hand back half a response */
		if (out->len > mark) {
			sq_wipe(out->data + mark, out->len - mark);
			out->len = mark;
			out->data[mark] = '\0';
		}
		return rc;
	}
	s->stage++;
	return SQ_OK;
}

sq_rc sq_sasl_initial(sq_sasl *s, sq_buf *out, int *has, sq_error *err)
{
	*has = 0;
	if (!(s->ops->flags & SQ_MECHF_CLIENT_FIRST)) {
		return SQ_OK;
	}
	if (s->stage != 0) {
		return sq_error_set(err, SQ_ESTATE, "the initial response has already been produced");
	}
	*has = 1;
	return run_step(s, NULL, 0, out, err);
}

sq_rc sq_sasl_step(sq_sasl *s, const unsigned char *in, size_t inlen, sq_buf *out, sq_error *err)
{
	static const unsigned char empty = 0;

	if (s->stage == 0 && (s->ops->flags & SQ_MECHF_CLIENT_FIRST) && inlen != 0) {
		s->broken = 1;
		return sq_error_set(err, SQ_EPROTO,
			"%s: the server sent a non-empty challenge before the initial response", s->ops->name);
	}
	return run_step(s, in ? in : &empty, inlen, out, err);
}

sq_mech_id sq_sasl_mech(const sq_sasl *s) { return s->ops->id; }
int sq_sasl_complete(const sq_sasl *s) { return s->complete; }
int sq_sasl_server_verified(const sq_sasl *s) { return s->server_verified; }
unsigned sq_sasl_qop(const sq_sasl *s) { return s->qop; }
unsigned sq_sasl_cipher(const sq_sasl *s) { return s->cipher; }
const char *sq_sasl_server_error(const sq_sasl *s) { return s->server_error; }

int sq_sasl_has_layer(const sq_sasl *s)
{
	return s->layer != NULL;
}

size_t sq_sasl_layer_pending(const sq_sasl *s)
{
	return s->layer ? sq_seclayer_pending(s->layer) : 0;
}

unsigned long sq_sasl_layer_max_plain(const sq_sasl *s)
{
	return s->layer ? (unsigned long)sq_seclayer_max_plain(s->layer) : 0;
}

sq_rc sq_sasl_wrap(sq_sasl *s, const unsigned char *in, size_t len, sq_buf *out, sq_error *err)
{
	if (!s->layer) {
		if (s->qop != SQ_QOP_AUTH && !s->complete) {
			return sq_error_set(err, SQ_ESTATE, "the security layer starts only once authentication is complete");
		}
		/* no layer negotiated: data passes unchanged (as sasl_encode does) */
		return sq_buf_append(out, in, len) == SQ_OK ? SQ_OK : sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	return sq_seclayer_wrap(s->layer, in, len, out, err);
}

sq_rc sq_sasl_unwrap(sq_sasl *s, const unsigned char *in, size_t len, sq_buf *out, sq_error *err)
{
	if (!s->layer) {
		if (s->qop != SQ_QOP_AUTH && !s->complete) {
			return sq_error_set(err, SQ_ESTATE, "the security layer starts only once authentication is complete");
		}
		return sq_buf_append(out, in, len) == SQ_OK ? SQ_OK : sq_error_set(err, SQ_ENOMEM, "out of memory");
	}
	return sq_seclayer_unwrap(s->layer, in, len, out, err);
}
