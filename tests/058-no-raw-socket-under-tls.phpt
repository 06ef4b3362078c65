--TEST--
No raw descriptor while TLS or a security layer runs on the stream (socket_import_stream(), proc_open() descriptors), as PHP's ssl:// refuses them; stream_select() keeps working; a plaintext stream gives its socket as tcp:// does
--EXTENSIONS--
sqauth
openssl
sockets
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_IMAP');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$warnings = [];
set_error_handler(function ($no, $str) use (&$warnings) { $warnings[] = $str; return true; });

function casts(string $label, $s): void
{
    global $warnings;
    $warnings = [];
    $sock = socket_import_stream($s);
    $imp = $sock instanceof Socket ? 'a Socket' : var_export($sock, true);
    $p = proc_open(['cat'], [0 => $s, 1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $po = is_resource($p) ? 'started' : 'refused';
    if (is_resource($p)) {
        fclose($pipes[1]);
        proc_terminate($p);
        proc_close($p);
    }
    echo "$label: socket_import_stream gives $imp, proc_open with it as stdin $po, ", count($warnings), " warnings\n";
}

$ca = getenv('SQAUTH_TEST_CA');
$php = stream_socket_client('tls://localhost:' . sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), $no, $str, 10,
    STREAM_CLIENT_CONNECT, stream_context_create(['ssl' => ['cafile' => $ca]]));
casts('ssl://', $php);
fclose($php);

$t = sqauth_imap_login('localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), 'tim', 'tanstaaf', ['tls' => 'implicit'] + sqauth_test_ssl());
casts('sqauth, implicit TLS', $t);
// select still sees the stream: the server answers a NOOP
fwrite($t, "a1 NOOP\r\n");
$r = [$t];
$w = $e = null;
echo 'stream_select: ', stream_select($r, $w, $e, 5), ' ready, then ', trim(fgets($t)), "\n";
fclose($t);

$t = sqauth_imap_login('localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAP'), 'tim', 'tanstaaf', ['tls' => 'starttls'] + sqauth_test_ssl());
casts('sqauth, STARTTLS', $t);
fclose($t);

$tcp = stream_socket_client('tcp://localhost:' . sqauth_test_port('SQAUTH_DOVECOT_IMAP'));
casts('tcp://', $tcp);
fclose($tcp);
$t = sqauth_imap_login('localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAP'), 'tim', 'tanstaaf', ['tls' => 'none']);
casts('sqauth, no TLS (loopback)', $t);
fclose($t);
?>
--EXPECTF--
ssl://: socket_import_stream gives false, proc_open with it as stdin refused, %d warnings
sqauth, implicit TLS: socket_import_stream gives false, proc_open with it as stdin refused, %d warnings
stream_select: 1 ready, then a1 OK NOOP completed%s
sqauth, STARTTLS: socket_import_stream gives false, proc_open with it as stdin refused, %d warnings
tcp://: socket_import_stream gives a Socket, proc_open with it as stdin started, 0 warnings
sqauth, no TLS (loopback): socket_import_stream gives a Socket, proc_open with it as stdin started, 0 warnings
