--TEST--
sqauth_digest_md5_verify(): the server's rspauth checked statelessly
--EXTENSIONS--
sqauth
--FILE--
<?php
$ch = 'cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0RVFHbTJoaCIscW9wPSJhdXRoIixhbGdvcml0aG09bWQ1LXNlc3MsY2hhcnNldD11dGYtOA==';
$resp = sqauth_digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com', '', ['cnonce' => 'OA6MHXh6VqTrRk']);
$good = base64_encode('rspauth=ea40f60335c427b5527b84dbabcdfffd') . "\r\n";
var_dump(sqauth_digest_md5_verify('chris', 'secret', $ch, $resp, $good));
// upper-case hex is the same value
var_dump(sqauth_digest_md5_verify('chris', 'secret', $ch, $resp, base64_encode('rspauth=EA40F60335C427B5527B84DBABCDFFFD')));
// a server that does not know the password, a missing or short rspauth
var_dump(sqauth_digest_md5_verify('chris', 'secret', $ch, $resp, base64_encode('rspauth=ea40f60335c427b5527b84dbabcdfffe')));
var_dump(sqauth_digest_md5_verify('chris', 'secret', $ch, $resp, base64_encode('other=1')));
var_dump(sqauth_digest_md5_verify('chris', 'secret', $ch, $resp, base64_encode('rspauth=ea40')));
var_dump(sqauth_digest_md5_verify('chris', 'secret', $ch, $resp, ''));
// the wrong password on our side
var_dump(sqauth_digest_md5_verify('chris', 'guess', $ch, $resp, $good));
// a response made for another challenge (other nonce)
$other = base64_encode('realm="elwood.innosoft.com",nonce="ZZZ",qop="auth",algorithm=md5-sess,charset=utf-8');
var_dump(sqauth_digest_md5_verify('chris', 'secret', $other, $resp, $good));
// malformed input is an exception, not false
foreach ([[$ch, base64_encode('username="chris"'), $good], [$ch, $resp, base64_encode('rspauth="x')], ['!!', $resp, $good]] as [$c, $r, $a]) {
    try {
        sqauth_digest_md5_verify('chris', 'secret', $c, $r, $a);
    } catch (Sqauth\ProtocolException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
Sqauth\ProtocolException: DIGEST-MD5: the response needs exactly one nonce directive
Sqauth\ProtocolException: DIGEST-MD5: unterminated quoted string
Sqauth\ProtocolException: DIGEST-MD5: the challenge is not valid base64
