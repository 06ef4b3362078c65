--TEST--
A write that times out part-way on a DIGEST-MD5 security layer ends the layer: once the server reads again, later writes and reads fail with a clear error instead of going into a stream it can no longer decode (Cyrus behind a proxy that stops reading for 3 seconds)
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
set_error_handler(fn() => true);
foreach (['auth-int' => [], 'auth-conf' => ['cipher' => 'rc4']] as $qop => $extra) {
    $proc = proc_open([PHP_BINARY, '-n', '-d', 'pcre.jit=0', __DIR__ . '/helpers/tamperproxy.php', (string) $imap, 'stall'], [1 => ['pipe', 'w']], $pipes);
    $port = (int) fgets($pipes[1]);
    $s = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => 'none', 'mechanism' => 'digest-md5', 'qop' => $qop] + $extra);
    stream_set_timeout($s, 1);
    // an APPEND literal far larger than the socket buffers, while the proxy reads nothing
    fwrite($s, "A1 APPEND INBOX {" . (64 << 20) . "+}\r\n");
    $r = fwrite($s, str_repeat('x', 64 << 20));
    echo "$qop: the write that could not finish: ", $r === false ? 'false' : ($r < (64 << 20) ? 'short' : 'complete'),
        ', timed_out ', var_export(stream_get_meta_data($s)['timed_out'], true), "\n";
    sleep(4);                                   // the proxy reads again now
    foreach (['fwrite' => fn() => fwrite($s, "A2 NOOP\r\n"), 'fgets' => fn() => fgets($s)] as $op => $f) {
        try {
            $r = var_export($f(), true);
            echo "  then $op: $r\n";
        } catch (Sqauth\Exception $e) {
            echo "  then $op: ", get_class($e), ': ', $e->getMessage(), "\n";
        }
    }
    fclose($s);
    // the proxy ends by itself once the client is gone (a killed PHP would show as leaks under valgrind)
    for ($t = 0; $t < 100 && proc_get_status($proc)['running']; $t++) {
        usleep(100000);
    }
    if (proc_get_status($proc)['running']) {
        proc_terminate($proc);
    }
    fclose($pipes[1]);
    proc_close($proc);
}
?>
--EXPECT--
auth-int: the write that could not finish: false, timed_out true
  then fwrite: Sqauth\SecurityException: the security layer has failed; the connection is unusable
  then fgets: Sqauth\SecurityException: the security layer has failed; the connection is unusable
auth-conf: the write that could not finish: false, timed_out true
  then fwrite: Sqauth\SecurityException: the security layer has failed; the connection is unusable
  then fgets: Sqauth\SecurityException: the security layer has failed; the connection is unusable
