/*
 * sqauth core, the TLS handshake over an open connection: verification as
 * PHP's ssl:// does it (chain, host name, allow_self_signed, fingerprint),
 * SNI, session resumption, and the verification facts afterwards.
 */
#include "conn_private.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

void sq_tls_config_init(sq_tls_config *c)
{
	memset(c, 0, sizeof(*c));
	c->verify_peer = 1;
	c->verify_peer_name = 1;
	c->sni_enabled = 1;
	c->session_cache = 1;
	c->security_level = -1;
	c->verify_depth = 9;
	c->disable_compression = 1;
	c->min_version = TLS1_2_VERSION;
}

sq_rc sq_tls_alpn_wire(const char *list, sq_buf *out)
{
	const char *p = list, *end;
	size_t n;
	unsigned char len;
	sq_rc rc = SQ_OK;

	for (;;) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || n > 255) {
			return SQ_EINVAL;
		}
		len = (unsigned char)n;
		if ((rc = sq_buf_append(out, &len, 1)) != SQ_OK || (rc = sq_buf_append(out, p, n)) != SQ_OK) {
			return rc;
		}
		if (!end) {
			return SQ_OK;
		}
		p = end + 1;
	}
}

/* Records the first verification failure; lets the handshake go on only
 * for allow_self_signed's one exception, or in report-only mode. */
static int verify_cb(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	sq_conn *c = ssl ? SSL_get_ex_data(ssl, sq_tls_cache_conn_index()) : NULL;
	int e = X509_STORE_CTX_get_error(x);

	if (!c) {
		return ok;
	}
	/* verify_depth as PHP's ssl:// applies it: a certificate further from the
	 * leaf than that fails the chain, whatever else is true of it */
	if (X509_STORE_CTX_get_error_depth(x) > c->verify_depth) {
		X509_STORE_CTX_set_error(x, X509_V_ERR_CERT_CHAIN_TOO_LONG);
		e = X509_V_ERR_CERT_CHAIN_TOO_LONG;
		ok = 0;
	}
	if (ok) {
		return ok;
	}
	if (c->allow_self_signed && e == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) {
		/* as PHP: a self-signed leaf is accepted (and reported as not
		 * verified); verification goes on, so the host name is checked */
		c->self_signed_accepted = 1;
		return 1;
	}
	if (c->verify_error == X509_V_OK) {
		c->verify_error = e;
	}
	return (c->verify_peer && !c->report_only) ? 0 : 1;
}

static int is_ip(const char *h)
{
	unsigned char b[16];

	return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* The host name (or IP address) check on its own, as PHP's ssl:// makes it when
 * verify_peer is off and verify_peer_name on; with verify_peer on, OpenSSL's
 * chain verification has made it already (SSL_set1_host). */
static sq_rc check_name(sq_conn *c, const char *name, sq_error *err)
{
	X509 *peer = SSL_get0_peer_certificate(c->ssl);
	int ip = is_ip(name);

	if (!peer) {
		return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: the server sent no certificate", c->host, c->port);
	}
	if ((ip ? X509_check_ip_asc(peer, name, 0) : X509_check_host(peer, name, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL)) != 1) {
		return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: certificate verify failed: %s", c->host, c->port,
			X509_verify_cert_error_string(ip ? X509_V_ERR_IP_ADDRESS_MISMATCH : X509_V_ERR_HOSTNAME_MISMATCH));
	}
	return SQ_OK;
}

