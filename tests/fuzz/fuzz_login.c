/* libFuzzer: the IMAP, SMTP and POP3 login dialogues (greeting, capability
 * and EHLO/CAPA parsing, STARTTLS replies, every mechanism's challenges,
 * tagged and status replies, literals, refusal codes) against a fuzzed
 * server byte stream, over an in-memory connection. The first input byte
 * picks the protocol and the login method; the rest is what the server says. */
#include <stdint.h>
#include <string.h>

#include "../../src/proto/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int imap_methods[] = {SQ_METHOD_AUTO, SQ_METHOD_IMAP_LOGIN, SQ_MECH_PLAIN, SQ_MECH_LOGIN,
		SQ_MECH_CRAM_MD5, SQ_MECH_DIGEST_MD5, SQ_MECH_SCRAM_SHA_1, SQ_MECH_SCRAM_SHA_256};
	static const int pop3_methods[] = {SQ_METHOD_AUTO, SQ_METHOD_POP3_USER, SQ_METHOD_POP3_APOP, SQ_MECH_PLAIN,
		SQ_MECH_CRAM_MD5, SQ_MECH_DIGEST_MD5, SQ_MECH_SCRAM_SHA_256, SQ_MECH_XOAUTH2};
	static const int smtp_methods[] = {SQ_METHOD_AUTO, SQ_METHOD_NONE, SQ_MECH_PLAIN, SQ_MECH_LOGIN,
		SQ_MECH_CRAM_MD5, SQ_MECH_DIGEST_MD5, SQ_MECH_SCRAM_SHA_1, SQ_MECH_OAUTHBEARER};
	sq_login_params p;
	sq_session s;
	sq_conn *c;
	sq_error err;
	unsigned sel;

	if (size < 1) {
		return 0;
	}
	sel = data[0];
	memset(&p, 0, sizeof(p));
	p.proto = (sq_proto)(sel % 3);
	p.method = p.proto == SQ_PROTO_IMAP ? imap_methods[(sel / 3) % 8]
		: p.proto == SQ_PROTO_POP3 ? pop3_methods[(sel / 3) % 8] : smtp_methods[(sel / 3) % 8];
	p.tls = SQ_TLS_NONE;
	p.detect_only = (sel & 0x80) && (sel & 0x40);
	p.challenge_mech = p.detect_only && (sel & 0x20) ? SQ_MECH_DIGEST_MD5 : -1;
	p.host = "memory";
	p.port = 143;
	p.username = (sq_bytes){(const unsigned char *)"tim", 3};
	p.password = (sq_bytes){(const unsigned char *)"tanstaaf", 8};
	p.helo = "fuzz.example";
	p.timeout_ms = 1000;
	p.login_timeout_ms = 2000;
	p.qop_pref[0] = (sel & 0x40) ? SQ_QOP_AUTH_INT : SQ_QOP_AUTH;
	sq_tls_config_init(&p.tls_cfg);
	if (sq_conn_open_memory(&c, data + 1, size - 1, &err) != SQ_OK) {
		return 0;
	}
	p.conn = c;
	sq_login(&p, &s, &err);
	sq_session_free(&s);
	return 0;
}
