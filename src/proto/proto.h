/*
 * sqauth core: the IMAP, SMTP and POP3 login dialogues over an sq_conn,
 * driving the SASL step machines. No PHP header.
 */
#ifndef SQ_PROTO_H
#define SQ_PROTO_H

#include "../net/conn.h"
#include "../sasl/sasl.h"
#include "../util/buf.h"

typedef enum { SQ_PROTO_IMAP = 0, SQ_PROTO_SMTP, SQ_PROTO_POP3 } sq_proto;
typedef enum { SQ_TLS_NONE = 0, SQ_TLS_IMPLICIT, SQ_TLS_STARTTLS } sq_tls_mode;

/* Login methods: a sq_mech_id (>= 0) for SASL, or one of these. */
#define SQ_METHOD_AUTO        (-1)
#define SQ_METHOD_IMAP_LOGIN  (-2)  /* the IMAP LOGIN command */
#define SQ_METHOD_POP3_USER   (-3)  /* USER / PASS */
#define SQ_METHOD_POP3_APOP   (-4)
#define SQ_METHOD_NONE        (-5)  /* SMTP: connect, EHLO, STARTTLS, no AUTH */

/* A list of strings (capabilities, mechanisms). */
typedef struct {
	char **items;
	size_t n, cap;
} sq_strlist;

void sq_strlist_free(sq_strlist *l);
int sq_strlist_has(const sq_strlist *l, const char *s); /* case-insensitive */

/* What the caller wrote on a logged-in connection (wtrack.c), so that the pool
 * knows whether it is at rest: between two commands (no half line, no IMAP
 * literal or SMTP BDAT chunk unfinished, no DATA body open, no IDLE), nothing
 * done that a new login would not have done (ENABLE, COMPRESS, STARTTLS, a
 * second AUTH / LOGIN), and for IMAP whether a mailbox is selected. */
typedef struct {
	sq_proto proto;
	int state;                    /* a line, raw bytes (literal, chunk), a DATA body */
	unsigned long long raw_left;  /* bytes of the literal or chunk still to come */
	int line_start;               /* the next line begins a command */
	int in_line;                  /* part of a line was written */
	int dot;                      /* DATA: how much of the closing CRLF "." CRLF was seen */
	int selected, idle, changed, broken;
	size_t head_len, tail_len;
	char head[64];                /* the line's first bytes (tag, command, size) */
	char tail[32];                /* its last bytes (a literal's {n}) */
} sq_wtrack;

void sq_wtrack_init(sq_wtrack *w, sq_proto proto);
void sq_wtrack_feed(sq_wtrack *w, const unsigned char *p, size_t n);
int sq_wtrack_at_rest(const sq_wtrack *w);

typedef struct {
	sq_proto proto;
	const char *host;
	unsigned port;
	sq_bytes username, password, authz, realm;
	unsigned char qop_pref[SQ_PREF_MAX], cipher_pref[SQ_PREF_MAX];
	unsigned long maxbuf;
	int method;
	sq_tls_mode tls;
	const char *helo;         /* SMTP EHLO name */
	long timeout_ms;          /* each single wait */
	long greeting_timeout_ms; /* the wait for a plaintext greeting, if shorter (detect's probe); 0: timeout_ms */
	long login_timeout_ms;    /* the whole login */
	int allow_plaintext;
	int no_pipelining;        /* IMAP: STARTTLS and CAPABILITY wait their turn */
	int detect_only;          /* sqauth_detect(): no authentication */
	int challenge_mech;       /* detect: start this mechanism, keep its first challenge, cancel; -1 none */
	sq_conn *conn;            /* an already open connection to use (fuzzing); NULL: connect */
	sq_tls_config tls_cfg;
} sq_login_params;

typedef struct {
	sq_proto proto;
	sq_conn *conn;
	sq_sasl *sasl;            /* kept after login for a security layer */
	char mechanism[32];       /* IANA name, "LOGIN-COMMAND", "USER", "APOP", "" */
	int server_verified;
	int starttls_offered;
	int starttls_before;      /* STARTTLS was offered on the plaintext connection */
	int tls_mode;             /* the sq_tls_mode used */
	sq_buf greeting;
	sq_strlist caps_before, mechs_before; /* before STARTTLS (empty for implicit TLS) */
	sq_strlist caps, mechs;   /* over TLS when TLS is up; after login for IMAP */
	char apop_stamp[256];
	const sq_login_params *login_params; /* during sq_login() only */
	unsigned tag;             /* IMAP tag counter */
	char pending_tag[16];     /* IMAP: the AUTHENTICATE / LOGIN in progress */
	char starttls_tag[16];    /* IMAP: STARTTLS sent with the connection, answer not read yet */
	char caps_tag[16];        /* IMAP: CAPABILITY sent over TLS with the login command, answer not read yet */
	unsigned caps_gen, caps_gen_at_auth; /* IMAP: capability updates seen */
	char rest_tag[16];        /* IMAP: the tag of the pooling NOOP in flight */
	int rest_pending;         /* a pooling NOOP / RSET was sent and its answer not read yet */
	int rest_unselect;        /* IMAP: that command is an UNSELECT (its answer may carry the mailbox's news) */
	sq_wtrack wt;             /* what the caller wrote since the login (sq_login starts it) */
	sq_buf challenge;         /* detect's captured first challenge (decoded) */
	int challenge_seen;
	int greeting_timed_out;   /* no greeting came on a plaintext connection (perhaps TLS at once) */
	/* the server's refusal, for AuthenticationException */
	char server_message[256];
	char response_code[64];
	/* XOAUTH2 / OAUTHBEARER: the error report (JSON, sanitised) the server sent
	 * before refusing a token, "" if none */
	char error_report[SQ_ERRMSG_MAX];
} sq_session;

