<?php
/*
 * Whole logins against the local Dovecot, IMAP and SMTP, every mechanism,
 * implicit TLS and STARTTLS: sqauth beside PHP's ssl:// streams driving the
 * same dialogue, Roundcube, Horde, ext/imap, PHPMailer and Net_SMTP
 * (bench/peers.php). Run by bench/run, which starts the servers and the
 * latency proxy and sets the environment this reads.
 *
 * Each (protocol, client, TLS mode, mechanism) runs in its own PHP process
 * (a worker: this file with --worker), so that CPU time and memory are that
 * client's alone:
 *   - direct: LOGINS logins straight to Dovecot; the first (which loads and
 *     compiles the client's code and builds its TLS context) is reported as
 *     "first", the median of the others as wall time and client CPU time
 *     (getrusage user+system);
 *   - through the latency proxy (bench/latency-proxy.py, DELAY ms each way):
 *     PROXIED logins, median wall time, and (median) the round trips the
 *     proxy saw before the login returned;
 *   - peak RSS of the worker process.
 * Then TLS session resumption against stunnel in front of Dovecot (which
 * resumes sessions): first and following logins, with and without sqauth's
 * session cache; and the memory each open connection costs.
 */
require __DIR__ . '/peers.php';

const LOGINS = 25;
const PROXIED = 5;

if (($argv[1] ?? '') === '--worker') {
    exit(worker(json_decode($argv[2], true)));
}
if (($argv[1] ?? '') === '--resume-worker') {
    exit(resume_worker(json_decode($argv[2], true)));
}
if (($argv[1] ?? '') === '--cpu-worker') {
    exit(cpu_worker(json_decode($argv[2], true)));
}
if (($argv[1] ?? '') === '--memory-worker') {
    exit(memory_worker(json_decode($argv[2], true)));
}
$jsonFile = ($i = array_search('--json', $argv, true)) !== false ? $argv[$i + 1] : null;

function env(string $k): string
{
    $v = getenv($k);
    if ($v === false || $v === '') {
        fwrite(STDERR, "$k is not set: run bench/run\n");
        exit(2);
    }
    return $v;
}

function cpu_us(): int
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] * 1000000 + $r['ru_utime.tv_usec'] + $r['ru_stime.tv_sec'] * 1000000 + $r['ru_stime.tv_usec'];
}

function median(array $v): ?float
{
    if (!$v) {
        return null;
    }
    sort($v);
    $n = count($v);
    return $n % 2 ? $v[intdiv($n, 2)] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
}

/** Round trips of the login that returned at $end: server flights delivered by then. */
function proxy_round_trips(string $stats, int $before, float $end): ?int
{
    for ($i = 0; $i < 400; $i++) { // the proxy writes its line when it sees the close
        clearstatcache();
        $lines = is_file($stats) ? file($stats, FILE_IGNORE_NEW_LINES) : [];
        if (count($lines) > $before) {
            $conn = json_decode(end($lines), true);
            return count(array_filter($conn['server_flights'], fn($t) => $t <= $end + 0.0005));
        }
        usleep(5000);
    }
    return null;
}

function worker(array $job): int
{
    [, $login, $close] = bench_clients($job['proto'])[$job['client']];
    $c = $job['c'];
    $out = ['wall_ms' => [], 'cpu_ms' => [], 'proxied_ms' => [], 'round_trips' => []];
    try {
        for ($i = 0; $i < LOGINS; $i++) {
            $t = hrtime(true);
            $u = cpu_us();
            $h = $login($c);
            $cpu = (cpu_us() - $u) / 1000;
            $wall = (hrtime(true) - $t) / 1e6;
            $close($h);
            if ($i === 0) {
                $out['first_wall_ms'] = $wall;
                $out['first_cpu_ms'] = $cpu;
            } else {
                $out['wall_ms'][] = $wall;
                $out['cpu_ms'][] = $cpu;
            }
        }
        $pc = ['port' => $job['proxy_port']] + $c;
        for ($i = 0; $i < PROXIED; $i++) {
            $before = is_file($job['stats']) ? count(file($job['stats'])) : 0;
            $t = hrtime(true);
            $h = $login($pc);
            $end = microtime(true);
            $out['proxied_ms'][] = (hrtime(true) - $t) / 1e6;
            $close($h);
            $h = null;
            gc_collect_cycles();
            $out['round_trips'][] = proxy_round_trips($job['stats'], $before, $end);
        }
    } catch (Throwable $e) {
        echo json_encode(['error' => preg_replace('/\s+/', ' ', $e->getMessage())]);
        return 0;
    }
    echo json_encode([
        'wall_ms' => median($out['wall_ms']),
        'cpu_ms' => median($out['cpu_ms']),
        'first_wall_ms' => $out['first_wall_ms'],
        'first_cpu_ms' => $out['first_cpu_ms'],
        'proxied_ms' => median($out['proxied_ms']),
        // the median: Dovecot sometimes greets without its capability list
        // while its auth process is busy, which costs any client a round trip
        'round_trips' => median($out['round_trips']),
        'peak_rss_kb' => getrusage()['ru_maxrss'],
    ]);
    return 0;
}

