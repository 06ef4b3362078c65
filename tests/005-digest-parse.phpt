--TEST--
sqauth_digest_md5_parse_challenge(): SquirrelMail's array shape, RFC 2831 tolerance, malformed input refused
--EXTENSIONS--
sqauth
--FILE--
<?php
function p(string $raw) {
    try {
        return sqauth_digest_md5_parse_challenge(base64_encode($raw));
    } catch (Sqauth\ProtocolException $e) {
        return get_class($e) . ': ' . $e->getMessage();
    }
}
// RFC 2831 example: one realm is a string, a quoted list is an array
var_dump(p('realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8'));
// Dovecot style: several realms, quoted algorithm, spaces after commas
var_dump(p('realm="one.example", realm="two.example", nonce="n\"x", qop="auth,auth-int,auth-conf", cipher="rc4,3des", charset="utf-8", algorithm="md5-sess"'));
// case-insensitive names, empty list elements, unknown directives kept, LWS around '='
var_dump(p(',, NONCE = "abc" ,ALGORITHM=MD5-SESS,,X-Vendor=thing,'));

$bad = [
    '',
    'nonce="abc',
    'nonce="a",nonce="b",algorithm=md5-sess',
    'nonce="a",qop="auth",qop="auth",algorithm=md5-sess',
    'nonce="a",charset=utf-8,charset=utf-8,algorithm=md5-sess',
    'nonce="a",algorithm=md5-sess,algorithm=md5-sess',
    'nonce="a",maxbuf=1024,maxbuf=1024,algorithm=md5-sess',
    'nonce="a",stale=true,stale=true,algorithm=md5-sess',
    'realm="x",algorithm=md5-sess',
    'nonce="a"',
    'nonce="a",algorithm=md5',
    'nonce="a",algorithm=md5-sess,maxbuf=184467440737095516160',
    'nonce="a",algorithm=md5-sess,charset=iso-8859-1',
    "nonce=\"a\0\",algorithm=md5-sess",
    'nonce="a" junk,algorithm=md5-sess',
    'nonce',
    'nonce="' . str_repeat('x', 2100) . '",algorithm=md5-sess',
];
foreach ($bad as $b) {
    echo p($b), "\n";
}
// invalid base64
try {
    sqauth_digest_md5_parse_challenge('@@@@');
} catch (Sqauth\ProtocolException $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
array(5) {
  ["realm"]=>
  string(19) "elwood.innosoft.com"
  ["nonce"]=>
  string(14) "OA6MG9tEQGm2hh"
  ["qop"]=>
  string(4) "auth"
  ["algorithm"]=>
  string(8) "md5-sess"
  ["charset"]=>
  string(5) "utf-8"
}
array(6) {
  ["realm"]=>
  array(2) {
    [0]=>
    string(11) "one.example"
    [1]=>
    string(11) "two.example"
  }
  ["nonce"]=>
  string(3) "n"x"
  ["qop"]=>
  array(3) {
    [0]=>
    string(4) "auth"
    [1]=>
    string(8) "auth-int"
    [2]=>
    string(9) "auth-conf"
  }
  ["cipher"]=>
  array(2) {
    [0]=>
    string(3) "rc4"
    [1]=>
    string(4) "3des"
  }
  ["charset"]=>
  string(5) "utf-8"
  ["algorithm"]=>
  string(8) "md5-sess"
}
array(3) {
  ["nonce"]=>
  string(3) "abc"
  ["algorithm"]=>
  string(8) "MD5-SESS"
  ["x-vendor"]=>
  string(5) "thing"
}
Sqauth\ProtocolException: DIGEST-MD5: empty challenge
Sqauth\ProtocolException: DIGEST-MD5: unterminated quoted string
Sqauth\ProtocolException: DIGEST-MD5: duplicate nonce directive
Sqauth\ProtocolException: DIGEST-MD5: duplicate qop directive
Sqauth\ProtocolException: DIGEST-MD5: duplicate charset directive
Sqauth\ProtocolException: DIGEST-MD5: duplicate algorithm directive
Sqauth\ProtocolException: DIGEST-MD5: duplicate maxbuf directive
Sqauth\ProtocolException: DIGEST-MD5: duplicate stale directive
Sqauth\ProtocolException: DIGEST-MD5: the challenge has no nonce
Sqauth\ProtocolException: DIGEST-MD5: the challenge has no algorithm=md5-sess
Sqauth\ProtocolException: DIGEST-MD5: algorithm must be md5-sess
Sqauth\ProtocolException: DIGEST-MD5: maxbuf must be a number from 17 to 16777215
Sqauth\ProtocolException: DIGEST-MD5: charset must be utf-8
Sqauth\ProtocolException: DIGEST-MD5: control character in a quoted string
Sqauth\ProtocolException: DIGEST-MD5: expected ',' at byte 10
Sqauth\ProtocolException: DIGEST-MD5: expected '=' after a directive name at byte 5
Sqauth\ProtocolException: DIGEST-MD5: challenge of 2127 bytes exceeds the 2048-byte limit
DIGEST-MD5: the challenge is not valid base64
