--TEST--
Non-blocking fwrite() on a full socket buffer returns 0, not false, and is no timeout: TLS and plain, side by side with PHP's ssl:// and tcp:// against a server that stops reading
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

/* writes 64 KB at a time until a write takes nothing; what the writes returned */
function fill($s): string
{
    stream_set_blocking($s, false);
    $chunk = str_repeat('x', 65536);
    $kinds = [];
    for ($i = 0; $i < 400; $i++) {
        $r = fwrite($s, $chunk);
        $kinds[] = $r === false ? 'false' : ($r === 0 ? '0' : ($r === 65536 ? 'all' : 'part'));
        if ($r === 0 || $r === false) {
            break;
        }
    }
    $meta = stream_get_meta_data($s);
    // how much each write took depends on buffer sizes; what a caller acts on does not
    return 'some writes took data: ' . var_export(in_array('all', $kinds, true) || in_array('part', $kinds, true), true)
        . ', a write returned false: ' . var_export(in_array('false', $kinds, true), true)
        . ', the last returned ' . end($kinds) . ', timed_out ' . var_export($meta['timed_out'], true);
}

foreach (['TLS' => true, 'plain' => false] as $label => $tls) {
    $script = array_merge($tls ? [['tls']] : [], [['send', "* OK [CAPABILITY IMAP4rev1] hi\r\n"], ['expect', '/^A1 LOGIN /'],
        ['send', "A1 OK [CAPABILITY IMAP4rev1] logged in\r\n"], ['sleep', 3]]);
    [$port, $finish] = sqauth_fake_server($script);
    $ctx = stream_context_create(['ssl' => ['cafile' => getenv('SQAUTH_TEST_CA')]]);
    $s = stream_socket_client(($tls ? 'tls' : 'tcp') . "://localhost:$port", $no, $str, 10, STREAM_CLIENT_CONNECT, $ctx);
    fgets($s);
    fwrite($s, "A1 LOGIN tim tanstaaf\r\n");
    fgets($s);
    $php = fill($s);
    fclose($s);
    $finish();

    [$port, $finish] = sqauth_fake_server($script);
    $s = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => $tls ? 'implicit' : 'none', 'mechanism' => 'login'] + sqauth_test_ssl());
    $ours = fill($s);
    fclose($s);
    $finish();
    echo $php === $ours ? "$label, same: $ours\n" : "$label: ssl:// $php; sqauth $ours\n";
}
?>
--EXPECT--
TLS, same: some writes took data: true, a write returned false: false, the last returned 0, timed_out false
plain, same: some writes took data: true, a write returned false: false, the last returned 0, timed_out false
