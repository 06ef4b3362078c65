/*
 * sqauth core, TLS state kept per process: SSL_CTXs by configuration (the
 * trust store loaded once per configuration) and client sessions for
 * resumption, both bounded, locked, and dropped at shutdown.
 */
#include "conn_private.h"

#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "../util/alloc.h"
#include "../util/clock.h"

/* ---- TLS: contexts and sessions cached per process ----------------- */

#define CTX_CACHE 8
#define SESSION_CACHE 32

static struct {
	char *key;
	SSL_CTX *ctx;
} ctx_cache[CTX_CACHE];
static struct {
	char key[768];
	SSL_SESSION *sess;
	long long used;
} sess_cache[SESSION_CACHE];
static CRYPTO_RWLOCK *cache_lock;
static CRYPTO_ONCE cache_once = CRYPTO_ONCE_STATIC_INIT;
static int conn_ex_idx = -1;

/* keys the passphrase's place in the context cache key: per process, random */
static unsigned char cache_key_secret[32];
static int cache_key_secret_ok;

static void cache_init(void)
{
	cache_key_secret_ok = RAND_bytes(cache_key_secret, sizeof(cache_key_secret)) == 1;
	cache_lock = CRYPTO_THREAD_lock_new();
	conn_ex_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

int sq_tls_cache_ready(void)
{
	return CRYPTO_THREAD_run_once(&cache_once, cache_init) && cache_lock && conn_ex_idx >= 0;
}

int sq_tls_cache_conn_index(void)
{
	return conn_ex_idx;
}

void sq_conn_shutdown(void)
{
	int i;

	for (i = 0; i < CTX_CACHE; i++) {
		SSL_CTX_free(ctx_cache[i].ctx);
		sq_free(ctx_cache[i].key);
		ctx_cache[i].ctx = NULL;
		ctx_cache[i].key = NULL;
	}
	for (i = 0; i < SESSION_CACHE; i++) {
		SSL_SESSION_free(sess_cache[i].sess);
		sess_cache[i].sess = NULL;
	}
	/* the once stays spent: after this, TLS reports that OpenSSL is not initialised */
	OPENSSL_cleanse(cache_key_secret, sizeof(cache_key_secret));
	cache_key_secret_ok = 0;
	CRYPTO_THREAD_lock_free(cache_lock);
	cache_lock = NULL;
	if (conn_ex_idx >= 0) {
		CRYPTO_free_ex_index(CRYPTO_EX_INDEX_SSL, conn_ex_idx);
		conn_ex_idx = -1;
	}
}

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	size_t n = u ? strlen(u) : 0;

	(void)rwflag;
	if ((int)n > size) {
		n = (size_t)size;
	}
	memcpy(buf, u ? u : "", n);
	return (int)n;
}

/* As PHP's ssl:// does, the CA file and path are loaded (and must load) only
 * when the chain is checked; sqauth_detect reports verification, so it loads
 * them too. */
static int loads_trust(const sq_tls_config *cfg)
{
	return cfg->verify_peer || cfg->report_only;
}

/* The cache key of a TLS configuration. The key passphrase is in it only as
 * HMAC-SHA256 under a per-process random key: the same passphrase finds the same
 * context, and nothing in the cache (which lives as long as the process) can be
 * turned back into the passphrase. */
