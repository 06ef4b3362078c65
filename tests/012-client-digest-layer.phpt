--TEST--
Sqauth\SaslClient DIGEST-MD5: rspauth required; auth-int and auth-conf wrap/unwrap against independently computed frames; tampering
--EXTENSIONS--
sqauth
--FILE--
<?php
$cred = ['username' => 'chris', 'password' => 'secret', 'service' => 'imap', 'host' => 'elwood.innosoft.com', 'cnonce' => 'OA6MHXh6VqTrRk'];
$rfc = 'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8';

$c = new Sqauth\SaslClient('DIGEST-MD5', $cred);
var_dump($c->initialResponse());
echo $c->step($rfc), "\n";
var_dump($c->isComplete());
var_dump($c->step('rspauth=ea40f60335c427b5527b84dbabcdfffd'), $c->isComplete(), $c->isServerVerified());

foreach (['wrong' => 'rspauth=00000000000000000000000000000000', 'missing' => ''] as $what => $second) {
    $c = new Sqauth\SaslClient('DIGEST-MD5', $cred);
    $c->step($rfc);
    try {
        $c->step($second);
    } catch (Sqauth\SecurityException $e) {
        echo "$what rspauth: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
    var_dump($c->isServerVerified());
}

// security layers; the frames below were computed with Python's hmac and the openssl command line
$offer = 'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth,auth-int,auth-conf",cipher="3des,rc4",algorithm=md5-sess,charset=utf-8';
$kat = [
    'auth-int' => ['rspauth=2342e4b9b84956beda20b94d83cc8fe0',
        '000000194131204e4f4f500d0a3e1c7eb2af63cfe49ef0000100000000',
        '0000001c2a204f4b2068656c6c6f0d0a61367939c6fe7501fb9d000100000000000000214131204f4b204e4f4f5020646f6e650d0a0896b638cb22609edee9000100000001'],
    '3des' => ['rspauth=e2b2f2d1742ec87e03e40f22efdeaac8',
        '0000001e8900d1613bed82d2530747b9d54eda0274b518405e8a0b08000100000000',
        '0000001ece726e18fd99e69da0e19d4140a0e836c2eaae6446b21bed00010000000000000026853c801797f7247123da3496a87a2e4c9af543a9f95b791a566270709f5806c0000100000001'],
    'rc4' => ['rspauth=e2b2f2d1742ec87e03e40f22efdeaac8',
        '000000191641bc6a7a9233627ddd53e29529d768773095000100000000',
        '0000001c0b1c0b46e2f975132fc2aaf1ff64b887f0dc660cf63a0001000000000000002181226817e61e4e26b7e31c3bcaa0cdc038f29a78d98ac1428e095d000100000001'],
];
function client(string $which, array $cred) {
    $opt = $which === 'auth-int' ? ['qop' => 'auth-int'] : ['qop' => 'auth-conf', 'cipher' => $which];
    return new Sqauth\SaslClient('DIGEST-MD5', $cred + $opt);
}
foreach ($kat as $which => [$rspauth, $clientFrame, $serverFrames]) {
    $c = client($which, $cred);
    $c->step($offer);
    try {
        $c->wrap('too early');
    } catch (Error $e) {
        echo "$which before rspauth: ", $e->getMessage(), "\n";
    }
    $c->step($rspauth);
    echo "$which wrap: ", bin2hex($c->wrap("A1 NOOP\r\n")) === $clientFrame ? 'matches' : 'DIFFERS', "\n";
    // two frames, fed in uneven pieces: nothing until a frame is whole
    $in = hex2bin($serverFrames);
    $got = '';
    foreach (str_split($in, 5) as $piece) {
        $got .= $c->unwrap($piece);
    }
    echo "$which unwrap: ", json_encode($got), "\n";

    // tampering: a flipped bit, a replayed frame, a dropped frame, an oversized length
    $first = substr($in, 0, 4 + unpack('N', $in)[1]);
    $second = substr($in, strlen($first));
    $cases = [
        'bit flipped' => [substr_replace($first, chr(ord($first[8]) ^ 1), 8, 1)],
        'replayed' => [$first, $first],
        'dropped' => [$second],
        'oversized' => ["\x7f\xff\xff\xff"],
    ];
    foreach ($cases as $name => $frames) {
        $c = client($which, $cred);
        $c->step($offer);
        $c->step($rspauth);
        $out = '';
        try {
            foreach ($frames as $f) {
                $out .= $c->unwrap($f);
            }
            echo "$which $name: undetected\n";
        } catch (Sqauth\SecurityException $e) {
            echo "$which $name: ", $e->getMessage(), "\n";
        }
        // and nothing passes afterwards
        try {
            $c->unwrap($first);
        } catch (Sqauth\SecurityException $e) {
            echo "  then: ", $e->getMessage(), "\n";
        }
    }
}
?>
--EXPECT--
NULL
charset=utf-8,username="chris",realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",nc=00000001,cnonce="OA6MHXh6VqTrRk",digest-uri="imap/elwood.innosoft.com",response=d388dad90d4bbd760a152321f2143af7,qop=auth
bool(false)
string(0) ""
bool(true)
bool(true)
wrong rspauth: Sqauth\SecurityException: DIGEST-MD5: the server's rspauth is wrong: it did not prove that it knows the password
bool(false)
missing rspauth: Sqauth\SecurityException: DIGEST-MD5: the server did not send rspauth, so it did not prove that it knows the password
bool(false)
auth-int before rspauth: the security layer starts only once authentication is complete
auth-int wrap: matches
auth-int unwrap: "* OK hello\r\nA1 OK NOOP done\r\n"
auth-int bit flipped: DIGEST-MD5: a frame failed its integrity check (tampered with)
  then: DIGEST-MD5: the security layer has failed
auth-int replayed: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
  then: DIGEST-MD5: the security layer has failed
auth-int dropped: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
  then: DIGEST-MD5: the security layer has failed
auth-int oversized: DIGEST-MD5: frame of 2147483647 bytes is outside 16..65536
  then: DIGEST-MD5: the security layer has failed
3des before rspauth: the security layer starts only once authentication is complete
3des wrap: matches
3des unwrap: "* OK hello\r\nA1 OK NOOP done\r\n"
3des bit flipped: DIGEST-MD5: a frame failed its integrity check (tampered with)
  then: DIGEST-MD5: the security layer has failed
3des replayed: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
  then: DIGEST-MD5: the security layer has failed
3des dropped: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
  then: DIGEST-MD5: the security layer has failed
3des oversized: DIGEST-MD5: frame of 2147483647 bytes is outside 16..65536
  then: DIGEST-MD5: the security layer has failed
rc4 before rspauth: the security layer starts only once authentication is complete
rc4 wrap: matches
rc4 unwrap: "* OK hello\r\nA1 OK NOOP done\r\n"
rc4 bit flipped: DIGEST-MD5: a frame failed its integrity check (tampered with)
  then: DIGEST-MD5: the security layer has failed
rc4 replayed: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
  then: DIGEST-MD5: the security layer has failed
rc4 dropped: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
  then: DIGEST-MD5: the security layer has failed
rc4 oversized: DIGEST-MD5: frame of 2147483647 bytes is outside 16..65536
  then: DIGEST-MD5: the security layer has failed
