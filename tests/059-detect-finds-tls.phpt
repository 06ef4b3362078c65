--TEST--
sqauth_detect() without a tls option finds the mode itself: a plaintext server greets at once, a port that stays silent for a short while is tried with implicit TLS (reported in 'tls'); a silent port that is no TLS either fails fast with both reasons
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_SUBMISSIONS', 'SQAUTH_DOVECOT_POP3S', 'SQAUTH_DOVECOT_IMAP');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/fakeserver.inc';
foreach ([['imap', 'SQAUTH_DOVECOT_IMAPS'], ['smtp', 'SQAUTH_DOVECOT_SUBMISSIONS'], ['pop3', 'SQAUTH_DOVECOT_POP3S'], ['imap', 'SQAUTH_DOVECOT_IMAP']] as [$proto, $var]) {
    $t = microtime(true);
    $d = sqauth_detect($proto, 'localhost', sqauth_test_port($var), sqauth_test_ssl());   // no 'tls', timeout 15 s
    printf("%s on %s: tls=%s, certificate verified=%s, %d mechanisms, %s\n", $proto, $var, $d['tls'],
        var_export($d['certificate']['verified'] ?? null, true), count($d['mechanisms']),
        microtime(true) - $t < 10 ? 'well within the timeout' : 'took the whole timeout');
}
// a port that accepts and says nothing, in plaintext or TLS
[$port, $finish] = sqauth_fake_server([['sleep', 8]]);
$t = microtime(true);
try {
    sqauth_detect('imap', '127.0.0.1', $port, ['timeout' => 5]);
    echo "detected something\n";
} catch (Sqauth\Exception $e) {
    printf("silent port: %s: %s (%s)\n", get_class($e), $e->getMessage(), microtime(true) - $t < 14 ? 'no longer than the probe and one timeout' : 'too slow');
}
$finish();
// with the mode named there is no probing: the caller asked for plaintext or STARTTLS
try {
    sqauth_detect('imap', 'localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), ['tls' => 'starttls', 'timeout' => 1]);
    echo "detected something\n";
} catch (Sqauth\ConnectionException $e) {
    echo 'named starttls on a TLS port: ', str_contains($e->getMessage(), "set tls 'implicit'") ? 'timeout with the hint' : $e->getMessage(), "\n";
}
?>
--EXPECTF--
imap on SQAUTH_DOVECOT_IMAPS: tls=implicit, certificate verified=true, %d mechanisms, well within the timeout
smtp on SQAUTH_DOVECOT_SUBMISSIONS: tls=implicit, certificate verified=true, %d mechanisms, well within the timeout
pop3 on SQAUTH_DOVECOT_POP3S: tls=implicit, certificate verified=true, %d mechanisms, well within the timeout
imap on SQAUTH_DOVECOT_IMAP: tls=starttls, certificate verified=true, %d mechanisms, well within the timeout
silent port: Sqauth\%sException: %s (tried with implicit TLS: no plaintext greeting came within 2.0 s) (no longer than the probe and one timeout)
named starttls on a TLS port: timeout with the hint
