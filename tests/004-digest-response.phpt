--TEST--
sqauth_digest_md5_response(): RFC 2831 example byte-exact with SquirrelMail; what it fixes
--EXTENSIONS--
sqauth
--FILE--
<?php
$ch = 'cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0RVFHbTJoaCIscW9wPSJhdXRoIixhbGdvcml0aG09bWQ1LXNlc3MsY2hhcnNldD11dGYtOA==';
$r = sqauth_digest_md5_response('chris', 'secret', "$ch\r\n", 'imap', 'elwood.innosoft.com', '', ['cnonce' => 'OA6MHXh6VqTrRk']);
var_dump(substr($r, -2) === "\r\n");
echo base64_decode($r), "\n";
var_dump(base64_decode($r) === 'charset=utf-8,username="chris",realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",nc=00000001,cnonce="OA6MHXh6VqTrRk",digest-uri="imap/elwood.innosoft.com",response=d388dad90d4bbd760a152321f2143af7,qop=auth');

// charset is echoed only when offered; authzid is quoted; username and realm escaped
$ch2 = base64_encode('realm="r\\"x",nonce="n",qop="auth",algorithm=md5-sess');
echo base64_decode(sqauth_digest_md5_response('a"b', 'pw', $ch2, 'smtp', 'mail.example', 'boss', ['cnonce' => 'c'])), "\n";
// serv-name in the digest-uri
echo base64_decode(sqauth_digest_md5_response('u', 'pw', $ch2, 'imap', 'h.example', '', ['cnonce' => 'c', 'serv_name' => 'example.org'])), "\n";

// the cnonce comes from a CSPRNG: two calls differ
$a = base64_decode(sqauth_digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com'));
$b = base64_decode(sqauth_digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com'));
preg_match('/cnonce="([^"]+)"/', $a, $m1);
preg_match('/cnonce="([^"]+)"/', $b, $m2);
var_dump(strlen($m1[1]) >= 16, $m1[1] !== $m2[1]);
?>
--EXPECT--
bool(true)
charset=utf-8,username="chris",realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",nc=00000001,cnonce="OA6MHXh6VqTrRk",digest-uri="imap/elwood.innosoft.com",response=d388dad90d4bbd760a152321f2143af7,qop=auth
bool(true)
username="a\"b",realm="r\"x",nonce="n",nc=00000001,cnonce="c",digest-uri="smtp/mail.example",response=b86f8dbb5c55cc1ad0a02a27493786dc,qop=auth,authzid="boss"
username="u",realm="r\"x",nonce="n",nc=00000001,cnonce="c",digest-uri="imap/h.example/example.org",response=604c4cc086f949fadceb4df32e9b640a,qop=auth
bool(true)
bool(true)
