--TEST--
Persistent logins within their bounds: uses, age, idle time and pooled connections per process (INI); an idle connection is checked with a NOOP round trip after check_after, without one before; SMTP pooled after RSET; after fork() the child never uses its parent's pooled connections and the parent's still work
--EXTENSIONS--
sqauth
pcntl
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_DOVECOT_CONF');
if (getenv('USE_ZEND_ALLOC') === '0' && !getenv('SKIP_ASAN')) {
    // a login under valgrind takes seconds, longer than the bounds this test waits out
    die('skip its bounds are a second or two, shorter than a login under valgrind (the release, debug-ZTS-ASan, PHP 8.4 and 8.5 passes run it)');
}
?>
--INI--
sqauth.persistent_max_uses=4
sqauth.persistent_max_age=4
sqauth.persistent_idle_timeout=2
sqauth.persistent_check_after=1
sqauth.persistent_per_process=2
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/pool.inc';
$port = sqauth_test_port('SQAUTH_DOVECOT_IMAP');
$opt = ['tls' => 'starttls', 'persistent' => true] + sqauth_test_ssl();
function page(string $user, array $extra = []): string
{
    global $port, $opt;
    $s = sqauth_imap_login('127.0.0.1', $port, $user, "pw-$user", $extra + $opt);
    $i = sqauth_stream_info($s);
    $r = sqauth_test_imap($s, 'P1', 'SELECT INBOX');
    fclose($s);
    return sprintf('%s (uses %d, round trips %d)%s', $i['persistent']['reused'] ? 'reused' : 'new login',
        $i['persistent']['uses'], $i['round_trips'], str_starts_with(end($r), 'P1 OK') ? '' : ' SELECT FAILED');
}
$u = 'pool-limits';
echo "-- max_uses 4\n";
for ($i = 0; $i < 5; $i++) {
    echo page($u), "\n";
}
echo "-- check_after 1 s: a NOOP round trip only after it\n";
echo page($u), "\n";
usleep(1300000);
echo page($u), "\n";
echo "-- idle_timeout 2 s\n";
usleep(2300000);
echo page($u), "\n";
echo "-- max_age 4 s\n";
for ($i = 0; $i < 3; $i++) {
    usleep(1500000);
    echo page($u), "\n";
}
echo "-- per_process 2: three connections given back, two kept\n";
sqauth_pool_kick($u);
page($u, ['mechanism' => 'plain']);
page($u, ['mechanism' => 'scram-sha-256']);
page($u, ['mechanism' => 'login']);
usleep(100000);
echo "Dovecot connections of $u: ", sqauth_pool_connections($u), "\n";
echo "the oldest went: ", page($u, ['mechanism' => 'plain']), "; the newest stayed: ", page($u, ['mechanism' => 'login']), "\n";

echo "-- SMTP: RSET answered 250 pools the connection, a message in between\n";
$sport = sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION');
$su = 'pool-smtp';
$base = sqauth_pool_logins($su);
for ($i = 1; $i <= 3; $i++) {
    $s = sqauth_smtp_login('127.0.0.1', $sport, $su, "pw-$su", $opt);
    $info = sqauth_stream_info($s);
    fwrite($s, "MAIL FROM:<$su@sqauth.test>\r\n");
    $r = sqauth_test_smtp_reply($s);
    fwrite($s, "RCPT TO:<tim@sqauth.test>\r\n");
    $r .= sqauth_test_smtp_reply($s);
    fwrite($s, "DATA\r\n");
    $r .= sqauth_test_smtp_reply($s);
    fwrite($s, "Subject: pooled $i\r\n\r\nmessage $i\r\n.\r\n");
    $r .= sqauth_test_smtp_reply($s);
    preg_match_all('/^(\d{3}) /m', $r, $m);
    echo "message $i: ", $info['persistent']['reused'] ? 'reused' : 'new login', ', replies ', implode(' ', $m[1]), "\n";
    fclose($s);
}
$s = sqauth_smtp_login('127.0.0.1', $sport, $su, "pw-$su", $opt);
fwrite($s, "QUIT\r\n");
sqauth_test_smtp_reply($s);
fclose($s);
$s = sqauth_smtp_login('127.0.0.1', $sport, $su, "pw-$su", $opt);
echo "after QUIT: ", sqauth_stream_info($s)['persistent']['reused'] ? 'REUSED' : 'new login', "\n";
fclose($s);
echo "Dovecot submission logins: ", sqauth_pool_wait_logins($su, $base + 2) - $base, "\n";

echo "-- fork: the child logs in itself, the parent's connection stays usable\n";
$f = 'pool-fork';
$fbase = sqauth_pool_logins($f);
echo "parent: ", page($f), "\n";
$out = tempnam(sys_get_temp_dir(), 'sqauth-fork');
$pid = pcntl_fork();
if ($pid === 0) {
    file_put_contents($out, "child: " . page($f) . "\n");
    exit(0);
}
pcntl_waitpid($pid, $status);
echo file_get_contents($out);
unlink($out);
echo "parent again: ", page($f), "\n";
echo "Dovecot logins of $f: ", sqauth_pool_wait_logins($f, $fbase + 2) - $fbase, "\n";
?>
--EXPECTF--
-- max_uses 4
new login (uses 1, round trips %d)
reused (uses 2, round trips 0)
reused (uses 3, round trips 0)
reused (uses 4, round trips 0)
new login (uses 1, round trips %d)
-- check_after 1 s: a NOOP round trip only after it
reused (uses 2, round trips 0)
reused (uses 3, round trips 1)
-- idle_timeout 2 s
new login (uses 1, round trips %d)
-- max_age 4 s
reused (uses 2, round trips 1)
reused (uses 3, round trips 1)
new login (uses 1, round trips %d)
-- per_process 2: three connections given back, two kept
Dovecot connections of pool-limits: 2
the oldest went: new login (uses 1, round trips %d); the newest stayed: reused (uses 2, round trips 0)
-- SMTP: RSET answered 250 pools the connection, a message in between
message 1: new login, replies 250 250 354 250
message 2: reused, replies 250 250 354 250
message 3: reused, replies 250 250 354 250
after QUIT: new login
Dovecot submission logins: 2
-- fork: the child logs in itself, the parent's connection stays usable
parent: new login (uses 1, round trips %d)
child: new login (uses 1, round trips %d)
parent again: reused (uses 2, round trips 0)
Dovecot logins of pool-fork: 2
