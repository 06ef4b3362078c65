<?php
/*
 * What a SquirrelMail page costs, stock beside switched to sqauth, in one run:
 * each tree (SQAUTH_SQUIRRELMAIL_14 / _15) is copied three times, two copies
 * switched with bin/sqauth-squirrelmail, one of them with persistent logins
 * ($sqauth_imap_options = array('persistent' => true)); each copy is served by its own nginx + php-fpm
 * (Debian's; the stock one without sqauth loaded), both against the same
 * Dovecot. A user logs in to each over HTTP, then right_main.php (the message
 * list: every SquirrelMail page logs in to IMAP once) is requested in
 * interleaved rounds, stock and switched taking turns (the order alternates).
 *   php bench/squirrelmail.php [--rounds N] [--json FILE]
 * Needs the test servers' environment (bench/run-squirrelmail provides it) and
 * runs as root (php-fpm and nginx run the sites as www-data).
 */
declare(strict_types=1);
require __DIR__ . '/../tests/helpers/servers.inc';
require __DIR__ . '/../tests/webmail/squirrelmail.inc';

$opt = getopt('', ['rounds:', 'json:']);
$rounds = (int) ($opt['rounds'] ?? 100);
$trees = sm_trees();
if (!$trees) {
    fwrite(STDERR, "bench/squirrelmail.php: set SQAUTH_SQUIRRELMAIL_14 and/or SQAUTH_SQUIRRELMAIL_15 to extracted SquirrelMail trees\n");
    exit(2);
}
$top = dirname(__DIR__);
$work = sys_get_temp_dir() . '/sqauth-smbench-' . getmypid();
$user = 'tim@sqauth.test';
$pass = 'tanstaaf';
for ($i = 0; $i < 20; $i++) {
    sm_seed($user, $pass, "bench-message-$i", "the body of bench-message-$i");
}

/** A minimal HTTP/1.0 client with a cookie jar; returns [status, headers, body]. */
function http(int $port, string $path, array &$jar, ?array $post = null): array
{
    $hdr = 'Cookie: ' . implode('; ', array_map(fn($k, $v) => "$k=$v", array_keys($jar), $jar));
    $ctx = ['method' => $post === null ? 'GET' : 'POST', 'header' => $hdr, 'ignore_errors' => true, 'follow_location' => 0, 'timeout' => 30];
    if ($post !== null) {
        $ctx['header'] .= "\r\nContent-Type: application/x-www-form-urlencoded";
        $ctx['content'] = http_build_query($post);
    }
    $body = (string) file_get_contents("http://127.0.0.1:$port$path", false, stream_context_create(['http' => $ctx]));
    $headers = $http_response_header ?? [];
    foreach ($headers as $h) {
        if (preg_match('/^Set-Cookie:\s*([^=]+)=([^;]*)/i', $h, $m)) {
            if ($m[2] === 'deleted' || $m[2] === '') {
                unset($jar[$m[1]]);
            } else {
                $jar[$m[1]] = $m[2];
            }
        }
    }
    return [(int) substr($headers[0] ?? 'HTTP/1.0 0', 9, 3), $headers, $body];
}

function login(int $port, string $user, string $pass): array
{
    $jar = [];
    http($port, '/src/login.php', $jar);
    [$status, , $body] = http($port, '/src/redirect.php', $jar,
        ['login_username' => $user, 'secretkey' => $pass, 'js_autodetect_results' => '1', 'just_logged_in' => '1']);
    if ($status !== 302) {
        throw new RuntimeException("login failed (HTTP $status): " . substr(strip_tags($body), 0, 300));
    }
    return $jar;
}

function median(array $a): float
{
    sort($a);
    $n = count($a);
    return $n % 2 ? $a[intdiv($n, 2)] : ($a[$n / 2 - 1] + $a[$n / 2]) / 2;
}

function pct(array $a, float $p): float
{
    sort($a);
    return $a[min(count($a) - 1, (int) floor($p * count($a)))];
}

$cpu = '?';
foreach (file('/proc/cpuinfo') as $l) {
    if (str_starts_with($l, 'model name')) {
        $cpu = trim(explode(':', $l, 2)[1]);
        break;
    }
}
$results = ['machine' => ['cpu' => $cpu, 'cores' => (int) trim(sm_sh(['nproc'])), 'php' => PHP_VERSION,
    'openssl' => OPENSSL_VERSION_TEXT, 'dovecot' => trim(sm_sh(['dovecot', '--version']))], 'rounds' => $rounds, 'cases' => []];
