--TEST--
A kept connection is logged out at its idle time by the process's reaper, with no later login to look at it; bin/sqauth-detect shows a hostile server's terminal escape sequences (C0, DEL, C1) escaped in its table, never sends them
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_CONF', 'SQAUTH_TEST_EXTENSION');
if (getenv('USE_ZEND_ALLOC') === '0' && !getenv('SKIP_ASAN')) {
    // under valgrind a login, and doveadm (valgrind follows it), take longer than the idle time
    die('skip its idle time is two seconds, shorter than a login under valgrind (the release, debug-ZTS-ASan, PHP 8.4 and 8.5 passes run it)');
}
?>
--INI--
sqauth.persistent_idle_timeout=2
sqauth.persistent_check_after=600
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/pool.inc';
require __DIR__ . '/helpers/fakeserver.inc';

echo "-- the idle time, enforced by the reaper\n";
$u = 'pool-out';
fclose(sqauth_imap_login('127.0.0.1', sqauth_test_port('SQAUTH_DOVECOT_IMAP'), $u, "pw-$u",
    ['tls' => 'starttls', 'persistent' => true, 'session_id' => 'reaper-test'] + sqauth_test_ssl()));
echo 'kept: ', sqauth_pool_connections($u), "\n";
// no login follows: only the reaper can close it (idle 2 s; it wakes once a second)
for ($i = 0; $i < 160 && sqauth_pool_connections($u) > 0; $i++) {
    usleep(50000);
}
echo 'logged out within 8 s, with no login after it: ', sqauth_pool_connections($u) === 0 ? 'yes' : 'no', "\n";

echo "-- sqauth-detect and a server's escape sequences\n";
// erase the line, go up one, and print a row that looks verified; a C1 CSI (U+009B) too
$evil = "AUTH=X\e[2K\e[1A\rFAKE\x7f AUTH=Y\u{9b}31m";
[$port, $finish] = sqauth_fake_server([
    ['send', "* OK [CAPABILITY IMAP4rev1 $evil] ready\r\n"],
    ['read_all'],
]);
$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . getenv('SQAUTH_TEST_EXTENSION'), dirname(__DIR__) . '/bin/sqauth-detect',
    '--protocol', 'imap', '--tls', 'none', '127.0.0.1', (string) $port], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
proc_close($p);
$finish();
echo 'control bytes in the output: ', preg_match('/[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|[\x80-\xff]/', $out) ? 'yes' : 'none', "\n";
echo preg_replace('/^(\S+\s+){3}/m', '', explode("\n", trim($out))[1]), "\n";
?>
--EXPECTF--
-- the idle time, enforced by the reaper
kept: 1
logged out within 8 s, with no login after it: yes
-- sqauth-detect and a server's escape sequences
control bytes in the output: none
%s X\x1B[2K\x1B[1A\x0DFAKE\x7F Y\xC2\x9B31M
