--TEST--
Scripted servers: STARTTLS not offered or refused, injected responses after the STARTTLS OK discarded, PREAUTH and BYE greetings, a login accepted without rspauth or server signature, stalls, huge lines, capability downgrades
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
$ca = ['ssl' => ['cafile' => getenv('SQAUTH_TEST_CA')]];
$caps = "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=SCRAM-SHA-256 AUTH=DIGEST-MD5\r\n";
function run(string $label, array $steps, callable $login): void {
    [$port, $finish] = sqauth_fake_server($steps);
    $t0 = microtime(true);
    try {
        $s = $login($port);
        echo "$label: logged in as ", sqauth_stream_info($s)['mechanism'], "\n";
        fclose($s);
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ': ', preg_replace('/:\d+/', ':PORT', $e->getMessage()), "\n";
    }
    $took = microtime(true) - $t0;
    $log = $finish();
    preg_match('/STATUS: (.*)/', $log, $m);
    // "slow" marks a login that sat out a timeout (20 s below) instead of acting on what the
    // server said; half of it leaves room for valgrind on a busy machine (3.4 s seen)
    echo "  server: ", $m[1] ?? 'no status', $took > 10 ? " (slow: {$took}s)" : '', "\n";
}
// generous timeouts (valgrind slows TLS down); the stall cases set their own
$imap = fn(array $o = []) => fn($port) => sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', $o + ['timeout' => 20] + $GLOBALS['ca']);

run('STARTTLS required, not offered', [
    ['send', "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"], ['read_all'],
], $imap(['tls' => 'starttls']));

run('STARTTLS refused', [
    ['send', "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] hi\r\n"],
    ['expect', '/^A1 STARTTLS\r\n$/'], ['send', "A1 NO not today\r\n"], ['read_all'],
], $imap(['tls' => 'starttls']));

// a man in the middle appends a forged response to the STARTTLS OK, in the same packet;
// the client must ignore it and ask for the capabilities again over TLS
run('injection after the STARTTLS OK', [
    ['send', "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n"],
    ['expect', '/^A1 STARTTLS\r\n$/'],
    ['send', "A1 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] forged\r\n"],
    ['tls'],
    ['expect', '/^A2 CAPABILITY\r\n$/'], ['send', $caps . "A2 OK done\r\n"],
    ['expect', '/^A3 AUTHENTICATE SCRAM-SHA-256 [A-Za-z0-9+\/=]+\r\n$/'],
    ['send', "A3 NO [AUTHENTICATIONFAILED] scripted refusal\r\n"], ['read_all'],
], $imap(['tls' => 'starttls']));

run('PREAUTH greeting with STARTTLS', [['send', "* PREAUTH [CAPABILITY IMAP4rev1] welcome\r\n"], ['read_all']],
    $imap(['tls' => 'starttls']));
run('BYE greeting', [['send', "* BYE too busy\r\n"], ['close']], $imap(['tls' => 'none']));
run('not an IMAP server', [['send', "220 smtp.example ESMTP\r\n"], ['close']], $imap(['tls' => 'none']));

// DIGEST-MD5: the server says OK without ever sending rspauth
run('DIGEST-MD5 accepted without rspauth', [
    ['send', "* OK [CAPABILITY IMAP4rev1 AUTH=DIGEST-MD5] hi\r\n"],
    ['expect', '/^A1 AUTHENTICATE DIGEST-MD5\r\n$/'],
    ['send', '+ ' . base64_encode('realm="x",nonce="abc",qop="auth",algorithm=md5-sess,charset=utf-8') . "\r\n"],
    ['expect', '/^[A-Za-z0-9+\/=]+\r\n$/'], ['send', "A1 OK welcome, whoever you are\r\n"], ['read_all'],
], $imap(['tls' => 'none', 'mechanism' => 'digest-md5']));

// SCRAM: a malformed server-first-message; the client cancels the exchange with "*"
run('SCRAM malformed server-first', [
    ['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=SCRAM-SHA-1] hi\r\n"],
    ['expect', '/^A1 AUTHENTICATE SCRAM-SHA-1 /'],
    ['send', '+ ' . base64_encode('r=') . "\r\n"], ['expect', '/^\\*\r\n$/'], ['send', "A1 BAD cancelled\r\n"], ['read_all'],
], $imap(['tls' => 'none', 'mechanism' => 'scram-sha-1']));

run('a continuation where none is expected', [
    ['send', "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"],
    ['expect', '/^A1 LOGIN /'], ['send', "+ go on\r\n"], ['read_all'],
], $imap(['tls' => 'none', 'mechanism' => 'login']));

run('tagged NO without a response code', [
    ['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\n"],
    ['expect', '/^A1 AUTHENTICATE PLAIN /'], ['send', "A1 NO go away\r\n"], ['read_all'],
], $imap(['tls' => 'none', 'mechanism' => 'plain']));

run('stalled greeting (timeout 0.5 s)', [['sleep', 2], ['close']],
    fn($port) => sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => 'none', 'timeout' => 0.5]));
// a byte every 0.2 s never trips the 0.5 s wait, but the whole login is bounded
$trickle = [];
foreach (str_split('* OK a greeting that takes its time', 1) as $ch) {
    $trickle[] = ['send', $ch];
    $trickle[] = ['sleep', 0.2];
}
run('trickled greeting (timeout 0.5 s, login_timeout 1 s)', array_merge($trickle, [['close']]),
    fn($port) => sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => 'none', 'timeout' => 0.5, 'login_timeout' => 1]));