/* Against a server that resumes (stunnel): the first login of a fresh process,
 * then the median of the next ones; for sqauth also with session_cache off, so
 * that the same steady state with and without resumption can be compared. */
function resume_worker(array $job): int
{
    [, $login, $close] = bench_clients('imap')[$job['client']];
    $c = $job['c'];
    $runs = ['cached' => $c];
    if ($job['client'] === 'sqauth') {
        $runs['no session cache'] = ['session_cache' => false] + $c;
    }
    $out = [];
    foreach ($runs as $name => $cc) {
        $wall = $cpu = $resumed = [];
        for ($i = 0; $i < 12; $i++) {
            $t = hrtime(true);
            $u = cpu_us();
            $h = $login($cc);
            $cpu[] = (cpu_us() - $u) / 1000;
            $wall[] = (hrtime(true) - $t) / 1e6;
            // PHP's streams neither reuse a session nor say whether one was resumed
            $resumed[] = $job['client'] === 'sqauth' ? sqauth_stream_info($h)['tls']['resumed'] : null;
            $close($h);
        }
        $out[$name] = ['first_wall_ms' => $wall[0], 'first_cpu_ms' => $cpu[0],
            'wall_ms' => median(array_slice($wall, 1)), 'cpu_ms' => median(array_slice($cpu, 1)),
            'resumed' => $resumed[1] === null ? null : count(array_filter(array_slice($resumed, 1))) . '/11'];
    }
    echo json_encode($out);
    return 0;
}

/* Client CPU per login, the variants taking turns in one process for 40
 * rounds after a warm-up, so that a machine that changes speed during the
 * run affects them alike: the fairest CPU ratio this machine can give. */
function cpu_worker(array $job): int
{
    $variants = [];
    foreach ($job['variants'] as $name => [$client, $extra]) {
        [, $login, $close] = bench_clients($job['proto'])[$client];
        $variants[$name] = [$login, $close, $extra + $job['c']];
    }
    $cpu = array_fill_keys(array_keys($variants), []);
    for ($round = -2; $round < 40; $round++) {
        foreach ($variants as $name => [$login, $close, $c]) {
            $u = cpu_us();
            $h = $login($c);
            $t = (cpu_us() - $u) / 1000;
            $close($h);
            if ($round >= 0) {
                $cpu[$name][] = $t;
            }
        }
    }
    echo json_encode(array_map('median', $cpu));
    return 0;
}

/* Memory per open connection: RSS growth while holding N logged-in connections. */
function memory_worker(array $job): int
{
    [, $login, $close] = bench_clients('imap')[$job['client']];
    $h = [$login($job['c'])]; // warm: code loaded, contexts built
    $rss = function (): int {
        preg_match('/^VmRSS:\s+(\d+)/m', file_get_contents('/proc/self/status'), $m);
        return (int) $m[1];
    };
    $before = $rss();
    $php0 = memory_get_usage();
    for ($i = 0; $i < $job['n']; $i++) {
        $h[] = $login($job['c']);
    }
    $kb = ($rss() - $before) / $job['n'];
    $phpkb = (memory_get_usage() - $php0) / 1024 / $job['n'];
    foreach ($h as $x) {
        $close($x);
    }
    echo json_encode(['rss_kb_per_connection' => round($kb, 1), 'php_heap_kb_per_connection' => round($phpkb, 1)]);
    return 0;
}

/* ---- the orchestrator ------------------------------------------------ */

$php = PHP_BINARY;
// notices from the peers' code (PHP 8.2 deprecations in Horde, PEAR) go to
// stderr, out of the worker's JSON answer
$ini = ['-n', '-d', 'extension=' . env('SQAUTH_BENCH_EXTENSION'), '-d', 'memory_limit=512M',
    '-d', 'display_errors=stderr', '-d', 'error_reporting=' . (E_ALL & ~E_DEPRECATED)];
if (is_file(ini_get('extension_dir') . '/imap.so')) {
    $ini = array_merge($ini, ['-d', 'extension=imap']);
}
$stats = env('SQAUTH_BENCH_STATS');
$delay = (float) env('SQAUTH_BENCH_DELAY_MS');
$ports = [
    'imap' => ['implicit' => [env('SQAUTH_DOVECOT_IMAPS'), env('SQAUTH_BENCH_PROXY_IMAPS')],
        'starttls' => [env('SQAUTH_DOVECOT_IMAP'), env('SQAUTH_BENCH_PROXY_IMAP')]],
    'smtp' => ['implicit' => [env('SQAUTH_DOVECOT_SUBMISSIONS'), env('SQAUTH_BENCH_PROXY_SUBMISSIONS')],
        'starttls' => [env('SQAUTH_DOVECOT_SUBMISSION'), env('SQAUTH_BENCH_PROXY_SUBMISSION')]],
];
$base = ['host' => 'localhost', 'user' => 'tim', 'pass' => 'tanstaaf', 'ca' => env('SQAUTH_TEST_CA')];

