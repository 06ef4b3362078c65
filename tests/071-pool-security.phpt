--TEST--
The pool against Dovecot, as an attacker would try it: a mailbox selected on the last page, untagged data in the answer to the pool's NOOP, an SMTP session the caller authenticated itself ('none'), a BDAT chunk and a DATA body left unfinished, the per-user cap over two ports, a password changed at the server (a new sign-in, the same session, sqauth_pool_forget()), and a forget reaching a connection another process keeps (its reaper logs it out)
--EXTENSIONS--
sqauth
pcntl
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_DOVECOT_CONF');
?>
--INI--
; no NOOP round trip and no expiry within the test, however slow the machine
sqauth.persistent_check_after=600
sqauth.persistent_idle_timeout=3600
sqauth.persistent_per_user=4
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/pool.inc';
require __DIR__ . '/helpers/fakeserver.inc';
$imap = sqauth_test_port('SQAUTH_DOVECOT_IMAP');
$imaps = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$sub = sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION');
$opt = ['tls' => 'starttls', 'persistent' => true] + sqauth_test_ssl();
$reused = fn ($s) => sqauth_stream_info($s)['persistent']['reused'] ? 'reused' : 'new login';
$status = fn (array $r) => preg_replace('/^\S+ (\S+).*$/s', '$1', end($r));

echo "-- a mailbox selected on the last page\n";
$u = 'pool-sec';
$s = sqauth_imap_login('127.0.0.1', $imap, $u, "pw-$u", $opt);
echo 'page 1: ', $reused($s), ', SELECT INBOX ', $status(sqauth_test_imap($s, 'S1', 'SELECT INBOX')), "\n";
fclose($s);
$s = sqauth_imap_login('127.0.0.1', $imap, $u, "pw-$u", $opt);
// a login gives a connection with no mailbox selected: CHECK (selected state only) is refused there
echo 'page 2: ', $reused($s), ', CHECK without SELECT: ', $status(sqauth_test_imap($s, 'C1', 'CHECK')), "\n";
echo 'SELECT INBOX: ', $status(sqauth_test_imap($s, 'S2', 'SELECT INBOX')), "\n";
fclose($s);

