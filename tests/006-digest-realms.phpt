--TEST--
DIGEST-MD5 with several realms (the case SquirrelMail's seed says "may fail"): the option, user@domain, else the first
--EXTENSIONS--
sqauth
--FILE--
<?php
$ch = base64_encode('realm="first.example",realm="second.example",nonce="abc",qop="auth",algorithm=md5-sess');
function realm_of(string $r): string {
    preg_match('/,realm="([^"]*)"/', base64_decode($r), $m);
    return $m[1] ?? '(none)';
}
echo realm_of(sqauth_digest_md5_response('chris', 'pw', $ch, 'imap', 'h')), "\n";
echo realm_of(sqauth_digest_md5_response('chris@second.example', 'pw', $ch, 'imap', 'h')), "\n";
echo realm_of(sqauth_digest_md5_response('chris@SECOND.example', 'pw', $ch, 'imap', 'h')), "\n";
echo realm_of(sqauth_digest_md5_response('chris@other.example', 'pw', $ch, 'imap', 'h')), "\n";
echo realm_of(sqauth_digest_md5_response('chris@second.example', 'pw', $ch, 'imap', 'h', '', ['realm' => 'first.example'])), "\n";
// never PEAR's "Array" nor SquirrelMail's "last one wins"
var_dump(strpos(base64_decode(sqauth_digest_md5_response('chris', 'pw', $ch, 'imap', 'h')), 'Array') === false);
// none offered: no realm directive, empty realm hashed
echo realm_of(sqauth_digest_md5_response('chris', 'pw', base64_encode('nonce="abc",algorithm=md5-sess'), 'imap', 'h')), "\n";
// the realm is hashed into the response: same inputs, other realm, other response
$a = base64_decode(sqauth_digest_md5_response('chris', 'pw', $ch, 'imap', 'h', '', ['cnonce' => 'x']));
$b = base64_decode(sqauth_digest_md5_response('chris', 'pw', $ch, 'imap', 'h', '', ['cnonce' => 'x', 'realm' => 'second.example']));
preg_match('/response=(\w+)/', $a, $ra);
preg_match('/response=(\w+)/', $b, $rb);
var_dump($ra[1] !== $rb[1]);
?>
--EXPECT--
first.example
second.example
second.example
first.example
first.example
bool(true)
(none)
bool(true)
