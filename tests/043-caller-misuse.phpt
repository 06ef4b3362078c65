--TEST--
Bad input from callers: every option with a wrong type or value, CR/LF/NUL in credentials and hosts, empty, 64 KB and non-UTF-8 values; errors name the argument, come before any traffic, and never contain the secret
--EXTENSIONS--
sqauth
--FILE--
<?php
$secret = 'Pw-' . bin2hex(random_bytes(6));
$port = 1; // nothing listens there: reaching the network would be a ConnectionException
$errors = [];
function attempt(callable $f): string {
    global $secret;
    try {
        $f();
        return 'accepted';
    } catch (Throwable $e) {
        $text = $e->getMessage() . $e->getTraceAsString();
        return get_class($e) . ': ' . $e->getMessage() . (str_contains($text, $secret) ? '  <<SECRET LEAKED>>' : '');
    }
}
$badOptions = [
    'tls' => [[], 'maybe', 3, 1.5], 'mechanism' => [5, 'gssapi', 'apop'], 'authz' => [1, "a\nb"], 'realm' => [[], "r\r"],
    'qop' => [1, 'none', ['auth', 7]], 'cipher' => [false, 'idea'], 'maxbuf' => ['big', 1, 99999999],
    'helo' => [1, 'two words', "x\r\n"], 'timeout' => ['15', 0, -1, 100000], 'login_timeout' => [null, 0],
    'allow_plaintext' => ['yes', 2], 'pipelining' => ['off'], 'session_cache' => ['no'], 'ssl' => ['x', ['verify_peer' => 'yes'],
    ['cafile' => 5], ['cafile' => "a\0b"], ['min_version' => '1.0'], ['max_version' => 3], ['security_level' => 9],
    ['peer_fingerprint' => 12], ['verify_depth' => -3], ['alpn_protocols' => 'imap,'], [0 => 'x']], 'bogus' => [1], 0 => ['positional'],
];
foreach ($badOptions as $key => $values) {
    foreach ($values as $v) {
        echo 'imap option ', json_encode([$key => $v]), ': ',
            attempt(fn() => sqauth_imap_login('localhost', $port, 'tim', $secret, [$key => $v])), "\n";
    }
}
echo 'smtp mechanism user: ', attempt(fn() => sqauth_smtp_login('localhost', $port, 'tim', $secret, ['mechanism' => 'user'])), "\n";
echo 'pop3 mechanism none: ', attempt(fn() => sqauth_pop3_login('localhost', $port, 'tim', $secret, ['mechanism' => 'none'])), "\n";
echo 'detect with a login option: ', attempt(fn() => sqauth_detect('imap', 'localhost', $port, ['allow_plaintext' => true])), "\n";
foreach (["tim\r\nA2 LOGOUT", "tim\0", "tim\n"] as $u) {
    echo 'username ', json_encode($u), ': ', attempt(fn() => sqauth_imap_login('localhost', $port, $u, $secret)), "\n";
}
foreach (["\r\n", "\0", "\n"] as $bad) {
    echo 'password with ', json_encode($bad), ': ', attempt(fn() => sqauth_pop3_login('localhost', $port, 'tim', $secret . $bad)), "\n";
}
foreach (['', 'local host', "h\r\nx", "h\0x"] as $h) {
    echo 'host ', json_encode($h), ': ', attempt(fn() => sqauth_imap_login($h, $port, 'tim', $secret)), "\n";
}
foreach ([0, 65536, -1] as $p) {
    echo "port $p: ", attempt(fn() => sqauth_smtp_login('localhost', $p, 'tim', $secret)), "\n";
}
echo 'smtp null password: ', attempt(fn() => sqauth_smtp_login('localhost', $port, 'tim', null)), "\n";
echo 'smtp null user without sitewide: ', attempt(fn() => sqauth_smtp_login('localhost', $port, null, null)), "\n";
echo 'wrong types: ', attempt(fn() => sqauth_imap_login('localhost', 'imap', 'tim', $secret)), "\n";
echo 'wrong types: ', attempt(fn() => sqauth_imap_login('localhost', 143, ['tim'], $secret)), "\n";
echo 'stream info of a string: ', attempt(fn() => sqauth_stream_info('x')), "\n";

