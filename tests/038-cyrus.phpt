--TEST--
IMAP against Cyrus IMAP 3.6 (the independent second server): every mechanism, SCRAM-*-PLUS channel binding over TLS, 'auto' never locking a user out
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_CYRUS_IMAP', 'SQAUTH_CYRUS_IMAPS');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$imap = sqauth_test_port('SQAUTH_CYRUS_IMAP');
$imaps = sqauth_test_port('SQAUTH_CYRUS_IMAPS');
$tls12 = ['ssl' => ['cafile' => getenv('SQAUTH_TEST_CA'), 'max_version' => '1.2']];
$modes = [
    'none' => [$imap, ['tls' => 'none']],
    'starttls/1.3' => [$imap, ['tls' => 'starttls'] + sqauth_test_ssl()],
    'starttls/1.2' => [$imap, ['tls' => 'starttls'] + $tls12],
    'implicit/1.3' => [$imaps, ['tls' => 'implicit'] + sqauth_test_ssl()],
    'implicit/1.2' => [$imaps, ['tls' => 'implicit'] + $tls12],
];
foreach (['auto', 'login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256', 'scram-sha-1-plus', 'scram-sha-256-plus'] as $m) {
    $row = [];
    foreach ($modes as $label => [$port, $opt]) {
        try {
            $s = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['mechanism' => $m] + $opt);
            $i = sqauth_stream_info($s);
            $r = sqauth_test_imap($s, 'N', 'NOOP');
            $cell = $i['mechanism'] . ($i['server_verified'] ? '+v' : '') . (str_starts_with(end($r), 'N OK') ? '' : ' NOOP?');
            fclose($s);
        } catch (Sqauth\Exception $e) {
            $cell = substr(strrchr(get_class($e), '\\'), 1);
        }
        $row[] = "$label=$cell";
    }
    echo str_pad($m, 19), implode(' ', $row), "\n";
}
// a wrong password, refused with every mechanism
foreach (['login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256', 'scram-sha-1-plus', 'scram-sha-256-plus'] as $m) {
    try {
        sqauth_imap_login('localhost', $imap, 'tim', 'wrong', ['mechanism' => $m] + $tls12);
        echo "$m wrong password: ACCEPTED\n";
    } catch (Sqauth\AuthenticationException $e) {
        echo "$m wrong password: refused", $e->getResponseCode() ? ' [' . $e->getResponseCode() . ']' : '', "\n";
    }
}
$d = sqauth_detect('imap', 'localhost', $imap, sqauth_test_ssl());
echo 'before TLS: ', implode(' ', $d['mechanisms_before_tls']), "\nafter TLS: ", implode(' ', $d['mechanisms']), "\n";
?>
--EXPECT--
auto               none=SCRAM-SHA-256+v starttls/1.3=SCRAM-SHA-256+v starttls/1.2=SCRAM-SHA-256-PLUS+v implicit/1.3=SCRAM-SHA-256+v implicit/1.2=SCRAM-SHA-256-PLUS+v
login              none=LOGIN-COMMAND starttls/1.3=LOGIN-COMMAND starttls/1.2=LOGIN-COMMAND implicit/1.3=LOGIN-COMMAND implicit/1.2=LOGIN-COMMAND
plain              none=PLAIN starttls/1.3=PLAIN starttls/1.2=PLAIN implicit/1.3=PLAIN implicit/1.2=PLAIN
cram-md5           none=CRAM-MD5 starttls/1.3=CRAM-MD5 starttls/1.2=CRAM-MD5 implicit/1.3=CRAM-MD5 implicit/1.2=CRAM-MD5
digest-md5         none=DIGEST-MD5+v starttls/1.3=DIGEST-MD5+v starttls/1.2=DIGEST-MD5+v implicit/1.3=DIGEST-MD5+v implicit/1.2=DIGEST-MD5+v
scram-sha-1        none=SCRAM-SHA-1+v starttls/1.3=SCRAM-SHA-1+v starttls/1.2=SCRAM-SHA-1+v implicit/1.3=SCRAM-SHA-1+v implicit/1.2=SCRAM-SHA-1+v
scram-sha-256      none=SCRAM-SHA-256+v starttls/1.3=SCRAM-SHA-256+v starttls/1.2=SCRAM-SHA-256+v implicit/1.3=SCRAM-SHA-256+v implicit/1.2=SCRAM-SHA-256+v
scram-sha-1-plus   none=ProtocolException starttls/1.3=AuthenticationException starttls/1.2=SCRAM-SHA-1-PLUS+v implicit/1.3=AuthenticationException implicit/1.2=SCRAM-SHA-1-PLUS+v
scram-sha-256-plus none=ProtocolException starttls/1.3=AuthenticationException starttls/1.2=SCRAM-SHA-256-PLUS+v implicit/1.3=AuthenticationException implicit/1.2=SCRAM-SHA-256-PLUS+v
login wrong password: refused
plain wrong password: refused
cram-md5 wrong password: refused
digest-md5 wrong password: refused
scram-sha-1 wrong password: refused
scram-sha-256 wrong password: refused
scram-sha-1-plus wrong password: refused
scram-sha-256-plus wrong password: refused
before TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256
after TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1-PLUS SCRAM-SHA-1 SCRAM-SHA-256-PLUS SCRAM-SHA-256
