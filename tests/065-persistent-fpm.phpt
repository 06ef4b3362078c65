--TEST--
Persistent logins in real php-fpm (Debian's, behind nginx, 4 workers): a worker's later requests reuse its connection; the per-user cap holds across the workers (Dovecot never sees more than sqauth.persistent_per_user=2 connections held); pages over the cap still work; no copy of the password in the memory of a worker that holds a pooled connection
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_CONF');
if (trim((string) shell_exec('id -u')) !== '0') die('skip php-fpm as www-data and a scan of its memory need root');
if (!is_executable(SQAUTH_TEST_FPM) || !is_executable('/usr/sbin/nginx')) die('skip php' . SQAUTH_TEST_PHP_VERSION . '-fpm and nginx are needed');
if (PHP_DEBUG || PHP_ZTS) die('skip php-fpm is Debian\'s release PHP, which cannot load the sqauth.so of this debug or ZTS pass (the release pass runs this test)');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip under valgrind: php-fpm and nginx would run under it too (the release pass runs this test)');
if (!getenv('SQAUTH_TEST_EXTENSION')) die('skip SQAUTH_TEST_EXTENSION (the sqauth.so for php-fpm) is not set');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/pool.inc';
$user = 'pool-fpm';
$work = sys_get_temp_dir() . '/sqauth-065-' . getmypid();
@mkdir("$work/site", 0755, true);
@mkdir("$work/web", 0755, true);
// the password is made at run time from a file that holds it reversed, and wiped after the login
file_put_contents("$work/site/pw", strrev("pw-$user"));
$page = <<<'PHP'
<?php
$pass = strrev(file_get_contents(__DIR__ . '/pw'));
$s = sqauth_imap_login('127.0.0.1', (int) $_GET['port'], $_GET['user'], $pass,
    ['tls' => 'starttls', 'persistent' => true, 'ssl' => ['cafile' => $_GET['ca']]]);
if (isset($_GET['hold'])) {
    // the control: the password still in a variable while the test scans this worker
    file_put_contents($_GET['hold'], (string) getmypid());
    sleep(3);
}
sodium_memzero($pass);
$i = sqauth_stream_info($s);
fwrite($s, "P1 SELECT INBOX\r\n");
while (($l = fgets($s)) !== false && !str_starts_with($l, 'P1 ')) {
}
usleep(150000);                     // a page's work, so that the workers serve side by side
echo json_encode(['pid' => getmypid(), 'reused' => $i['persistent']['reused'], 'kept' => $i['persistent']['kept'],
    'ok' => str_starts_with((string) $l, 'P1 OK')]), "\n";
if (!isset($_GET['keep_open'])) {
    fclose($s);
}                                   // else the end of the request gives it back
PHP;
file_put_contents("$work/site/page.php", $page);
chmod("$work/site/pw", 0644);
$env = ['SQAUTH_WEB_CHILDREN' => '4', 'SQAUTH_WEB_INI' => "sqauth.persistent_per_user = 2\nsqauth.persistent_idle_timeout = 60"] + getenv();
$p = proc_open([__DIR__ . '/webmail/serve', 'start', "$work/web", "$work/site"], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
$served = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
if (proc_close($p) !== 0) {
    die("serve failed: $served\n");
}
$web = (int) substr(trim(file_get_contents("$work/web/web.env")), strlen('SQAUTH_WEB_PORT='));
$q = http_build_query(['port' => sqauth_test_port('SQAUTH_DOVECOT_IMAP'), 'user' => $user, 'ca' => getenv('SQAUTH_TEST_CA')]);

/* $n requests at once; the pages' JSON */
function burst(int $n, string $extra = ''): array
{
    global $web, $q;
    $procs = [];
    for ($i = 0; $i < $n; $i++) {
        $procs[] = popen('curl -s ' . escapeshellarg("http://127.0.0.1:$web/page.php?$q$extra"), 'r');
    }
    $pages = [];
    foreach ($procs as $pr) {
        $pages[] = json_decode(trim(stream_get_contents($pr)), true);
        pclose($pr);
    }
    return $pages;
}
$base = sqauth_pool_logins($user);
$pages = [];
$maxHeld = 0;
for ($round = 0; $round < 6; $round++) {
    $pages = array_merge($pages, burst(4, $round % 2 ? '&keep_open=1' : ''));
    $maxHeld = max($maxHeld, sqauth_pool_connections($user));   // between bursts: what the workers hold
}
$byPid = [];
foreach ($pages as $pg) {
    $byPid[$pg['pid']][] = $pg;
}
$bad = array_filter($pages, fn ($pg) => !$pg || !$pg['ok']);
echo "pages: ", count($pages), ", failed: ", count($bad), ", workers that served: ", count($byPid), "\n";
$keepers = array_filter($byPid, fn ($l) => in_array(true, array_column($l, 'kept'), true));
echo "workers that keep a connection: ", count($keepers), "\n";
$rule = true;
foreach ($keepers as $list) {
    // a keeper's first page logged in and every later one reused its connection
    $rule = $rule && !$list[0]['reused'] && count(array_filter(array_slice($list, 1), fn ($pg) => !$pg['reused'])) === 0;
}
echo "each keeper logs in once and then reuses: ", $rule ? 'yes' : 'no', "\n";
$others = array_diff_key($byPid, $keepers);
echo "pages of the other workers reused anything: ", count(array_filter(array_merge([], ...array_values($others)), fn ($pg) => $pg['reused'])) ? 'YES' : 'no', "\n";
$reused = count(array_filter($pages, fn ($pg) => $pg['reused']));
echo "Dovecot logins = pages - reused: ", sqauth_pool_wait_logins($user, $base + count($pages) - $reused) - $base === count($pages) - $reused ? 'yes' : 'no', "\n";
echo "most connections held between bursts: $maxHeld, now: ", sqauth_pool_connections($user), "\n";

/* how often $needle stands in the writable memory of process $pid */
function copies(int $pid, string $needle): int
{
    $mem = fopen("/proc/$pid/mem", 'rb');
    stream_set_read_buffer($mem, 0);
    $n = 0;
    foreach (file("/proc/$pid/maps") as $line) {
        if (!preg_match('/^([0-9a-f]+)-([0-9a-f]+) rw/', $line, $m)) {
            continue;
        }
        [$from, $to] = [hexdec($m[1]), hexdec($m[2])];
        for ($at = $from; $at < $to; $at += 1 << 20) {
            if (@fseek($mem, $at) !== 0 || ($chunk = @fread($mem, min(1 << 20, $to - $at))) === false) {
                break;
            }
            $n += substr_count($chunk, $needle);
        }
    }
    fclose($mem);
    return $n;
}
$needle = strrev(strrev("pw-$user"));
$held = [];
foreach (array_keys($keepers) as $pid) {
    $held[] = copies($pid, $needle);
}
echo "copies of the password in the workers holding pooled connections: ", implode(', ', $held), "\n";
// the control: the same scan finds the password while a page still has it in a variable
$pidFile = "$work/web/sessions/hold.pid";       // the sessions directory is the workers' to write
$hold = popen('curl -s ' . escapeshellarg("http://127.0.0.1:$web/page.php?$q&hold=" . rawurlencode($pidFile)), 'r');
for ($i = 0; $i < 200 && !is_file($pidFile); $i++) {
    usleep(20000);
}
usleep(100000);
$pid = (int) @file_get_contents($pidFile);
echo "the control (a page that still holds it) finds it: ", copies($pid, $needle) > 0 ? 'yes' : 'NO', "\n";
stream_get_contents($hold);
pclose($hold);
$log = trim(file_get_contents("$work/web/php-error.log"));
echo "PHP error log: ", $log === '' ? 'empty' : $log, "\n";
exec(escapeshellarg(__DIR__ . '/webmail/serve') . ' stop ' . escapeshellarg("$work/web"));
for ($i = 0; $i < 100 && sqauth_pool_connections($user) > 0; $i++) {
    usleep(50000);
}
echo "after php-fpm stopped, connections: ", sqauth_pool_connections($user), "\n";
exec('rm -rf ' . escapeshellarg($work));
?>
--EXPECTF--
pages: 24, failed: 0, workers that served: %d
workers that keep a connection: 2
each keeper logs in once and then reuses: yes
pages of the other workers reused anything: no
Dovecot logins = pages - reused: yes
most connections held between bursts: 2, now: 2
copies of the password in the workers holding pooled connections: 0, 0
the control (a page that still holds it) finds it: yes
PHP error log: empty
after php-fpm stopped, connections: 0
