--TEST--
DIGEST-MD5 non-ASCII: ISO-8859-1 down-conversion under charset=utf-8 (RFC 2831 2.1.2.1), no double encoding
--EXTENSIONS--
sqauth
--FILE--
<?php
function resp(string $u, string $p, bool $utf8): string {
    $ch = base64_encode('realm="r",nonce="n",qop="auth",algorithm=md5-sess' . ($utf8 ? ',charset=utf-8' : ''));
    $r = base64_decode(sqauth_digest_md5_response($u, $p, $ch, 'imap', 'h', '', ['cnonce' => 'c']));
    preg_match('/response=(\w+)/', $r, $m);
    return $m[1];
}
// independent computation with the Latin-1 bytes, as a Cyrus server hashes them
function expected(string $u, string $p): string {
    $a1 = md5("$u:r:$p", true) . ':n:c';
    $a2 = 'AUTHENTICATE:imap/h';
    return md5(md5($a1) . ':n:00000001:c:auth:' . md5($a2));
}
$uUtf8 = "j\u{00FC}rgen";            // representable in ISO-8859-1
$pUtf8 = "p\u{00E4}ss\u{00DF}";
$uLatin1 = "j\xfcrgen";
$pLatin1 = "p\xe4ss\xdf";
var_dump(resp($uUtf8, $pUtf8, true) === expected($uLatin1, $pLatin1));
// SquirrelMail's utf8_encode() of UTF-8 input double-encodes: not what we hash
// (utf8_encode() is deprecated since PHP 8.2; from 8.4 on its message goes on to name the
// alternatives: each deprecation is checked by its start, which every version shares)
set_error_handler(function (int $no, string $msg): bool {
    echo $no === E_DEPRECATED && str_starts_with($msg, 'Function utf8_encode() is deprecated') ? "utf8_encode() deprecated\n" : "$msg\n";
    return true;
});
var_dump(resp($uUtf8, $pUtf8, true) !== expected(utf8_encode($uUtf8), utf8_encode($pUtf8)));
restore_error_handler();
// the username travels as UTF-8 when charset=utf-8 is in effect
$ch = base64_encode('realm="r",nonce="n",qop="auth",algorithm=md5-sess,charset=utf-8');
var_dump(str_contains(base64_decode(sqauth_digest_md5_response($uUtf8, $pUtf8, $ch, 'imap', 'h')), "username=\"$uUtf8\""));
// a password with a character beyond ISO-8859-1 is hashed as its UTF-8 bytes
$pWide = "pa\u{0142}";
var_dump(resp('u', $pWide, true) === expected('u', $pWide));
// without charset=utf-8 the bytes are used as given
var_dump(resp($uLatin1, $pLatin1, false) === expected($uLatin1, $pLatin1));
?>
--EXPECT--
bool(true)
utf8_encode() deprecated
utf8_encode() deprecated
bool(true)
bool(true)
bool(true)
bool(true)
