<?php
/*
 * Persistent logins beside a login per page and imapproxy, in one run (README
 * "Performance", "Persistent logins"). One php-fpm (Debian's, 4 workers) behind
 * nginx serves bench/persistent-page.php; N simulated users per way make page
 * requests in rounds (each user one page, at most C at a time; W unmeasured
 * rounds first, so that the pools and imapproxy's cache are warm). Four ways, each
 * with users of its own (bench1..bench32 in the test Dovecot):
 *   login           sqauth, a login per page (STARTTLS, LOGOUT)
 *   persistent      sqauth, 'persistent' => true
 *   imapproxy       stock PHP -> imapproxy as Debian ships it -> Dovecot (STARTTLS)
 *   imapproxy+nodelay  the same with TCP_NODELAY forced on imapproxy's sockets (bench/nodelay.c)
 * The ways take turns in blocks (order reversed on the second pass). Measured:
 * page latency at the client (curl), the page's IMAP part and its
 * authentication (hrtime in the page), the worker's CPU for it, Dovecot's CPU
 * (its master and every descendant, exited ones included), Dovecot logins
 * (its log), and server connections (doveadm who, sampled every 50 ms).
 *   php bench/persistent.php [--rounds R] [--users N] [--concurrency C] [--warmup W] [--json FILE]
 * Run by bench/run-persistent, which starts Dovecot and the two imapproxies.
 */
declare(strict_types=1);
require __DIR__ . '/../tests/helpers/servers.inc';

$opt = getopt('', ['rounds:', 'users:', 'concurrency:', 'warmup:', 'json:']);
$rounds = (int) ($opt['rounds'] ?? 25);
$users = (int) ($opt['users'] ?? 8);
$conc = (int) ($opt['concurrency'] ?? 2);
$warmup = (int) ($opt['warmup'] ?? 10);
$top = dirname(__DIR__);
$conf = getenv('SQAUTH_DOVECOT_CONF');
$ways = [
    'login' => ['mode' => 'login', 'port' => sqauth_test_port('SQAUTH_DOVECOT_IMAP'), 'first' => 1],
    'persistent' => ['mode' => 'persistent', 'port' => sqauth_test_port('SQAUTH_DOVECOT_IMAP'), 'first' => 9],
    'imapproxy' => ['mode' => 'proxy', 'port' => (int) getenv('SQAUTH_BENCH_PROXY'), 'first' => 17, 'pidfile' => getenv('SQAUTH_BENCH_PROXY_PID')],
    'imapproxy+nodelay' => ['mode' => 'proxy', 'port' => (int) getenv('SQAUTH_BENCH_PROXY_NODELAY'), 'first' => 25, 'pidfile' => getenv('SQAUTH_BENCH_PROXY_NODELAY_PID')],
];
$perUser = 4;

function sh(array $cmd): string
{
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    proc_close($p);
    return $out;
}

/* CPU seconds of a process tree (with the reaped children of each) */
function tree_cpu(int $root): float
{
    $hz = 100;
    $stat = [];
    foreach (glob('/proc/[0-9]*/stat') as $f) {
        $s = @file_get_contents($f);
        if ($s === false) {
            continue;
        }
        $f2 = explode(' ', substr($s, strrpos($s, ')') + 2));
        $stat[(int) basename(dirname($f))] = ['ppid' => (int) $f2[1], 'cpu' => ((int) $f2[11] + (int) $f2[12] + (int) $f2[13] + (int) $f2[14]) / $hz];
    }
    $sum = 0.0;
    foreach ($stat as $pid => $st) {
        for ($p = $pid, $i = 0; $p > 1 && $i < 50; $p = $stat[$p]['ppid'] ?? 0, $i++) {
            if ($p === $root) {
                $sum += $st['cpu'];
                break;
            }
        }
    }
    return $sum;
}

function median(array $a): float
{
    sort($a);
    $n = count($a);
    return $n ? ($n % 2 ? $a[intdiv($n, 2)] : ($a[$n / 2 - 1] + $a[$n / 2]) / 2) : NAN;
}

