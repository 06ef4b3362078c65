--TEST--
bin/sqauth-detect: a table, --json, --challenge (the capture the seed document asks for by hand), implicit TLS found without --tls, exit codes
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_TEST_EXTENSION');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
function cli(string ...$args): array {
    // the same sqauth build as this test (tests/run-all exports its path)
    $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('SQAUTH_TEST_EXTENSION'), dirname(__DIR__) . '/bin/sqauth-detect', ...$args];
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    return [proc_close($p), preg_replace('/\b\d{4,5}\b/', 'PORT', $out), $out];
}
$ca = getenv('SQAUTH_TEST_CA');
$imap = (string) sqauth_test_port('SQAUTH_DOVECOT_IMAP');
$imaps = (string) sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$sub = (string) sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION');

[$rc, $out] = cli('--cafile', $ca, '--protocol', 'imap', 'localhost', $imap, $imaps);
echo "exit $rc\n", $out;
[$rc, $out] = cli('--cafile', $ca, '--protocol', 'smtp', '--challenge', 'DIGEST-MD5', 'localhost', $sub);
echo "exit $rc\n", preg_replace('/nonce="[^"]+"/', 'nonce="..."', $out);
[$rc, $out] = cli('--protocol', 'imap', 'localhost', $imaps);
echo "exit $rc (untrusted certificate)\n";
[$rc, , $raw] = cli('--json', '--cafile', $ca, '--protocol', 'imap', 'localhost', $imaps);
$j = json_decode($raw, true);
echo "exit $rc json: ", $j[0]['tls'], ' ', $j[0]['certificate']['verified'] ? 'verified' : 'not verified', ' ', implode(',', $j[0]['mechanisms']), "\n";
[$rc, $out] = cli('--timeout', '1', '--protocol', 'smtp', 'localhost', '1');
echo "exit $rc (nothing answered)\n";
[$rc, $out] = cli('localhost', '12345');
echo "exit $rc: ", trim($out), "\n";
?>
--EXPECT--
exit 0
PORT   PROTO TLS       CERTIFICATE                              MECHANISMS (before TLS -> over TLS)
PORT  imap  starttls  CN=localhost, verified                   PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER -> PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
PORT  imap  implicit  CN=localhost, verified                   PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
exit 0
PORT   PROTO TLS       CERTIFICATE                              MECHANISMS (before TLS -> over TLS)
PORT  smtp  starttls  CN=localhost, verified                   PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER -> PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
       DIGEST-MD5 challenge: realm="example.org",realm="sqauth.test",nonce="...",qop="auth",charset="utf-8",algorithm="md5-sess"
exit 1 (untrusted certificate)
exit 0 json: implicit verified PLAIN,LOGIN,CRAM-MD5,DIGEST-MD5,SCRAM-SHA-1,SCRAM-SHA-256,XOAUTH2,OAUTHBEARER
exit 3 (nothing answered)
exit 2: port PORT: say which protocol with --protocol
