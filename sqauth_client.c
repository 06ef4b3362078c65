/*
  +----------------------------------------------------------------------+
  | sqauth: Sqauth\SaslClient, a stateful SASL client for code that      |
  | keeps its own socket. A thin object around the core's sq_sasl step   |
  | machine: raw bytes in, raw bytes out.                                |
  +----------------------------------------------------------------------+
*/

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "sqauth_client.h"
#include "sqauth_exceptions.h"
#include "sqauth_options.h"

#include "src/sasl/sasl.h"
#include "src/util/alloc.h"

zend_class_entry *php_sqauth_sasl_client_ce;

typedef struct {
	sq_sasl *sasl;
	zend_object std;
} sqauth_client_obj;

static zend_object_handlers client_handlers;

static inline sqauth_client_obj *client_from_obj(zend_object *obj)
{
	return (sqauth_client_obj *)((char *)obj - offsetof(sqauth_client_obj, std));
}

#define Z_CLIENT_P(zv) client_from_obj(Z_OBJ_P(zv))

static zend_object *client_create(zend_class_entry *ce)
{
	sqauth_client_obj *c = zend_object_alloc(sizeof(sqauth_client_obj), ce);

	zend_object_std_init(&c->std, ce);
	object_properties_init(&c->std, ce);
	c->std.handlers = &client_handlers;
	c->sasl = NULL;
	return &c->std;
}

static void client_free(zend_object *obj)
{
	sqauth_client_obj *c = client_from_obj(obj);

	sq_sasl_free(c->sasl); /* wipes the copied password */
	c->sasl = NULL;
	zend_object_std_dtor(obj);
}

static sq_sasl *client_sasl(zval *this_zv)
{
	sqauth_client_obj *c = Z_CLIENT_P(this_zv);

	if (!c->sasl) {
		zend_throw_error(NULL, "Sqauth\\SaslClient object is not initialized");
	}
	return c->sasl;
}

/* The credential keys and what they hold. */
typedef enum { K_STR, K_INT, K_PREF_QOP, K_PREF_CIPHER, K_CB } key_kind;

static const struct {
	const char *name;
	key_kind kind;
	size_t offset; /* into sq_sasl_params */
} cred_keys[] = {
	{"username", K_STR, offsetof(sq_sasl_params, username)},
	{"password", K_STR, offsetof(sq_sasl_params, password)},
	{"authz", K_STR, offsetof(sq_sasl_params, authz)},
	{"service", K_STR, offsetof(sq_sasl_params, service)},
	{"host", K_STR, offsetof(sq_sasl_params, host)},
	{"serv_name", K_STR, offsetof(sq_sasl_params, serv_name)},
	{"realm", K_STR, offsetof(sq_sasl_params, realm)},
	{"cnonce", K_STR, offsetof(sq_sasl_params, cnonce)},
	{"port", K_INT, offsetof(sq_sasl_params, port)},
	{"maxbuf", K_INT, offsetof(sq_sasl_params, maxbuf)},
	{"qop", K_PREF_QOP, offsetof(sq_sasl_params, qop_pref)},
	{"cipher", K_PREF_CIPHER, offsetof(sq_sasl_params, cipher_pref)},
	{"channel_binding", K_CB, 0},
};

