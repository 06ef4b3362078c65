--TEST--
POP3 against Dovecot: SASL mechanisms, USER/PASS and APOP x TLS mode, wrong passwords, STAT on the stream
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_POP3', 'SQAUTH_DOVECOT_POP3S');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$ports = ['none' => sqauth_test_port('SQAUTH_DOVECOT_POP3'), 'starttls' => sqauth_test_port('SQAUTH_DOVECOT_POP3'),
          'implicit' => sqauth_test_port('SQAUTH_DOVECOT_POP3S')];
foreach (['auto', 'user', 'apop', 'login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256'] as $m) {
    $row = [];
    foreach ($ports as $tls => $port) {
        $opt = ['tls' => $tls, 'mechanism' => $m] + sqauth_test_ssl();
        try {
            $s = sqauth_pop3_login('127.0.0.1', $port, 'tim', 'tanstaaf', $opt);
            $i = sqauth_stream_info($s);
            $ok = $i['mechanism'] . ($i['server_verified'] ? '+verified' : '') . ($i['tls'] ? '/TLS' : '');
            fwrite($s, "STAT\r\n");
            $ok .= preg_match('/^\+OK \d+ \d+\r\n$/', fgets($s)) ? '' : ' STAT-FAILED';
            fclose($s);
        } catch (Throwable $e) {
            $ok = get_class($e) . ': ' . $e->getMessage();
        }
        try {
            sqauth_pop3_login('127.0.0.1', $port, 'tim', 'wrong', $opt);
            $bad = 'ACCEPTED';
        } catch (Sqauth\AuthenticationException $e) {
            $bad = 'refused' . ($e->getResponseCode() ? ' [' . $e->getResponseCode() . ']' : '');
        } catch (Throwable $e) {
            $bad = get_class($e) . ': ' . $e->getMessage();
        }
        $row[] = "$tls=$ok ($bad)";
    }
    echo str_pad($m, 14), implode('  ', $row), "\n";
}
?>
--EXPECT--
auto          none=SCRAM-SHA-256+verified (refused [AUTH])  starttls=SCRAM-SHA-256+verified/TLS (refused [AUTH])  implicit=SCRAM-SHA-256+verified/TLS (refused [AUTH])
user          none=USER (refused [AUTH])  starttls=USER/TLS (refused [AUTH])  implicit=USER/TLS (refused [AUTH])
apop          none=APOP (refused [AUTH])  starttls=APOP/TLS (refused [AUTH])  implicit=APOP/TLS (refused [AUTH])
login         none=LOGIN (refused [AUTH])  starttls=LOGIN/TLS (refused [AUTH])  implicit=LOGIN/TLS (refused [AUTH])
plain         none=PLAIN (refused [AUTH])  starttls=PLAIN/TLS (refused [AUTH])  implicit=PLAIN/TLS (refused [AUTH])
cram-md5      none=CRAM-MD5 (refused [AUTH])  starttls=CRAM-MD5/TLS (refused [AUTH])  implicit=CRAM-MD5/TLS (refused [AUTH])
digest-md5    none=DIGEST-MD5+verified (refused [AUTH])  starttls=DIGEST-MD5+verified/TLS (refused [AUTH])  implicit=DIGEST-MD5+verified/TLS (refused [AUTH])
scram-sha-1   none=SCRAM-SHA-1+verified (refused [AUTH])  starttls=SCRAM-SHA-1+verified/TLS (refused [AUTH])  implicit=SCRAM-SHA-1+verified/TLS (refused [AUTH])
scram-sha-256 none=SCRAM-SHA-256+verified (refused [AUTH])  starttls=SCRAM-SHA-256+verified/TLS (refused [AUTH])  implicit=SCRAM-SHA-256+verified/TLS (refused [AUTH])
