--TEST--
SMTP submission against Dovecot: every mechanism x TLS mode, wrong passwords with enhanced codes, a message through to the relay, 'none', site-wide credentials
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_DOVECOT_SUBMISSIONS');
?>
--INI--
sqauth.smtp_sitewide_user=tim
sqauth.smtp_sitewide_pass=tanstaaf
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$ports = ['none' => sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION'), 'starttls' => sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION'),
          'implicit' => sqauth_test_port('SQAUTH_DOVECOT_SUBMISSIONS')];
foreach (['auto', 'login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256'] as $m) {
    $row = [];
    foreach ($ports as $tls => $port) {
        $opt = ['tls' => $tls, 'mechanism' => $m, 'helo' => 'client.sqauth.test'] + sqauth_test_ssl();
        try {
            $s = sqauth_smtp_login('127.0.0.1', $port, 'tim', 'tanstaaf', $opt);
            $i = sqauth_stream_info($s);
            $ok = $i['mechanism'] . ($i['server_verified'] ? '+verified' : '') . ($i['tls'] ? '/TLS' : '');
            fwrite($s, "NOOP\r\n");
            $r = sqauth_test_smtp_reply($s);
            $ok .= str_starts_with($r, '250') ? '' : ' NOOP: ' . trim($r);
            fclose($s);
        } catch (Throwable $e) {
            $ok = get_class($e) . ': ' . $e->getMessage();
        }
        try {
            sqauth_smtp_login('127.0.0.1', $port, 'tim', 'wrong', $opt);
            $bad = 'ACCEPTED';
        } catch (Sqauth\AuthenticationException $e) {
            $bad = $e->getResponseCode();
        } catch (Throwable $e) {
            $bad = get_class($e) . ': ' . $e->getMessage();
        }
        $row[] = "$tls=$ok ($bad)";
    }
    echo str_pad($m, 14), implode('  ', $row), "\n";
}

// after 235 the stream is ready for MAIL FROM: a message goes through to the relay
$s = sqauth_smtp_login('localhost', $ports['starttls'], 'tim', 'tanstaaf', sqauth_test_ssl());
$tagline = 'sqauth-' . bin2hex(random_bytes(6));
foreach (["MAIL FROM:<tim@example.org>", "RCPT TO:<someone@example.net>", "DATA"] as $cmd) {
    fwrite($s, "$cmd\r\n");
    echo $cmd, ': ', substr(sqauth_test_smtp_reply($s), 0, 3), "\n";
}
fwrite($s, "Subject: $tagline\r\n\r\nHello through sqauth.\r\n.\r\n");
echo 'message: ', substr(sqauth_test_smtp_reply($s), 0, 3), "\n";
fwrite($s, "QUIT\r\n");
echo 'QUIT: ', substr(sqauth_test_smtp_reply($s), 0, 3), "\n";
fclose($s);
for ($i = 0; $i < 50 && !str_contains((string) @file_get_contents(getenv('SQAUTH_RELAY_MBOX')), $tagline); $i++) {
    usleep(100000);
}
echo 'relayed: ', str_contains((string) @file_get_contents(getenv('SQAUTH_RELAY_MBOX')), $tagline) ? 'yes' : 'no', "\n";

// 'none': EHLO and STARTTLS, no AUTH
$s = sqauth_smtp_login('localhost', $ports['starttls'], null, null, ['mechanism' => 'none'] + sqauth_test_ssl());
$i = sqauth_stream_info($s);
echo "none: mechanism=", var_export($i['mechanism'], true), ' tls=', $i['tls'] ? 'yes' : 'no', ' AUTH listed=',
    var_export((bool) preg_grep('/^AUTH /', $i['capabilities']), true), "\n";
fclose($s);

// a null username takes the site-wide credentials from the INI settings
$s = sqauth_smtp_login('localhost', $ports['implicit'], null, null, ['tls' => 'implicit'] + sqauth_test_ssl());
echo 'site-wide: ', sqauth_stream_info($s)['mechanism'], "\n";
fclose($s);
// the site-wide password is not shown by phpinfo
ob_start();
(new ReflectionExtension('sqauth'))->info();
$info = ob_get_clean();
var_dump(str_contains($info, 'tanstaaf'), str_contains($info, 'sqauth.smtp_sitewide_pass => ******** => ********'));
?>
--EXPECT--
auto          none=SCRAM-SHA-256+verified (535 5.7.8)  starttls=SCRAM-SHA-256+verified/TLS (535 5.7.8)  implicit=SCRAM-SHA-256+verified/TLS (535 5.7.8)
login         none=LOGIN (535 5.7.8)  starttls=LOGIN/TLS (535 5.7.8)  implicit=LOGIN/TLS (535 5.7.8)
plain         none=PLAIN (535 5.7.8)  starttls=PLAIN/TLS (535 5.7.8)  implicit=PLAIN/TLS (535 5.7.8)
cram-md5      none=CRAM-MD5 (535 5.7.8)  starttls=CRAM-MD5/TLS (535 5.7.8)  implicit=CRAM-MD5/TLS (535 5.7.8)
digest-md5    none=DIGEST-MD5+verified (535 5.7.8)  starttls=DIGEST-MD5+verified/TLS (535 5.7.8)  implicit=DIGEST-MD5+verified/TLS (535 5.7.8)
scram-sha-1   none=SCRAM-SHA-1+verified (535 5.7.8)  starttls=SCRAM-SHA-1+verified/TLS (535 5.7.8)  implicit=SCRAM-SHA-1+verified/TLS (535 5.7.8)
scram-sha-256 none=SCRAM-SHA-256+verified (535 5.7.8)  starttls=SCRAM-SHA-256+verified/TLS (535 5.7.8)  implicit=SCRAM-SHA-256+verified/TLS (535 5.7.8)
MAIL FROM:<tim@example.org>: 250
RCPT TO:<someone@example.net>: 250
DATA: 354
message: 250
QUIT: 221
relayed: yes
none: mechanism=NULL tls=yes AUTH listed=true
site-wide: SCRAM-SHA-256
bool(false)
bool(true)
