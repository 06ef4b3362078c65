--TEST--
Trust as PHP's ssl:// has it: openssl.cafile / openssl.capath are used when no ssl cafile/capath and no sqauth.cafile/capath is set, side by side with stream_socket_client('tls://')
--EXTENSIONS--
sqauth
openssl
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_IMAP', 'SQAUTH_TEST_EXTENSION');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$imaps = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$imap = sqauth_test_port('SQAUTH_DOVECOT_IMAP');
$ca = getenv('SQAUTH_TEST_CA');

/* a capath as OpenSSL wants it: the CA under its subject hash */
$capath = sys_get_temp_dir() . '/sqauth-capath-' . getmypid() . '-' . bin2hex(random_bytes(3));
mkdir($capath);
copy($ca, $capath . '/' . openssl_x509_parse(file_get_contents($ca))['hash'] . '.0');
$emptydir = $capath . '-empty';
mkdir($emptydir);

/* openssl.* are PHP_INI_PERDIR: each case runs in a PHP started with its INI */
$child = <<<'PHP'
[$imaps, $imap, $ssl] = [(int) $argv[1], (int) $argv[2], json_decode($argv[3], true)];
$ctx = stream_context_create(['ssl' => $ssl]);
$s = @stream_socket_client("tls://localhost:$imaps", $no, $str, 10, STREAM_CLIENT_CONNECT, $ctx);
$php = $s ? 'ok' : 'refused';
$out = [];
foreach (['implicit' => $imaps, 'starttls' => $imap] as $mode => $port) {
    try {
        $t = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => $mode] + ($ssl ? ['ssl' => $ssl] : []));
        $out[] = "$mode ok";
        fclose($t);
    } catch (Sqauth\TlsException $e) {
        $out[] = "$mode refused";
    }
}
echo "tls:// $php; sqauth ", implode(', ', $out), "\n";
PHP;
function run_case(string $label, array $ini, array $ssl = []): void
{
    global $child, $imaps, $imap;
    $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('SQAUTH_TEST_EXTENSION')];
    foreach ($ini as $k => $v) {
        array_push($cmd, '-d', "$k=$v");
    }
    array_push($cmd, '-r', $child, '--', (string) $imaps, (string) $imap, json_encode((object) $ssl));
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    proc_close($p);
    echo "$label: ", trim($out), "\n";
}
run_case('no INI (system store)', []);
run_case('openssl.cafile', ['openssl.cafile' => $ca]);
run_case('openssl.capath', ['openssl.capath' => $capath]);
run_case('openssl.capath without the CA', ['openssl.capath' => $emptydir]);
run_case('ssl cafile beats a wrong openssl.cafile', ['openssl.cafile' => __DIR__ . '/helpers/servers.inc'], ['cafile' => $ca]);
run_case('ssl capath with openssl.cafile: both used', ['openssl.cafile' => $ca], ['capath' => $emptydir]);
run_case('verify_peer off ignores the INI', ['openssl.cafile' => '/nonexistent.pem'], ['verify_peer' => false]);
// sqauth's own INI comes before PHP's (tls:// knows only PHP's)
run_case('sqauth.cafile before openssl.cafile', ['sqauth.cafile' => $ca, 'openssl.cafile' => $emptydir . '/none.pem']);
run_case('sqauth.capath before openssl.capath', ['sqauth.capath' => $emptydir, 'openssl.capath' => $capath]);
unlink($capath . '/' . openssl_x509_parse(file_get_contents($ca))['hash'] . '.0');
rmdir($capath);
rmdir($emptydir);
?>
--EXPECT--
no INI (system store): tls:// refused; sqauth implicit refused, starttls refused
openssl.cafile: tls:// ok; sqauth implicit ok, starttls ok
openssl.capath: tls:// ok; sqauth implicit ok, starttls ok
openssl.capath without the CA: tls:// refused; sqauth implicit refused, starttls refused
ssl cafile beats a wrong openssl.cafile: tls:// ok; sqauth implicit ok, starttls ok
ssl capath with openssl.cafile: both used: tls:// ok; sqauth implicit ok, starttls ok
verify_peer off ignores the INI: tls:// ok; sqauth implicit ok, starttls ok
sqauth.cafile before openssl.cafile: tls:// refused; sqauth implicit ok, starttls ok
sqauth.capath before openssl.capath: tls:// ok; sqauth implicit refused, starttls refused