sq_rc sq_conn_tls_error(sq_conn *c, int ret, const char *what, sq_error *err)
{
	int saved_errno = errno;   /* from the SSL call, before anything else can change it */
	unsigned long e = ERR_get_error();
	char ebuf[200] = "";
	sq_rc rc;

	c->tls_error_recorded = e != 0;
	if (c->verify_error != X509_V_OK) {
		rc = sq_error_set(err, SQ_ETLS, "TLS %s with %s:%u failed: certificate verify failed: %s", what, c->host, c->port,
			X509_verify_cert_error_string(c->verify_error));
	} else if (e) {
		ERR_error_string_n(e, ebuf, sizeof(ebuf));
		rc = sq_error_set(err, SQ_ETLS, "TLS %s with %s:%u failed: %s", what, c->host, c->port, ebuf);
	} else if (ret == 0 || saved_errno == 0) {
		/* no OpenSSL error and no errno (never "failed: Success") */
		rc = sq_error_set(err, SQ_ETLS, "TLS %s with %s:%u failed: the server closed the connection", what, c->host, c->port);
	} else {
		rc = sq_error_set(err, SQ_ETLS, "TLS %s with %s:%u failed: %s", what, c->host, c->port, strerror(saved_errno));
	}
	ERR_clear_error();
	return rc;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

static sq_rc check_fingerprint(sq_conn *c, const sq_tls_config *cfg, sq_error *err)
{
	X509 *cert = SSL_get0_peer_certificate(c->ssl);
	const EVP_MD *md = EVP_get_digestbyname(cfg->fingerprint_alg);
	unsigned char want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	size_t hl = strlen(cfg->fingerprint_hex);

	if (!cert || !md || !X509_digest(cert, md, got, &n) || hl != 2 * (size_t)n) {
		return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: peer_fingerprint does not match", c->host, c->port);
	}
	for (i = 0; i < n; i++) {
		int hi = hexval(cfg->fingerprint_hex[2 * i]), lo = hexval(cfg->fingerprint_hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			return sq_error_set(err, SQ_EINVAL, "peer_fingerprint is not hexadecimal");
		}
		want[i] = (unsigned char)(hi << 4 | lo);
	}
	if (CRYPTO_memcmp(want, got, n) != 0) {
		return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: peer_fingerprint does not match", c->host, c->port);
	}
	return SQ_OK;
}

sq_rc sq_conn_start_tls(sq_conn *c, const sq_tls_config *cfg, sq_error *err)
{
	SSL_CTX *ctx;
	SSL_SESSION *sess = NULL;
	const char *name = cfg->peer_name ? cfg->peer_name : c->host;
	int ret, e;
	sq_rc rc;
	double t0 = sq_conn_clock_s();

	if (!sq_tls_cache_ready()) {
		return sq_error_set(err, SQ_ETLS, "TLS: OpenSSL initialisation failed");
	}
	if (c->ssl) {
		return sq_error_set(err, SQ_ESTATE, "TLS is already active");
	}
	if (c->memory) {
		return sq_error_set(err, SQ_ETLS, "TLS cannot run over an in-memory connection");
	}
	/* STARTTLS: whatever arrived before the handshake is not trusted */
	sq_buf_reset(&c->rbuf);
	ctx = sq_tls_cache_ctx(cfg, err);
	if (!ctx) {
		return err ? err->code : SQ_ETLS;
	}
	c->ssl = SSL_new(ctx);
	SSL_CTX_free(ctx); /* the SSL holds its own reference */
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd)) {
		return sq_error_set(err, SQ_ETLS, "TLS: cannot create a connection");
	}
	SSL_set_ex_data(c->ssl, sq_tls_cache_conn_index(), c);
	c->verify_peer = cfg->verify_peer;
	c->allow_self_signed = cfg->allow_self_signed;
	c->verify_depth = cfg->verify_depth;
	c->report_only = cfg->report_only;
	c->verify_error = X509_V_OK;
	c->self_signed_accepted = 0;
	SSL_set_verify(c->ssl, SSL_VERIFY_PEER, verify_cb);
	if (cfg->verify_peer_name) {
		if (is_ip(name)) {
			X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), name);
		} else {
			SSL_set_hostflags(c->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
			SSL_set1_host(c->ssl, name);
		}
	}
	if (cfg->sni_enabled && !is_ip(name)) {
		SSL_set_tlsext_host_name(c->ssl, name);
	}
	if (cfg->alpn) {
		sq_buf w = SQ_BUF_INIT;
		rc = sq_tls_alpn_wire(cfg->alpn, &w);
		if (rc != SQ_OK || SSL_set_alpn_protos(c->ssl, w.data, (unsigned)w.len) != 0) {
			sq_buf_free(&w);
			return sq_error_set(err, SQ_EINVAL, "TLS: alpn_protocols must be names of 1 to 255 bytes separated by commas");
		}
		sq_buf_free(&w);
	}
	if (cfg->session_cache) {
		/* A resumed session skips certificate verification, so a session is
		 * reused only under the very same trust and verification settings. */
		sq_buf k = SQ_BUF_INIT;
		unsigned char h[32];
		char hex[65];
		if (sq_tls_cache_key(cfg, &k) != SQ_OK || !EVP_Digest(k.data, k.len, h, NULL, EVP_sha256(), NULL)) {
			sq_buf_free(&k);
			return sq_error_set(err, SQ_ENOMEM, "out of memory");
		}
		sq_buf_free(&k);
		sq_hex_encode(hex, h, sizeof(h));
		hex[64] = '\0';
		snprintf(c->session_key, sizeof(c->session_key), "%s|%u|%s|%d%d%d%d|%d|%s|%s", c->host, c->port, name,
			cfg->verify_peer, cfg->verify_peer_name, cfg->allow_self_signed, cfg->report_only, cfg->verify_depth,
			cfg->fingerprint_hex ? cfg->fingerprint_hex : "", hex);
		sess = sq_tls_cache_session(c->session_key);
		if (sess) {
			SSL_set_session(c->ssl, sess);
			SSL_SESSION_free(sess);
		}
	}
	for (;;) {
		ERR_clear_error();
		errno = 0;
		ret = SSL_connect(c->ssl);
		if (ret == 1) {
			break;
		}
		e = SSL_get_error(c->ssl, ret);
		if (e == SSL_ERROR_WANT_READ) {
			rc = sq_conn_wait_fd(c, POLLIN, c->timeout_ms, "TLS handshake with", err);
		} else if (e == SSL_ERROR_WANT_WRITE) {
			rc = sq_conn_wait_fd(c, POLLOUT, c->timeout_ms, "TLS handshake with", err);
		} else {
			return sq_conn_tls_error(c, ret, "handshake", err);
		}
		if (rc != SQ_OK) {
			return rc;
		}
	}
	/* The handshake's round trips, by protocol rather than by how many reads
	 * happened to wait: TLS 1.3 and resumed sessions take one, a full TLS 1.2
	 * handshake two (a HelloRetryRequest, which OpenSSL's key shares avoid
	 * with current servers, would add one). After TLS 1.3 the server's next
	 * words wait for the client's Finished; after TLS 1.2 they can follow the
	 * server's own Finished at once. */
	c->round_trips += (SSL_version(c->ssl) == TLS1_3_VERSION || SSL_session_reused(c->ssl)) ? 1 : 2;
	c->turn = SSL_version(c->ssl) == TLS1_3_VERSION;
	if (cfg->verify_peer && !cfg->report_only) {
		long vr = SSL_get_verify_result(c->ssl);
		if (!SSL_get0_peer_certificate(c->ssl)) {
			return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: the server sent no certificate", c->host, c->port);
		}
		if (vr != X509_V_OK && !(c->self_signed_accepted && c->verify_error == X509_V_OK)) {
			return sq_error_set(err, SQ_ETLS, "TLS with %s:%u failed: certificate verify failed: %s", c->host, c->port,
				X509_verify_cert_error_string(vr));
		}
	}
	if (cfg->verify_peer_name && !cfg->verify_peer && !cfg->report_only && (rc = check_name(c, name, err)) != SQ_OK) {
		return rc;
	}
	if (cfg->fingerprint_alg && cfg->fingerprint_hex && (rc = check_fingerprint(c, cfg, err)) != SQ_OK) {
		return rc;
	}
	c->timings.tls += sq_conn_clock_s() - t0;
	return SQ_OK;
}

int sq_conn_tls_verified(const sq_conn *c)
{
	return c->ssl && c->verify_error == X509_V_OK && !c->self_signed_accepted && SSL_get0_peer_certificate(c->ssl) != NULL;
}

const char *sq_conn_tls_verify_error(const sq_conn *c)
{
	if (!c->ssl) {
		return NULL;
	}
	if (c->verify_error != X509_V_OK) {
		return X509_verify_cert_error_string(c->verify_error);
	}
	if (c->self_signed_accepted) {
		return "self-signed certificate (accepted by allow_self_signed)";
	}
	return SSL_get0_peer_certificate(c->ssl) ? NULL : "no certificate";
}