static zend_result parse_credentials(HashTable *ht, sq_sasl_params *p)
{
	zend_string *key;
	zval *v;
	size_t i;

	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, v) {
		if (!key) {
			zend_argument_value_error(2, "must have only string keys");
			return FAILURE;
		}
		for (i = 0; i < sizeof(cred_keys) / sizeof(cred_keys[0]); i++) {
			if (zend_string_equals_cstr(key, cred_keys[i].name, strlen(cred_keys[i].name))) {
				break;
			}
		}
		if (i == sizeof(cred_keys) / sizeof(cred_keys[0])) {
			zend_argument_value_error(2, "has an unknown key \"%s\"", ZSTR_VAL(key));
			return FAILURE;
		}
		ZVAL_DEREF(v);
		switch (cred_keys[i].kind) {
		case K_STR: {
			sq_bytes *b = (sq_bytes *)((char *)p + cred_keys[i].offset);
			if (Z_TYPE_P(v) != IS_STRING) {
				zend_argument_type_error(2, "key \"%s\" must be of type string, %s given", ZSTR_VAL(key),
					zend_zval_type_name(v));
				return FAILURE;
			}
			b->p = (const unsigned char *)Z_STRVAL_P(v);
			b->len = Z_STRLEN_P(v);
			break;
		}
		case K_INT:
			if (Z_TYPE_P(v) != IS_LONG) {
				zend_argument_type_error(2, "key \"%s\" must be of type int, %s given", ZSTR_VAL(key),
					zend_zval_type_name(v));
				return FAILURE;
			}
			if (zend_string_equals_literal(key, "port")) {
				if (Z_LVAL_P(v) < 1 || Z_LVAL_P(v) > 65535) {
					zend_argument_value_error(2, "key \"port\" must be between 1 and 65535");
					return FAILURE;
				}
				p->port = (unsigned)Z_LVAL_P(v);
			} else {
				if (Z_LVAL_P(v) < 64 || Z_LVAL_P(v) > 16777215) {
					zend_argument_value_error(2, "key \"maxbuf\" must be between 64 and 16777215");
					return FAILURE;
				}
				p->maxbuf = (unsigned long)Z_LVAL_P(v);
			}
			break;
		case K_PREF_QOP:
			if (php_sqauth_parse_pref(v, p->qop_pref, 0, 2, "qop") == FAILURE) {
				return FAILURE;
			}
			break;
		case K_PREF_CIPHER:
			if (php_sqauth_parse_pref(v, p->cipher_pref, 1, 2, "cipher") == FAILURE) {
				return FAILURE;
			}
			break;
		case K_CB: {
			zend_string *type;
			zval *data;
			if (Z_TYPE_P(v) != IS_ARRAY) {
				zend_argument_type_error(2, "key \"channel_binding\" must be of type array, %s given",
					zend_zval_type_name(v));
				return FAILURE;
			}
			if (zend_hash_num_elements(Z_ARRVAL_P(v)) != 1) {
				zend_argument_value_error(2, "key \"channel_binding\" must hold exactly one type => data pair");
				return FAILURE;
			}
			ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(v), type, data) {
				ZVAL_DEREF(data);
				if (!type || Z_TYPE_P(data) != IS_STRING) {
					zend_argument_type_error(2, "key \"channel_binding\" must map a type name to a string of data");
					return FAILURE;
				}
				p->cb_type.p = (const unsigned char *)ZSTR_VAL(type);
				p->cb_type.len = ZSTR_LEN(type);
				p->cb_data.p = (const unsigned char *)Z_STRVAL_P(data);
				p->cb_data.len = Z_STRLEN_P(data);
			} ZEND_HASH_FOREACH_END();
			break;
		}
		}
	} ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

ZEND_METHOD(Sqauth_SaslClient, __construct)
{
	zend_string *mech;
	HashTable *creds;
	sqauth_client_obj *c = Z_CLIENT_P(ZEND_THIS);
	sq_sasl_params p;
	sq_error err;
	int id;
	sq_rc rc;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(mech)
		Z_PARAM_ARRAY_HT(creds)
	ZEND_PARSE_PARAMETERS_END();

	if (c->sasl) {
		zend_throw_error(NULL, "Sqauth\\SaslClient object is already initialized");
		RETURN_THROWS();
	}
	id = sq_mech_lookup(ZSTR_VAL(mech), ZSTR_LEN(mech));
	if (id < 0) {
		zend_argument_value_error(1, "must be one of PLAIN, LOGIN, CRAM-MD5, DIGEST-MD5, SCRAM-SHA-1, SCRAM-SHA-256, "
			"SCRAM-SHA-1-PLUS, SCRAM-SHA-256-PLUS, XOAUTH2 or OAUTHBEARER");
		RETURN_THROWS();
	}
	memset(&p, 0, sizeof(p));
	if (parse_credentials(creds, &p) == FAILURE) {
		RETURN_THROWS();
	}
	/* channel-binding data given to a non-PLUS SCRAM: the client could bind
	 * but the server did not offer -PLUS, which the gs2 "y" flag reports */
	if (p.cb_type.p && !(sq_mech_flags((sq_mech_id)id) & SQ_MECHF_CHANNEL_BIND)) {
		if (id == SQ_MECH_SCRAM_SHA_1 || id == SQ_MECH_SCRAM_SHA_256) {
			p.cb_client_supports = 1;
		}
		p.cb_type.p = NULL;
		p.cb_data.p = NULL;
	}
	rc = sq_sasl_new(&c->sasl, (sq_mech_id)id, &p, &err);
	if (rc == SQ_EINVAL) {
		zend_argument_value_error(2, "is invalid: %s", err.msg);
		RETURN_THROWS();
	}
	if (rc != SQ_OK) {
		php_sqauth_throw(rc, err.msg);
		RETURN_THROWS();
	}
}

