--TEST--
IMAP against Dovecot: every mechanism x none / STARTTLS / implicit TLS, right and wrong password, the stream used for real
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_IMAPS');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$ports = ['none' => sqauth_test_port('SQAUTH_DOVECOT_IMAP'), 'starttls' => sqauth_test_port('SQAUTH_DOVECOT_IMAP'),
          'implicit' => sqauth_test_port('SQAUTH_DOVECOT_IMAPS')];
$mechs = ['auto', 'login', 'sasl-login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256'];
foreach ($mechs as $m) {
    $row = [];
    foreach ($ports as $tls => $port) {
        $opt = ['tls' => $tls, 'mechanism' => $m] + sqauth_test_ssl();
        try {
            $s = sqauth_imap_login('127.0.0.1', $port, 'tim', 'tanstaaf', $opt);
            $i = sqauth_stream_info($s);
            $ok = $i['mechanism'] . ($i['server_verified'] ? '+verified' : '') . ($i['tls'] ? '/' . $i['tls']['version'] : '');
            // the stream is logged in: a command works
            $r = sqauth_test_imap($s, 'T1', 'NOOP');
            $ok .= str_starts_with(end($r), 'T1 OK') ? '' : ' NOOP-FAILED';
            fclose($s);
        } catch (Throwable $e) {
            $ok = get_class($e) . ': ' . $e->getMessage();
        }
        try {
            sqauth_imap_login('127.0.0.1', $port, 'tim', 'wrong', $opt);
            $bad = 'ACCEPTED';
        } catch (Sqauth\AuthenticationException $e) {
            $bad = 'refused ' . $e->getResponseCode();
        } catch (Throwable $e) {
            $bad = get_class($e) . ': ' . $e->getMessage();
        }
        $row[] = "$tls=$ok ($bad)";
    }
    echo str_pad($m, 14), implode('  ', $row), "\n";
}

// a real session through the stream: SELECT, APPEND, FETCH back byte for byte, LOGOUT
$s = sqauth_imap_login('localhost', $ports['starttls'], 'tim', 'tanstaaf', sqauth_test_ssl());
$msg = "From: a@example.org\r\nTo: tim@example.org\r\nSubject: sqauth " . bin2hex(random_bytes(4)) . "\r\n\r\n"
    . str_repeat("line of body text \xc3\xa9\r\n", 500);
$r = sqauth_test_imap($s, 'A1', 'SELECT INBOX');
echo 'SELECT: ', trim(end($r)) !== '' && str_starts_with(end($r), 'A1 OK') ? 'ok' : 'failed', "\n";
$r = sqauth_test_imap($s, 'A2', 'APPEND INBOX', $msg);
echo 'APPEND: ', str_starts_with(end($r), 'A2 OK') ? 'ok' : 'failed: ' . end($r), "\n";
preg_match('/\[APPENDUID \d+ (\d+)\]/', end($r), $m);
$r = sqauth_test_imap($s, 'A3', "UID FETCH {$m[1]} BODY.PEEK[]");
echo 'FETCH: ', in_array($msg, $r, true) ? 'identical' : 'DIFFERENT', ' (', strlen($msg), " bytes)\n";
stream_set_timeout($s, 5);
$meta = stream_get_meta_data($s);
echo 'meta: ', $meta['stream_type'], ' timed_out=', var_export($meta['timed_out'], true), ' blocked=', var_export($meta['blocked'], true), "\n";
$r = sqauth_test_imap($s, 'A4', 'LOGOUT');
echo 'LOGOUT: ', str_starts_with(end($r), 'A4 OK') ? 'ok' : 'failed', "\n";
var_dump(fgets($s), feof($s));
fclose($s);
?>
--EXPECT--
auto          none=SCRAM-SHA-256+verified (refused AUTHENTICATIONFAILED)  starttls=SCRAM-SHA-256+verified/TLSv1.3 (refused AUTHENTICATIONFAILED)  implicit=SCRAM-SHA-256+verified/TLSv1.3 (refused AUTHENTICATIONFAILED)
login         none=LOGIN-COMMAND (refused AUTHENTICATIONFAILED)  starttls=LOGIN-COMMAND/TLSv1.3 (refused AUTHENTICATIONFAILED)  implicit=LOGIN-COMMAND/TLSv1.3 (refused AUTHENTICATIONFAILED)
sasl-login    none=LOGIN (refused AUTHENTICATIONFAILED)  starttls=LOGIN/TLSv1.3 (refused AUTHENTICATIONFAILED)  implicit=LOGIN/TLSv1.3 (refused AUTHENTICATIONFAILED)
plain         none=PLAIN (refused AUTHENTICATIONFAILED)  starttls=PLAIN/TLSv1.3 (refused AUTHENTICATIONFAILED)  implicit=PLAIN/TLSv1.3 (refused AUTHENTICATIONFAILED)
cram-md5      none=CRAM-MD5 (refused AUTHENTICATIONFAILED)  starttls=CRAM-MD5/TLSv1.3 (refused AUTHENTICATIONFAILED)  implicit=CRAM-MD5/TLSv1.3 (refused AUTHENTICATIONFAILED)
digest-md5    none=DIGEST-MD5+verified (refused AUTHENTICATIONFAILED)  starttls=DIGEST-MD5+verified/TLSv1.3 (refused AUTHENTICATIONFAILED)  implicit=DIGEST-MD5+verified/TLSv1.3 (refused AUTHENTICATIONFAILED)
scram-sha-1   none=SCRAM-SHA-1+verified (refused AUTHENTICATIONFAILED)  starttls=SCRAM-SHA-1+verified/TLSv1.3 (refused AUTHENTICATIONFAILED)  implicit=SCRAM-SHA-1+verified/TLSv1.3 (refused AUTHENTICATIONFAILED)
scram-sha-256 none=SCRAM-SHA-256+verified (refused AUTHENTICATIONFAILED)  starttls=SCRAM-SHA-256+verified/TLSv1.3 (refused AUTHENTICATIONFAILED)  implicit=SCRAM-SHA-256+verified/TLSv1.3 (refused AUTHENTICATIONFAILED)
SELECT: ok
APPEND: ok
FETCH: identical (11070 bytes)
meta: sqauth timed_out=false blocked=true
LOGOUT: ok
bool(false)
bool(true)