run('a 1 MB line', [['send', '* OK ' . str_repeat('x', 1 << 20) . "\r\n"], ['read_all']], $imap(['tls' => 'none']));
run('closed after the greeting', [['send', "* OK hi\r\n"], ['expect', '/^A1 CAPABILITY/'], ['close']], $imap(['tls' => 'none']));

// capabilities shrink after TLS: only the post-TLS list counts
run('capabilities shrink after STARTTLS', [
    ['send', "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=SCRAM-SHA-256 AUTH=PLAIN] hi\r\n"],
    ['expect', '/^A1 STARTTLS\r\n$/'], ['send', "A1 OK go\r\n"], ['tls'],
    // the capability request travels with the login command; the mechanism is
    // checked against the answer before anything else is sent
    ['expect', '/^A2 CAPABILITY\r\n$/'], ['expect', '/^A3 AUTHENTICATE SCRAM-SHA-256\r\n$/'],
    ['send', "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK\r\n"], ['read_all'],
], $imap(['tls' => 'starttls', 'mechanism' => 'scram-sha-256']));

// STARTTLS goes out with the connection, before the greeting is read
run('STARTTLS before the greeting', [
    ['expect', '/^A1 STARTTLS\r\n$/'],
    ['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS AUTH=PLAIN] hi\r\nA1 OK go\r\n"], ['tls'],
    ['expect', '/^A2 CAPABILITY\r\n$/'], ['expect', '/^A3 AUTHENTICATE PLAIN AHRpbQB0YW5zdGFhZg==\r\n$/'],
    ['send', "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK\r\nA3 OK [CAPABILITY IMAP4rev1] done\r\n"], ['read_all'],
], $imap(['tls' => 'starttls', 'mechanism' => 'plain']));

// 'pipelining' => false: every command waits for the answer before it
run('STARTTLS without pipelining', [
    ['quiet', 0.3], ['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS AUTH=PLAIN] hi\r\n"],
    ['expect', '/^A1 STARTTLS\r\n$/'], ['send', "A1 OK go\r\n"], ['tls'],
    ['expect', '/^A2 CAPABILITY\r\n$/'], ['quiet', 0.3], ['send', "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\nA2 OK\r\n"],
    ['expect', '/^A3 AUTHENTICATE PLAIN AHRpbQB0YW5zdGFhZg==\r\n$/'], ['send', "A3 OK [CAPABILITY IMAP4rev1] done\r\n"], ['read_all'],
], $imap(['tls' => 'starttls', 'mechanism' => 'plain', 'pipelining' => false]));

// a LOGINDISABLED that only the list over TLS shows stops the LOGIN command's answer from counting
run('LOGINDISABLED over TLS', [
    ['send', "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n"], ['expect', '/^A1 STARTTLS\r\n$/'], ['send', "A1 OK go\r\n"], ['tls'],
    ['expect', '/^A2 CAPABILITY\r\n$/'], ['expect', '/^A3 LOGIN /'],
    ['send', "* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN\r\nA2 OK\r\nA3 OK logged in anyway\r\n"], ['read_all'],
], $imap(['tls' => 'starttls', 'mechanism' => 'login']));
?>
--EXPECT--
STARTTLS required, not offered: Sqauth\SecurityException: localhost:PORT does not offer STARTTLS, and tls 'starttls' never falls back to plaintext
  server: done
STARTTLS refused: Sqauth\SecurityException: IMAP: the server refused STARTTLS
  server: done
injection after the STARTTLS OK: Sqauth\AuthenticationException: SCRAM-SHA-256 authentication failed: scripted refusal
  server: done
PREAUTH greeting with STARTTLS: Sqauth\SecurityException: IMAP: the server sent PREAUTH, which rules out STARTTLS
  server: done
BYE greeting: Sqauth\ConnectionException: the IMAP server refused the connection: * BYE too busy
  server: done
not an IMAP server: Sqauth\ProtocolException: IMAP: not an IMAP greeting: 220 smtp.example ESMTP
  server: done
DIGEST-MD5 accepted without rspauth: Sqauth\SecurityException: DIGEST-MD5: the server accepted the login without proving that it knows the password (no rspauth): possible impersonation
  server: done
SCRAM malformed server-first: Sqauth\ProtocolException: SCRAM: malformed server-first-message
  server: done
a continuation where none is expected: Sqauth\ProtocolException: IMAP: unexpected continuation request after LOGIN
  server: done
tagged NO without a response code: Sqauth\AuthenticationException: PLAIN authentication failed: go away
  server: done
stalled greeting (timeout 0.5 s): Sqauth\ConnectionException: read from localhost:PORT timed out (timeout) waiting for the greeting; if this port speaks TLS at once, set tls 'implicit'
  server: done
trickled greeting (timeout 0.5 s, login_timeout 1 s): Sqauth\ConnectionException: read from localhost:PORT timed out (login_timeout) waiting for the greeting; if this port speaks TLS at once, set tls 'implicit'
  server: done
a 1 MB line: Sqauth\ProtocolException: the server sent a line longer than 65536 bytes
  server: done
closed after the greeting: Sqauth\ConnectionException: the server closed the connection
  server: done
capabilities shrink after STARTTLS: Sqauth\ProtocolException: localhost:PORT does not offer SCRAM-SHA-256
  server: done
STARTTLS before the greeting: logged in as PLAIN
  server: done
STARTTLS without pipelining: logged in as PLAIN
  server: done
LOGINDISABLED over TLS: Sqauth\ProtocolException: IMAP: the server disables the LOGIN command (LOGINDISABLED)
  server: done
