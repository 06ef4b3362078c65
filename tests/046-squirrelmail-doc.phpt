--TEST--
docs/squirrelmail.md: the blocks for switching by hand are the switcher's own code, and every other PHP snippet runs against the test Dovecot with SquirrelMail's configuration variables
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
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
if (!function_exists('_')) {
    function _(string $s): string { return $s; } // gettext, as SquirrelMail uses it
}
$top = dirname(__DIR__);
preg_match_all('/```php\n(.*?)```/s', file_get_contents("$top/docs/squirrelmail.md"), $m);
$switch = $examples = [];
foreach ($m[1] as $code) {
    if (preg_match('~^/\* sqauth-switch ([a-z-]+): begin~', $code, $name)) {
        $switch[$name[1]] = $code;
    } else {
        $examples[] = $code;
    }
}

// section 3: what a person pastes is what bin/sqauth-squirrelmail inserts (and tests 050-052 run)
foreach (glob("$top/integrations/squirrelmail/snippets/*.inc") as $f) {
    $name = basename($f, '.inc');
    echo "$name: ", !isset($switch[$name]) ? 'not in the guide' : ($switch[$name] === file_get_contents($f) ? 'the guide shows the switcher\'s code' : 'the guide differs from the switcher'), "\n";
}
echo count($examples), " examples\n";

// what SquirrelMail's config.php sets, at the top level of a page
$imapServerAddress = $imap_server_address = 'localhost';
$imapPort = sqauth_test_port('SQAUTH_DOVECOT_IMAP');
$use_imap_tls = 2;
$imap_auth_mech = 'cram-md5';
$imap_stream_options = sqauth_test_ssl();
$username = 'tim';
$password = 'tanstaaf';

// a raw IMAP connection (a new one each time) for the snippets that take a server's challenge
$raw = null;
$challengeFor = function (string $mech) use (&$raw, $imapPort): string {
    $raw = stream_socket_client("tcp://127.0.0.1:$imapPort", $errno, $errstr, 5);
    fgets($raw);
    fwrite($raw, "C1 AUTHENTICATE $mech\r\n");
    return substr(rtrim(fgets($raw)), 2);
};

foreach ($examples as $i => $code) {
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
        echo "example $i: ok\n";
    } catch (Throwable $e) {
        echo "example $i: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
    if (str_contains($code, 'sqauth_digest_md5_verify')) {
        fwrite($raw, "\r\n");
        echo '  (rspauth verified; the server then said: ', substr(fgets($raw), 3, 2), ")\n";
    }
    if (str_contains($code, 'sqauth_cram_md5_response')) {
        fwrite($raw, $reply);
        echo '  the server said: ', substr(fgets($raw), 3, 2), "\n";
    }
    if (str_contains($code, 'sqauth_imap_login')) {
        echo '  ', isset($error) ? "error: $error" : 'logged in with ' . sqauth_stream_info($stream)['mechanism'] . ' over ' . sqauth_stream_info($stream)['tls']['version'], "\n";
        // the same example with a wrong password reaches its first catch
        $password = 'wrong';
        eval($code);
        echo "  with a wrong password: $error\n";
        $password = 'tanstaaf';
    }
}
?>
--EXPECT--
imap-login: the guide shows the switcher's code
imap-logout: the guide shows the switcher's code
login-probe: the guide shows the switcher's code
signout: the guide shows the switcher's code
smtp-login: the guide shows the switcher's code
5 examples
example 0: ok
  the server said: OK
example 1: ok
example 2: ok
  (rspauth verified; the server then said: OK)
example 3: ok
  logged in with CRAM-MD5 over TLSv1.3
  with a wrong password: Unknown user or password incorrect.
example 4: ok