// empty, 64 KB and non-UTF-8 values in the computation functions
$big = str_repeat("\xff\xfe", 32768);
$ch = base64_encode('nonce="n",algorithm=md5-sess,charset=utf-8');
echo 'hmac 64 KB key and data: ', strlen(sqauth_hmac_md5($big, $big)), "\n";
echo 'cram empty user and password: ', base64_decode(sqauth_cram_md5_response('', '', base64_encode('<x>'))), "\n";
echo 'cram 64 KB non-UTF-8 user: ', strlen(sqauth_cram_md5_response($big, $secret, base64_encode('<x>'))), "\n";
echo 'digest 64 KB non-UTF-8 user: ', strlen(sqauth_digest_md5_response($big, $secret, $ch, 'imap', 'h')) > 65536 ? 'ok' : 'short', "\n";
echo 'digest empty user and password: ', str_contains(base64_decode(sqauth_digest_md5_response('', '', $ch, 'imap', 'h')), 'username=""') ? 'ok' : '?', "\n";
echo 'scram 64 KB ASCII password: ', strlen((new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'u', 'password' => str_repeat('p', 65536)]))->initialResponse()) > 10 ? 'ok' : '?', "\n";
echo 'scram non-UTF-8 password: ', attempt(fn() => new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'u', 'password' => $secret . "\xff"])), "\n";
echo 'plain NUL in authz: ', attempt(fn() => new Sqauth\SaslClient('PLAIN', ['username' => 'u', 'password' => $secret, 'authz' => "a\0"])), "\n";
?>
--EXPECT--
imap option {"tls":[]}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "tls" must be of type string|int|bool, array given
imap option {"tls":"maybe"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "tls" must be 'none', 'implicit', 'starttls', 0, 1 or 2
imap option {"tls":3}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "tls" must be 'none', 'implicit', 'starttls', 0, 1 or 2
imap option {"tls":1.5}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "tls" must be of type string|int|bool, float given
imap option {"mechanism":5}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "mechanism" must be of type string, int given
imap option {"mechanism":"gssapi"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "mechanism" must be 'auto' or a mechanism sqauth knows ('login' is the LOGIN command, 'sasl-login' AUTHENTICATE LOGIN)
imap option {"mechanism":"apop"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "mechanism" must be 'auto' or a mechanism sqauth knows ('login' is the LOGIN command, 'sasl-login' AUTHENTICATE LOGIN)
imap option {"authz":1}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "authz" must be of type string, int given
imap option {"authz":"a\nb"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "authz" must not contain CR or LF
imap option {"realm":[]}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "realm" must be of type string, array given
imap option {"realm":"r\r"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "realm" must not contain CR or LF
imap option {"qop":1}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "qop" must be of type string|array, int given
imap option {"qop":"none"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "qop" must be "auth", "auth-int" or "auth-conf"
imap option {"qop":["auth",7]}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "qop" must hold only strings, int given
imap option {"cipher":false}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "cipher" must be of type string|array, bool given
imap option {"cipher":"idea"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "cipher" must be "3des", "des", "rc4", "rc4-56" or "rc4-40"
imap option {"maxbuf":"big"}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "maxbuf" must be of type int, string given
imap option {"maxbuf":1}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "maxbuf" must be an int from 64 to 16777215
imap option {"maxbuf":99999999}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "maxbuf" must be an int from 64 to 16777215
imap option {"helo":1}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "helo" must be of type string, int given
imap option {"helo":"two words"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "helo" must not contain spaces, CR or LF
imap option {"helo":"x\r\n"}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "helo" must not contain spaces, CR or LF
imap option {"timeout":"15"}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "timeout" must be of type float, string given
imap option {"timeout":0}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "timeout" must be a number of seconds greater than 0 and at most 86400
imap option {"timeout":-1}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "timeout" must be a number of seconds greater than 0 and at most 86400
imap option {"timeout":100000}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "timeout" must be a number of seconds greater than 0 and at most 86400
imap option {"login_timeout":null}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "login_timeout" must be of type float, null given
imap option {"login_timeout":0}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "login_timeout" must be a number of seconds greater than 0 and at most 86400
imap option {"allow_plaintext":"yes"}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "allow_plaintext" must be of type bool, string given
imap option {"allow_plaintext":2}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "allow_plaintext" must be of type bool, int given
imap option {"pipelining":"off"}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "pipelining" must be of type bool, string given
imap option {"session_cache":"no"}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "session_cache" must be of type bool, string given
imap option {"ssl":"x"}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl" must be of type array, string given
imap option {"ssl":{"verify_peer":"yes"}}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl.verify_peer" must be of type bool, string given
imap option {"ssl":{"cafile":5}}: TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl.cafile" must be of type string, int given
imap option {"ssl":{"cafile":"a\u0000b"}}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.cafile" must not contain NUL bytes
imap option {"ssl":{"min_version":"1.0"}}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.min_version" must be '1.2' or '1.3'
imap option {"ssl":{"max_version":3}}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.max_version" must be '1.2' or '1.3'
imap option {"ssl":{"security_level":9}}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.security_level" must be an int from 0 to 5
imap option {"ssl":{"peer_fingerprint":12}}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.peer_fingerprint" must be a hex string or [algorithm => hex]
imap option {"ssl":{"verify_depth":-3}}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.verify_depth" must be 0 or more
imap option {"ssl":{"alpn_protocols":"imap,"}}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.alpn_protocols" must be protocol names of 1 to 255 bytes separated by commas
imap option {"ssl":["x"]}: ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl" must have only string keys
imap option {"bogus":1}: ValueError: sqauth_imap_login(): Argument #5 ($options) has an unknown key "bogus"
imap option ["positional"]: ValueError: sqauth_imap_login(): Argument #5 ($options) must have only string keys
smtp mechanism user: ValueError: sqauth_smtp_login(): Argument #5 ($options) key "mechanism" must be 'auto' or a mechanism sqauth knows or 'none'
pop3 mechanism none: ValueError: sqauth_pop3_login(): Argument #5 ($options) key "mechanism" must be 'auto' or a mechanism sqauth knows or 'user' or 'apop'
detect with a login option: ValueError: sqauth_detect(): Argument #4 ($options) has an unknown key "allow_plaintext"
username "tim\r\nA2 LOGOUT": ValueError: sqauth_imap_login(): Argument #3 ($username) must not contain CR, LF or NUL
username "tim\u0000": ValueError: sqauth_imap_login(): Argument #3 ($username) must not contain CR, LF or NUL
username "tim\n": ValueError: sqauth_imap_login(): Argument #3 ($username) must not contain CR, LF or NUL
password with "\r\n": ValueError: sqauth_pop3_login(): Argument #4 ($password) must not contain CR, LF or NUL
password with "\u0000": ValueError: sqauth_pop3_login(): Argument #4 ($password) must not contain CR, LF or NUL
password with "\n": ValueError: sqauth_pop3_login(): Argument #4 ($password) must not contain CR, LF or NUL
host "": ValueError: sqauth_imap_login(): Argument #1 ($host) must be a host name or address without spaces, CR, LF or NUL
host "local host": ValueError: sqauth_imap_login(): Argument #1 ($host) must be a host name or address without spaces, CR, LF or NUL
host "h\r\nx": ValueError: sqauth_imap_login(): Argument #1 ($host) must be a host name or address without spaces, CR, LF or NUL
host "h\u0000x": ValueError: sqauth_imap_login(): Argument #1 ($host) must be a host name or address without spaces, CR, LF or NUL
port 0: ValueError: sqauth_smtp_login(): Argument #2 ($port) must be between 1 and 65535
port 65536: ValueError: sqauth_smtp_login(): Argument #2 ($port) must be between 1 and 65535
port -1: ValueError: sqauth_smtp_login(): Argument #2 ($port) must be between 1 and 65535
smtp null password: ValueError: sqauth_smtp_login(): Argument #4 ($password) must not be null when a username is given
smtp null user without sitewide: ValueError: sqauth_smtp_login(): Argument #3 ($username) is null and sqauth.smtp_sitewide_user is not set
wrong types: TypeError: sqauth_imap_login(): Argument #2 ($port) must be of type int, string given
wrong types: TypeError: sqauth_imap_login(): Argument #3 ($username) must be of type string, array given
stream info of a string: TypeError: sqauth_stream_info(): Argument #1 ($stream) must be of type resource, string given
hmac 64 KB key and data: 16
cram empty user and password:  a29e0b03fbcf41a3aea8c701a4e1a217
cram 64 KB non-UTF-8 user: 87430
digest 64 KB non-UTF-8 user: ok
digest empty user and password: ok
scram 64 KB ASCII password: ok
scram non-UTF-8 password: ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: SCRAM: SASLprep refused the password (Character encoding conversion error)
plain NUL in authz: ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: PLAIN: the authorization identity must not contain NUL bytes
