--TEST--
docs/squirrelmail.md: every PHP snippet runs against the test Dovecot with SquirrelMail's configuration variables
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_SUBMISSION');
?>
--INI--
zend.assertions=1
assert.exception=1
sqauth.smtp_sitewide_user=tim
sqauth.smtp_sitewide_pass=tanstaaf
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
if (!function_exists('_')) {
    function _(string $s): string { return $s; } // gettext, as SquirrelMail uses it
}
preg_match_all('/```php\n(.*?)```/s', file_get_contents(dirname(__DIR__) . '/docs/squirrelmail.md'), $m);
$blocks = $m[1];
echo count($blocks), " snippets\n";

// what config.php would set
$imap_server_address = 'localhost';
$imap_port = sqauth_test_port('SQAUTH_DOVECOT_IMAP');
$use_imap_tls = 2;
$imap_auth_mech = 'cram-md5';
$imap_stream_options = sqauth_test_ssl();
$smtpServerAddress = 'localhost';
$smtpPort = sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION');
$use_smtp_tls = 2;
$smtp_auth_mech = 'plain';
$smtp_stream_options = sqauth_test_ssl();
$domain = 'webmail.example.org';
$username = 'tim';
$password = 'tanstaaf';

// a raw IMAP connection (a new one each time) for the snippets that take a server's challenge
$raw = null;
$challengeFor = function (string $mech) use (&$raw, $imap_port): string {
    $raw = stream_socket_client("tcp://127.0.0.1:$imap_port", $errno, $errstr, 5);
    fgets($raw);
    fwrite($raw, "C1 AUTHENTICATE $mech\r\n");
    return substr(rtrim(fgets($raw)), 2);
};

foreach ($blocks as $i => $code) {
    if (str_contains($code, 'sqauth_cram_md5_response')) {
        $challenge = $challengeFor('CRAM-MD5');
    }
    if (str_contains($code, 'sqauth_digest_md5_response')) {
        $challenge = $challengeFor('DIGEST-MD5');
    }
    if (str_contains($code, 'sqauth_digest_md5_verify')) {
        fwrite($raw, $reply);
        $second = substr(rtrim(fgets($raw)), 2);
    }
    try {
        eval($code);
        echo "snippet $i: ok\n";
    } catch (Throwable $e) {
        echo "snippet $i: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
    if (str_contains($code, 'sqauth_digest_md5_verify')) {
        fwrite($raw, "\r\n");
        echo '  (rspauth verified; the server then said: ', substr(fgets($raw), 3, 2), ")\n";
    }
    if (str_contains($code, 'sqauth_cram_md5_response')) {
        fwrite($raw, $reply);
        echo '  the server said: ', substr(fgets($raw), 3, 2), "\n";
    }
}
echo 'IMAP login used: ', sqauth_stream_info($imap_stream)['mechanism'], ' over ', sqauth_stream_info($imap_stream)['tls']['version'], "\n";
echo 'SMTP login used: ', sqauth_stream_info($stream)['mechanism'], "\n";
?>
--EXPECT--
9 snippets
snippet 0: ok
  the server said: OK
snippet 1: ok
snippet 2: ok
  (rspauth verified; the server then said: OK)
snippet 3: ok
snippet 4: ok
snippet 5: ok
snippet 6: ok
snippet 7: ok
snippet 8: ok
IMAP login used: CRAM-MD5 over TLSv1.3
SMTP login used: PLAIN
