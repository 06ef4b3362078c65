--TEST--
Persistent IMAP logins against Dovecot: the same login reuses the pooled connection (Dovecot logs no new login); a wrong password, another user or other options never get it; a half-read response, a command in flight, an open literal, IDLE or half a command is never handed out again; a connection Dovecot closed while pooled is replaced without an error
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_CONF');
?>
--INI--
; no NOOP round trip and no expiry within the test, however slow the machine (valgrind): the
; round trips shown stay 0 (test 064 covers check_after and the idle time)
sqauth.persistent_check_after=600
sqauth.persistent_idle_timeout=3600
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/pool.inc';
$port = sqauth_test_port('SQAUTH_DOVECOT_IMAP');
$user = 'pool-imap';
$pass = 'pw-pool-imap';
$opt = ['tls' => 'starttls', 'persistent' => true] + sqauth_test_ssl();

/* a "page": log in, SELECT, fetch, give the stream back; what it saw */
function page(string $user, string $pass, array $opt): string
{
    global $port;
    $s = sqauth_imap_login('127.0.0.1', $port, $user, $pass, $opt);
    $i = sqauth_stream_info($s);
    $r = sqauth_test_imap($s, 'P1', 'SELECT INBOX');
    $ok = str_starts_with(end($r), 'P1 OK') ? 'SELECT ok' : 'SELECT FAILED: ' . end($r);
    fclose($s);
    return sprintf('%s, %s, uses %d, round trips %d, %s', $i['persistent']['reused'] ? 'reused' : 'new login',
        $i['persistent']['kept'] ? 'kept' : 'not kept', $i['persistent']['uses'], $i['round_trips'], $ok);
}
/* Dovecot's count of the user's logins since the test began, once its log has caught up:
 * at least $atLeast (waited for, a few seconds at most: a loaded machine writes the log a
 * moment late), and no longer growing */
function logins(int $atLeast = 0): int
{
    global $user, $base;
    sqauth_pool_wait_logins($user, $base + $atLeast);
    return sqauth_pool_logins_settled($user) - $base;
}
$base = sqauth_pool_logins($user);

echo "-- the same login, three pages\n";
for ($i = 1; $i <= 3; $i++) {
    echo page($user, $pass, $opt), "\n";
}
echo "Dovecot logins: ", sqauth_pool_wait_logins($user, $base + 1) - $base, ", connections: ", sqauth_pool_connections($user), "\n";
var_dump(sqauth_stream_info(sqauth_imap_login('127.0.0.1', $port, 'tim', 'tanstaaf', ['tls' => 'none']))['persistent']);

echo "-- never across passwords, users or options\n";
try {
    sqauth_imap_login('127.0.0.1', $port, $user, 'wrong-password', $opt);
    echo "WRONG PASSWORD ACCEPTED\n";
} catch (Sqauth\AuthenticationException $e) {
    echo "wrong password: AuthenticationException from the server: ", $e->getServerMessage(), "\n";
}
try {
    sqauth_imap_login('127.0.0.1', $port, $user, $pass . 'x', $opt);
    echo "LONGER PASSWORD ACCEPTED\n";
} catch (Sqauth\AuthenticationException $e) {
    echo "password with one character more: refused\n";
}
echo "other user: ", page('pool-other', 'pw-pool-other', $opt), "\n";
echo "other mechanism: ", page($user, $pass, ['mechanism' => 'plain'] + $opt), "\n";
echo "other authz: ", page($user, $pass, ['mechanism' => 'plain', 'authz' => $user] + $opt), "\n";
echo "other TLS mode: ", page($user, $pass, ['tls' => 'none'] + $opt), "\n";
echo "connections of $user: ", sqauth_pool_connections($user), " (the default sqauth.persistent_per_user)\n";
// at the cap, the user's least recently used idle connection (the first login's) makes room for
// the new one, which is kept; the first login then does the same (test 070: the cap counts the
// user at the server, whatever the port or mechanism)
echo "other trust settings: ", page($user, $pass, sqauth_test_ssl(['verify_peer_name' => false]) + $opt), "\n";
echo "the first one again: ", page($user, $pass, $opt), "\n";
echo "Dovecot logins so far: ", logins(), "\n";

