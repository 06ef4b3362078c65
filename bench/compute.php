<?php
/*
 * Per-call cost of the SASL arithmetic, side by side in one run: sqauth,
 * SquirrelMail 1.4's algorithm in pure PHP (bench/squirrelmail14.php), PEAR
 * Auth_SASL (Debian php-auth-sasl) and the floor (the fewest PHP built-in
 * calls that compute the same bytes). Medians of 15 interleaved rounds; ratios are
 * "how many times sqauth's time". Outputs are checked to agree first.
 *   php -d extension=sqauth bench/compute.php [--json FILE]
 */
require __DIR__ . '/squirrelmail14.php';
set_include_path('/usr/share/php' . PATH_SEPARATOR . get_include_path());
$pear = (@include_once 'Auth/SASL/CramMD5.php') && (@include_once 'Auth/SASL/DigestMD5.php');
$jsonFile = ($i = array_search('--json', $argv, true)) !== false ? $argv[$i + 1] : null;

$u = 'chris';
$p = 'secret';
$cramCh = base64_encode('<1896.697170952@postoffice.reston.mci.net>');
$digCh = 'cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0RVFHbTJoaCIscW9wPSJhdXRoIixhbGdvcml0aG09bWQ1LXNlc3MsY2hhcnNldD11dGYtOA==';
$digReply = sqauth_digest_md5_response($u, $p, $digCh, 'imap', 'elwood.innosoft.com', '', ['cnonce' => 'OA6MHXh6VqTrRk']);
$rspauth = base64_encode('rspauth=ea40f60335c427b5527b84dbabcdfffd');

// the floor: the same bytes with PHP's own functions and nothing else
$floorCram = fn() => base64_encode("$u " . hash_hmac('md5', base64_decode($cramCh), $p)) . "\r\n";
$floorDigest = function () use ($u, $p, $digCh) {
    $c = base64_decode($digCh);
    preg_match('/realm="([^"]*)"/', $c, $r);
    preg_match('/nonce="([^"]*)"/', $c, $n);
    $cnonce = base64_encode(random_bytes(18));
    $a1 = md5(md5("$u:{$r[1]}:$p", true) . ":{$n[1]}:$cnonce");
    $resp = md5("$a1:{$n[1]}:00000001:$cnonce:auth:" . md5('AUTHENTICATE:imap/elwood.innosoft.com'));
    return base64_encode("charset=utf-8,username=\"$u\",realm=\"{$r[1]}\",nonce=\"{$n[1]}\",nc=00000001,cnonce=\"$cnonce\","
        . "digest-uri=\"imap/elwood.innosoft.com\",response=$resp,qop=auth") . "\r\n";
};
$floorVerify = function () use ($u, $p, $digCh, $digReply, $rspauth) {
    $c = base64_decode($digCh);
    $r = base64_decode($digReply);
    preg_match('/realm="([^"]*)"/', $c, $realm);
    preg_match('/nonce="([^"]*)"/', $c, $nonce);
    preg_match('/cnonce="([^"]*)"/', $r, $cn);
    $a1 = md5(md5("$u:{$realm[1]}:$p", true) . ":{$nonce[1]}:{$cn[1]}");
    $want = md5("$a1:{$nonce[1]}:00000001:{$cn[1]}:auth:" . md5(':imap/elwood.innosoft.com'));
    return hash_equals('rspauth=' . $want, base64_decode($rspauth));
};
// SCRAM-SHA-256, RFC 7677's exchange (4096 iterations), client side
$sFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
$sFinal = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';
$sqScram = function () use ($sFirst, $sFinal) {
    $c = new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'user', 'password' => 'pencil', 'cnonce' => 'rOprNGfwEbeRWgbNEkqO']);
    $c->initialResponse();
    $final = $c->step($sFirst);
    $c->step($sFinal);
    return $final;
};
$floorScram = function () use ($sFirst, $sFinal) {
    $bare = 'n=user,r=rOprNGfwEbeRWgbNEkqO';
    $salted = hash_pbkdf2('sha256', 'pencil', base64_decode('W22ZaJ0SNY7soEsUEjb6gQ=='), 4096, 32, true);
    $ck = hash_hmac('sha256', 'Client Key', $salted, true);
    $noProof = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    $am = "$bare,$sFirst,$noProof";
    $proof = $ck ^ hash_hmac('sha256', $am, hash('sha256', $ck, true), true);
    $ss = hash_hmac('sha256', $am, hash_hmac('sha256', 'Server Key', $salted, true), true);
    if (!hash_equals(base64_encode($ss), substr($sFinal, 2))) {
        throw new RuntimeException('floor SCRAM mismatch');
    }
    return $noProof . ',p=' . base64_encode($proof);
};

