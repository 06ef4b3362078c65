<?php
/*
 * The page of bench/persistent.php, served by php-fpm behind nginx: what a
 * webmail's message list does over IMAP (log in, SELECT INBOX, fetch flags,
 * size and three header fields of 20 messages, end), in one of four ways:
 *   mode=login       sqauth_imap_login() over STARTTLS, LOGOUT at the end (a login per page)
 *   mode=persistent  the same with 'persistent' => true, fclose() gives it back
 *   mode=proxy       stock PHP: a plain socket to imapproxy on loopback, LOGIN, LOGOUT
 *                    (imapproxy keeps the STARTTLS connection to Dovecot)
 * Prints JSON: the IMAP part's time, the authentication's, the worker's CPU
 * for the IMAP part, and (sqauth) whether a connection was reused.
 */
declare(strict_types=1);

function cpu_s(): float
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}

function command($s, string $tag, string $cmd): string
{
    fwrite($s, "$tag $cmd\r\n");
    $last = '';
    while (($l = fgets($s)) !== false) {
        if (preg_match('/\{(\d+)\}\r\n$/', $l, $m)) {
            $n = (int) $m[1];
            while ($n > 0 && ($chunk = fread($s, $n)) !== false && $chunk !== '') {
                $n -= strlen($chunk);
            }
            continue;
        }
        if (str_starts_with($l, "$tag ")) {
            $last = $l;
            break;
        }
    }
    if (!str_starts_with($last, "$tag OK")) {
        throw new RuntimeException("$cmd: " . trim($last));
    }
    return $last;
}

$mode = (string) ($_GET['mode'] ?? '');
$user = (string) ($_GET['user'] ?? '');
$pass = "pw-$user";
$t0 = hrtime(true);
$c0 = cpu_s();
$reused = null;
$rt = null;
if ($mode === 'proxy') {
    $s = stream_socket_client('tcp://127.0.0.1:' . (int) $_GET['port'], $errno, $errstr, 10);
    if (!$s) {
        throw new RuntimeException("imapproxy: $errstr");
    }
    fgets($s);
    command($s, 'a1', 'LOGIN ' . $user . ' ' . $pass);
} else {
    $s = sqauth_imap_login('127.0.0.1', (int) $_GET['port'], $user, $pass,
        ['tls' => 'starttls', 'persistent' => $mode === 'persistent', 'ssl' => ['cafile' => (string) $_GET['ca']]]);
    $info = sqauth_stream_info($s);
    $reused = $info['persistent']['reused'] ?? false;
    $rt = $info['round_trips'];
}
$tAuth = (hrtime(true) - $t0) / 1e6;
command($s, 'a2', 'SELECT INBOX');
command($s, 'a3', 'UID FETCH 1:20 (FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])');
if ($mode !== 'persistent') {
    command($s, 'a4', 'LOGOUT');
}
fclose($s);
echo json_encode(['pid' => getmypid(), 'imap_ms' => (hrtime(true) - $t0) / 1e6, 'auth_ms' => $tAuth,
    'cpu_ms' => (cpu_s() - $c0) * 1000, 'reused' => $reused, 'round_trips' => $rt]), "\n";
