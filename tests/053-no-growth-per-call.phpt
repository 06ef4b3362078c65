--TEST--
No memory kept per call: the computation functions and Sqauth\SaslClient, 2,000 calls each, leave the request's memory where it was (a leak of a few bytes a call shows)
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip memory_get_usage() does not count without the Zend allocator');
?>
--FILE--
<?php
$ch = base64_encode('realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth,auth-int",algorithm=md5-sess,charset=utf-8,cipher="rc4,des"');
$two = base64_encode('realm="a.example",realm="b.example",nonce="abc",qop="auth",algorithm=md5-sess');
$opt = ['cnonce' => 'OA6MHXh6VqTrRk'];
$resp = sqauth_digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com', '', $opt);
$cases = [
    'sqauth_digest_md5_parse_challenge' => fn() => sqauth_digest_md5_parse_challenge($ch) + sqauth_digest_md5_parse_challenge($two),
    'sqauth_digest_md5_response' => fn() => sqauth_digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com', 'boss', $opt),
    'sqauth_digest_md5_verify' => fn() => sqauth_digest_md5_verify('chris', 'secret', $ch, $resp, base64_encode('rspauth=00000000000000000000000000000000')),
    'sqauth_cram_md5_response' => fn() => sqauth_cram_md5_response('tim', 'tanstaaf', base64_encode('<1896.697170952@postoffice.example.net>')),
    'sqauth_hmac_md5' => fn() => sqauth_hmac_md5('data', 'key'),
    'Sqauth\SaslClient PLAIN' => fn() => (new Sqauth\SaslClient('PLAIN', ['username' => 'tim', 'password' => 'tanstaaf']))->initialResponse(),
    'Sqauth\SaslClient SCRAM-SHA-256 first step' => fn() => (new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'tim', 'password' => 'tanstaaf']))->initialResponse(),
];
foreach ($cases as $name => $f) {
    for ($i = 0; $i < 50; $i++) {
        $f();                                  // warm-up: caches, interned strings
    }
    $before = memory_get_usage();
    for ($i = 0; $i < 2000; $i++) {
        $f();
    }
    $grew = memory_get_usage() - $before;
    echo $name, ': ', $grew < 2048 ? 'no growth' : "grew by $grew bytes over 2,000 calls", "\n";
}
?>
--EXPECT--
sqauth_digest_md5_parse_challenge: no growth
sqauth_digest_md5_response: no growth
sqauth_digest_md5_verify: no growth
sqauth_cram_md5_response: no growth
sqauth_hmac_md5: no growth
Sqauth\SaslClient PLAIN: no growth
Sqauth\SaslClient SCRAM-SHA-256 first step: no growth