function run_worker(array $cmd): array
{
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    proc_close($p);
    $j = json_decode(trim($out), true);
    return is_array($j) ? $j : ['error' => trim($err . ' ' . $out) ?: 'no output'];
}

$results = ['machine' => php_uname('n') . ', ' . trim(shell_exec("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2") ?? '')
    . ', ' . (int) shell_exec('nproc') . ' cores', 'php' => PHP_VERSION, 'openssl' => OPENSSL_VERSION_TEXT,
    'sqauth' => phpversion('sqauth'), 'delay_ms_each_way' => $delay, 'logins' => [], 'cpu_interleaved' => [], 'resumption' => [], 'memory' => []];

fprintf(STDERR, "whole logins: ");
foreach (['imap', 'smtp'] as $proto) {
    foreach (bench_clients($proto) as $client => [$mechs]) {
        if (!bench_client_available($client)) {
            fprintf(STDERR, "\n(%s is not installed: skipped)\n", $client);
            continue;
        }
        foreach (['implicit', 'starttls'] as $tls) {
            foreach (BENCH_MECHS as $mech) {
                if (!in_array($mech, $mechs, true)) {
                    $r = ['unsupported' => true];
                } else {
                    [$port, $proxy] = $ports[$proto][$tls];
                    $job = ['proto' => $proto, 'client' => $client, 'proxy_port' => (int) $proxy, 'stats' => $stats,
                        'c' => ['port' => (int) $port, 'tls' => $tls, 'mech' => $mech] + $base];
                    $r = run_worker(array_merge([$php], $ini, [__FILE__, '--worker', json_encode($job)]));
                    fprintf(STDERR, isset($r['error']) ? 'x' : '.');
                }
                $results['logins'][] = ['protocol' => $proto, 'client' => $client, 'tls' => $tls, 'mechanism' => $mech] + $r;
            }
        }
    }
}
fprintf(STDERR, "\n");

// client CPU, interleaved: sqauth beside PHP's ssl:// streams for a few logins,
// and against stunnel, which resumes sessions, with and without sqauth's cache
$cpuCases = [
    'IMAP implicit TLS PLAIN' => ['imap', (int) env('SQAUTH_DOVECOT_IMAPS'), 'implicit', 'PLAIN'],
    'IMAP STARTTLS PLAIN' => ['imap', (int) env('SQAUTH_DOVECOT_IMAP'), 'starttls', 'PLAIN'],
    'IMAP implicit TLS SCRAM-SHA-256' => ['imap', (int) env('SQAUTH_DOVECOT_IMAPS'), 'implicit', 'SCRAM-SHA-256'],
    'SMTP STARTTLS PLAIN' => ['smtp', (int) env('SQAUTH_DOVECOT_SUBMISSION'), 'starttls', 'PLAIN'],
    'IMAP implicit TLS PLAIN via stunnel (resumes)' => ['imap', (int) env('SQAUTH_STUNNEL_IMAPS'), 'implicit', 'PLAIN'],
];
foreach ($cpuCases as $case => [$proto, $port, $tls, $mech]) {
    $variants = str_contains($case, 'stunnel')
        ? ['sqauth (session resumed)' => ['sqauth', []], 'sqauth (session_cache off)' => ['sqauth', ['session_cache' => false]]]
        : ['sqauth' => ['sqauth', []]];
    $variants['PHP ssl:// stream'] = ['PHP ssl:// stream', []];
    $job = ['proto' => $proto, 'variants' => $variants, 'c' => ['port' => $port, 'tls' => $tls, 'mech' => $mech] + $base];
    $results['cpu_interleaved'][$case] = run_worker(array_merge([$php], $ini, [__FILE__, '--cpu-worker', json_encode($job)]));
}

foreach (['sqauth', 'PHP ssl:// stream'] as $client) {
    $job = ['client' => $client, 'c' => ['port' => (int) env('SQAUTH_STUNNEL_IMAPS'), 'tls' => 'implicit', 'mech' => 'PLAIN'] + $base];
    $results['resumption'][$client] = run_worker(array_merge([$php], $ini, [__FILE__, '--resume-worker', json_encode($job)]));
    $job = ['client' => $client, 'n' => 50, 'c' => ['port' => (int) env('SQAUTH_DOVECOT_IMAPS'), 'tls' => 'implicit', 'mech' => 'PLAIN'] + $base];
    $results['memory'][$client] = run_worker(array_merge([$php], $ini, [__FILE__, '--memory-worker', json_encode($job)]));
}

