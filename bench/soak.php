<?php
/*
 * Soak: N logins in one PHP process against the test Dovecot (started by
 * bench/run-soak), mixed mechanisms and TLS modes, one in ten made to fail
 * in turn by a wrong password, an untrusted certificate, a mechanism the
 * server does not offer and a closed port. Reports resident memory and open
 * descriptors after a warm-up and at the end. Output: a table and, with
 * --json FILE, the figures as JSON. Not a timed assertion: figures only.
 *   php -d extension=sqauth bench/soak.php [N] [--json FILE]
 */
$n = (int) ($argv[1] ?? 10000);
$jsonFile = ($i = array_search('--json', $argv, true)) !== false ? $argv[$i + 1] : null;
$env = fn(string $k) => getenv($k) ?: throw new RuntimeException("$k not set: run bench/run-soak");
$ports = ['none' => (int) $env('SQAUTH_DOVECOT_IMAP'), 'starttls' => (int) $env('SQAUTH_DOVECOT_IMAP'),
          'implicit' => (int) $env('SQAUTH_DOVECOT_IMAPS')];
$ssl = ['ssl' => ['cafile' => $env('SQAUTH_TEST_CA')]];
$mechs = ['scram-sha-256', 'plain', 'cram-md5', 'digest-md5', 'login', 'scram-sha-1'];
$failKinds = ['wrong password', 'untrusted certificate', 'mechanism not offered', 'closed port'];
$rss = function (): int {
    preg_match('/^VmRSS:\s+(\d+) kB/m', file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
};
$fds = fn(): int => count(scandir('/proc/self/fd')) - 2;
$ok = $failed = $unexpected = 0;
$byKind = array_fill_keys($failKinds, 0);
$warm = min(200, intdiv($n, 10));
$t0 = microtime(true);
for ($i = 0; $i < $n; $i++) {
    if ($i === $warm) {
        gc_collect_cycles();
        $rssWarm = $rss();
        $fdWarm = $fds();
    }
    $tls = array_keys($ports)[$i % 3];
    $mech = $mechs[intdiv($i, 3) % count($mechs)];
    $opt = ['tls' => $tls, 'mechanism' => $mech, 'timeout' => 5] + $ssl;
    $user = 'tim';
    $pass = 'tanstaaf';
    $port = $ports[$tls];
    $kind = null;
    if ($i % 10 === 9) {
        $kind = $failKinds[intdiv($i, 10) % count($failKinds)];
        match ($kind) {
            'wrong password' => $pass = 'wrong',
            'untrusted certificate' => [$opt['tls'], $opt['ssl'], $port] = ['implicit', ['cafile' => __FILE__ . '.no-such-ca'], $ports['implicit']],
            'mechanism not offered' => $opt['mechanism'] = 'scram-sha-256-plus',
            'closed port' => $port = 1,
        };
        if ($kind === 'untrusted certificate') {
            unset($opt['ssl']['cafile']); // the system store does not know the test CA
        }
    }
    try {
        $s = sqauth_imap_login('localhost', $port, $user, $pass, $opt);
        fwrite($s, "a NOOP\r\n");
        fgets($s);
        fclose($s);
        $kind === null ? $ok++ : $unexpected++;
    } catch (Sqauth\Exception $e) {
        if ($kind === null) {
            $unexpected++;
            fwrite(STDERR, "login $i ($tls $mech) failed: " . $e->getMessage() . "\n");
        } else {
            $failed++;
            $byKind[$kind]++;
        }
    }
}
$elapsed = microtime(true) - $t0;
gc_collect_cycles();
$r = ['logins' => $n, 'succeeded' => $ok, 'failed_as_intended' => $failed, 'unexpected' => $unexpected,
      'failures_by_kind' => $byKind, 'seconds' => round($elapsed, 1), 'logins_per_second' => round($n / $elapsed, 1),
      'rss_kb_after_warmup' => $rssWarm, 'rss_kb_end' => $rss(), 'fds_after_warmup' => $fdWarm, 'fds_end' => $fds(),
      'php_memory_usage_end' => memory_get_usage(), 'php_peak_memory' => memory_get_peak_usage()];
foreach ($r as $k => $v) {
    printf("%-22s %s\n", $k, is_array($v) ? json_encode($v) : $v);
}
if ($jsonFile) {
    file_put_contents($jsonFile, json_encode($r, JSON_PRETTY_PRINT) . "\n");
}
exit($unexpected ? 1 : 0);
