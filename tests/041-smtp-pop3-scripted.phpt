--TEST--
Scripted SMTP and POP3 servers: the old "AUTH=" EHLO form, initial responses, 334 challenges, reply codes that do not fit, STARTTLS refused, a pre-CAPA POP3 server, POP3 extended codes
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
function run(string $label, array $steps, callable $login): void {
    [$port, $finish] = sqauth_fake_server($steps);
    try {
        $s = $login($port);
        echo "$label: logged in with ", sqauth_stream_info($s)['mechanism'], "\n";
        fclose($s);
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ': ', preg_replace('/:\d+/', ':PORT', $e->getMessage()),
            $e instanceof Sqauth\AuthenticationException ? ' [code ' . var_export($e->getResponseCode(), true) . ']' : '', "\n";
    }
    preg_match('/STATUS: (.*)/', $finish(), $m);
    echo '  server: ', $m[1] ?? '?', "\n";
}
$smtp = fn(array $o) => fn($p) => sqauth_smtp_login('localhost', $p, 'tim', 'tanstaaf', $o + ['tls' => 'none', 'timeout' => 2, 'helo' => 'c.example']);
$pop3 = fn(array $o) => fn($p) => sqauth_pop3_login('localhost', $p, 'tim', 'tanstaaf', $o + ['tls' => 'none', 'timeout' => 2]);
$ir = base64_encode("\0tim\0tanstaaf");

run('SMTP old AUTH= form, PLAIN with an initial response', [
    ['send', "220-mail.example ESMTP\r\n220 second greeting line\r\n"], ['expect', '/^EHLO c\.example\r\n$/'],
    ['send', "250-mail.example\r\n250-PIPELINING\r\n250-AUTH=PLAIN LOGIN\r\n250 8BITMIME\r\n"],
    ['expect', '#^AUTH PLAIN ' . preg_quote($ir, '#') . '\r\n$#'], ['send', "235 2.7.0 ok\r\n"], ['read_all'],
], $smtp(['mechanism' => 'plain']));
run('SMTP LOGIN through 334 challenges', [
    ['send', "220 mail.example ESMTP\r\n"], ['expect', '/^EHLO /'], ['send', "250-mail.example\r\n250 AUTH LOGIN\r\n"],
    ['expect', '/^AUTH LOGIN\r\n$/'], ['send', "334 VXNlcm5hbWU6\r\n"], ['expect', '/^dGlt\r\n$/'],
    ['send', "334 UGFzc3dvcmQ6\r\n"], ['expect', '/^dGFuc3RhYWY=\r\n$/'], ['send', "235 2.7.0 ok\r\n"], ['read_all'],
], $smtp(['mechanism' => 'login']));
run('SMTP 535 with an enhanced code', [
    ['send', "220 mail.example ESMTP\r\n"], ['expect', '/^EHLO /'], ['send', "250-mail.example\r\n250 AUTH PLAIN\r\n"],
    ['expect', '/^AUTH PLAIN /'], ['send', "535 5.7.8 Authentication credentials invalid\r\n"], ['read_all'],
], $smtp(['mechanism' => 'plain']));
run('SMTP mechanism not listed', [
    ['send', "220 mail.example ESMTP\r\n"], ['expect', '/^EHLO /'], ['send', "250-mail.example\r\n250 AUTH PLAIN\r\n"], ['read_all'],
], $smtp(['mechanism' => 'cram-md5']));
run('SMTP reply codes that differ within a reply', [
    ['send', "220 mail.example ESMTP\r\n"], ['expect', '/^EHLO /'], ['send', "250-mail.example\r\n251 AUTH PLAIN\r\n"], ['read_all'],
], $smtp(['mechanism' => 'plain']));
run('SMTP STARTTLS refused', [
    ['send', "220 mail.example ESMTP\r\n"], ['expect', '/^EHLO /'], ['send', "250-mail.example\r\n250 STARTTLS\r\n"],
    ['expect', '/^STARTTLS\r\n$/'], ['send', "454 4.7.0 TLS not available\r\n"], ['read_all'],
], $smtp(['tls' => 'starttls']));
run('SMTP 554 greeting', [['send', "554 no service for you\r\n"], ['read_all']], $smtp([]));
run('SMTP unexpected reply to AUTH', [
    ['send', "220 mail.example ESMTP\r\n"], ['expect', '/^EHLO /'], ['send', "250-mail.example\r\n250 AUTH PLAIN\r\n"],
    ['expect', '/^AUTH PLAIN /'], ['send', "250 what?\r\n"], ['read_all'],
], $smtp(['mechanism' => 'plain']));

