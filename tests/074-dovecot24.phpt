--TEST--
Dovecot 2.4 (Debian 13's, in tests/tools/php-trixie's chroot): the mechanisms it offers, IMAP, POP3 and submission logins with each of them over none / STARTTLS / implicit TLS (TLS 1.3 and 1.2), SCRAM-*-PLUS channel binding, what 'auto' picks, wrong passwords refused, a message through submission, the pool's reuse, XOAUTH2 and OAUTHBEARER through its oauth2 passdb
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
if (!getenv('SQAUTH_DOVECOT24_IMAP')) {
    die('skip Dovecot 2.4 runs in the trixie chroot of tests/tools/php-trixie, which starts it for the PHP 8.4 and 8.5 passes; not started here');
}
sqauth_test_need('SQAUTH_DOVECOT24_IMAPS', 'SQAUTH_DOVECOT24_POP3', 'SQAUTH_DOVECOT24_POP3S', 'SQAUTH_DOVECOT24_SUBMISSION',
    'SQAUTH_DOVECOT24_SUBMISSIONS', 'SQAUTH_DOVECOT24_LOG', 'SQAUTH_DOVECOT24_RELAY_MBOX', 'SQAUTH_OAUTH_D24_TOKEN');
?>
--INI--
sqauth.persistent_check_after=600
sqauth.persistent_idle_timeout=3600
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
echo 'Dovecot ', preg_replace('/^(\d+\.\d+)\..*/', '$1', getenv('SQAUTH_DOVECOT24_VERSION')), "\n";
$tls12 = ['ssl' => ['cafile' => getenv('SQAUTH_TEST_CA'), 'max_version' => '1.2']];
function modes(string $plain, string $implicit): array
{
    global $tls12;
    $p = sqauth_test_port($plain);
    $i = sqauth_test_port($implicit);
    return [
        'none' => [$p, ['tls' => 'none', 'allow_plaintext' => true]],
        'starttls/1.3' => [$p, ['tls' => 'starttls'] + sqauth_test_ssl()],
        'starttls/1.2' => [$p, ['tls' => 'starttls'] + $tls12],
        'implicit/1.3' => [$i, ['tls' => 'implicit'] + sqauth_test_ssl()],
        'implicit/1.2' => [$i, ['tls' => 'implicit'] + $tls12],
    ];
}
/* one row: a login with $m in every TLS mode, the stream used, and the same with a wrong password */
function row(string $proto, array $modes, string $m, callable $use): void
{
    $login = "sqauth_{$proto}_login";
    $cells = [];
    foreach ($modes as $label => [$port, $opt]) {
        try {
            $s = $login('localhost', $port, 'tim', 'tanstaaf', ['mechanism' => $m] + $opt);
            $i = sqauth_stream_info($s);
            $cell = $i['mechanism'] . ($i['server_verified'] ? '+v' : '') . ($use($s) ? '' : ' UNUSABLE');
            fclose($s);
        } catch (Sqauth\Exception $e) {
            $cell = substr(strrchr(get_class($e), '\\'), 1);
        }
        if (!str_contains($cell, 'Exception')) {
            try {
                $login('localhost', $port, 'tim', 'wrong', ['mechanism' => $m] + $opt);
                $cell .= ' WRONG-ACCEPTED';
            } catch (Sqauth\AuthenticationException $e) {
            }
        }
        $cells[] = "$label=$cell";
    }
    echo str_pad($m, 19), implode(' ', $cells), "\n";
}

echo "-- what 2.4 offers (sqauth_detect)\n";
foreach ([['imap', 'SQAUTH_DOVECOT24_IMAP'], ['pop3', 'SQAUTH_DOVECOT24_POP3'], ['smtp', 'SQAUTH_DOVECOT24_SUBMISSION']] as [$proto, $var]) {
    $d = sqauth_detect($proto, 'localhost', sqauth_test_port($var), sqauth_test_ssl());
    echo "$proto before TLS: ", implode(' ', $d['mechanisms_before_tls']) ?: '-', "\n$proto after TLS: ", implode(' ', $d['mechanisms']), "\n";
}