echo "-- never handed out again when not at rest\n";
$cases = [
    'half-read response' => function ($s) { fwrite($s, "H1 FETCH 1:* (FLAGS)\r\nH2 SELECT INBOX\r\n"); fgets($s); },
    'command in flight' => function ($s) { fwrite($s, "F1 SELECT INBOX\r\n"); },
    'open literal' => function ($s) { fwrite($s, "L1 APPEND INBOX {200}\r\n"); fgets($s); },
    'IDLE' => function ($s) { fwrite($s, "I1 IDLE\r\n"); fgets($s); },
    'half a command' => function ($s) { fwrite($s, "C1 NOO"); },
    'LOGOUT sent' => function ($s) { fwrite($s, "O1 LOGOUT\r\n"); fgets($s); },
];
foreach ($cases as $label => $leave) {
    page($user, $pass, $opt);                       // a pooled connection exists
    $s = sqauth_imap_login('127.0.0.1', $port, $user, $pass, $opt);
    $reused = sqauth_stream_info($s)['persistent']['reused'];
    $leave($s);
    fclose($s);
    $before = logins();
    echo str_pad($label, 20), ': taken from the pool: ', $reused ? 'yes' : 'no',
        ', the next page: ', page($user, $pass, $opt), ', new Dovecot logins: ', logins($before + 1) - $before, "\n";
}

echo "-- Dovecot closes the pooled connection\n";
page($user, $pass, $opt);
sqauth_pool_kick($user);
$before = logins();
echo "after the kick: ", page($user, $pass, $opt), ", new Dovecot logins: ", logins($before + 1) - $before, "\n";
echo "and then: ", page($user, $pass, $opt), "\n";
echo "connections of $user now: ", sqauth_pool_connections($user), "\n";

echo "-- POP3 refuses the option\n";
try {
    sqauth_pop3_login('127.0.0.1', sqauth_test_port('SQAUTH_DOVECOT_POP3'), $user, $pass, ['persistent' => true]);
} catch (ValueError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    sqauth_imap_login('127.0.0.1', $port, $user, $pass, ['persistent' => 'yes'] + $opt);
} catch (TypeError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
echo "pooled at the end: ", preg_match('/Persistent connections => (\d+) pooled/', (function () { ob_start(); phpinfo(INFO_MODULES); return ob_get_clean(); })(), $m) ? $m[1] : '?', "\n";
?>
--EXPECTF--
-- the same login, three pages
new login, kept, uses 1, round trips %d, SELECT ok
reused, kept, uses 2, round trips 0, SELECT ok
reused, kept, uses 3, round trips 0, SELECT ok
Dovecot logins: 1, connections: 1
NULL
-- never across passwords, users or options
wrong password: AuthenticationException from the server: %s
password with one character more: refused
other user: new login, kept, uses 1, round trips %d, SELECT ok
other mechanism: new login, kept, uses 1, round trips %d, SELECT ok
other authz: new login, kept, uses 1, round trips %d, SELECT ok
other TLS mode: new login, kept, uses 1, round trips %d, SELECT ok
connections of pool-imap: 4 (the default sqauth.persistent_per_user)
other trust settings: new login, kept, uses 1, round trips %d, SELECT ok
the first one again: new login, kept, uses 1, round trips %d, SELECT ok
Dovecot logins so far: 6
-- never handed out again when not at rest
half-read response  : taken from the pool: yes, the next page: new login, kept, uses 1, round trips %d, SELECT ok, new Dovecot logins: 1
command in flight   : taken from the pool: yes, the next page: new login, kept, uses 1, round trips %d, SELECT ok, new Dovecot logins: 1
open literal        : taken from the pool: yes, the next page: new login, kept, uses 1, round trips %d, SELECT ok, new Dovecot logins: 1
IDLE                : taken from the pool: yes, the next page: new login, kept, uses 1, round trips %d, SELECT ok, new Dovecot logins: 1
half a command      : taken from the pool: yes, the next page: new login, kept, uses 1, round trips %d, SELECT ok, new Dovecot logins: 1
LOGOUT sent         : taken from the pool: yes, the next page: new login, kept, uses 1, round trips %d, SELECT ok, new Dovecot logins: 1
-- Dovecot closes the pooled connection
after the kick: new login, kept, uses 1, round trips %d, SELECT ok, new Dovecot logins: 1
and then: reused, kept, uses 2, round trips 0, SELECT ok
connections of pool-imap now: %d
-- POP3 refuses the option
ValueError: sqauth_pop3_login(): Argument #5 ($options) key "persistent" is not supported for POP3 (the server locks the mailbox for a session and commits deletions at QUIT)
TypeError: sqauth_imap_login(): Argument #5 ($options) key "persistent" must be of type bool, string given
pooled at the end: %d