echo "-- untagged data in the answer to the pool's NOOP (a scripted server)\n";
[$port, $finish] = sqauth_fake_server([
    ['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] scripted\r\n"],
    ['expect', '/AUTHENTICATE PLAIN/'],
    ['tagged', "OK [CAPABILITY IMAP4rev1] in\r\n"],
    ['expect', '/NOOP/'],
    ['send', "* 3 EXISTS\r\n"],
    ['tagged', "OK done\r\n"],
    ['read_all'],
]);
$fopt = ['tls' => 'none', 'mechanism' => 'plain', 'persistent' => true, 'timeout' => 5];
fclose(sqauth_imap_login('127.0.0.1', $port, 'someone', 'secret', $fopt));
try {
    $s = sqauth_imap_login('127.0.0.1', $port, 'someone', 'secret', $fopt);
    echo 'the next login: HANDED OUT (', $reused($s), ")\n";
} catch (Sqauth\ConnectionException $e) {
    echo "the next login: not handed out; a new login was tried (the scripted server serves one client: refused)\n";
}
echo trim(preg_replace('/^(?!STATUS).*\n/m', '', $finish())), "\n";

echo "-- SMTP: 'none', then the caller's own AUTH (SquirrelMail's smtp_authenticate hook)\n";
$none = ['tls' => 'starttls', 'mechanism' => 'none', 'persistent' => true] + sqauth_test_ssl();
// (no SMTP credentials configured: SquirrelMail passes empty ones, the plugin logs in with its own)
$s = sqauth_smtp_login('127.0.0.1', $sub, '', '', $none);
fwrite($s, 'AUTH PLAIN ' . base64_encode("\0$u\0pw-$u") . "\r\n");
echo "the caller's AUTH: ", substr(sqauth_test_smtp_reply($s), 0, 3), ', kept: ', var_export(sqauth_stream_info($s)['persistent']['kept'], true), "\n";
fclose($s);
$s = sqauth_smtp_login('127.0.0.1', $sub, '', '', $none);
fwrite($s, "MAIL FROM:<someone@example.org>\r\n");
echo "the next 'none' caller, with no credentials: ", $reused($s), ', MAIL FROM ', substr(sqauth_test_smtp_reply($s), 0, 3), "\n";
fclose($s);

echo "-- SMTP: a message left unfinished\n";
$sopt = ['tls' => 'starttls', 'persistent' => true] + sqauth_test_ssl();
// a page that read every reply, then died inside the message (the server waits for the rest)
$leave = [
    'BDAT 6 bytes short' => ['BDAT 100 LAST', str_repeat('x', 94)],
    'DATA body open' => ['DATA', "Subject: half\r\n\r\nno end\r\n"],
];
foreach ($leave as $label => [$cmd, $body]) {
    fclose(sqauth_smtp_login('127.0.0.1', $sub, $u, "pw-$u", $sopt));   // one kept
    $s = sqauth_smtp_login('127.0.0.1', $sub, $u, "pw-$u", $sopt);
    $was = $reused($s);
    foreach (["MAIL FROM:<$u@sqauth.test>", "RCPT TO:<$u@sqauth.test>"] as $line) {
        fwrite($s, "$line\r\n");
        sqauth_test_smtp_reply($s);
    }
    fwrite($s, "$cmd\r\n");
    if ($cmd === 'DATA') {
        sqauth_test_smtp_reply($s);   // 354
    }
    fwrite($s, $body);
    $t0 = microtime(true);
    fclose($s);
    $s = sqauth_smtp_login('127.0.0.1', $sub, $u, "pw-$u", $sopt);
    fwrite($s, "MAIL FROM:<$u@sqauth.test>\r\n");
    $next = $reused($s);
    $waited = microtime(true) - $t0 > 1.5 ? 'waited for the pool\'s check' : 'no wait';   // (the check waits 2 s for RSET's answer)
    echo str_pad($label, 18), ": the page's connection: $was; the next page: $next ($waited), MAIL FROM ", substr(sqauth_test_smtp_reply($s), 0, 3), "\n";
    fwrite($s, "RSET\r\n");
    sqauth_test_smtp_reply($s);
    fclose($s);
}

echo "-- the per-user cap counts the user at the server, whatever the port\n";
$u = 'pool-port';
$open = [];
for ($i = 0; $i < 4; $i++) {
    $open[] = sqauth_imap_login('127.0.0.1', $imaps, $u, "pw-$u", ['tls' => 'implicit', 'persistent' => true] + sqauth_test_ssl());
}
for ($i = 0; $i < 3; $i++) {
    $open[] = sqauth_imap_login('127.0.0.1', $imap, $u, "pw-$u", $opt);
}
$kept = count(array_filter($open, fn ($s) => sqauth_stream_info($s)['persistent']['kept']));
foreach ($open as $s) {
    fclose($s);
}
usleep(300000);
echo "7 logins at once on two ports: kept $kept, connections left at Dovecot: ", sqauth_pool_connections($u), "\n";

echo "-- a password changed at the server\n";
$u = 'pool-pw';
$page = function (string $pw, string $session) use ($imap, $opt, $u, $reused) {
    try {
        $s = sqauth_imap_login('127.0.0.1', $imap, $u, $pw, ['session_id' => $session] + $opt);
        $r = $reused($s);
        fclose($s);
        return $r;
    } catch (Sqauth\AuthenticationException $e) {
        return 'refused by the server';
    }
};
echo 'session A signs in: ', $page("pw-$u", 'session-A'), '; its next page: ', $page("pw-$u", 'session-A'), "\n";
sqauth_pool_set_password($u, "pw-$u-changed");
echo "(the password is changed at the server)\n";
echo 'a new sign-in with the old password (session B): ', $page("pw-$u", 'session-B'), "\n";
echo 'session A, its next page: ', $page("pw-$u", 'session-A'), " (within persistent_max_age, the documented window)\n";
echo 'sqauth_pool_forget() (the password plugin\'s hook): ', sqauth_pool_forget($u), " closed here\n";
echo 'session A, its next page: ', $page("pw-$u", 'session-A'), "\n";
echo 'the new password: ', $page("pw-$u-changed", 'session-C'), "\n";
sqauth_pool_set_password($u, "pw-$u");

echo "-- sign-out in one worker reaches the connection another worker keeps\n";
$u = 'pool-out';
$pipe = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
$pid = pcntl_fork();
if ($pid === 0) {
    // "another php-fpm worker": a page of session X, then idle (no PHP code runs)
    fclose(sqauth_imap_login('127.0.0.1', $imap, $u, "pw-$u", ['session_id' => 'session-X'] + $opt));
    fwrite($pipe[1], "ready\n");
    fgets($pipe[1]);
    // a page of session X that was on its way when the session signed out: its login comes after
    fclose(sqauth_imap_login('127.0.0.1', $imap, $u, "pw-$u", ['session_id' => 'session-X'] + $opt));
    fwrite($pipe[1], "ready\n");
    fgets($pipe[1]);   // until the parent is done
    exit(0);
}
fgets($pipe[0]);
echo 'kept by the other process: ', sqauth_pool_connections($u), "\n";
echo 'forget another session of the user: ', sqauth_pool_forget($u, 'session-Y'), ' closed here; ';
usleep(2500000);
echo 'still kept there: ', sqauth_pool_connections($u), "\n";
echo 'forget session X (its sign-out): ', sqauth_pool_forget($u, 'session-X'), ' closed here; ';
for ($i = 0; $i < 100 && sqauth_pool_connections($u) > 0; $i++) {
    usleep(50000);   // the other process's reaper wakes at least once a second
}
echo 'connections left at Dovecot within 5 s: ', sqauth_pool_connections($u), "\n";
fwrite($pipe[0], "next\n");
fgets($pipe[0]);
for ($i = 0; $i < 100 && sqauth_pool_connections($u) > 0; $i++) {
    usleep(50000);
}
echo 'a page of session X logged in after its sign-out, connections left within 5 s: ', sqauth_pool_connections($u), "\n";
fwrite($pipe[0], "done\n");
pcntl_waitpid($pid, $st);
?>
--EXPECTF--
-- a mailbox selected on the last page
page 1: new login, SELECT INBOX OK
page 2: reused, CHECK without SELECT: BAD
SELECT INBOX: OK
-- untagged data in the answer to the pool's NOOP (a scripted server)
the next login: not handed out; a new login was tried (the scripted server serves one client: refused)
STATUS: done
-- SMTP: 'none', then the caller's own AUTH (SquirrelMail's smtp_authenticate hook)
the caller's AUTH: 235, kept: false
the next 'none' caller, with no credentials: new login, MAIL FROM 530
-- SMTP: a message left unfinished
BDAT 6 bytes short: the page's connection: reused; the next page: new login (no wait), MAIL FROM 250
DATA body open    : the page's connection: reused; the next page: new login (no wait), MAIL FROM 250
-- the per-user cap counts the user at the server, whatever the port
7 logins at once on two ports: kept 4, connections left at Dovecot: 4
-- a password changed at the server
session A signs in: new login; its next page: reused
(the password is changed at the server)
a new sign-in with the old password (session B): refused by the server
session A, its next page: reused (within persistent_max_age, the documented window)
sqauth_pool_forget() (the password plugin's hook): 1 closed here
session A, its next page: refused by the server
the new password: new login
-- sign-out in one worker reaches the connection another worker keeps
kept by the other process: 1
forget another session of the user: 0 closed here; still kept there: 1
forget session X (its sign-out): 0 closed here; connections left at Dovecot within 5 s: 0
a page of session X logged in after its sign-out, connections left within 5 s: 0
