--TEST--
The TLS key passphrase is not kept in the process: the context cache is keyed by a keyed hash of it, not by the passphrase (the cache lives as long as the process); a wrong passphrase still finds no context
--EXTENSIONS--
sqauth
openssl
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS');
if (!is_readable('/proc/self/mem')) die('skip no /proc/self/mem');
if (getenv('SKIP_ASAN')) {
    // its shadow memory is terabytes of mappings: a scan of the process would outlast any time limit
    die('skip the memory scan is not possible under AddressSanitizer (the release, valgrind, PHP 8.4 and 8.5 passes run it)');
}
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$dir = sys_get_temp_dir() . '/sqauth-pass-' . getmypid() . '-' . bin2hex(random_bytes(3));
mkdir($dir);
$pass = 'Pp-' . bin2hex(random_bytes(10));          // made at run time: not in the script's text
$key = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
$cert = openssl_csr_sign(openssl_csr_new(['commonName' => 'sqauth client'], $key), null, $key, 1);
openssl_x509_export_to_file($cert, "$dir/client.pem");
openssl_pkey_export_to_file($key, "$dir/client.key", $pass);
$login = function (string $p) use ($dir) {
    try {
        $s = sqauth_imap_login('localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), 'tim', 'tanstaaf', ['tls' => 'implicit',
            'ssl' => ['cafile' => getenv('SQAUTH_TEST_CA'), 'local_cert' => "$dir/client.pem", 'local_pk' => "$dir/client.key", 'passphrase' => $p]]);
        fclose($s);
        return 'logged in';
    } catch (Sqauth\TlsException $e) {
        return 'TlsException: ' . $e->getMessage();
    }
};
echo 'right passphrase: ', $login($pass), "\n";
echo 'again (cached context): ', $login($pass), "\n";
echo 'wrong passphrase: ', $login('not-' . $pass), "\n";

/* every readable, writable mapping of this process: where does the passphrase stand,
 * and what stands just before it? (PHP's own copies follow a zend_string header;
 * a cache key had it as "<length>:<passphrase>") */
$mem = fopen('/proc/self/mem', 'rb');
$hits = $keyed = 0;
foreach (file('/proc/self/maps') as $line) {
    if (!preg_match('/^([0-9a-f]+)-([0-9a-f]+) rw/', $line, $m)) {
        continue;
    }
    [$from, $to] = [hexdec($m[1]), hexdec($m[2])];
    for ($at = $from; $at < $to; $at += 1 << 20) {
        if (@fseek($mem, $at) !== 0 || ($chunk = @fread($mem, min(1 << 20, $to - $at) + 64)) === false) {
            break;
        }
        for ($o = strpos($chunk, $pass); $o !== false; $o = strpos($chunk, $pass, $o + 1)) {
            $hits++;
            if ($o >= 3 && substr($chunk, $o - 3, 3) === strlen($pass) . ':') {
                $keyed++;
            }
        }
    }
}
fclose($mem);
echo $keyed ? "the passphrase stands in $keyed cache key(s)\n" : "no cache key holds the passphrase\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECTF--
right passphrase: logged in
again (cached context): logged in
wrong passphrase: TlsException: TLS: cannot use the local certificate or key
no cache key holds the passphrase