/* Logs in (or, with detect_only, only reads what the server offers).
 * On SQ_EAUTH, s->server_message, s->response_code and s->error_report say why. The session
 * must be freed with sq_session_free() whatever the result. */
sq_rc sq_login(const sq_login_params *p, sq_session *s, sq_error *err);
/* Politely ends a detect session (LOGOUT / QUIT). */
void sq_session_quit(sq_session *s);
void sq_session_free(sq_session *s);
/* Frees without a byte on the wire (see sq_conn_abandon). */
void sq_session_abandon(sq_session *s);

/* Reuse of a logged-in connection (the persistent pool).
 * sq_session_park: the caller is done. Nothing may be buffered or arriving,
 * and what the caller wrote (s->wt) must have ended between two commands;
 * then the command that proves the connection at rest is sent (IMAP a tagged
 * NOOP, or UNSELECT where a mailbox is selected and the server has it; SMTP
 * RSET) and its answer left to arrive while the connection waits in the pool,
 * without waiting. SQ_ESTATE when something was pending or half written, or a
 * mailbox is selected on a server without UNSELECT: nothing was sent then.
 * sq_session_check: before the connection is handed out again. The answer of
 * the park must be there and be the only one (IMAP: OK to our NOOP with no
 * untagged data before it, any answer to our UNSELECT; SMTP: 250): a half-read response, a command in
 * flight, IDLE or half a command sent make it something else. Then nothing
 * else may have arrived (EOF, an unsolicited BYE, data); with round_trip, a
 * NOOP round trip too. Waits at most wait_ms (or the connection's own timeout
 * if shorter). */
sq_rc sq_session_park(sq_session *s, sq_error *err);
sq_rc sq_session_check(sq_session *s, int round_trip, long wait_ms, sq_error *err);

/* Internal to src/proto: one protocol's adapter. */
typedef enum { SQ_AUTH_CHALLENGE, SQ_AUTH_SUCCESS, SQ_AUTH_FAILURE } sq_auth_kind;

typedef struct {
	const char *name;
	const char *sasl_service;   /* DIGEST-MD5 digest-uri service */
	sq_rc (*greeting)(sq_session *s, sq_tls_mode mode, sq_error *err);
	/* Fills s->caps / s->mechs (and STARTTLS availability). */
	sq_rc (*capabilities)(sq_session *s, const sq_login_params *p, sq_error *err);
	sq_rc (*starttls)(sq_session *s, sq_error *err);
	/* Optional (IMAP): after STARTTLS, send the capability request without
	 * waiting, so that it travels with the login command; caps_finish reads
	 * its answer once the login command is out. */
	sq_rc (*caps_send)(sq_session *s, sq_error *err);
	sq_rc (*caps_finish)(sq_session *s, sq_error *err);
	/* Starts AUTH; *ir_sent = 1 when the initial response went with the
	 * command (SASL-IR, SMTP/POP3 initial response), else the caller sends
	 * it at the first (empty) challenge. */
	sq_rc (*auth_begin)(sq_session *s, const char *mech, const sq_buf *ir_b64, int has_ir, int *ir_sent, sq_error *err);
	/* Next server step: a challenge (base64 text in data), success (any
	 * additional data in data), or failure (s->server_message set). */
	sq_rc (*auth_next)(sq_session *s, sq_auth_kind *kind, sq_buf *data, sq_error *err);
	sq_rc (*auth_send)(sq_session *s, const sq_buf *resp_b64, sq_error *err);
	sq_rc (*auth_cancel)(sq_session *s, sq_error *err);
	/* Non-SASL logins (IMAP LOGIN, POP3 USER/APOP). */
	sq_rc (*plain_login)(sq_session *s, const sq_login_params *p, int method, sq_error *err);
	/* After success (IMAP: capabilities again if the OK did not carry them). */
	sq_rc (*after_login)(sq_session *s, sq_error *err);
	void (*quit)(sq_session *s);
	/* Pooling: one command that must be answered alone: with reset, the one
	 * that brings the session back to rest (SMTP RSET), else a NOOP. Sent
	 * (read = 0), or its answer read and checked (read = 1). NULL: the
	 * protocol is never pooled (POP3). */
	sq_rc (*rest)(sq_session *s, int reset, int read, sq_error *err);
} sq_proto_ops;

extern const sq_proto_ops sq_imap_ops, sq_smtp_ops, sq_pop3_ops;

/* Helpers shared by the adapters. */
sq_rc sq_strlist_add(sq_strlist *l, const char *s, size_t n);
void sq_strlist_clear(sq_strlist *l);
sq_rc sq_send_line(sq_session *s, const char *a, const char *b, const char *c, sq_error *err);
/* Sends prefix MECH, with " " and the base64 initial response ("=" when it is
 * empty) when has_ir and the whole line stays within max_line octets;
 * *ir_sent says whether it went. IMAP (SASL-IR), SMTP and POP3 share it. */
sq_rc sq_send_auth_command(sq_session *s, const char *prefix, const char *mech, const sq_buf *ir, int has_ir,
	size_t max_line, int *ir_sent, sq_error *err);
void sq_set_refusal(sq_session *s, const char *text, size_t len, const char *code, size_t clen);
/* Adds a mechanism name (upper-cased) to s->mechs if it is not there. */
sq_rc sq_add_mech(sq_session *s, const char *m, size_t n);
/* Adds every name of a space-separated list ("PLAIN LOGIN ..."). */
sq_rc sq_add_mech_list(sq_session *s, const char *p, size_t n);
/* Records a refusal "[CODE ...] text" (IMAP RFC 5530, POP3 RFC 2449) or plain
 * text: the code is the first word inside the brackets. */
void sq_set_refusal_text(sq_session *s, const char *t, size_t n);

#endif
