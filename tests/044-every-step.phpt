--TEST--
Every step of every mechanism: the server closes, or stalls (the login ends at the timeout, measured), and capabilities that change at login are the ones reported
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_TEST_CERTDIR');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/fakeserver.inc';
$greet = fn(string $m) => ['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=$m] hi\r\n"];
$b64line = ['expect', '/^[A-Za-z0-9+\/=]*\r\n$/'];
$exchanges = [
    'login-command' => [$greet('PLAIN'), ['expect', '/^A1 LOGIN /']],
    'plain' => [$greet('PLAIN'), ['expect', '/^A1 AUTHENTICATE PLAIN /']],
    'sasl-login' => [$greet('LOGIN'), ['expect', '/^A1 AUTHENTICATE LOGIN\r\n$/'], ['send', "+ VXNlcm5hbWU6\r\n"], $b64line,
        ['send', "+ UGFzc3dvcmQ6\r\n"], $b64line],
    'cram-md5' => [$greet('CRAM-MD5'), ['expect', '/^A1 AUTHENTICATE CRAM-MD5\r\n$/'], ['send', "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+\r\n"], $b64line],
    'digest-md5' => [$greet('DIGEST-MD5'), ['expect', '/^A1 AUTHENTICATE DIGEST-MD5\r\n$/'],
        ['send', '+ ' . base64_encode('realm="x",nonce="n",qop="auth",algorithm=md5-sess') . "\r\n"], $b64line],
    'scram-sha-1' => [$greet('SCRAM-SHA-1'), ['expect', '/^A1 AUTHENTICATE SCRAM-SHA-1 /'], ['scram_first', '+ ', "\r\n"], $b64line],
];
$method = ['login-command' => 'login'];
$total = 0;
$worst = 0.0;
foreach ($exchanges as $mech => $full) {
    $outcomes = [];
    for ($n = 0; $n <= count($full); $n++) {
        foreach (['close' => [['close']], 'stall' => [['sleep', 1.2], ['close']]] as $what => $tail) {
            [$port, $finish] = sqauth_fake_server(array_merge(array_slice($full, 0, $n), $tail));
            $t0 = microtime(true);
            try {
                sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf',
                    ['tls' => 'none', 'mechanism' => $method[$mech] ?? $mech, 'timeout' => 0.5, 'login_timeout' => 2]);
                $r = 'LOGGED IN';
            } catch (Sqauth\ConnectionException $e) {
                $r = preg_match('/timed out/', $e->getMessage()) ? 'timeout' : 'closed';
            } catch (Throwable $e) {
                $r = get_class($e);
            }
            $t = microtime(true) - $t0;
            $finish();
            $total++;
            if ($what === 'stall') {
                $worst = max($worst, $t);
            }
            $outcomes[] = "$what@$n=$r" . ($what === 'stall' && $t > 2.5 ? sprintf(' (%.1fs!)', $t) : '');
        }
    }
    echo str_pad($mech, 14), implode(' ', $outcomes), "\n";
}
// "timeout" above means the client gave up before the server's close at 1.2 s
echo "$total cases; every stall ended within 2.5 s (timeout 0.5 s): ", var_export($worst < 2.5, true), "\n";

// the capabilities reported are the ones after login, from the tagged OK
[$port, $finish] = sqauth_fake_server([$greet('PLAIN'), ['expect', '/^A1 AUTHENTICATE PLAIN /'],
    ['send', "A1 OK [CAPABILITY IMAP4rev1 IDLE NEWLY-ENABLED] welcome\r\n"], ['read_all']]);
$s = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => 'none', 'mechanism' => 'plain']);
echo 'after login: ', implode(' ', sqauth_stream_info($s)['capabilities']), "\n";
fclose($s);
$finish();
?>
--EXPECT--
login-command close@0=closed stall@0=timeout close@1=closed stall@1=timeout close@2=closed stall@2=timeout
plain         close@0=closed stall@0=timeout close@1=closed stall@1=timeout close@2=closed stall@2=timeout
sasl-login    close@0=closed stall@0=timeout close@1=closed stall@1=timeout close@2=closed stall@2=timeout close@3=closed stall@3=timeout close@4=closed stall@4=timeout close@5=closed stall@5=timeout close@6=closed stall@6=timeout
cram-md5      close@0=closed stall@0=timeout close@1=closed stall@1=timeout close@2=closed stall@2=timeout close@3=closed stall@3=timeout close@4=closed stall@4=timeout
digest-md5    close@0=closed stall@0=timeout close@1=closed stall@1=timeout close@2=closed stall@2=timeout close@3=closed stall@3=timeout close@4=closed stall@4=timeout
scram-sha-1   close@0=closed stall@0=timeout close@1=closed stall@1=timeout close@2=closed stall@2=timeout close@3=closed stall@3=timeout close@4=closed stall@4=timeout
56 cases; every stall ended within 2.5 s (timeout 0.5 s): true
after login: IMAP4rev1 IDLE NEWLY-ENABLED
