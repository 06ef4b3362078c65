--TEST--
No password or token in exception messages, traces or phpinfo()
--EXTENSIONS--
sqauth
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
$secret = 'S3cr3t-Pa55w0rd-' . bin2hex(random_bytes(4));
$seen = [];
$check = function (Throwable $e) use ($secret, &$seen) {
    $text = $e->getMessage() . "\n" . $e->getTraceAsString() . "\n" . print_r($e->getTrace(), true) . "\n" . (string) $e;
    $seen[] = get_class($e) . ' ' . (str_contains($text, $secret) ? 'LEAK' : 'clean');
};
$calls = [
    fn() => sqauth_cram_md5_response('u', $secret, '!!!'),
    fn() => sqauth_digest_md5_response('u', $secret, base64_encode('nonce="a"'), 'imap', 'h'),
    fn() => sqauth_digest_md5_response('u', $secret, base64_encode('nonce="a",algorithm=md5-sess'), 'imap', 'h', '', ['qop' => 'auth-conf']),
    fn() => sqauth_digest_md5_verify('u', $secret, '@', '@', '@'),
    fn() => sqauth_hmac_md5('x', $secret) . sqauth_cram_md5_response('u', $secret, ''),
    fn() => new Sqauth\SaslClient('PLAIN', ['username' => 'u', 'password' => $secret . "\0"]),
    fn() => new Sqauth\SaslClient('SCRAM-SHA-1', ['username' => 'u', 'password' => $secret . "\x07"]),
    fn() => new Sqauth\SaslClient('XOAUTH2', ['username' => 'u', 'password' => $secret . "\x01"]),
    fn() => new Sqauth\SaslClient('PLAIN', ['username' => 'u', 'password' => $secret, 'bogus' => 1]),
    function () use ($secret) {
        $c = new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'u', 'password' => $secret, 'cnonce' => 'abc']);
        $c->initialResponse();
        $c->step('r=abcd,s=QSXCR+Q6sek8bf92,i=4096');
        $c->step('v=AAAA');
    },
    function () use ($secret) {
        $c = new Sqauth\SaslClient('DIGEST-MD5', ['username' => 'u', 'password' => $secret, 'service' => 'imap', 'host' => 'h']);
        $c->step('nonce="n",algorithm=md5-sess');
        $c->step('rspauth=0');
    },
    // the TLS key's passphrase travels in the options array of the login functions and detect
    fn() => sqauth_imap_login('127.0.0.1', 1, 'u', 'p', ['ssl' => ['local_cert' => '/nonexistent.pem', 'passphrase' => $secret]]),
    fn() => sqauth_smtp_login('127.0.0.1', 1, 'u', 'p', ['ssl' => ['local_cert' => '/nonexistent.pem', 'passphrase' => $secret]]),
    fn() => sqauth_pop3_login('127.0.0.1', 1, 'u', 'p', ['ssl' => ['local_cert' => '/nonexistent.pem', 'passphrase' => $secret]]),
    fn() => sqauth_detect('imap', '127.0.0.1', 1, ['ssl' => ['local_cert' => '/nonexistent.pem', 'passphrase' => $secret]]),
    fn() => sqauth_imap_login('127.0.0.1', 1, 'u', 'p', ['ssl' => ['passphrase' => $secret, 'verify_depth' => -1]]),
];
foreach ($calls as $f) {
    try {
        $f();
        $seen[] = 'no exception';
    } catch (Throwable $e) {
        $check($e);
    }
}
echo implode("\n", $seen), "\n";
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
var_dump(str_contains($info, 'sqauth support'), str_contains($info, $secret));
?>
--EXPECT--
Sqauth\ProtocolException clean
Sqauth\ProtocolException clean
Sqauth\ProtocolException clean
Sqauth\ProtocolException clean
Sqauth\ProtocolException clean
ValueError clean
ValueError clean
ValueError clean
ValueError clean
Sqauth\SecurityException clean
Sqauth\SecurityException clean
Sqauth\ConnectionException clean
Sqauth\ConnectionException clean
Sqauth\ConnectionException clean
Sqauth\ConnectionException clean
ValueError clean
bool(true)
bool(false)
