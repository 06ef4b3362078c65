<?php
/*
 * The README's results tables, in Markdown, from the last bench/run
 * (bench/results/*.json):   php bench/summary.php
 */
$dir = __DIR__ . '/results';
$compute = json_decode(file_get_contents("$dir/compute.json"), true);
$login = json_decode(file_get_contents("$dir/login.json"), true);
$soak = is_file("$dir/soak.json") ? json_decode(file_get_contents("$dir/soak.json"), true) : null;
$short = fn(string $n): string => strtr($n, ['PHP ssl:// stream' => 'ssl://', 'Roundcube rcube_imap_generic' => 'Roundcube',
    'Horde Imap_Client' => 'Horde', 'PHP ext/imap' => 'ext/imap', 'SquirrelMail 1.4 (PHP)' => 'SquirrelMail 1.4',
    'floor (PHP built-ins)' => 'floor']);

printf("Machine: %s; PHP %s, %s; sqauth %s.\n\n", $login['machine'], $login['php'], $login['openssl'], $login['sqauth']);

echo "Per call, microseconds (median of 15 interleaved rounds; in brackets: how many times sqauth's time):\n\n";
$names = array_keys(reset($compute['us_per_call']));
echo '| operation | ', implode(' | ', array_map($short, $names)), " |\n";
echo '| --- |', str_repeat(' --- |', count($names)), "\n";
foreach ($compute['us_per_call'] as $op => $r) {
    $base = $r['sqauth'];
    $cells = [];
    foreach ($names as $n) {
        $cells[] = $r[$n] === null ? 'n/a' : ($n === 'sqauth' ? sprintf('%.2f', $r[$n]) : sprintf('%.2f (%.2fx)', $r[$n], $r[$n] / $base));
    }
    echo "| $op | ", implode(' | ', $cells), " |\n";
}

echo "\nWhole logins against the local Dovecot (medians; RT = round trips the latency proxy counted before the login\n"
    . "returned, greeting included, TCP connect not; proxy = {$login['delay_ms_each_way']} ms added each way; CPU = the client's\n"
    . "user + system time per login, steady state):\n\n";
echo "| login | sqauth RT | fewest RT among the peers | sqauth via proxy, ms | fastest peer via proxy, ms | sqauth CPU, ms | ssl:// CPU, ms (sqauth / ssl://) |\n";
echo "| --- | --- | --- | --- | --- | --- | --- |\n";
$rows = [];
foreach ($login['logins'] as $r) {
    $rows[$r['protocol']][$r['tls']][$r['mechanism']][$r['client']] = $r;
}
foreach ($rows as $proto => $byTls) {
    foreach ($byTls as $tls => $byMech) {
        foreach ($byMech as $mech => $byClient) {
            $sq = $byClient['sqauth'] ?? null;
            $ssl = $byClient['PHP ssl:// stream'] ?? null;
            if (!isset($sq['round_trips'], $ssl['cpu_ms'])) {
                continue;
            }
            $rt = null;
            $rtWho = [];
            $px = null;
            $pxWho = '';
            foreach ($byClient as $client => $r) {
                if ($client === 'sqauth' || !isset($r['round_trips'])) {
                    continue;
                }
                if ($rt === null || $r['round_trips'] < $rt) {
                    [$rt, $rtWho] = [$r['round_trips'], [$short($client)]];
                } elseif ($r['round_trips'] == $rt) {
                    $rtWho[] = $short($client);
                }
                if ($px === null || $r['proxied_ms'] < $px) {
                    [$px, $pxWho] = [$r['proxied_ms'], $short($client)];
                }
            }
            printf("| %s %s %s | %s | %s (%s) | %.1f | %.1f (%s) | %.2f | %.2f (%.2fx) |\n", strtoupper($proto),
                $tls === 'implicit' ? 'implicit TLS' : 'STARTTLS', $mech, $sq['round_trips'], $rt, implode(', ', $rtWho),
                $sq['proxied_ms'], $px, $pxWho, $sq['cpu_ms'], $ssl['cpu_ms'], $sq['cpu_ms'] / $ssl['cpu_ms']);
        }
    }
}
$failed = [];
foreach ($login['logins'] as $r) {
    if (isset($r['error'])) {
        $failed[] = sprintf('%s %s %s %s', $short($r['client']), strtoupper($r['protocol']), $r['tls'], $r['mechanism']);
    }
}
if ($failed) {
    echo "\nPeer logins that failed against Dovecot: ", implode('; ', array_unique($failed)), ".\n";
}

if (!empty($login['cpu_interleaved'])) {
    echo "\nClient CPU per login, the variants taking turns in one process (40 rounds, medians; the fairest ratio on a\n"
        . "machine whose speed drifts):\n\n| login | client | CPU ms | x ssl:// |\n| --- | --- | --- | --- |\n";
    foreach ($login['cpu_interleaved'] as $case => $r) {
        if (isset($r['error'])) {
            continue;
        }
        foreach ($r as $name => $ms) {
            printf("| %s | %s | %.2f | %.2fx |\n", $case, $short($name), $ms, $ms / $r['PHP ssl:// stream']);
        }
    }
}

echo "\nThe first login of a fresh process against stunnel (which resumes sessions; IMAP PLAIN, implicit TLS): it\n"
    . "builds the TLS context and loads the CA file, which later logins in the process reuse (sqauth) or rebuild\n"
    . "(ssl://). Later logins: see the interleaved CPU table above (\"session resumed\").\n\n";
echo "| client | first login: wall ms, CPU ms | later logins resumed |\n| --- | --- | --- |\n";
foreach ($login['resumption'] as $client => $r) {
    if (isset($r['error'])) {
        continue;
    }
    $l = $r['cached'];
    printf("| %s | %.1f, %.2f | %s |\n", $short($client), $l['first_wall_ms'], $l['first_cpu_ms'],
        $l['resumed'] ?? 'never (PHP streams do not resume)');
}
echo "\nMemory per open IMAP connection (50 held open): ";
$m = [];
foreach ($login['memory'] as $client => $r) {
    if (!isset($r['error'])) {
        $m[] = sprintf('%s %.1f KB RSS (%.1f KB of it PHP heap)', $short($client), $r['rss_kb_per_connection'], $r['php_heap_kb_per_connection']);
    }
}
echo implode('; ', $m), ".\n";
if ($soak) {
    printf("\n%d logins in one process (one in ten failing on purpose): resident memory %d KB after %s warm-up logins, %d KB at the end;"
        . " open descriptors %d and %d; %d unexpected results.\n", $soak['logins'], $soak['rss_kb_after_warmup'],
        number_format(min(200, intdiv($soak['logins'], 10))), $soak['rss_kb_end'], $soak['fds_after_warmup'], $soak['fds_end'], $soak['unexpected']);
}