$ops = [
    'CRAM-MD5 response' => [
        'sqauth' => fn() => sqauth_cram_md5_response($u, $p, $cramCh),
        'SquirrelMail 1.4 (PHP)' => fn() => sm14_cram_md5_response($u, $p, $cramCh),
        'PEAR Auth_SASL' => $pear ? fn() => base64_encode((new Auth_SASL_CramMD5())->getResponse($u, $p, base64_decode($cramCh))) . "\r\n" : null,
        'floor (PHP built-ins)' => $floorCram,
    ],
    'DIGEST-MD5 response' => [
        'sqauth' => fn() => sqauth_digest_md5_response($u, $p, $digCh, 'imap', 'elwood.innosoft.com'),
        'SquirrelMail 1.4 (PHP)' => fn() => sm14_digest_md5_response($u, $p, $digCh, 'imap', 'elwood.innosoft.com'),
        'PEAR Auth_SASL' => $pear ? fn() => base64_encode((new Auth_SASL_DigestMD5())->getResponse($u, $p, base64_decode($digCh), 'elwood.innosoft.com', 'imap')) . "\r\n" : null,
        'floor (PHP built-ins)' => $floorDigest,
    ],
    'DIGEST-MD5 rspauth check' => [
        'sqauth' => fn() => sqauth_digest_md5_verify($u, $p, $digCh, $digReply, $rspauth),
        'SquirrelMail 1.4 (PHP)' => null, // never checked rspauth
        'PEAR Auth_SASL' => null,         // nor does PEAR
        'floor (PHP built-ins)' => $floorVerify,
    ],
    'SCRAM-SHA-256 exchange (4096 it.)' => [
        'sqauth' => $sqScram,
        'SquirrelMail 1.4 (PHP)' => null, // no SCRAM
        'PEAR Auth_SASL' => null,         // its SCRAM needs create_function(), gone in PHP 8
        'floor (PHP built-ins)' => $floorScram,
    ],
];

// the implementations must agree before they are timed
assert_same(sqauth_cram_md5_response($u, $p, $cramCh), $floorCram(), sm14_cram_md5_response($u, $p, $cramCh));
if ($pear) {
    assert_same(sqauth_cram_md5_response($u, $p, $cramCh), base64_encode((new Auth_SASL_CramMD5())->getResponse($u, $p, base64_decode($cramCh))) . "\r\n");
}
assert_same(true, $floorVerify(), sqauth_digest_md5_verify($u, $p, $digCh, $digReply, $rspauth));
assert_same($sqScram(), $floorScram());
function assert_same(...$v): void
{
    foreach ($v as $x) {
        if ($x !== $v[0]) {
            fwrite(STDERR, "implementations disagree\n");
            exit(1);
        }
    }
}

/* Calls per sample so that one sample takes about 20 ms. */
function calibrate(callable $f): int
{
    $n = 1;
    do {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $f();
        }
        $dt = hrtime(true) - $t;
        $n *= 2;
    } while ($dt < 20e6 && $n < 1 << 22);
    return max(1, (int) ($n / 2 * 20e6 / max($dt, 1)));
}

/* Median time per call of each implementation, over 15 rounds in which every
 * implementation takes its turn: a machine that speeds up or slows down
 * during the run moves all of them alike, so the ratios hold. */
function per_call_us_interleaved(array $impls): array
{
    $n = array_map(fn($f) => calibrate($f), $impls);
    $samples = array_map(fn() => [], $impls);
    for ($round = 0; $round < 15; $round++) {
        foreach ($impls as $name => $f) {
            $k = $n[$name];
            $t = hrtime(true);
            for ($i = 0; $i < $k; $i++) {
                $f();
            }
            $samples[$name][] = (hrtime(true) - $t) / $k / 1000;
        }
    }
    return array_map(function ($v) {
        sort($v);
        return $v[intdiv(count($v), 2)];
    }, $samples);
}

$results = [];
printf("%-34s %-24s %12s %10s\n", 'OPERATION', 'IMPLEMENTATION', 'US/CALL', 'X SQAUTH');
foreach ($ops as $op => $impls) {
    $us = per_call_us_interleaved(array_filter($impls));
    $base = $us['sqauth'];
    foreach ($impls as $name => $f) {
        if ($f === null) {
            printf("%-34s %-24s %12s %10s\n", $op, $name, 'n/a', '');
            $results[$op][$name] = null;
            continue;
        }
        $results[$op][$name] = round($us[$name], 3);
        printf("%-34s %-24s %12.3f %10.2f\n", $op, $name, $us[$name], $us[$name] / $base);
    }
}
printf("\nPHP %s, %s, sqauth %s\n", PHP_VERSION, OPENSSL_VERSION_TEXT, phpversion('sqauth'));
if ($jsonFile) {
    file_put_contents($jsonFile, json_encode(['php' => PHP_VERSION, 'openssl' => OPENSSL_VERSION_TEXT, 'us_per_call' => $results],
        JSON_PRETTY_PRINT) . "\n");
}
