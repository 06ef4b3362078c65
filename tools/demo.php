<?php
/* The demo table (run by tools/demo, which starts the Dovecot it talks to). */
$ca = getenv('SQAUTH_TEST_CA');
$ssl = ['ssl' => ['cafile' => $ca]];
$servers = [
    'IMAP' => ['sqauth_imap_login', 'imap', getenv('SQAUTH_DOVECOT_IMAP'), getenv('SQAUTH_DOVECOT_IMAPS'),
        ['auto', 'login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256']],
    'SMTP' => ['sqauth_smtp_login', 'smtp', getenv('SQAUTH_DOVECOT_SUBMISSION'), getenv('SQAUTH_DOVECOT_SUBMISSIONS'),
        ['auto', 'login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256']],
    'POP3' => ['sqauth_pop3_login', 'pop3', getenv('SQAUTH_DOVECOT_POP3'), getenv('SQAUTH_DOVECOT_POP3S'),
        ['auto', 'user', 'apop', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-256']],
];
$failed = 0;
echo "sqauth ", phpversion('sqauth'), " against a private Dovecot on 127.0.0.1 (user tim)\n";
foreach ($servers as $name => [$login, $proto, $port, $tlsPort, $mechs]) {
    $d = sqauth_detect($proto, 'localhost', (int) $port, $ssl);
    printf("\n%s, port %d: STARTTLS %s; certificate %s, %s\n  mechanisms before TLS: %s\n  mechanisms over TLS:   %s\n",
        $name, $port, $d['starttls'] ? 'offered' : 'not offered', $d['certificate']['subject'] ?? '-',
        ($d['certificate']['verified'] ?? false) ? 'verified' : 'not verified',
        implode(' ', $d['mechanisms_before_tls']), implode(' ', $d['mechanisms']));
    printf("  %-14s %-9s %-16s %-9s %-12s %s\n", 'MECHANISM', 'TLS', 'USED', 'VERIFIED', 'ROUND TRIPS', 'TIME');
    foreach ($mechs as $m) {
        foreach (['none' => $port, 'starttls' => $port, 'implicit' => $tlsPort] as $tls => $p) {
            $t0 = microtime(true);
            try {
                $s = $login('localhost', (int) $p, 'tim', 'tanstaaf', ['tls' => $tls, 'mechanism' => $m] + $ssl);
                $i = sqauth_stream_info($s);
                fclose($s);
                printf("  %-14s %-9s %-16s %-9s %-12d %.1f ms\n", $m, $tls, $i['mechanism'], $i['server_verified'] ? 'yes' : 'no',
                    $i['round_trips'], 1000 * (microtime(true) - $t0));
            } catch (Sqauth\Exception $e) {
                printf("  %-14s %-9s %s\n", $m, $tls, (new ReflectionClass($e))->getShortName() . ': ' . $e->getMessage());
                $failed++;
            }
        }
    }
}
printf("\n%s\n", $failed ? "$failed logins failed" : 'every login succeeded');
exit($failed ? 1 : 0);
