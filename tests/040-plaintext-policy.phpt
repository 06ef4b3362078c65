--TEST--
Cleartext credentials are never sent over an unencrypted non-loopback link unless allow_plaintext says so, a bearer token never (a test host in a network namespace)
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_NETNS', 'SQAUTH_NETNS_ADDR', 'SQAUTH_TEST_CERTDIR');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/fakeserver.inc';
$host = getenv('SQAUTH_NETNS_ADDR');
$greet = "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN] remote test host\r\n";
function attempt(string $label, array $steps, array $opt): void {
    global $host;
    [$port, $finish] = sqauth_fake_server($steps, true);
    try {
        $s = sqauth_imap_login($host, $port, 'tim', 'tanstaaf', $opt + ['timeout' => 3]);
        echo "$label: logged in with ", sqauth_stream_info($s)['mechanism'], "\n";
        fclose($s);
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ': ', str_replace($host, 'HOST', preg_replace('/:\d+/', ':PORT', $e->getMessage())), "\n";
    }
    $log = $finish();
    // what reached the server
    echo '  server saw: ', str_contains($log, 'AUTHENTICATE') || str_contains($log, 'LOGIN') ? 'credentials' : 'no credentials',
        str_contains($log, base64_encode("\0tim\0tanstaaf")) || str_contains($log, 'tanstaaf') ? ' (the password)' : '', "\n";
}
$plain = [['send', $GLOBALS['greet']], ['read_all']];
attempt('PLAIN, tls none', $plain, ['tls' => 'none', 'mechanism' => 'plain']);
attempt('IMAP LOGIN, tls none', $plain, ['tls' => 'none', 'mechanism' => 'login']);
attempt('auto, only cleartext offered, tls none', $plain, ['tls' => 'none']);
attempt('XOAUTH2 token, tls none', [['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] hi\r\n"], ['read_all']],
    ['tls' => 'none', 'mechanism' => 'xoauth2']);
// a bearer token needs TLS whatever allow_plaintext says (RFC 6750 5.3)
attempt('OAUTHBEARER token, tls none, allow_plaintext', [['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=OAUTHBEARER] hi\r\n"], ['read_all']],
    ['tls' => 'none', 'mechanism' => 'oauthbearer', 'allow_plaintext' => true]);
attempt('PLAIN, tls none, allow_plaintext', [['send', $greet], ['expect', '/^A1 AUTHENTICATE PLAIN /'],
    ['send', "A1 OK [CAPABILITY IMAP4rev1] welcome\r\n"], ['read_all']], ['tls' => 'none', 'mechanism' => 'plain', 'allow_plaintext' => true]);
// over TLS the same login is fine (the test certificate names 127.0.0.1, so the name is given)
attempt('PLAIN over STARTTLS', [['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS] hi\r\n"], ['expect', '/^A1 STARTTLS/'],
    ['send', "A1 OK go\r\n"], ['tls'], ['expect', '/^A2 CAPABILITY/'], ['expect', '/^A3 AUTHENTICATE PLAIN /'],
    ['send', "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\nA2 OK\r\nA3 OK [CAPABILITY IMAP4rev1] welcome\r\n"], ['read_all']],
    ['tls' => 'starttls', 'mechanism' => 'plain', 'ssl' => ['cafile' => getenv('SQAUTH_TEST_CA'), 'peer_name' => 'localhost']]);
?>
--EXPECT--
PLAIN, tls none: Sqauth\SecurityException: refusing to send PLAIN credentials over an unencrypted connection to HOST (use TLS, or set allow_plaintext)
  server saw: no credentials
IMAP LOGIN, tls none: Sqauth\SecurityException: refusing to send the IMAP LOGIN command credentials over an unencrypted connection to HOST (use TLS, or set allow_plaintext)
  server saw: no credentials
auto, only cleartext offered, tls none: Sqauth\SecurityException: HOST:PORT offers only cleartext logins and the connection is not encrypted (use TLS, or set allow_plaintext)
  server saw: no credentials
XOAUTH2 token, tls none: Sqauth\SecurityException: refusing to send a bearer token (XOAUTH2) over an unencrypted connection to HOST (tokens need TLS; allow_plaintext does not cover them)
  server saw: no credentials
OAUTHBEARER token, tls none, allow_plaintext: Sqauth\SecurityException: refusing to send a bearer token (OAUTHBEARER) over an unencrypted connection to HOST (tokens need TLS; allow_plaintext does not cover them)
  server saw: no credentials
PLAIN, tls none, allow_plaintext: logged in with PLAIN
  server saw: credentials (the password)
PLAIN over STARTTLS: logged in with PLAIN
  server saw: credentials (the password)
