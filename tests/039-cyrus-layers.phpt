--TEST--
DIGEST-MD5 security layers on the stream against Cyrus: every qop and cipher, a 200 KB APPEND fetched back byte for byte; a man in the middle that flips, drops, replays or truncates a frame is caught
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_CYRUS_IMAP');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$imap = sqauth_test_port('SQAUTH_CYRUS_IMAP');
$base = ['tls' => 'none', 'mechanism' => 'digest-md5'];
$msg = "From: a@example.org\r\nSubject: layer test\r\n\r\n";
while (strlen($msg) < 200 * 1024) {
    $msg .= bin2hex(random_bytes(38)) . "\r\n";
}
$cases = ['auth' => [], 'auth-int' => [], 'auth-conf rc4' => ['cipher' => 'rc4'], 'auth-conf rc4-56' => ['cipher' => 'rc4-56'],
          'auth-conf rc4-40' => ['cipher' => 'rc4-40'], 'auth-conf des' => ['cipher' => 'des'], 'auth-conf 3des' => ['cipher' => '3des']];
foreach ($cases as $label => $extra) {
    $qop = strtok($label, ' ');
    try {
        $s = sqauth_imap_login('localhost', $imap, 'tim', 'tanstaaf', $base + ['qop' => $qop] + $extra);
    } catch (Sqauth\Exception $e) {
        echo str_pad($label, 17), get_class($e), ': ', $e->getMessage(), "\n";
        continue;
    }
    $i = sqauth_stream_info($s);
    $r1 = sqauth_test_imap($s, 'A1', 'SELECT INBOX');
    $r2 = sqauth_test_imap($s, 'A2', 'APPEND INBOX', $msg);
    preg_match('/\[APPENDUID \d+ (\d+)\]/', end($r2), $m);
    $r3 = sqauth_test_imap($s, 'A3', 'UID FETCH ' . ($m[1] ?? '0') . ' BODY.PEEK[]');
    $r4 = sqauth_test_imap($s, 'A4', 'LOGOUT');
    echo str_pad($label, 17), 'qop=', $i['qop'], ' cipher=', $i['cipher'] ?? '-', ' maxbuf=', $i['maxbuf'] ?? '-',
        ' SELECT=', str_starts_with(end($r1), 'A1 OK') ? 'ok' : 'failed',
        ' APPEND=', str_starts_with(end($r2), 'A2 OK') ? 'ok' : 'failed',
        ' FETCH=', in_array($msg, $r3, true) ? 'identical' : 'DIFFERENT',
        ' LOGOUT=', str_starts_with(end($r4), 'A4 OK') ? 'ok' : 'failed', "\n";
    fclose($s);
}
echo 'message size: ', strlen($msg) >= 200 * 1024 ? '200 KB' : 'short', "\n";

// a man in the middle acts on the server's second frame after login
foreach (['none', 'flip', 'drop', 'replay', 'truncate'] as $mode) {
    foreach (['auth-int' => [], 'auth-conf' => ['cipher' => 'rc4']] as $qop => $extra) {
        $proc = proc_open([PHP_BINARY, '-n', '-d', 'pcre.jit=0', __DIR__ . '/helpers/tamperproxy.php', (string) $imap, $mode, '2'],
            [1 => ['pipe', 'w']], $pipes);
        $port = (int) fgets($pipes[1]);
        $out = [];
        try {
            $s = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', $base + ['qop' => $qop] + $extra);
            stream_set_timeout($s, 2);
            // frame 1 after login answered CAPABILITY; the NOOPs' answers are frames 2 and 3
            foreach (['X1', 'X2'] as $tag) {
                fwrite($s, "$tag NOOP\r\n");
                $line = fgets($s);
                $out[] = $line === false ? (stream_get_meta_data($s)['timed_out'] ? 'timeout' : 'eof') : strtok($line, ' ') . ' ' . strtok(' ');
            }
            $res = implode(', ', $out);
            fclose($s);
        } catch (Sqauth\SecurityException $e) {
            $res = implode(', ', array_merge($out, ['SecurityException: ' . $e->getMessage()]));
        } catch (Throwable $e) {
            $res = get_class($e) . ': ' . $e->getMessage();
        }
        echo str_pad("$mode $qop", 19), $res, "\n";
        fclose($pipes[1]);
        proc_terminate($proc);
        proc_close($proc);
    }
}
?>
--EXPECT--
auth             qop=auth cipher=- maxbuf=- SELECT=ok APPEND=ok FETCH=identical LOGOUT=ok
auth-int         qop=auth-int cipher=- maxbuf=4080 SELECT=ok APPEND=ok FETCH=identical LOGOUT=ok
auth-conf rc4    qop=auth-conf cipher=rc4 maxbuf=4080 SELECT=ok APPEND=ok FETCH=identical LOGOUT=ok
auth-conf rc4-56 qop=auth-conf cipher=rc4-56 maxbuf=4080 SELECT=ok APPEND=ok FETCH=identical LOGOUT=ok
auth-conf rc4-40 qop=auth-conf cipher=rc4-40 maxbuf=4080 SELECT=ok APPEND=ok FETCH=identical LOGOUT=ok
auth-conf des    qop=auth-conf cipher=des maxbuf=4077 SELECT=ok APPEND=ok FETCH=identical LOGOUT=ok
auth-conf 3des   Sqauth\AuthenticationException: DIGEST-MD5 authentication failed: generic failure
message size: 200 KB
none auth-int      X1 OK, X2 OK
none auth-conf     X1 OK, X2 OK
flip auth-int      SecurityException: DIGEST-MD5: a frame failed its integrity check (tampered with)
flip auth-conf     SecurityException: DIGEST-MD5: a frame failed its integrity check (tampered with)
drop auth-int      timeout, SecurityException: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
drop auth-conf     timeout, SecurityException: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
replay auth-int    X1 OK, SecurityException: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
replay auth-conf   X1 OK, SecurityException: DIGEST-MD5: frame out of sequence (replayed, dropped or reordered)
truncate auth-int  SecurityException: DIGEST-MD5: the connection ended inside a protected frame (truncated)
truncate auth-conf SecurityException: DIGEST-MD5: the connection ended inside a protected frame (truncated)