sq_rc sq_tls_cache_key(const sq_tls_config *cfg, sq_buf *k)
{
	unsigned char mac[32];
	char mac_hex[65];
	size_t i, mac_len = 0;
	sq_rc rc = SQ_OK;
	char nums[64];
	const char *parts[] = {cfg->cafile, cfg->capath, cfg->ciphers, cfg->local_cert, cfg->local_pk, NULL};

	if (cfg->passphrase) {
		if (!cache_key_secret_ok || !EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, cache_key_secret, sizeof(cache_key_secret),
				(const unsigned char *)cfg->passphrase, strlen(cfg->passphrase), mac, sizeof(mac), &mac_len) || mac_len != 32) {
			return SQ_ENOMEM;
		}
		sq_hex_encode(mac_hex, mac, sizeof(mac));
		mac_hex[64] = '\0';
		parts[5] = mac_hex;
	}

	snprintf(nums, sizeof(nums), "%d|%d|%d|%d|%d|%d|", cfg->security_level, cfg->min_version, cfg->max_version,
		loads_trust(cfg), cfg->no_ticket != 0, cfg->disable_compression != 0);
	rc = sq_buf_append_str(k, nums);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && rc == SQ_OK; i++) {
		/* each part length-prefixed so that no two configurations collide */
		snprintf(nums, sizeof(nums), "%zu:", parts[i] ? strlen(parts[i]) : (size_t)-1);
		if ((rc = sq_buf_append_str(k, nums)) == SQ_OK && parts[i]) {
			rc = sq_buf_append_str(k, parts[i]);
		}
	}
	OPENSSL_cleanse(mac, sizeof(mac));
	return rc;
}

static SSL_CTX *make_ctx(const sq_tls_config *cfg, sq_error *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	unsigned long e;
	char ebuf[200];

	if (!ctx) {
		sq_error_set(err, SQ_ETLS, "TLS: cannot create a context");
		return NULL;
	}
	/* a peer that closes without close_notify (many IMAP servers after BYE) is at
	 * EOF, as PHP's ssl:// sees it, not in error */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF
		| (cfg->disable_compression ? SSL_OP_NO_COMPRESSION : 0) | (cfg->no_ticket ? SSL_OP_NO_TICKET : 0));
	if (!cfg->disable_compression) {
		SSL_CTX_clear_options(ctx, SSL_OP_NO_COMPRESSION);
	}
	/* a PHP stream may retry a write that wanted more room from another
	 * buffer, and report a partial write */
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
	if (cfg->security_level >= 0) {
		SSL_CTX_set_security_level(ctx, cfg->security_level);
	}
	if (!SSL_CTX_set_min_proto_version(ctx, cfg->min_version)
		|| (cfg->max_version && !SSL_CTX_set_max_proto_version(ctx, cfg->max_version))) {
		sq_error_set(err, SQ_EINVAL, "TLS: unsupported min_version or max_version");
		goto fail;
	}
	if (cfg->ciphers && !SSL_CTX_set_cipher_list(ctx, cfg->ciphers)) {
		sq_error_set(err, SQ_EINVAL, "TLS: no cipher matches the ciphers option");
		goto fail;
	}
	if (!loads_trust(cfg)) {
		/* nothing to load */
	} else if (cfg->cafile || cfg->capath) {
		if (!SSL_CTX_load_verify_locations(ctx, cfg->cafile, cfg->capath)) {
			e = ERR_peek_last_error();
			ERR_error_string_n(e, ebuf, sizeof(ebuf));
			sq_error_set(err, SQ_ETLS, "TLS: cannot load the CA file or path: %s", ebuf);
			goto fail;
		}
	} else if (!SSL_CTX_set_default_verify_paths(ctx)) {
		sq_error_set(err, SQ_ETLS, "TLS: cannot load the system trust store");
		goto fail;
	}
	if (cfg->local_cert) {
		if (cfg->passphrase) {
			SSL_CTX_set_default_passwd_cb(ctx, pass_cb);
			SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)cfg->passphrase);
		}
		if (!SSL_CTX_use_certificate_chain_file(ctx, cfg->local_cert)
			|| !SSL_CTX_use_PrivateKey_file(ctx, cfg->local_pk ? cfg->local_pk : cfg->local_cert, SSL_FILETYPE_PEM)
			|| !SSL_CTX_check_private_key(ctx)) {
			sq_error_set(err, SQ_ETLS, "TLS: cannot use the local certificate or key");
			goto fail;
		}
		/* the passphrase must not outlive this call inside the cached context */
		SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
	}
	ERR_clear_error();
	return ctx;
