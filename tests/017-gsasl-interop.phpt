--TEST--
Interoperability: every mechanism against GNU SASL's server (gsasl --server), right and wrong passwords
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/gsasl.inc';
sqauth_test_gsasl_skipif('SCRAM-SHA-256');
?>
--FILE--
<?php
require __DIR__ . '/helpers/gsasl.inc';
$digestServer = ['--realm=example.org', '--service=imap', '--hostname=mail.example.org'];
$cases = [
    ['PLAIN', ['username' => 'tim', 'password' => 'tanstaaf'], []],
    ['PLAIN', ['username' => 'tim', 'password' => 'tanstaaf', 'authz' => 'tim'], []],
    ['LOGIN', ['username' => 'tim', 'password' => 'tanstaaf'], []],
    ['CRAM-MD5', ['username' => 'tim', 'password' => 'tanstaaf'], []],
    ['DIGEST-MD5', ['username' => 'tim', 'password' => 'tanstaaf', 'service' => 'imap', 'host' => 'mail.example.org'], $digestServer],
    ['DIGEST-MD5', ['username' => 'tim', 'password' => 'tanstaaf', 'service' => 'imap', 'host' => 'mail.example.org', 'authz' => 'tim'], $digestServer],
    ['SCRAM-SHA-1', ['username' => 'tim', 'password' => 'tanstaaf'], []],
    ['SCRAM-SHA-256', ['username' => 'tim', 'password' => 'tanstaaf'], []],
    ['SCRAM-SHA-256', ['username' => 'tim', 'password' => 'tanstaaf', 'authz' => 'tim'], []],
];
foreach ($cases as [$mech, $cred, $args]) {
    foreach (['right' => 'tanstaaf', 'wrong' => 'guessed'] as $which => $serverPassword) {
        $r = sqauth_test_gsasl($mech, $cred, array_merge(["--password=$serverPassword"], $args));
        printf("%-13s %-5s authz=%-3s gsasl %s, server verified %s%s\n", $mech, $which, isset($cred['authz']) ? 'yes' : 'no',
            $r['ok'] ? 'accepted' : 'refused', $r['client'] && $r['client']->isServerVerified() ? 'yes' : 'no',
            $r['error'] ? ' (' . get_class($r['error']) . ')' : '');
    }
}
// SASLprep on both sides: U+00AD (soft hyphen) is mapped to nothing, U+00A0 to a space
$r = sqauth_test_gsasl('SCRAM-SHA-256', ['username' => 'tim', 'password' => "tan\u{AD}staaf"], ['--password=tanstaaf']);
echo 'SCRAM-SHA-256 SASLprep soft hyphen: ', $r['ok'] ? 'accepted' : 'refused', "\n";
$r = sqauth_test_gsasl('SCRAM-SHA-256', ['username' => 'tim', 'password' => "p\u{E4}ss w\u{F6}rd"], ["--password=p\u{E4}ss\u{A0}w\u{F6}rd"]);
echo 'SCRAM-SHA-256 SASLprep non-ASCII space: ', $r['ok'] ? 'accepted' : 'refused', "\n";
// gsasl's DIGEST-MD5 sends ", " between directives: parsed, and the qop it offers is checked
$r = sqauth_test_gsasl('DIGEST-MD5', ['username' => 'tim', 'password' => 'tanstaaf', 'service' => 'imap', 'host' => 'mail.example.org', 'qop' => 'auth-int'],
    array_merge(['--password=tanstaaf'], $digestServer));
echo 'DIGEST-MD5 asking auth-int of a server offering auth: ', get_class($r['error']), ': ', $r['error']->getMessage(), "\n";
?>
--EXPECT--
PLAIN         right authz=no  gsasl accepted, server verified no
PLAIN         wrong authz=no  gsasl refused, server verified no
PLAIN         right authz=yes gsasl accepted, server verified no
PLAIN         wrong authz=yes gsasl refused, server verified no
LOGIN         right authz=no  gsasl accepted, server verified no
LOGIN         wrong authz=no  gsasl refused, server verified no
CRAM-MD5      right authz=no  gsasl accepted, server verified no
CRAM-MD5      wrong authz=no  gsasl refused, server verified no
DIGEST-MD5    right authz=no  gsasl accepted, server verified yes
DIGEST-MD5    wrong authz=no  gsasl refused, server verified no
DIGEST-MD5    right authz=yes gsasl accepted, server verified yes
DIGEST-MD5    wrong authz=yes gsasl refused, server verified no
SCRAM-SHA-1   right authz=no  gsasl accepted, server verified yes
SCRAM-SHA-1   wrong authz=no  gsasl refused, server verified no
SCRAM-SHA-256 right authz=no  gsasl accepted, server verified yes
SCRAM-SHA-256 wrong authz=no  gsasl refused, server verified no
SCRAM-SHA-256 right authz=yes gsasl accepted, server verified yes
SCRAM-SHA-256 wrong authz=yes gsasl refused, server verified no
SCRAM-SHA-256 SASLprep soft hyphen: accepted
SCRAM-SHA-256 SASLprep non-ASCII space: accepted
DIGEST-MD5 asking auth-int of a server offering auth: Sqauth\ProtocolException: DIGEST-MD5: the server does not offer the requested qop (it offers auth)
