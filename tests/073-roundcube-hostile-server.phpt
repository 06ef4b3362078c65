--TEST--
Debian's Roundcube with the sqauth plugin in headless Chromium against scripted hostile IMAP servers that put HTML and script in every field sqauth reports (the greeting, a refusal, the capabilities, a token error report, a certificate subject): the login page shows the text, escaped, and no script runs; the error log holds no control byte of the server's
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/webmail/roundcube.inc';
sqauth_test_need('SQAUTH_TEST_CERTDIR');
if (trim((string) shell_exec('id -u')) !== '0') die('skip php-fpm as www-data and Debian\'s plugin directory need root');
if (($why = rc_skip_reason()) !== null) die("skip $why");
if (PHP_DEBUG || PHP_ZTS) die('skip php-fpm is Debian\'s release PHP, which cannot load the sqauth.so of this debug or ZTS pass (the release pass runs this test)');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip under valgrind: php-fpm, nginx and Chromium would run under it too (the release pass runs this test)');
if (!getenv('SQAUTH_TEST_EXTENSION')) die('skip SQAUTH_TEST_EXTENSION (the sqauth.so for php-fpm) is not set');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/fakeserver.inc';
require __DIR__ . '/webmail/roundcube.inc';
rc_install_plugin();
$work = sys_get_temp_dir() . '/sqauth-rch-' . getmypid();
$certs = getenv('SQAUTH_TEST_CERTDIR');
$cert = 'hostile-' . getmypid();
// markup that runs script where a page puts it as HTML; the browser driver reports data-pwned
$html = fn (string $who) => "<img src=x onerror=\"document.documentElement.dataset.pwned='$who'\"><b>$who</b>";
$site = null;
try {
    // a certificate whose subject is markup too
    exec(sprintf("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj %s -keyout %s -out %s 2>&1",
        escapeshellarg('/CN=<svg onload=document.documentElement.dataset.pwned=2>'), escapeshellarg("$certs/$cert.key"), escapeshellarg("$certs/$cert.pem")), $o, $rc);
    if ($rc !== 0) {
        throw new RuntimeException('openssl req: ' . implode("\n", $o));
    }
    chmod("$certs/$cert.pem", 0644);   // php-fpm's www-data trusts it (the key stays the scripted server's)
    $servers = [
        'greeting' => [[['send', "* BYE " . $html('greeting') . "\r\n"], ['read_all']], 'PLAIN', 'none'],
        'refusal' => [[['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\n"], ['expect', '/AUTHENTICATE PLAIN/'],
            ['tagged', 'NO [AUTHENTICATIONFAILED] ' . $html('refusal') . "\r\n"], ['read_all']], 'PLAIN', 'none'],
        'capability' => [[['send', '* OK [CAPABILITY IMAP4rev1 AUTH=' . str_replace(' ', '', $html('capability')) . "] hi\r\n"], ['read_all']], 'PLAIN', 'none'],
        'token error report' => [[['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] hi\r\n"], ['expect', '/AUTHENTICATE XOAUTH2/'],
            ['send', '+ ' . base64_encode('{"status":"400","schemes":"' . addslashes($html('report')) . '"}') . "\r\n"], ['expect', '/^\r?$/'],
            ['tagged', "NO [AUTHENTICATIONFAILED] token refused\r\n"], ['read_all']], 'XOAUTH2', 'none'],
        'certificate subject' => [[['tls', $cert], ['send', "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"], ['read_all']], 'PLAIN', 'implicit'],
        // a server that greets, takes the login and keeps the answer back past imap_timeout (as
        // Dovecot does after failed logins from the webmail's address): not "could not be reached"
        'slow login answer' => [[['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\n"], ['expect', '/AUTHENTICATE PLAIN/'],
            ['sleep', 4], ['read_all']], 'PLAIN', 'none', ['imap_timeout' => 2]],
    ];
    $dir = "$work/sqauth";
    mkdir($dir, 0755, true);
    chmod($work, 0755);
    rc_configure($dir, ['imap_host' => 'localhost', 'plugins' => ['sqauth']]);
    $site = $dir;
    $base = rc_serve($dir, getenv('SQAUTH_TEST_EXTENSION'));
    foreach ($servers as $label => [$script, $type, $tls]) {
        [$port, $finish] = sqauth_fake_server($script);
        rc_configure($dir, ($servers[$label][3] ?? []) + ['imap_host' => ($tls === 'implicit' ? 'ssl://localhost:' : 'localhost:') . $port, 'imap_auth_type' => $type,
            'imap_conn_options' => ['ssl' => ['cafile' => "$certs/$cert.pem"]], 'plugins' => ['sqauth']]);
        $r = rc_browse_all([['base' => $base, 'user' => 'someone', 'pass' => 'secret', 'open' => 'x', 'send' => null, 'logout' => false]])[0];
        $finish();
        $shown = ($r['login']['ok'] ?? false) ? 'LOGGED IN' : preg_replace('/:\d{2,5}\b/', ':PORT', $r['login']['text'] ?? $r['error']['text'] ?? '?');
        echo str_pad($label, 20), ': script run: ', ($r['script']['text'] ?? '') === '' ? 'none' : 'YES (' . $r['script']['text'] . ')', '; shown: ', $shown, "\n";
    }
    // Roundcube logs a refused login with sqauth's reason: no control byte of the server's in it
    $logs = '';
    foreach (glob("$dir/logs/*") as $f) {
        $logs .= file_get_contents($f);
    }
    echo 'control bytes in the logs: ', preg_match('/[\x00-\x09\x0b-\x1f\x7f]/', $logs) ? 'yes' : 'none', "\n";
    echo "PHP's error log: ", trim((string) @file_get_contents("$dir/web/php-error.log")) === '' ? 'empty' : file_get_contents("$dir/web/php-error.log"), "\n";
} finally {
    if ($site !== null) {
        rc_stop($site);
    }
    @unlink("$certs/$cert.key");
    @unlink("$certs/$cert.pem");
    exec('rm -rf ' . escapeshellarg($work));
}
?>
--EXPECTF--
greeting            : script run: none; shown: The mail server could not be reached: the IMAP server refused the connection: * BYE <img src=x onerror="document.documentElement.dataset.pwned='greeting'"><b>greeting</b>
refusal             : script run: none; shown: Login failed.
capability          : script run: none; shown: The mail server did not answer as expected: localhost:PORT does not offer PLAIN
token error report  : script run: none; shown: Login failed.
certificate subject : script run: none; shown: The mail server's certificate could not be verified: TLS handshake with localhost:PORT failed: certificate verify failed: %s
slow login answer   : script run: none; shown: The mail server did not answer in time: read from localhost:PORT timed out (timeout) waiting for the answer to the login (PLAIN): the server answered until then, and may be delaying logins
control bytes in the logs: none
PHP's error log: empty
