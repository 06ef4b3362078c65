/*
 * sqauth core, facts about an established TLS connection: version,
 * cipher, resumption, a summary of the peer certificate, and channel-binding
 * data (tls-exporter, tls-unique, tls-server-end-point).
 */
#include "conn_private.h"

#include <string.h>
#include <time.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

const char *sq_conn_tls_version(const sq_conn *c) { return c->ssl ? SSL_get_version(c->ssl) : NULL; }
const char *sq_conn_tls_cipher(const sq_conn *c) { return c->ssl ? SSL_get_cipher_name(c->ssl) : NULL; }
int sq_conn_tls_resumed(const sq_conn *c) { return c->ssl ? SSL_session_reused(c->ssl) : 0; }

void sq_conn_tls_alpn(const sq_conn *c, const unsigned char **p, unsigned *len)
{
	*p = NULL;
	*len = 0;
	if (c->ssl) {
		SSL_get0_alpn_selected(c->ssl, p, len);
	}
}

int sq_conn_peer_chain_len(const sq_conn *c)
{
	STACK_OF(X509) *chain = c->ssl ? SSL_get_peer_cert_chain(c->ssl) : NULL;

	return chain ? sk_X509_num(chain) : 0;
}

sq_rc sq_conn_peer_cert_pem(const sq_conn *c, int chain_index, sq_buf *out)
{
	X509 *cert;
	BIO *b;
	char *p;
	long len;
	sq_rc rc;

	if (!c->ssl) {
		return SQ_EINVAL;
	}
	if (chain_index == 0) {
		cert = SSL_get0_peer_certificate(c->ssl);
	} else {
		STACK_OF(X509) *chain = SSL_get_peer_cert_chain(c->ssl);
		cert = chain && chain_index - 1 < sk_X509_num(chain) ? sk_X509_value(chain, chain_index - 1) : NULL;
	}
	if (!cert) {
		return SQ_EINVAL;
	}
	if (!(b = BIO_new(BIO_s_mem()))) {
		return SQ_ENOMEM;
	}
	if (!PEM_write_bio_X509(b, cert)) {
		BIO_free(b);
		return SQ_ENOMEM;
	}
	len = BIO_get_mem_data(b, &p);
	rc = sq_buf_append(out, p, len > 0 ? (size_t)len : 0);
	BIO_free(b);
	return rc;
}

static sq_rc append_name(sq_buf *out, X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long len;
	sq_rc rc;

	if (!b) {
		return SQ_ENOMEM;
	}
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_get_mem_data(b, &p);
	rc = sq_buf_append(out, p, len > 0 ? (size_t)len : 0);
	BIO_free(b);
	return rc;
}

int sq_conn_peer_cert(const sq_conn *c, sq_buf *subject, sq_buf *issuer, sq_buf *fp, sq_buf *not_after)
{
	X509 *cert = c->ssl ? SSL_get0_peer_certificate(c->ssl) : NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	struct tm tm;
	char t[32];

	if (!cert) {
		return 0;
	}
	append_name(subject, X509_get_subject_name(cert));
	append_name(issuer, X509_get_issuer_name(cert));
	if (X509_digest(cert, EVP_sha256(), md, &n)) {
		for (i = 0; i < n; i++) {
			if (i) {
				sq_buf_append_byte(fp, ':');
			}
			sq_buf_append_hex(fp, md + i, 1);
		}
	}
	if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm)) {
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
		sq_buf_append_str(not_after, t);
	}
	return 1;
}

const char *sq_conn_cb_type(const sq_conn *c)
{
	if (!c->ssl) {
		return NULL;
	}
	switch (SSL_version(c->ssl)) {
	case TLS1_3_VERSION:
		return "tls-exporter";
	case TLS1_2_VERSION:
		return "tls-unique";
	}
	return NULL;
}

sq_rc sq_conn_cb_data(const sq_conn *c, const char *type, sq_buf *out, sq_error *err)
{
	unsigned char buf[EVP_MAX_MD_SIZE > 64 ? EVP_MAX_MD_SIZE : 64];
	size_t n;

	if (!c->ssl) {
		return sq_error_set(err, SQ_ESECURITY, "channel binding needs TLS");
	}
	if (strcmp(type, "tls-exporter") == 0) {
		/* RFC 9266: 32 bytes, label EXPORTER-Channel-Binding, no context */
		if (SSL_version(c->ssl) != TLS1_3_VERSION
			|| SSL_export_keying_material(c->ssl, buf, 32, "EXPORTER-Channel-Binding", 24, NULL, 0, 0) != 1) {
			return sq_error_set(err, SQ_ESECURITY, "tls-exporter channel binding is only defined for TLS 1.3");
		}
		n = 32;
	} else if (strcmp(type, "tls-unique") == 0) {
		/* RFC 5929: the first Finished message of the handshake */
		if (SSL_version(c->ssl) == TLS1_3_VERSION) {
			return sq_error_set(err, SQ_ESECURITY, "tls-unique channel binding is not defined for TLS 1.3");
		}
		n = SSL_session_reused(c->ssl) ? SSL_get_peer_finished(c->ssl, buf, sizeof(buf))
			: SSL_get_finished(c->ssl, buf, sizeof(buf));
	} else if (strcmp(type, "tls-server-end-point") == 0) {
		X509 *cert = SSL_get0_peer_certificate(c->ssl);
		int nid = 0;
		const EVP_MD *md;
		unsigned int mlen = 0;
		if (!cert) {
			return sq_error_set(err, SQ_ESECURITY, "no server certificate for tls-server-end-point");
		}
		/* RFC 5929 4.1: the certificate's signature hash, MD5 and SHA-1 upgraded to SHA-256 */
		if (!OBJ_find_sigid_algs(X509_get_signature_nid(cert), &nid, NULL) || nid == NID_md5 || nid == NID_sha1
			|| !(md = EVP_get_digestbynid(nid))) {
			md = EVP_sha256();
		}
		if (!X509_digest(cert, md, buf, &mlen)) {
			return sq_error_set(err, SQ_ECRYPTO, "cannot hash the server certificate");
		}
		n = mlen;
	} else {
		return sq_error_set(err, SQ_EINVAL, "unknown channel-binding type");
	}
	return sq_buf_append(out, buf, n) == SQ_OK ? SQ_OK : sq_error_set(err, SQ_ENOMEM, "out of memory");
}
