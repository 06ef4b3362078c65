--TEST--
examples/webmail in headless Chromium: the form logs in and shows the INBOX count; a wrong password shows a readable error and the password appears nowhere in the page; a hostile server's markup is shown as text
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_IMAP', 'SQAUTH_TEST_EXTENSION');
if (getenv('ZEND_DONT_UNLOAD_MODULES') || str_contains((string) getenv('LD_PRELOAD'), 'vgpreload')) {
    // run-tests -m runs every child under valgrind too (--trace-children=yes), and Chromium
    // does not start there; the suite's plain run (and the UBSan run) cover this test
    die('skip Chromium cannot run under valgrind');
}
if (!is_executable('/usr/bin/chromium') && !getenv('SQAUTH_REQUIRE_SERVERS')) {
    die('skip chromium is not installed (apt-get install chromium)');
}
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$top = dirname(__DIR__);

/* examples/webmail served by php -S on a port the kernel picks, as shipped */
function serve(string $top, array $env): array
{
    $p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . getenv('SQAUTH_TEST_EXTENSION'), '-S', '127.0.0.1:0',
        '-t', "$top/examples/webmail", __DIR__ . '/helpers/webmail-router.php'],
        [1 => ['file', '/dev/null', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + getenv());
    $line = fgets($pipes[2]);
    if (!preg_match('~http://127\.0\.0\.1:(\d+)~', (string) $line, $m)) {
        throw new RuntimeException("php -S did not start: $line");
    }
    return [$p, (int) $m[1], $pipes[2]];
}

/* what the browser shows after a user fills in the form and presses Log in */
function browse(int $port, string $user, string $pass): string
{
    $dir = sys_get_temp_dir() . '/sqauth-chromium-' . getmypid() . '-' . bin2hex(random_bytes(4));
    $url = "http://127.0.0.1:$port/__drive.html?" . http_build_query(['user' => $user, 'pass' => $pass]);
    $p = proc_open(['/usr/bin/chromium', '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
        "--user-data-dir=$dir", '--virtual-time-budget=20000', '--dump-dom', $url],
        [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $dom = stream_get_contents($pipes[1]);
    proc_close($p);
    exec('rm -rf ' . escapeshellarg($dir));
    if (!preg_match('/PAGE-BEGIN(.*)PAGE-END/s', $dom, $m)) {
        return "(no page: " . substr($dom, 0, 200) . ")";
    }
    return html_entity_decode($m[1]);
}

$env = ['SQAUTH_WEBMAIL_HOST' => 'localhost', 'SQAUTH_WEBMAIL_PORT' => (string) sqauth_test_port('SQAUTH_DOVECOT_IMAPS'),
    'SQAUTH_WEBMAIL_CAFILE' => getenv('SQAUTH_TEST_CA')];
[$server, $port] = serve($top, $env);

$page = browse($port, 'tim', 'tanstaaf');
echo preg_match('~INBOX has <strong id="count">(\d+)</strong>~', $page, $m) ? "count shown\n" : "no count: $page\n";
// the same count straight from the server
$s = sqauth_imap_login('localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), 'tim', 'tanstaaf', ['tls' => 'implicit'] + sqauth_test_ssl());
$st = sqauth_test_imap($s, 'x', 'STATUS INBOX (MESSAGES)');
echo preg_match('/MESSAGES (\d+)/', implode('', $st), $n) && (int) $n[1] >= (int) ($m[1] ?? -1) ? "count agrees with STATUS\n" : "count differs\n";
fclose($s);
echo str_contains($page, 'tanstaaf') ? "password in page\n" : "password not in page\n";

$wrong = 'Wr0ng-S3cret-' . bin2hex(random_bytes(3));
$page = browse($port, 'tim', $wrong);
echo preg_match('~<p class="error" id="error">([^<]*)</p>~', $page, $e) ? "error: $e[1]\n" : "no error: $page\n";
echo str_contains($page, $wrong) ? "password in page\n" : "password not in page\n";
echo str_contains($page, 'id="password"') ? "form shown again\n" : "no form\n";

// SQAUTH_WEBMAIL_PERSISTENT=1: the second page of the same user takes the kept connection;
// a wrong password after it is still refused by the server
proc_terminate($server);
proc_close($server);
[$server, $port] = serve($top, ['SQAUTH_WEBMAIL_PERSISTENT' => '1'] + $env);
foreach (['first page', 'second page'] as $label) {
    $page = browse($port, 'tim', 'tanstaaf');
    echo "persistent, $label: ", preg_match('~<span id="connection">([^<]*)</span>~', $page, $c) ? $c[1] : "no result: $page", "\n";
}
$page = browse($port, 'tim', $wrong);
echo preg_match('~<p class="error" id="error">([^<]*)</p>~', $page, $e) ? "persistent, wrong password: $e[1]\n" : "no error: $page\n";

// a server that cannot be verified: the readable TLS error
proc_terminate($server);
proc_close($server);
[$server, $port] = serve($top, ['SQAUTH_WEBMAIL_CAFILE' => __DIR__ . '/helpers/no-such-ca.pem'] + $env);
$page = browse($port, 'tim', 'tanstaaf');
echo preg_match("~<p class=\"error\" id=\"error\">([^<:]*): ([^<]+)</p>~", $page, $e) ? "error: $e[1] (and the reason)\n" : "no error: $page\n";
echo str_contains($page, 'tanstaaf') ? "password in page\n" : "password not in page\n";
proc_terminate($server);
proc_close($server);

// a hostile server: markup in its greeting (which comes before STARTTLS) is shown as text, never run
require __DIR__ . '/helpers/fakeserver.inc';
[$fport, $finish] = sqauth_fake_server([['send', "* BYE <img src=x onerror=\"document.documentElement.dataset.pwned='greeting'\">\r\n"], ['read_all']]);
[$server, $port] = serve($top, ['SQAUTH_WEBMAIL_HOST' => '127.0.0.1', 'SQAUTH_WEBMAIL_PORT' => (string) $fport, 'SQAUTH_WEBMAIL_TLS' => 'starttls'] + $env);
$page = browse($port, 'tim', 'tanstaaf');
$finish();
echo 'hostile greeting: script run: ', str_contains($page, 'data-pwned') ? 'YES' : 'no', ', shown as text: ',
    str_contains($page, '&lt;img src=x onerror=') ? 'yes' : 'no', "\n";
proc_terminate($server);
proc_close($server);
?>
--EXPECT--
count shown
count agrees with STATUS
password not in page
error: Login failed: the server did not accept this user name and password.
password not in page
form shown again
persistent, first page: a new login
persistent, second page: a kept connection, no login
persistent, wrong password: Login failed: the server did not accept this user name and password.
error: The mail server's certificate could not be verified (and the reason)
password not in page
hostile greeting: script run: no, shown as text: yes
