--TEST--
sqauth_cram_md5_response(): RFC 2195 example, byte-exact with SquirrelMail, bad challenges
--EXTENSIONS--
sqauth
--FILE--
<?php
$ch = 'PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+';
$r = sqauth_cram_md5_response('tim', 'tanstaaftanstaaf', $ch);
var_dump($r === "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n");
var_dump(base64_decode($r));
// the challenge as received may end in CR, LF, spaces
var_dump(sqauth_cram_md5_response('tim', 'tanstaaftanstaaf', "$ch \r\n") === $r);
// the same bytes as PHP's own functions compute
$c = base64_decode($ch);
var_dump($r === base64_encode('tim ' . hash_hmac('md5', $c, 'tanstaaftanstaaf')) . "\r\n");
foreach (['not base64!', '', "\r\n", 'PDE4OTYu=NjK3', "PDE4\0OTYu"] as $bad) {
    try {
        sqauth_cram_md5_response('tim', 'tanstaaftanstaaf', $bad);
        echo "accepted\n";
    } catch (Sqauth\ProtocolException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
bool(true)
string(36) "tim b913a602c7eda7a495b4e6e7334d3890"
bool(true)
bool(true)
Sqauth\ProtocolException: CRAM-MD5: the challenge is not valid base64
Sqauth\ProtocolException: CRAM-MD5: the challenge is empty
Sqauth\ProtocolException: CRAM-MD5: the challenge is empty
Sqauth\ProtocolException: CRAM-MD5: the challenge is not valid base64
Sqauth\ProtocolException: CRAM-MD5: the challenge is not valid base64