fail:
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return NULL;
}

/* The cached context for this configuration (a new one on a miss). The
 * trust store is loaded once per configuration and process. */
SSL_CTX *sq_tls_cache_ctx(const sq_tls_config *cfg, sq_error *err)
{
	sq_buf k = SQ_BUF_INIT;
	SSL_CTX *ctx = NULL;
	int i, free_slot = -1;

	if (sq_tls_cache_key(cfg, &k) != SQ_OK) {
		sq_error_set(err, SQ_ENOMEM, "out of memory");
		return NULL;
	}
	CRYPTO_THREAD_write_lock(cache_lock);
	for (i = 0; i < CTX_CACHE; i++) {
		if (ctx_cache[i].key && strcmp(ctx_cache[i].key, (char *)k.data) == 0) {
			ctx = ctx_cache[i].ctx;
			SSL_CTX_up_ref(ctx);
			break;
		}
		if (!ctx_cache[i].key && free_slot < 0) {
			free_slot = i;
		}
	}
	if (!ctx) {
		ctx = make_ctx(cfg, err);
		if (ctx) {
			if (free_slot < 0) {
				free_slot = 0; /* full: replace the oldest entry */
				SSL_CTX_free(ctx_cache[0].ctx);
				sq_free(ctx_cache[0].key);
				memmove(&ctx_cache[0], &ctx_cache[1], sizeof(ctx_cache[0]) * (CTX_CACHE - 1));
				free_slot = CTX_CACHE - 1;
			}
			ctx_cache[free_slot].key = sq_memdup(k.data, k.len);
			if (ctx_cache[free_slot].key) {
				ctx_cache[free_slot].ctx = ctx;
				SSL_CTX_up_ref(ctx);
			} else {
				ctx_cache[free_slot].ctx = NULL;
			}
		}
	}
	CRYPTO_THREAD_unlock(cache_lock);
	sq_buf_free(&k);
	return ctx;
}

SSL_SESSION *sq_tls_cache_session(const char *key)
{
	SSL_SESSION *s = NULL;
	int i;

	CRYPTO_THREAD_write_lock(cache_lock);
	for (i = 0; i < SESSION_CACHE; i++) {
		if (sess_cache[i].sess && strcmp(sess_cache[i].key, key) == 0) {
			if (SSL_SESSION_is_resumable(sess_cache[i].sess)) {
				s = sess_cache[i].sess;
				SSL_SESSION_up_ref(s);
				sess_cache[i].used = sq_now_ms();
			}
			break;
		}
	}
	CRYPTO_THREAD_unlock(cache_lock);
	return s;
}

void sq_conn_save_session(sq_conn *c)
{
	SSL_SESSION *s;
	int i, slot = -1, oldest = 0;

	if (!c->ssl || !c->session_key[0]) {
		return;
	}
	s = SSL_get1_session(c->ssl);
	if (!s || !SSL_SESSION_is_resumable(s)) {
		SSL_SESSION_free(s);
		return;
	}
	CRYPTO_THREAD_write_lock(cache_lock);
	for (i = 0; i < SESSION_CACHE; i++) {
		if (sess_cache[i].sess && strcmp(sess_cache[i].key, c->session_key) == 0) {
			slot = i;
			break;
		}
		if (!sess_cache[i].sess && slot < 0) {
			slot = i;
		}
		if (sess_cache[i].used < sess_cache[oldest].used) {
			oldest = i;
		}
	}
	if (slot < 0) {
		slot = oldest; /* bounded: evict the least recently used */
	}
	SSL_SESSION_free(sess_cache[slot].sess);
	sess_cache[slot].sess = s;
	snprintf(sess_cache[slot].key, sizeof(sess_cache[slot].key), "%s", c->session_key);
	sess_cache[slot].used = sq_now_ms();
	CRYPTO_THREAD_unlock(cache_lock);
}