run('POP3 without CAPA, USER/PASS', [
    ['send', "+OK ready\r\n"], ['expect', '/^CAPA\r\n$/'], ['send', "-ERR unknown command\r\n"],
    ['expect', '/^USER tim\r\n$/'], ['send', "+OK\r\n"], ['expect', '/^PASS tanstaaf\r\n$/'], ['send', "+OK logged in\r\n"], ['read_all'],
], $pop3([]));
run('POP3 APOP', [
    ['send', "+OK ready <1896.697170952@dbc.mtview.ca.us>\r\n"], ['expect', '/^CAPA\r\n$/'], ['send', "+OK\r\nUSER\r\n.\r\n"],
    ['expect', '/^APOP tim ' . md5('<1896.697170952@dbc.mtview.ca.us>tanstaaf') . '\r\n$/'], ['send', "+OK maildrop locked\r\n"], ['read_all'],
], $pop3(['mechanism' => 'apop']));
run('POP3 AUTH refused with an extended code', [
    ['send', "+OK ready\r\n"], ['expect', '/^CAPA\r\n$/'], ['send', "+OK\r\nSASL PLAIN\r\n.\r\n"],
    ['expect', '/^AUTH PLAIN /'], ['send', "-ERR [SYS/TEMP] try later\r\n"], ['read_all'],
], $pop3(['mechanism' => 'plain']));
run('POP3 dot-stuffed CAPA and a long initial response sent on its own line', [
    ['send', "+OK ready\r\n"], ['expect', '/^CAPA\r\n$/'], ['send', "+OK\r\n..odd\r\nSASL PLAIN\r\n.\r\n"],
    ['expect', '/^AUTH PLAIN\r\n$/'], ['send', "+ \r\n"], ['expect', '/^[A-Za-z0-9+\/=]{300,}\r\n$/'], ['send', "+OK\r\n"], ['read_all'],
], fn($p) => sqauth_pop3_login('localhost', $p, str_repeat('u', 240), 'tanstaaf', ['tls' => 'none', 'timeout' => 2, 'mechanism' => 'plain']));
?>
--EXPECT--
SMTP old AUTH= form, PLAIN with an initial response: logged in with PLAIN
  server: done
SMTP LOGIN through 334 challenges: logged in with LOGIN
  server: done
SMTP 535 with an enhanced code: Sqauth\AuthenticationException: PLAIN authentication failed: Authentication credentials invalid [code '535 5.7.8']
  server: done
SMTP mechanism not listed: Sqauth\ProtocolException: localhost:PORT does not offer CRAM-MD5
  server: done
SMTP reply codes that differ within a reply: Sqauth\ProtocolException: SMTP: reply codes differ within one reply
  server: done
SMTP STARTTLS refused: Sqauth\SecurityException: SMTP: the server refused STARTTLS (454)
  server: done
SMTP 554 greeting: Sqauth\ConnectionException: the SMTP server refused the connection: 554 no service for you
  server: done
SMTP unexpected reply to AUTH: Sqauth\ProtocolException: SMTP: AUTH failed: 250 what?
  server: done
POP3 without CAPA, USER/PASS: logged in with USER
  server: done
POP3 APOP: logged in with APOP
  server: done
POP3 AUTH refused with an extended code: Sqauth\AuthenticationException: PLAIN authentication failed: try later [code 'SYS/TEMP']
  server: done
POP3 dot-stuffed CAPA and a long initial response sent on its own line: logged in with PLAIN
  server: done
