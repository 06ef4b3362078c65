--TEST--
A TLS server that closes without close_notify (as many IMAP servers do after BYE): reads see a plain EOF and writes fail without "Success", as on PHP's ssl:// stream, side by side against the same scripted server
--EXTENSIONS--
sqauth
openssl
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_TEST_CERTDIR', 'SQAUTH_TEST_CA');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/fakeserver.inc';
$script = [['tls'], ['send', "* OK [CAPABILITY IMAP4rev1] hi\r\n"], ['expect', '/^A1 LOGIN /'], ['send', "A1 OK [CAPABILITY IMAP4rev1] logged in\r\n"],
    ['expect', '/^a2 NOOP/'], ['send', "* BYE going away\r\na2 OK NOOP\r\n"], ['abort']];
$notices = [];
set_error_handler(function ($no, $str) use (&$notices) { $notices[] = preg_replace('/^\w+\(\): /', '', $str); return true; });

/* what the stream does when the server has gone: $readFirst reads to the end before writing */
function session($s, bool $readFirst): array
{
    global $notices;
    $out = [];
    fwrite($s, "a2 NOOP\r\n");
    $out[] = 'read: ' . trim((string) fgets($s));
    $out[] = 'read: ' . trim((string) fgets($s));
    usleep(300000);                            // the server is gone now
    if ($readFirst) {
        $notices = [];
        $l = fgets($s);
        $out[] = 'read at the end: ' . var_export($l, true) . ', feof ' . var_export(feof($s), true)
            . ', notices: ' . count($notices);
    }
    $w = [];
    for ($i = 0; $i < 3; $i++) {
        $notices = [];
        $r = fwrite($s, "a3 NOOP\r\n");
        $w[] = var_export($r, true) . ($notices ? ' (' . count($notices) . ' warning)' : '');
        foreach ($notices as $n) {
            if (str_contains($n, 'Success')) {
                $out[] = "a write said: $n";
            }
        }
        usleep(100000);
    }
    $out[] = 'writes: ' . implode(', ', $w) . '; eof ' . var_export(stream_get_meta_data($s)['eof'], true);
    fclose($s);
    return $out;
}

foreach ([true => 'read to the end, then write', false => 'write without reading the end'] as $readFirst => $label) {
    echo "-- $label\n";
    // PHP's own ssl:// stream
    [$port, $finish] = sqauth_fake_server($script);
    $ctx = stream_context_create(['ssl' => ['cafile' => getenv('SQAUTH_TEST_CA')]]);
    $s = stream_socket_client("tls://localhost:$port", $no, $str, 10, STREAM_CLIENT_CONNECT, $ctx);
    fgets($s);
    fwrite($s, "A1 LOGIN tim tanstaaf\r\n");
    fgets($s);
    $php = session($s, (bool) $readFirst);
    $finish();

    // sqauth's stream, same server
    [$port, $finish] = sqauth_fake_server($script);
    $s = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => 'implicit', 'mechanism' => 'login'] + sqauth_test_ssl());
    $ours = session($s, (bool) $readFirst);
    $finish();

    foreach ($php as $i => $line) {
        // (after the end, the number of warnings is compared with the rest but not printed: PHP's
        // ssl:// warns on each write there from OpenSSL 3.2 on, and not with OpenSSL 3.0; see below)
        echo ($ours[$i] ?? '') === $line ? 'same: ' . ($readFirst ? preg_replace('/ \(\d+ warning\)/', '', $line) : $line) . "\n"
            : "ssl://: $line\nsqauth: " . ($ours[$i] ?? '(nothing)') . "\n";
    }
    if ($readFirst) {
        // What PHP's own stream does here depends on the OpenSSL under it: from 3.2 on, OpenSSL
        // records a write to a peer that has gone on its error queue, and PHP's ssl:// warns
        // about it even after it has seen the end (PHP 8.4 and 8.5 as Debian builds them, with
        // OpenSSL 3.5 and 3.6); OpenSSL 3.0 records nothing and PHP stays silent once it has
        // seen the end (PHP 8.2 with Debian 12's OpenSSL 3.0). sqauth follows the same rule.
        $warned = str_contains(end($php), 'warning');
        echo "PHP's ssl:// warns on writes after the end as this OpenSSL (", OPENSSL_VERSION_NUMBER >= 0x30200000 ? '3.2 or later' : 'before 3.2',
            ") has it, and so does sqauth's: ", var_export($warned === (OPENSSL_VERSION_NUMBER >= 0x30200000), true), "\n";
    }
    foreach (array_slice($ours, count($php)) as $line) {
        echo "sqauth only: $line\n";
    }
}
?>
--EXPECTF--
-- read to the end, then write
same: read: * BYE going away
same: read: a2 OK NOOP
same: read at the end: false, feof true, notices: 0
same: writes: 9, 0, 0; eof true
PHP's ssl:// warns on writes after the end as this OpenSSL (%s) has it, and so does sqauth's: true
-- write without reading the end
same: read: * BYE going away
same: read: a2 OK NOOP
same: writes: 9, 0 (1 warning), 0 (1 warning); eof false