echo "-- IMAP (every login is refused with the wrong password too: a cell would say WRONG-ACCEPTED)\n";
$imapUse = function ($s): bool { $r = sqauth_test_imap($s, 'N', 'NOOP'); return str_starts_with(end($r), 'N OK'); };
$modes = modes('SQAUTH_DOVECOT24_IMAP', 'SQAUTH_DOVECOT24_IMAPS');
foreach (['auto', 'login', 'sasl-login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256', 'scram-sha-1-plus', 'scram-sha-256-plus'] as $m) {
    row('imap', $modes, $m, $imapUse);
}

echo "-- POP3\n";
$popUse = function ($s): bool { fwrite($s, "STAT\r\n"); return str_starts_with((string) fgets($s), '+OK'); };
$modes = modes('SQAUTH_DOVECOT24_POP3', 'SQAUTH_DOVECOT24_POP3S');
foreach (['auto', 'user', 'apop', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-256', 'scram-sha-256-plus'] as $m) {
    row('pop3', $modes, $m, $popUse);
}

echo "-- submission\n";
$smtpUse = function ($s): bool { fwrite($s, "NOOP\r\n"); return str_starts_with(sqauth_test_smtp_reply($s), '250'); };
$modes = modes('SQAUTH_DOVECOT24_SUBMISSION', 'SQAUTH_DOVECOT24_SUBMISSIONS');
foreach (['auto', 'login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256', 'scram-sha-256-plus'] as $m) {
    row('smtp', $modes, $m, $smtpUse);
}
// a message through 2.4's submission to its relay
$s = sqauth_smtp_login('localhost', sqauth_test_port('SQAUTH_DOVECOT24_SUBMISSION'), 'tim', 'tanstaaf', sqauth_test_ssl());
$subject = 'sqauth 2.4 ' . bin2hex(random_bytes(4));
foreach (["MAIL FROM:<tim@example.org>\r\n", "RCPT TO:<chris@example.org>\r\n", "DATA\r\n",
          "From: tim@example.org\r\nTo: chris@example.org\r\nSubject: $subject\r\n\r\nhello\r\n.\r\n"] as $line) {
    fwrite($s, $line);
    $reply = sqauth_test_smtp_reply($s);
}
echo 'message: ', trim($reply), "\n";
fwrite($s, "QUIT\r\n");
fclose($s);
for ($i = 0; $i < 50 && !str_contains((string) @file_get_contents(getenv('SQAUTH_DOVECOT24_RELAY_MBOX')), $subject); $i++) {
    usleep(100000);
}
echo 'relayed: ', str_contains((string) @file_get_contents(getenv('SQAUTH_DOVECOT24_RELAY_MBOX')), $subject) ? 'yes' : 'no', "\n";

echo "-- the pool: three pages of one user, one login at 2.4\n";
$logins = fn (): int => preg_match_all('/imap-login: Info: Logged in: user=<pool-d24>/', (string) file_get_contents(getenv('SQAUTH_DOVECOT24_LOG')));
$before = $logins();
$opt = ['tls' => 'starttls', 'persistent' => true, 'session_id' => 'sess-d24'] + sqauth_test_ssl();
for ($page = 1; $page <= 3; $page++) {
    $s = sqauth_imap_login('127.0.0.1', sqauth_test_port('SQAUTH_DOVECOT24_IMAP'), 'pool-d24', 'pw-pool-d24', $opt);
    $i = sqauth_stream_info($s);
    echo "page $page: ", $i['persistent']['reused'] ? 'reused' : 'new login', $imapUse($s) ? '' : ' UNUSABLE', "\n";
    fclose($s);
}
for ($i = 0; $i < 20 && $logins() - $before < 1; $i++) {
    usleep(100000);
}
echo 'Dovecot 2.4 logins: ', $logins() - $before, "\n";
sqauth_pool_forget('pool-d24');

echo "-- tokens through 2.4's oauth2 passdb\n";
$user = getenv('SQAUTH_OAUTH_USER');
foreach (['xoauth2', 'oauthbearer'] as $m) {
    foreach (['implicit' => 'SQAUTH_DOVECOT24_IMAPS', 'starttls' => 'SQAUTH_DOVECOT24_IMAP'] as $tls => $var) {
        foreach (['valid' => getenv('SQAUTH_OAUTH_D24_TOKEN'), 'expired' => getenv('SQAUTH_OAUTH_D24_TOKEN_EXPIRED')] as $kind => $token) {
            try {
                $s = sqauth_imap_login('localhost', sqauth_test_port($var), $user, $token, ['tls' => $tls, 'mechanism' => $m] + sqauth_test_ssl());
                $out = sqauth_stream_info($s)['mechanism'] . ($imapUse($s) ? '' : ' UNUSABLE');
                fclose($s);
            } catch (Sqauth\Exception $e) {
                $out = substr(strrchr(get_class($e), '\\'), 1);
            }
            echo "$m $tls $kind token: $out\n";
        }
    }
}
?>
--EXPECT--
Dovecot 2.4
-- what 2.4 offers (sqauth_detect)
imap before TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
imap after TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER SCRAM-SHA-1-PLUS SCRAM-SHA-256-PLUS
pop3 before TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
pop3 after TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER SCRAM-SHA-1-PLUS SCRAM-SHA-256-PLUS
smtp before TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
smtp after TLS: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER SCRAM-SHA-1-PLUS SCRAM-SHA-256-PLUS
-- IMAP (every login is refused with the wrong password too: a cell would say WRONG-ACCEPTED)
auto               none=SCRAM-SHA-256+v starttls/1.3=SCRAM-SHA-256+v starttls/1.2=SCRAM-SHA-256-PLUS+v implicit/1.3=SCRAM-SHA-256+v implicit/1.2=SCRAM-SHA-256-PLUS+v
login              none=LOGIN-COMMAND starttls/1.3=LOGIN-COMMAND starttls/1.2=LOGIN-COMMAND implicit/1.3=LOGIN-COMMAND implicit/1.2=LOGIN-COMMAND
sasl-login         none=LOGIN starttls/1.3=LOGIN starttls/1.2=LOGIN implicit/1.3=LOGIN implicit/1.2=LOGIN
plain              none=PLAIN starttls/1.3=PLAIN starttls/1.2=PLAIN implicit/1.3=PLAIN implicit/1.2=PLAIN
cram-md5           none=CRAM-MD5 starttls/1.3=CRAM-MD5 starttls/1.2=CRAM-MD5 implicit/1.3=CRAM-MD5 implicit/1.2=CRAM-MD5
digest-md5         none=DIGEST-MD5+v starttls/1.3=DIGEST-MD5+v starttls/1.2=DIGEST-MD5+v implicit/1.3=DIGEST-MD5+v implicit/1.2=DIGEST-MD5+v
scram-sha-1        none=SCRAM-SHA-1+v starttls/1.3=SCRAM-SHA-1+v starttls/1.2=SCRAM-SHA-1+v implicit/1.3=SCRAM-SHA-1+v implicit/1.2=SCRAM-SHA-1+v
scram-sha-256      none=SCRAM-SHA-256+v starttls/1.3=SCRAM-SHA-256+v starttls/1.2=SCRAM-SHA-256+v implicit/1.3=SCRAM-SHA-256+v implicit/1.2=SCRAM-SHA-256+v
scram-sha-1-plus   none=ProtocolException starttls/1.3=SCRAM-SHA-1-PLUS+v starttls/1.2=SCRAM-SHA-1-PLUS+v implicit/1.3=SCRAM-SHA-1-PLUS+v implicit/1.2=SCRAM-SHA-1-PLUS+v
scram-sha-256-plus none=ProtocolException starttls/1.3=SCRAM-SHA-256-PLUS+v starttls/1.2=SCRAM-SHA-256-PLUS+v implicit/1.3=SCRAM-SHA-256-PLUS+v implicit/1.2=SCRAM-SHA-256-PLUS+v
-- POP3
auto               none=SCRAM-SHA-256+v starttls/1.3=SCRAM-SHA-256+v starttls/1.2=SCRAM-SHA-256-PLUS+v implicit/1.3=SCRAM-SHA-256+v implicit/1.2=SCRAM-SHA-256-PLUS+v
user               none=USER starttls/1.3=USER starttls/1.2=USER implicit/1.3=USER implicit/1.2=USER
apop               none=APOP starttls/1.3=APOP starttls/1.2=APOP implicit/1.3=APOP implicit/1.2=APOP
plain              none=PLAIN starttls/1.3=PLAIN starttls/1.2=PLAIN implicit/1.3=PLAIN implicit/1.2=PLAIN
cram-md5           none=CRAM-MD5 starttls/1.3=CRAM-MD5 starttls/1.2=CRAM-MD5 implicit/1.3=CRAM-MD5 implicit/1.2=CRAM-MD5
digest-md5         none=DIGEST-MD5+v starttls/1.3=DIGEST-MD5+v starttls/1.2=DIGEST-MD5+v implicit/1.3=DIGEST-MD5+v implicit/1.2=DIGEST-MD5+v
scram-sha-256      none=SCRAM-SHA-256+v starttls/1.3=SCRAM-SHA-256+v starttls/1.2=SCRAM-SHA-256+v implicit/1.3=SCRAM-SHA-256+v implicit/1.2=SCRAM-SHA-256+v
scram-sha-256-plus none=ProtocolException starttls/1.3=SCRAM-SHA-256-PLUS+v starttls/1.2=SCRAM-SHA-256-PLUS+v implicit/1.3=SCRAM-SHA-256-PLUS+v implicit/1.2=SCRAM-SHA-256-PLUS+v
-- submission
auto               none=SCRAM-SHA-256+v starttls/1.3=SCRAM-SHA-256+v starttls/1.2=SCRAM-SHA-256-PLUS+v implicit/1.3=SCRAM-SHA-256+v implicit/1.2=SCRAM-SHA-256-PLUS+v
login              none=LOGIN starttls/1.3=LOGIN starttls/1.2=LOGIN implicit/1.3=LOGIN implicit/1.2=LOGIN
plain              none=PLAIN starttls/1.3=PLAIN starttls/1.2=PLAIN implicit/1.3=PLAIN implicit/1.2=PLAIN
cram-md5           none=CRAM-MD5 starttls/1.3=CRAM-MD5 starttls/1.2=CRAM-MD5 implicit/1.3=CRAM-MD5 implicit/1.2=CRAM-MD5
digest-md5         none=DIGEST-MD5+v starttls/1.3=DIGEST-MD5+v starttls/1.2=DIGEST-MD5+v implicit/1.3=DIGEST-MD5+v implicit/1.2=DIGEST-MD5+v
scram-sha-1        none=SCRAM-SHA-1+v starttls/1.3=SCRAM-SHA-1+v starttls/1.2=SCRAM-SHA-1+v implicit/1.3=SCRAM-SHA-1+v implicit/1.2=SCRAM-SHA-1+v
scram-sha-256      none=SCRAM-SHA-256+v starttls/1.3=SCRAM-SHA-256+v starttls/1.2=SCRAM-SHA-256+v implicit/1.3=SCRAM-SHA-256+v implicit/1.2=SCRAM-SHA-256+v
scram-sha-256-plus none=ProtocolException starttls/1.3=SCRAM-SHA-256-PLUS+v starttls/1.2=SCRAM-SHA-256-PLUS+v implicit/1.3=SCRAM-SHA-256-PLUS+v implicit/1.2=SCRAM-SHA-256-PLUS+v
message: 250 2.0.0 OK
relayed: yes
-- the pool: three pages of one user, one login at 2.4
page 1: new login
page 2: reused
page 3: reused
Dovecot 2.4 logins: 1
-- tokens through 2.4's oauth2 passdb
xoauth2 implicit valid token: XOAUTH2
xoauth2 implicit expired token: AuthenticationException
xoauth2 starttls valid token: XOAUTH2
xoauth2 starttls expired token: AuthenticationException
oauthbearer implicit valid token: OAUTHBEARER
oauthbearer implicit expired token: AuthenticationException
oauthbearer starttls valid token: OAUTHBEARER
oauthbearer starttls expired token: AuthenticationException