/* Returns out as a string, or throws what rc means. Frees out. */
static void return_output(zval *return_value, sq_rc rc, sq_buf *out, const sq_error *err)
{
	if (rc != SQ_OK) {
		sq_buf_free(out);
		php_sqauth_throw(rc, err->msg);
		return;
	}
	RETVAL_STRINGL(out->data ? (const char *)out->data : "", out->len);
	sq_buf_free(out);
}

ZEND_METHOD(Sqauth_SaslClient, initialResponse)
{
	sq_sasl *s;
	sq_buf out = SQ_BUF_SECRET_INIT;
	sq_error err;
	int has = 0;
	sq_rc rc;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!(s = client_sasl(ZEND_THIS))) {
		RETURN_THROWS();
	}
	rc = sq_sasl_initial(s, &out, &has, &err);
	if (rc == SQ_OK && !has) {
		sq_buf_free(&out);
		RETURN_NULL();
	}
	return_output(return_value, rc, &out, &err);
}

ZEND_METHOD(Sqauth_SaslClient, step)
{
	zend_string *challenge;
	sq_sasl *s;
	sq_buf out = SQ_BUF_SECRET_INIT;
	sq_error err;
	sq_rc rc;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(challenge)
	ZEND_PARSE_PARAMETERS_END();
	if (!(s = client_sasl(ZEND_THIS))) {
		RETURN_THROWS();
	}
	rc = sq_sasl_step(s, (const unsigned char *)ZSTR_VAL(challenge), ZSTR_LEN(challenge), &out, &err);
	return_output(return_value, rc, &out, &err);
}

ZEND_METHOD(Sqauth_SaslClient, isComplete)
{
	sq_sasl *s;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!(s = client_sasl(ZEND_THIS))) {
		RETURN_THROWS();
	}
	RETURN_BOOL(sq_sasl_complete(s));
}

ZEND_METHOD(Sqauth_SaslClient, isServerVerified)
{
	sq_sasl *s;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!(s = client_sasl(ZEND_THIS))) {
		RETURN_THROWS();
	}
	RETURN_BOOL(sq_sasl_server_verified(s));
}

static void client_layer(INTERNAL_FUNCTION_PARAMETERS, int wrap)
{
	zend_string *data;
	sq_sasl *s;
	sq_buf out = SQ_BUF_SECRET_INIT;
	sq_error err;
	sq_rc rc;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(data)
	ZEND_PARSE_PARAMETERS_END();
	if (!(s = client_sasl(ZEND_THIS))) {
		RETURN_THROWS();
	}
	rc = (wrap ? sq_sasl_wrap : sq_sasl_unwrap)(s, (const unsigned char *)ZSTR_VAL(data), ZSTR_LEN(data), &out, &err);
	return_output(return_value, rc, &out, &err);
}

ZEND_METHOD(Sqauth_SaslClient, wrap)
{
	client_layer(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1);
}

ZEND_METHOD(Sqauth_SaslClient, unwrap)
{
	client_layer(INTERNAL_FUNCTION_PARAM_PASSTHRU, 0);
}

void php_sqauth_client_minit(void)
{
	php_sqauth_sasl_client_ce->create_object = client_create;
	memcpy(&client_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	client_handlers.offset = offsetof(sqauth_client_obj, std);
	client_handlers.free_obj = client_free;
	client_handlers.clone_obj = NULL;
}
