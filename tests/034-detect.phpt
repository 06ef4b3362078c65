--TEST--
sqauth_detect(): what each Dovecot port offers before and after TLS, the certificate reported (not thrown), no authentication
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_DOVECOT_SUBMISSIONS',
    'SQAUTH_DOVECOT_POP3', 'SQAUTH_DOVECOT_POP3S', 'SQAUTH_STUNNEL_SELFSIGNED', 'SQAUTH_STUNNEL_IMAPS', 'SQAUTH_CYRUS_IMAP', 'SQAUTH_CYRUS_IMAPS');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
function show(array $d): void {
    echo $d['protocol'], ' tls=', $d['tls'], ' starttls=', var_export($d['starttls'], true),
        ' greeting=', substr($d['greeting'], 0, 4),
        "\n  before TLS: ", implode(' ', $d['mechanisms_before_tls']) ?: '-',
        "\n  mechanisms: ", implode(' ', $d['mechanisms']),
        "\n  capabilities: ", count($d['capabilities']),
        "\n  certificate: ", $d['certificate'] === null ? 'none'
            : $d['certificate']['subject'] . ' verified=' . var_export($d['certificate']['verified'], true)
              . ' error=' . var_export($d['certificate']['verify_error'], true)
              . ' not_after=' . (preg_match('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $d['certificate']['not_after']) ? 'ok' : '?'),
        "\n";
}
show(sqauth_detect('imap', 'localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAP'), sqauth_test_ssl()));
show(sqauth_detect('imap', 'localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), ['tls' => 'implicit'] + sqauth_test_ssl()));
show(sqauth_detect('smtp', 'localhost', sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION'), sqauth_test_ssl()));
show(sqauth_detect('pop3', 'localhost', sqauth_test_port('SQAUTH_DOVECOT_POP3S'), ['tls' => 'implicit']));
// every other port, briefly
foreach ([['imap', 'SQAUTH_CYRUS_IMAP', []], ['imap', 'SQAUTH_CYRUS_IMAPS', ['tls' => 'implicit']],
          ['smtp', 'SQAUTH_DOVECOT_SUBMISSIONS', ['tls' => 'implicit']], ['pop3', 'SQAUTH_DOVECOT_POP3', []],
          ['imap', 'SQAUTH_STUNNEL_IMAPS', ['tls' => 'implicit']]] as [$proto, $var, $o]) {
    $d = sqauth_detect($proto, 'localhost', sqauth_test_port($var), $o + sqauth_test_ssl());
    echo "$var: $proto tls=", $d['tls'], ' starttls=', var_export($d['starttls'], true), ' verified=',
        var_export($d['certificate']['verified'], true), ' mechanisms=', implode(' ', $d['mechanisms']), "\n";
}
// an untrusted certificate is reported, not thrown
show(sqauth_detect('imap', 'localhost', sqauth_test_port('SQAUTH_STUNNEL_SELFSIGNED'), ['tls' => 'implicit']));
// 'none': stays in plaintext only if STARTTLS is not offered
show(sqauth_detect('imap', '127.0.0.1', sqauth_test_port('SQAUTH_DOVECOT_IMAP'), ['tls' => 'none'] + sqauth_test_ssl()));
// detect takes only connection options
try {
    sqauth_detect('imap', 'localhost', 143, ['mechanism' => 'plain']);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
try {
    sqauth_detect('nntp', 'localhost', 119);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
imap tls=starttls starttls=true greeting=* OK
  before TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  mechanisms: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  capabilities: 15
  certificate: CN=localhost verified=true error=NULL not_after=ok
imap tls=implicit starttls=false greeting=* OK
  before TLS: -
  mechanisms: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  capabilities: 15
  certificate: CN=localhost verified=true error=NULL not_after=ok
smtp tls=starttls starttls=true greeting=mail
  before TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  mechanisms: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  capabilities: 7
  certificate: CN=localhost verified=true error=NULL not_after=ok
pop3 tls=implicit starttls=false greeting=Dove
  before TLS: -
  mechanisms: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  capabilities: 8
  certificate: CN=localhost verified=false error='unable to get local issuer certificate' not_after=ok
SQAUTH_CYRUS_IMAP: imap tls=starttls starttls=true verified=true mechanisms=PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1-PLUS SCRAM-SHA-1 SCRAM-SHA-256-PLUS SCRAM-SHA-256
SQAUTH_CYRUS_IMAPS: imap tls=implicit starttls=false verified=true mechanisms=PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1-PLUS SCRAM-SHA-1 SCRAM-SHA-256-PLUS SCRAM-SHA-256
SQAUTH_DOVECOT_SUBMISSIONS: smtp tls=implicit starttls=false verified=true mechanisms=PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
SQAUTH_DOVECOT_POP3: pop3 tls=starttls starttls=true verified=true mechanisms=PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
SQAUTH_STUNNEL_IMAPS: imap tls=implicit starttls=false verified=true mechanisms=PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
imap tls=implicit starttls=false greeting=* OK
  before TLS: -
  mechanisms: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  capabilities: 16
  certificate: CN=localhost verified=false error='self-signed certificate' not_after=ok
imap tls=starttls starttls=true greeting=* OK
  before TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  mechanisms: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
  capabilities: 15
  certificate: CN=localhost verified=true error=NULL not_after=ok
sqauth_detect(): Argument #4 ($options) has an unknown key "mechanism"
sqauth_detect(): Argument #1 ($protocol) must be 'imap', 'smtp' or 'pop3'