/* ---- the tables ---------------------------------------------------------- */

$fmt = fn($v, $d = 1) => $v === null ? '-' : number_format($v, $d, '.', '');
foreach (['imap' => 'IMAP', 'smtp' => 'SMTP'] as $proto => $title) {
    foreach (['implicit' => 'implicit TLS', 'starttls' => 'STARTTLS'] as $tls => $tlsTitle) {
        printf("\n%s, %s (medians; ratios are client / sqauth; RT = round trips; %g ms proxy = %g ms added each way)\n",
            $title, $tlsTitle, $delay, $delay);
        printf("%-14s %-29s %8s %6s %8s %6s %5s %10s %6s %8s\n", 'MECHANISM', 'CLIENT', 'WALL ms', 'x', 'CPU ms', 'x', 'RT',
            'PROXY ms', 'x', 'RSS MB');
        foreach (BENCH_MECHS as $mech) {
            $rows = array_filter($results['logins'], fn($r) => $r['protocol'] === $proto && $r['tls'] === $tls && $r['mechanism'] === $mech);
            $sq = null;
            foreach ($rows as $r) {
                if ($r['client'] === 'sqauth' && isset($r['wall_ms'])) {
                    $sq = $r;
                }
            }
            foreach ($rows as $r) {
                if (isset($r['unsupported'])) {
                    printf("%-14s %-29s %s\n", $mech, $r['client'], 'mechanism not supported by this client');
                    continue;
                }
                if (isset($r['error'])) {
                    printf("%-14s %-29s FAILED: %s\n", $mech, $r['client'], substr($r['error'], 0, 80));
                    continue;
                }
                printf("%-14s %-29s %8s %6s %8s %6s %5s %10s %6s %8s\n", $mech, $r['client'],
                    $fmt($r['wall_ms'], 2), $sq ? $fmt($r['wall_ms'] / $sq['wall_ms'], 2) : '-',
                    $fmt($r['cpu_ms'], 2), $sq && $sq['cpu_ms'] > 0 ? $fmt($r['cpu_ms'] / $sq['cpu_ms'], 2) : '-',
                    $r['round_trips'] ?? '-',
                    $fmt($r['proxied_ms'], 1), $sq ? $fmt($r['proxied_ms'] / $sq['proxied_ms'], 2) : '-',
                    $fmt($r['peak_rss_kb'] / 1024, 1));
            }
        }
    }
}
printf("\nTLS session resumption (IMAP PLAIN, implicit TLS, stunnel in front of Dovecot): the first login of a\n"
    . "process, then the median of the next 11:\n");
printf("%-20s %-17s %10s %9s %10s %9s %s\n", 'CLIENT', 'SESSIONS', 'FIRST ms', 'CPU ms', 'NEXT ms', 'CPU ms', 'RESUMED');
foreach ($results['resumption'] as $client => $r) {
    if (isset($r['error'])) {
        printf("%-20s FAILED: %s\n", $client, $r['error']);
        continue;
    }
    foreach ($r as $name => $l) {
        printf("%-20s %-17s %10s %9s %10s %9s %s\n", $client, $name, $fmt($l['first_wall_ms'], 2), $fmt($l['first_cpu_ms'], 2),
            $fmt($l['wall_ms'], 2), $fmt($l['cpu_ms'], 2), $l['resumed'] ?? 'not reported');
    }
}
printf("\nClient CPU per login, ms: the variants take turns in one process, 40 rounds, medians:\n");
foreach ($results['cpu_interleaved'] as $case => $r) {
    if (isset($r['error'])) {
        printf("%-46s FAILED: %s\n", $case, $r['error']);
        continue;
    }
    $ssl = $r['PHP ssl:// stream'];
    foreach ($r as $name => $ms) {
        printf("%-46s %-28s %6.2f  %.2fx ssl://\n", $case, $name, $ms, $ms / $ssl);
    }
}
printf("\nMemory per open IMAP connection (implicit TLS, 50 held open):\n");
foreach ($results['memory'] as $client => $r) {
    printf("%-20s %s\n", $client, isset($r['error']) ? 'FAILED: ' . $r['error']
        : sprintf('%s KB RSS, %s KB of it PHP heap', $r['rss_kb_per_connection'], $r['php_heap_kb_per_connection']));
}
printf("\n%s; PHP %s, %s, sqauth %s\n", $results['machine'], PHP_VERSION, OPENSSL_VERSION_TEXT, phpversion('sqauth'));
if ($jsonFile) {
    file_put_contents($jsonFile, json_encode($results, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
}