$cells = [['cram-md5', 'starttls'], ['login', 'starttls'], ['cram-md5', 'implicit'], ['login', 'implicit']];
$tlsPorts = ['starttls' => [2, 'SQAUTH_DOVECOT_IMAP'], 'implicit' => [1, 'SQAUTH_DOVECOT_IMAPS']];
$servers = [];
try {
    foreach ($trees as $version => $src) {
        $sites = [];
        foreach (['stock', 'sqauth', 'persistent'] as $kind) {
            $site = "$work/$version-$kind";
            $web = "$work/$version-$kind-web";
            mkdir($site, 0755, true);
            mkdir($web, 0755, true);
            sm_prepare($src, $site);
            if ($kind !== 'stock') {
                sm_sh([PHP_BINARY, "$top/bin/sqauth-squirrelmail", '--apply', $site]);
            }
            $env = ['SQAUTH_TEST_EXTENSION' => $kind === 'stock' ? 'none' : getenv('SQAUTH_TEST_EXTENSION')] + getenv();
            if ($kind === 'persistent') {
                // the cells log in with different mechanisms as the same user: the connections a
                // cell leaves pooled must not hold the per-user cap for the next one (a real site
                // has one mechanism)
                $env['SQAUTH_WEB_INI'] = 'sqauth.persistent_per_user = 64';
            }
            $p = proc_open(["$top/tests/webmail/serve", 'start', $web, $site], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
            $msg = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
            if (proc_close($p) !== 0) {
                throw new RuntimeException("serve failed: $msg");
            }
            $servers[] = $web;
            $sites[$kind] = [$site, (int) substr(trim((string) file_get_contents("$web/web.env")), strlen('SQAUTH_WEB_PORT='))];
        }
        foreach ($cells as [$mech, $mode]) {
            [$tls, $var] = $tlsPorts[$mode];
            $jars = [];
            foreach ($sites as $kind => [$site, $port]) {
                sm_configure($site, ['imapPort' => sqauth_test_port($var), 'use_imap_tls' => $tls, 'imap_auth_mech' => $mech,
                    'smtpPort' => sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION'), 'use_smtp_tls' => 2, 'smtp_auth_mech' => $mech]
                    + ($kind === 'persistent' ? ['sqauth_imap_options' => ['persistent' => true]] : []));
                $jars[$kind] = login($port, $user, $pass);
                [$status, , $body] = http($port, '/src/right_main.php', $jars[$kind]);
                if ($status !== 200 || !str_contains($body, "bench-message-")) {
                    throw new RuntimeException("$version $kind $mech $mode: right_main.php shows no message list (HTTP $status): " . substr(preg_replace("/\\s+/", " ", strip_tags($body)), 0, 1500));
                }
            }
            $ms = ['stock' => [], 'sqauth' => [], 'persistent' => []];
            $kinds = array_keys($ms);
            for ($r = 0; $r < $rounds; $r++) {
                // the order turns each round
                $order = array_merge(array_slice($kinds, $r % 3), array_slice($kinds, 0, $r % 3));
                foreach ($order as $kind) {
                    $t = hrtime(true);
                    [$status] = http($sites[$kind][1], '/src/right_main.php', $jars[$kind]);
                    $ms[$kind][] = (hrtime(true) - $t) / 1e6;
                    if ($status !== 200) {
                        throw new RuntimeException("$version $kind: HTTP $status in round $r");
                    }
                }
            }
            $case = ['version' => $version, 'mechanism' => $mech, 'tls' => $mode,
                'stock_ms' => round(median($ms['stock']), 2), 'sqauth_ms' => round(median($ms['sqauth']), 2),
                'persistent_ms' => round(median($ms['persistent']), 2),
                'stock_p90_ms' => round(pct($ms['stock'], 0.9), 2), 'sqauth_p90_ms' => round(pct($ms['sqauth'], 0.9), 2),
                'persistent_p90_ms' => round(pct($ms['persistent'], 0.9), 2)];
            $case['ratio'] = round($case['sqauth_ms'] / $case['stock_ms'], 3);
            $case['persistent_ratio'] = round($case['persistent_ms'] / $case['stock_ms'], 3);
            $results['cases'][] = $case;
            printf("SquirrelMail %s  %-9s %-8s  right_main.php median: stock %6.2f ms  sqauth %6.2f ms (%.2fx)  persistent %6.2f ms (%.2fx); p90 %.2f / %.2f / %.2f ms\n",
                $version, $mech, $mode, $case['stock_ms'], $case['sqauth_ms'], $case['ratio'], $case['persistent_ms'], $case['persistent_ratio'],
                $case['stock_p90_ms'], $case['sqauth_p90_ms'], $case['persistent_p90_ms']);
        }
    }
} finally {
    foreach ($servers as $web) {
        sm_sh(["$top/tests/webmail/serve", 'stop', $web]);
    }
    sm_sh(['rm', '-rf', $work]);
}
printf("machine: %s, %d cores, PHP %s, %s, Dovecot %s; %d interleaved rounds per case\n",
    $results['machine']['cpu'], $results['machine']['cores'], PHP_VERSION, OPENSSL_VERSION_TEXT, $results['machine']['dovecot'], $rounds);
if (isset($opt['json'])) {
    file_put_contents($opt['json'], json_encode($results, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
}