function pct(array $a, float $p): float
{
    sort($a);
    return $a ? $a[min(count($a) - 1, (int) floor($p * count($a)))] : NAN;
}

// the mailboxes: 20 messages each
foreach ($ways as $w) {
    for ($u = $w['first']; $u < $w['first'] + $users; $u++) {
        $s = sqauth_imap_login('127.0.0.1', sqauth_test_port('SQAUTH_DOVECOT_IMAP'), "bench$u", "pw-bench$u", ['tls' => 'starttls'] + sqauth_test_ssl());
        $r = sqauth_test_imap($s, 'c', 'STATUS INBOX (MESSAGES)');
        $have = preg_match('/MESSAGES (\d+)/', implode('', $r), $m) ? (int) $m[1] : 0;
        for ($i = $have; $i < 20; $i++) {
            $msg = "From: chris@sqauth.test\r\nTo: bench$u@sqauth.test\r\nSubject: bench message $i\r\nDate: " . date('r') . "\r\n\r\nbody $i\r\n";
            sqauth_test_imap($s, "a$i", 'APPEND INBOX', $msg);
        }
        fclose($s);
    }
}

// the site
$work = sys_get_temp_dir() . '/sqauth-pbench-' . getmypid();
mkdir("$work/site", 0755, true);
mkdir("$work/web", 0755, true);
copy(__DIR__ . '/persistent-page.php', "$work/site/page.php");
$env = ['SQAUTH_WEB_CHILDREN' => '4', 'SQAUTH_WEB_INI' => "sqauth.persistent_per_user = $perUser"] + getenv();
$p = proc_open(["$top/tests/webmail/serve", 'start', "$work/web", "$work/site"], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
$msg = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
if (proc_close($p) !== 0) {
    fwrite(STDERR, "serve failed: $msg\n");
    exit(1);
}
$web = (int) substr(trim((string) file_get_contents("$work/web/web.env")), strlen('SQAUTH_WEB_PORT='));
$master = (int) trim((string) file_get_contents(dirname($conf) . '/run/master.pid'));
$log = getenv('SQAUTH_DOVECOT_LOG');
$logins = function (int $first) use ($log, $users): int {
    $text = (string) file_get_contents($log);
    $n = 0;
    for ($u = $first; $u < $first + $users; $u++) {
        $n += substr_count($text, "Login: user=<bench$u>,");
    }
    return $n;
};

/* one round: every user of the way requests the page, $conc at a time; the pages' JSON and curl's times */
function round_of(array $w, int $users, int $web, int $conc): array
{
    $out = [];
    for ($u0 = $w['first']; $u0 < $w['first'] + $users; $u0 += $conc) {
        $procs = [];
        for ($u = $u0; $u < min($u0 + $conc, $w['first'] + $users); $u++) {
            $q = http_build_query(['mode' => $w['mode'], 'user' => "bench$u", 'port' => $w['port'], 'ca' => getenv('SQAUTH_TEST_CA')]);
            $procs[] = popen('curl -s -w "\n%{time_total}" ' . escapeshellarg("http://127.0.0.1:$web/page.php?$q"), 'r');
        }
        array_push($out, ...collect($procs, $w));
    }
    return $out;
}

function collect(array $procs, array $w): array
{
    $out = [];
    foreach ($procs as $pr) {
        $lines = explode("\n", trim(stream_get_contents($pr)));
        pclose($pr);
        $page = json_decode($lines[0], true);
        if (!is_array($page)) {
            throw new RuntimeException("{$w['mode']}: not a page: " . implode(' ', $lines));
        }
        $page['http_ms'] = (float) end($lines) * 1000;
        $out[] = $page;
    }
    return $out;
}

// warm-up, not measured: each user's connections in the workers' pools, imapproxy's cache
foreach ($ways as $w) {
    for ($r = 0; $r < $warmup; $r++) {
        round_of($w, $users, $web, $conc);
    }
}
$stats = [];
foreach (array_keys($ways) as $name) {
    $stats[$name] = ['pages' => [], 'logins' => 0, 'dovecot_cpu' => 0.0, 'proxy_cpu' => 0.0, 'peak' => 0, 'peak_user' => 0];
}
$order = array_keys($ways);
try {
    foreach ([$order, array_reverse($order)] as $pass) {
        foreach ($pass as $name) {
            $w = $ways[$name];
            // the connections of this way's users, sampled while the block runs
            $sampler = proc_open(['bash', '-c', 'while :; do doveadm -c ' . escapeshellarg($GLOBALS['conf']) . ' who -1 2>/dev/null; echo ---; sleep 0.05; done'],
                [1 => ['pipe', 'w']], $spipes);
            $l0 = $logins($w['first']);
            $d0 = tree_cpu($master);
            $x0 = isset($w['pidfile']) ? tree_cpu((int) trim((string) file_get_contents($w['pidfile']))) : 0.0;
            for ($r = 0; $r < $rounds; $r++) {
                array_push($stats[$name]['pages'], ...round_of($w, $users, $web, $conc));
            }
            usleep(100000);
            $stats[$name]['dovecot_cpu'] += tree_cpu($master) - $d0;
            $stats[$name]['proxy_cpu'] += isset($w['pidfile']) ? tree_cpu((int) trim((string) file_get_contents($w['pidfile']))) - $x0 : 0.0;
            $stats[$name]['logins'] += sqauth_wait_log($logins, $w['first'], $l0);
            proc_terminate($sampler);
            $samples = explode("---\n", stream_get_contents($spipes[1]));
            proc_close($sampler);
            foreach ($samples as $sample) {
                $all = 0;
                $byUser = [];
                foreach (explode("\n", $sample) as $line) {
                    if (preg_match('/^bench(\d+)\s/', $line, $m) && (int) $m[1] >= $w['first'] && (int) $m[1] < $w['first'] + $users) {
                        $all++;
                        $byUser[$m[1]] = ($byUser[$m[1]] ?? 0) + 1;
                    }
                }
                $stats[$name]['peak'] = max($stats[$name]['peak'], $all);
                $stats[$name]['peak_user'] = max($stats[$name]['peak_user'], $byUser ? max($byUser) : 0);
            }
        }
    }
} finally {
    sh(["$top/tests/webmail/serve", 'stop', "$work/web"]);
    sh(['rm', '-rf', $work]);
}

function sqauth_wait_log(callable $logins, int $first, int $before): int
{
    $n = $logins($first) - $before;
    for ($i = 0; $i < 20; $i++) {      // Dovecot's log is written a moment later
        usleep(50000);
        $m = $logins($first) - $before;
        if ($m === $n) {
            break;
        }
        $n = $m;
    }
    return $n;
}

$cpu = '?';
foreach (file('/proc/cpuinfo') as $l) {
    if (str_starts_with($l, 'model name')) {
        $cpu = trim(explode(':', $l, 2)[1]);
        break;
    }
}
$result = ['machine' => ['cpu' => $cpu, 'cores' => (int) trim(sh(['nproc'])), 'php' => PHP_VERSION, 'openssl' => OPENSSL_VERSION_TEXT,
    'dovecot' => trim(sh(['dovecot', '--version'])), 'imapproxy' => '1.2.8 (Debian)', 'php_fpm_workers' => 4],
    'users_per_way' => $users, 'rounds' => 2 * $rounds, 'concurrency' => $conc, 'warmup_rounds' => $warmup, 'per_user_cap' => $perUser, 'ways' => []];
foreach ($stats as $name => $st) {
    $pages = $st['pages'];
    $n = count($pages);
    $reusedPages = array_values(array_filter($pages, fn ($p) => $p['reused'] === true));
    $result['ways'][$name] = [
        'pages' => $n,
        'page_ms_median' => round(median(array_column($pages, 'http_ms')), 2),
        'page_ms_p95' => round(pct(array_column($pages, 'http_ms'), 0.95), 2),
        'imap_ms_median' => round(median(array_column($pages, 'imap_ms')), 3),
        'imap_ms_p95' => round(pct(array_column($pages, 'imap_ms'), 0.95), 3),
        'auth_ms_median' => round(median(array_column($pages, 'auth_ms')), 3),
        'auth_ms_p95' => round(pct(array_column($pages, 'auth_ms'), 0.95), 3),
        'reused_pages' => count($reusedPages),
        'auth_ms_median_reused' => $reusedPages ? round(median(array_column($reusedPages, 'auth_ms')), 3) : null,
        'auth_ms_p95_reused' => $reusedPages ? round(pct(array_column($reusedPages, 'auth_ms'), 0.95), 3) : null,
        'round_trips_max_reused' => $reusedPages ? max(array_column($reusedPages, 'round_trips')) : null,
        'dovecot_logins_per_page' => round($st['logins'] / $n, 3),
        'dovecot_cpu_ms_per_page' => round($st['dovecot_cpu'] * 1000 / $n, 3),
        'client_cpu_ms_per_page' => round(array_sum(array_column($pages, 'cpu_ms')) / $n, 3),
        'imapproxy_cpu_ms_per_page' => isset($ways[$name]['pidfile']) ? round($st['proxy_cpu'] * 1000 / $n, 3) : null,
        'peak_connections' => $st['peak'],
        'peak_connections_one_user' => $st['peak_user'],
    ];
}
$w = $result['ways'];
$result['targets'] = [
    'auth of a pooled page below 1 ms (median, p95)' => [$w['persistent']['auth_ms_median_reused'], $w['persistent']['auth_ms_p95_reused']],
    'round trips of a pooled page at most 1' => $w['persistent']['round_trips_max_reused'],
    'IMAP part vs a login per page (at least 10x)' => round($w['login']['imap_ms_median'] / $w['persistent']['imap_ms_median'], 1),
    'IMAP part vs imapproxy at its best (at least 1.5x)' => round($w['imapproxy+nodelay']['imap_ms_median'] / $w['persistent']['imap_ms_median'], 2),
    'Dovecot CPU per page vs a login per page (at least 10x lower)' => round($w['login']['dovecot_cpu_ms_per_page'] / max(0.001, $w['persistent']['dovecot_cpu_ms_per_page']), 1),
    'connections of one user at most the cap' => [$w['persistent']['peak_connections_one_user'], $perUser],
];
printf("%-18s %7s %8s %8s %8s %8s %8s %7s %9s %9s %6s\n", 'way', 'pages', 'page ms', 'p95', 'IMAP ms', 'p95', 'auth ms', 'logins', 'Dovecot', 'client', 'peak');
printf("%-18s %7s %8s %8s %8s %8s %8s %7s %9s %9s %6s\n", '', '', 'median', '', 'median', '', 'median', '/page', 'CPU ms/pg', 'CPU ms/pg', 'conns');
foreach ($w as $name => $r) {
    printf("%-18s %7d %8.2f %8.2f %8.3f %8.3f %8.3f %7.3f %9.3f %9.3f %6d\n", $name, $r['pages'], $r['page_ms_median'], $r['page_ms_p95'],
        $r['imap_ms_median'], $r['imap_ms_p95'], $r['auth_ms_median'], $r['dovecot_logins_per_page'], $r['dovecot_cpu_ms_per_page'],
        $r['client_cpu_ms_per_page'], $r['peak_connections']);
}
foreach ($result['targets'] as $k => $v) {
    echo "$k: ", is_array($v) ? implode(' / ', $v) : $v, "\n";
}
printf("machine: %s, %d cores, PHP %s, %s, Dovecot %s, imapproxy 1.2.8; php-fpm 4 workers; %d users per way, %d measured rounds (%d pages at a time) after %d warm-up rounds\n",
    $cpu, $result['machine']['cores'], PHP_VERSION, OPENSSL_VERSION_TEXT, $result['machine']['dovecot'], $users, 2 * $rounds, $conc, $warmup);
if (isset($opt['json'])) {
    file_put_contents($opt['json'], json_encode($result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
}
