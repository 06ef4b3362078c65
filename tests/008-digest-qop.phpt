--TEST--
DIGEST-MD5 qop: checked against the offer, auth-int/auth-conf response values, option misuse
--EXTENSIONS--
sqauth
--FILE--
<?php
$all = base64_encode('realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth,auth-int,auth-conf",cipher="3des,rc4",algorithm=md5-sess,charset=utf-8');
$authOnly = 'cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0RVFHbTJoaCIscW9wPSJhdXRoIixhbGdvcml0aG09bWQ1LXNlc3MsY2hhcnNldD11dGYtOA==';
$o = ['cnonce' => 'OA6MHXh6VqTrRk'];
// A2 gets ":00000000000000000000000000000000" for auth-int and auth-conf (values computed independently)
foreach (['auth', 'auth-int', 'auth-conf'] as $q) {
    $r = base64_decode(sqauth_digest_md5_response('chris', 'secret', $all, 'imap', 'elwood.innosoft.com', '', $o + ['qop' => $q, 'cipher' => '3des']));
    echo preg_replace('/^.*(response=.*)$/', '$1', $r), "\n";
}
// a preference list: the first the server offers
$r = base64_decode(sqauth_digest_md5_response('chris', 'secret', $authOnly, 'imap', 'elwood.innosoft.com', '', $o + ['qop' => ['auth-conf', 'auth-int', 'auth']]));
echo preg_replace('/^.*(qop=.*)$/', '$1', $r), "\n";
// asked for a qop the server does not offer: refused, never silently downgraded
try {
    sqauth_digest_md5_response('chris', 'secret', $authOnly, 'imap', 'elwood.innosoft.com', '', ['qop' => 'auth-int']);
} catch (Sqauth\ProtocolException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
// auth-conf with no common cipher
try {
    sqauth_digest_md5_response('chris', 'secret', $all, 'imap', 'h', '', ['qop' => 'auth-conf', 'cipher' => 'des']);
} catch (Sqauth\ProtocolException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
// caller misuse
$cases = [
    ['qop' => 'bogus'], ['qop' => 5], ['qop' => []], ['cipher' => ['rc4', 'idea']], ['maxbuf' => '100'], ['maxbuf' => 10],
    ['realm' => ['x']], ['cnonce' => ''], ['unknown' => 1], [0 => 'x'],
];
foreach ($cases as $opt) {
    try {
        sqauth_digest_md5_response('chris', 'secret', $all, 'imap', 'h', '', $opt);
        echo "accepted\n";
    } catch (Error $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
foreach ([['', 'h'], ["imap\r\n", 'h'], ['imap', ''], ['imap', "h\0x"]] as [$svc, $host]) {
    try {
        sqauth_digest_md5_response('chris', 'secret', $all, $svc, $host);
    } catch (ValueError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
response=d388dad90d4bbd760a152321f2143af7,qop=auth
response=89fdc8198a2499ec4b6d0045c00ae24a,qop=auth-int
response=c7d2efa41f50398d289b732a0c09f381,qop=auth-conf,cipher=3des
qop=auth
Sqauth\ProtocolException: DIGEST-MD5: the server does not offer the requested qop (it offers auth)
Sqauth\ProtocolException: DIGEST-MD5: no cipher both offered by the server and available here for auth-conf
ValueError: sqauth_digest_md5_response(): Argument #7 ($options) key "qop" must be "auth", "auth-int" or "auth-conf"
TypeError: sqauth_digest_md5_response(): Argument #7 ($options) key "qop" must be of type string|array, int given
ValueError: sqauth_digest_md5_response(): Argument #7 ($options) key "qop" must not be empty
ValueError: sqauth_digest_md5_response(): Argument #7 ($options) key "cipher" must hold only "3des", "des", "rc4", "rc4-56" or "rc4-40"
TypeError: sqauth_digest_md5_response(): Argument #7 ($options) key "maxbuf" must be of type int, string given
ValueError: sqauth_digest_md5_response(): Argument #7 ($options) key "maxbuf" must be between 64 and 16777215
TypeError: sqauth_digest_md5_response(): Argument #7 ($options) key "realm" must be of type string, array given
ValueError: sqauth_digest_md5_response(): Argument #7 ($options) key "cnonce" must be a non-empty string without NUL bytes
ValueError: sqauth_digest_md5_response(): Argument #7 ($options) has an unknown key "unknown"
ValueError: sqauth_digest_md5_response(): Argument #7 ($options) must have only string keys
ValueError: sqauth_digest_md5_response(): Argument #4 ($service) must be a non-empty string without CR, LF or NUL
ValueError: sqauth_digest_md5_response(): Argument #4 ($service) must be a non-empty string without CR, LF or NUL
ValueError: sqauth_digest_md5_response(): Argument #5 ($host) must be a non-empty string without CR, LF or NUL
ValueError: sqauth_digest_md5_response(): Argument #5 ($host) must be a non-empty string without CR, LF or NUL
