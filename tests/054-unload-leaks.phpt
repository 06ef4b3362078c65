--TEST--
Module shutdown frees what the extension made for the process: the TLS cache lock (a TLS login creates it) and the legacy provider's library context (a DES security layer loads it), checked by valgrind on a PHP that unloads the extension
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_TEST_EXTENSION');
if (getenv('ZEND_DONT_UNLOAD_MODULES') || str_contains((string) getenv('LD_PRELOAD'), 'vgpreload')) {
    die('skip already under valgrind (run-tests -m keeps the modules loaded)');
}
if (getenv('SKIP_ASAN')) {
    die('skip a PHP built with AddressSanitizer does not run under valgrind (LeakSanitizer checks the same there)');
}
if (trim((string) shell_exec('command -v valgrind')) === '' && !getenv('SQAUTH_REQUIRE_SERVERS')) {
    die('skip valgrind is not installed');
}
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$code = <<<'PHP'
$s = sqauth_imap_login('localhost', (int) getenv('SQAUTH_DOVECOT_IMAPS'), 'tim', 'tanstaaf',
    ['tls' => 'implicit', 'ssl' => ['cafile' => getenv('SQAUTH_TEST_CA')]]);
fclose($s);
$c = new Sqauth\SaslClient('DIGEST-MD5', ['username' => 'u', 'password' => 'p', 'service' => 'imap', 'host' => 'h',
    'qop' => 'auth-conf', 'cipher' => 'des']);
try {
    $c->step('nonce="n",qop="auth-conf",cipher="des",algorithm=md5-sess');
    echo "DES layer set up\n";
} catch (Throwable $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
PHP;
$log = sys_get_temp_dir() . '/sqauth-unload-' . getmypid() . '.vg';
// USE_ZEND_ALLOC=0: every allocation is malloc's; no ZEND_DONT_UNLOAD_MODULES: the
// extension is unloaded at shutdown, so what only it still pointed to is lost for good
$p = proc_open(['valgrind', '-q', '--leak-check=full', '--show-leak-kinds=definite', "--log-file=$log",
    PHP_BINARY, '-n', '-d', 'extension=' . getenv('SQAUTH_TEST_EXTENSION'), '-r', $code],
    [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, ['USE_ZEND_ALLOC' => '0'] + getenv());
echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
proc_close($p);
$vg = (string) file_get_contents($log);
unlink($log);
// each loss record: its header line and the stack under it
$records = preg_split('/^(?===\d+== \S.*definitely lost)/m', $vg);
foreach (['CRYPTO_THREAD_lock_new' => 'TLS cache lock', 'OSSL_LIB_CTX_new|OSSL_PROVIDER' => 'legacy provider context'] as $fn => $what) {
    $hit = array_filter($records, fn($r) => str_contains($r, 'definitely lost') && preg_match("/$fn/", $r));
    echo "$what: ", $hit ? 'LEAKED' : 'freed', "\n";
}
echo substr_count($vg, 'definitely lost') === 0 ? "no definite leak at all\n" : "definite leaks:\n$vg";
?>
--EXPECT--
DES layer set up
TLS cache lock: freed
legacy provider context: freed
no definite leak at all
