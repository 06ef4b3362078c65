--TEST--
Hostile servers over the wire: bad DIGEST-MD5 challenges, wrong rspauth, SCRAM with wrong or missing signatures, e=, huge iteration counts, the connection closed or stalled at every step, expired and broken-chain certificates, TLS 1.0 only, a token's hostile error report
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
function run(string $label, array $steps, array $opt): void {
    [$port, $finish] = sqauth_fake_server($steps);
    $t0 = microtime(true);
    try {
        $s = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', $opt + ['tls' => 'none', 'timeout' => 1, 'login_timeout' => 3]);
        echo "$label: LOGGED IN\n";
        fclose($s);
    } catch (Throwable $e) {
        $msg = preg_replace('/(localhost|127\.0\.0\.1):\d+/', '$1:PORT', $e->getMessage());
        if (str_starts_with($label, 'closed after') && preg_match('/closed the connection|reset by peer/', $msg)) {
            $msg = 'closed (EOF or reset, depending on timing)';
        }
        echo "$label: ", substr(strrchr(get_class($e), '\\'), 1), ': ', $msg, "\n";
    }
    $t = microtime(true) - $t0;
    $log = $finish();
    preg_match('/STATUS: (.*)/', $log, $m);
    if (($m[1] ?? '') !== 'done') {
        echo "  server: ", $m[1] ?? '?', "\n"; // (timing is test 044's business)
    }
}
$greet = fn(string $mech) => ['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=$mech] hi\r\n"];
$digest = fn(string $challenge) => [$greet('DIGEST-MD5'), ['expect', '/^A1 AUTHENTICATE DIGEST-MD5\r\n$/'],
    ['send', "+ $challenge\r\n"], ['expect', '/^\*\r\n$/'], ['send', "A1 BAD cancelled\r\n"], ['read_all']];
$ok = 'realm="x",nonce="n",qop="auth",algorithm=md5-sess';
$bad = [
    'invalid base64' => '!!!notbase64!!!',
    'empty challenge' => '',
    '100 KB challenge' => base64_encode('nonce="' . str_repeat('a', 100 * 1024) . '",algorithm=md5-sess'),
    '1,000 realms' => base64_encode(str_repeat('realm="r",', 1000) . 'nonce="n",algorithm=md5-sess'),
    'duplicate nonce' => base64_encode('nonce="a",nonce="b",algorithm=md5-sess'),
    'unterminated quote' => base64_encode('nonce="abc,algorithm=md5-sess'),
    'overflowing maxbuf' => base64_encode($ok . ',maxbuf=99999999999999999999999'),
    'NUL byte' => base64_encode("nonce=\"a\0b\",algorithm=md5-sess"),
];
foreach ($bad as $label => $ch) {
    $steps = $digest($ch);
    if ($label === '100 KB challenge') {
        $steps = array_merge(array_slice($steps, 0, 3), [['read_all']]); // refused before decoding: no "*"
    }
    run("DIGEST-MD5 $label", $steps, ['mechanism' => 'digest-md5']);
}
run('DIGEST-MD5 wrong rspauth', [$greet('DIGEST-MD5'), ['expect', '/^A1 AUTHENTICATE/'], ['send', '+ ' . base64_encode($ok) . "\r\n"],
    ['expect', '/^[A-Za-z0-9+\/=]+\r\n$/'], ['send', '+ ' . base64_encode('rspauth=' . str_repeat('0', 32)) . "\r\n"],
    ['expect', '/^\*\r\n$/'], ['send', "A1 BAD cancelled\r\n"], ['read_all']], ['mechanism' => 'digest-md5']);

$scram = fn(array $after) => array_merge([$greet('SCRAM-SHA-256'), ['expect', '/^A1 AUTHENTICATE SCRAM-SHA-256 /'],
    ['scram_first', '+ ', "\r\n"], ['expect', '/^[A-Za-z0-9+\/=]+\r\n$/']], $after);
run('SCRAM wrong server signature', $scram([['send', '+ ' . base64_encode('v=' . base64_encode(str_repeat("\0", 32))) . "\r\n"],
    ['expect', '/^\*\r\n$/'], ['send', "A1 BAD cancelled\r\n"], ['read_all']]), ['mechanism' => 'scram-sha-256']);
run('SCRAM OK without a server signature', $scram([['send', "A1 OK welcome\r\n"], ['read_all']]), ['mechanism' => 'scram-sha-256']);
run('SCRAM e=invalid-proof', $scram([['send', '+ ' . base64_encode('e=invalid-proof') . "\r\n"], ['expect', '/^\*\r\n$/'],
    ['send', "A1 NO [AUTHENTICATIONFAILED] no\r\n"], ['read_all']]), ['mechanism' => 'scram-sha-256']);
run('SCRAM server nonce not extending ours', [$greet('SCRAM-SHA-256'), ['expect', '/^A1 AUTHENTICATE/'],
    ['send', '+ ' . base64_encode('r=somebodyelse,s=QSXCR+Q6sek8bf92,i=4096') . "\r\n"], ['expect', '/^\*\r\n$/'],
    ['send', "A1 BAD cancelled\r\n"], ['read_all']], ['mechanism' => 'scram-sha-256']);
run('SCRAM 4,000,000,000 iterations', [$greet('SCRAM-SHA-256'), ['expect', '/^A1 AUTHENTICATE SCRAM-SHA-256 /'],
    ['send', '+ '], ['send', ''], ['scram_iter', '4000000000'], ['expect', '/^\\*\r\n$/'], ['send', "A1 BAD cancelled\r\n"], ['read_all']],
    ['mechanism' => 'scram-sha-256']);

// the connection closed, or stalled, at every step of a SCRAM exchange
$full = [$greet('SCRAM-SHA-256'), ['expect', '/^A1 AUTHENTICATE SCRAM-SHA-256 /'], ['scram_first', '+ ', "\r\n"],
    ['expect', '/^[A-Za-z0-9+\/=]+\r\n$/']];
for ($n = 0; $n <= count($full); $n++) {
    run("closed after step $n", array_merge(array_slice($full, 0, $n), [['close']]), ['mechanism' => 'scram-sha-256']);
    run("stalled after step $n", array_merge(array_slice($full, 0, $n), [['sleep', 4], ['close']]), ['mechanism' => 'scram-sha-256']);
}

// certificates and protocol versions
$tls = fn(string $cert, bool $tls10 = false) => [['tls', $cert, $tls10], ['send', "* OK hi\r\n"], ['read_all']];
// (TLS under valgrind is slow: these cases are not about timing)
$ca = ['tls' => 'implicit', 'ssl' => ['cafile' => getenv('SQAUTH_TEST_CA')], 'timeout' => 20, 'login_timeout' => 40];
run('expired certificate', $tls('expired'), $ca);
run('broken chain (intermediate not sent)', $tls('brokenchain'), $ca);
run('a server that speaks TLS 1.0 only', $tls('server', true), $ca);
run('the right certificate', [['tls', 'server'], ['send', "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"], ['expect', '/^A1 AUTHENTICATE PLAIN/'],
    ['send', "+ \r\n"], ['expect', '/./'], ['send', "A1 OK\r\n"], ['expect', '/^A2 CAPABILITY/'], ['send', "* CAPABILITY IMAP4rev1\r\nA2 OK\r\n"], ['read_all']],
    $ca + ['mechanism' => 'plain']);
// a token refused with a hostile error report: control bytes and 2 KB, kept sanitised and short
$report = '{"status":"401","scope":"' . "\x1b[31m\0\r\n" . str_repeat('A', 2000) . '"}';
run('XOAUTH2 error report with control bytes, 2 KB', [$greet('XOAUTH2'), ['expect', '/^A1 AUTHENTICATE XOAUTH2 [A-Za-z0-9+\/=]+\r\n$/'],
    ['send', '+ ' . base64_encode($report) . "\r\n"], ['expect', '/^\r\n$/'], ['send', "A1 NO [AUTHENTICATIONFAILED] no\r\n"], ['read_all']],
    ['mechanism' => 'xoauth2']);
// a second challenge after the error report is not in either profile: cancelled
run('OAUTHBEARER a second challenge after the error report', [$greet('OAUTHBEARER'), ['expect', '/^A1 AUTHENTICATE OAUTHBEARER /'],
    ['send', '+ ' . base64_encode('{"status":"invalid_token"}') . "\r\n"], ['expect', '/^AQ==\r\n$/'],
    ['send', '+ ' . base64_encode('{"status":"invalid_token"}') . "\r\n"], ['expect', '/^\*\r\n$/'], ['send', "A1 BAD cancelled\r\n"], ['read_all']],
    ['mechanism' => 'oauthbearer']);
?>
--EXPECT--
DIGEST-MD5 invalid base64: ProtocolException: DIGEST-MD5: the server's challenge is not valid base64
DIGEST-MD5 empty challenge: ProtocolException: DIGEST-MD5: empty challenge
DIGEST-MD5 100 KB challenge: ProtocolException: the server sent a line longer than 65536 bytes
DIGEST-MD5 1,000 realms: ProtocolException: DIGEST-MD5: challenge of 10028 bytes exceeds the 2048-byte limit
DIGEST-MD5 duplicate nonce: ProtocolException: DIGEST-MD5: duplicate nonce directive
DIGEST-MD5 unterminated quote: ProtocolException: DIGEST-MD5: unterminated quoted string
DIGEST-MD5 overflowing maxbuf: ProtocolException: DIGEST-MD5: maxbuf must be a number from 17 to 16777215
DIGEST-MD5 NUL byte: ProtocolException: DIGEST-MD5: control character in a quoted string
DIGEST-MD5 wrong rspauth: SecurityException: DIGEST-MD5: the server's rspauth is wrong: it did not prove that it knows the password
SCRAM wrong server signature: SecurityException: SCRAM: the server signature is wrong: the server did not prove that it knows the password
SCRAM OK without a server signature: SecurityException: SCRAM-SHA-256: the server accepted the login without proving that it knows the password (no server signature): possible impersonation
SCRAM e=invalid-proof: AuthenticationException: SCRAM: the server reported an error: invalid-proof
SCRAM server nonce not extending ours: SecurityException: SCRAM: the server nonce does not extend the client nonce
SCRAM 4,000,000,000 iterations: SecurityException: SCRAM: the server asks for 4000000000 iterations, more than the limit of 1000000
closed after step 0: ConnectionException: closed (EOF or reset, depending on timing)
stalled after step 0: ConnectionException: read from localhost:PORT timed out (timeout) waiting for the greeting; if this port speaks TLS at once, set tls 'implicit'
closed after step 1: ConnectionException: closed (EOF or reset, depending on timing)
stalled after step 1: ConnectionException: read from localhost:PORT timed out (timeout) waiting for the answer to the login (SCRAM-SHA-256): the server answered until then, and may be delaying logins
closed after step 2: ConnectionException: closed (EOF or reset, depending on timing)
stalled after step 2: ConnectionException: read from localhost:PORT timed out (timeout) waiting for the answer to the login (SCRAM-SHA-256): the server answered until then, and may be delaying logins
closed after step 3: ConnectionException: closed (EOF or reset, depending on timing)
stalled after step 3: ConnectionException: read from localhost:PORT timed out (timeout) waiting for the answer to the login (SCRAM-SHA-256): the server answered until then, and may be delaying logins
closed after step 4: ConnectionException: closed (EOF or reset, depending on timing)
stalled after step 4: ConnectionException: read from localhost:PORT timed out (timeout) waiting for the answer to the login (SCRAM-SHA-256): the server answered until then, and may be delaying logins
expired certificate: TlsException: TLS handshake with localhost:PORT failed: certificate verify failed: certificate has expired
  server: step 0: TLS handshake failed
broken chain (intermediate not sent): TlsException: TLS handshake with localhost:PORT failed: certificate verify failed: unable to get local issuer certificate
  server: step 0: TLS handshake failed
a server that speaks TLS 1.0 only: TlsException: TLS handshake with localhost:PORT failed: error:0A00042E:SSL routines::tlsv1 alert protocol version
  server: step 0: TLS handshake failed
the right certificate: LOGGED IN
XOAUTH2 error report with control bytes, 2 KB: AuthenticationException: XOAUTH2 authentication failed: no (the server's error report: {"status":"401","scope":"?[31m???AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
OAUTHBEARER a second challenge after the error report: ProtocolException: OAUTHBEARER: unexpected challenge after the error report
