--TEST--
Debian's Roundcube with the sqauth plugin, in php-fpm behind nginx, driven by headless Chromium, beside stock Roundcube: PLAIN, LOGIN, CRAM-MD5, DIGEST-MD5 (two realms) and SCRAM-SHA-256 over STARTTLS and implicit TLS (log in, list, open, send through the relay, log out); a wrong password, an untrusted certificate and a server that is down on Roundcube's login page; the PHP and Roundcube error logs
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/webmail/roundcube.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_STUNNEL_SELFSIGNED');
if (trim((string) shell_exec('id -u')) !== '0') die('skip php-fpm as www-data and Debian\'s plugin directory need root');
if (($why = rc_skip_reason()) !== null) die("skip $why");
if (PHP_DEBUG || PHP_ZTS) die('skip php-fpm is Debian\'s release PHP, which cannot load the sqauth.so of this debug or ZTS pass (the release pass runs this test)');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip under valgrind: php-fpm, nginx and Chromium would run under it too (the release pass runs this test)');
if (!getenv('SQAUTH_TEST_EXTENSION')) die('skip SQAUTH_TEST_EXTENSION (the sqauth.so for php-fpm) is not set');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/webmail/roundcube.inc';
require __DIR__ . '/webmail/squirrelmail.inc';   // sm_seed(), sm_relayed(): IMAP APPEND and the relay's mailbox
require __DIR__ . '/helpers/pool.inc';
rc_install_plugin();
$ca = getenv('SQAUTH_TEST_CA');
$user = 'tim@sqauth.test';   // in Dovecot's second realm: DIGEST-MD5 offers two
$pass = 'tanstaaf';
$work = sys_get_temp_dir() . '/sqauth-rc-' . getmypid();
$sites = [];
try {
    foreach (['stock', 'sqauth'] as $kind) {
        $dir = "$work/$kind";
        mkdir($dir, 0755, true);
        chmod($work, 0755);
        rc_configure($dir, ['imap_host' => 'localhost', 'plugins' => []]);
        $sites[$kind] = [$dir, rc_serve($dir, $kind === 'sqauth' ? getenv('SQAUTH_TEST_EXTENSION') : 'none')];
    }
    $site = function (string $kind, array $cfg) use (&$sites, $ca) {
        [$dir] = $sites[$kind];
        rc_configure($dir, $cfg + ['imap_conn_options' => ['ssl' => ['cafile' => $ca, 'verify_peer' => true, 'verify_peer_name' => true]],
            'smtp_host' => 'tls://localhost:' . sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION'), 'smtp_auth_type' => 'PLAIN',
            'smtp_conn_options' => ['ssl' => ['cafile' => $ca]], 'plugins' => $kind === 'sqauth' ? ['sqauth'] : []]);
        return $sites[$kind][1];
    };
    $modes = ['starttls' => 'tls://localhost:' . sqauth_test_port('SQAUTH_DOVECOT_IMAP'),
        'implicit' => 'ssl://localhost:' . sqauth_test_port('SQAUTH_DOVECOT_IMAPS')];
    foreach (['PLAIN', 'LOGIN', 'CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-256'] as $mech) {
        foreach ($modes as $mode => $host) {
            $row = $jobs = $tags = [];
            foreach (['stock', 'sqauth'] as $kind) {
                $base = $site($kind, ['imap_host' => $host, 'imap_auth_type' => $mech]);
                $tags[$kind] = $tag = bin2hex(random_bytes(4));
                sm_seed($user, $pass, "rc seed $tag", "the body of rc seed $tag");
                $jobs[$kind] = ['base' => $base, 'user' => $user, 'pass' => $pass, 'open' => "rc seed $tag",
                    'send' => ['to' => 'someone@example.org', 'subject' => "rc sent $tag", 'body' => "sent by the test, $tag"], 'logout' => true];
            }
            foreach (rc_browse_all($jobs) as $kind => $r) {
                $tag = $tags[$kind];
                if (!($r['login']['ok'] ?? false)) {
                    $row[] = "$kind: NOT logged in (" . ($r['login']['text'] ?? $r['error']['text'] ?? '?') . ')';
                    continue;
                }
                $seen = ['logged in'];
                $seen[] = ($r['list']['ok'] ?? false) ? 'listed' : 'NOT listed';
                $seen[] = str_contains($r['open']['text'] ?? '', "the body of rc seed $tag") ? 'opened' : 'NOT opened';
                $seen[] = sm_relayed("rc sent $tag") ? 'sent' : 'NOT sent: ' . ($r['send']['text'] ?? $r['error']['text'] ?? '');
                $seen[] = ($r['logout']['ok'] ?? false) ? 'logged out' : 'NOT logged out';
                $row[] = "$kind: " . implode(', ', $seen);
            }
            echo "$mech $mode: ", implode('; ', $row), "\n";
        }
    }
    // failures: Roundcube's login page, with sqauth's reason where it is not the password
    $failures = [
        'wrong password' => [['imap_host' => $modes['starttls'], 'imap_auth_type' => 'PLAIN'], 'not-' . $pass],
        'untrusted certificate' => [['imap_host' => 'ssl://localhost:' . sqauth_test_port('SQAUTH_STUNNEL_SELFSIGNED')], $pass],
        'server down' => [['imap_host' => 'tls://localhost:' . (int) trim((string) shell_exec(escapeshellarg(__DIR__ . '/servers/free-ports') . ' 1'))], $pass],
    ];
    foreach ($failures as $label => [$cfg, $pw]) {
        $row = [];
        $jobs = [];
        foreach (['stock', 'sqauth'] as $kind) {
            $jobs[$kind] = ['base' => $site($kind, $cfg), 'user' => $user, 'pass' => $pw, 'open' => 'x', 'send' => null, 'logout' => false];
        }
        foreach (rc_browse_all($jobs) as $kind => $r) {
            $text = ($r['login']['ok'] ?? false) ? 'LOGGED IN' : preg_replace('/:\d{2,5}\b/', ':PORT', $r['login']['text'] ?? $r['error']['text'] ?? '?');
            $row[] = "$kind: $text";
        }
        echo "$label: ", implode('; ', $row), "\n";
    }
    // persistent logins (the plugin's sqauth_imap_options): the same visit, Dovecot's logins counted
    $pu = 'pool-rc';
    $imapLogins = fn () => substr_count((string) file_get_contents(getenv('SQAUTH_DOVECOT_LOG')), "imap-login: Info: Login: user=<$pu>,");
    $counts = [];
    foreach ([false, true] as $persistent) {
        $tag = bin2hex(random_bytes(4));
        sm_seed($pu, "pw-$pu", "rc seed $tag", "the body of rc seed $tag");
        $base = $site('sqauth', ['imap_host' => $modes['starttls'], 'imap_auth_type' => 'SCRAM-SHA-256']
            + ($persistent ? ['sqauth_imap_options' => ['persistent' => true]] : []));
        usleep(200000);
        $n0 = $imapLogins();
        $r = rc_browse_all([['base' => $base, 'user' => $pu, 'pass' => "pw-$pu", 'open' => "rc seed $tag", 'send' => null, 'logout' => true]])[0];
        usleep(200000);
        $counts[(int) $persistent] = $imapLogins() - $n0;
        echo $persistent ? 'persistent' : 'a login per request', ': ', ($r['login']['ok'] ?? false) && ($r['list']['ok'] ?? false)
            && str_contains($r['open']['text'] ?? '', "the body of rc seed $tag") && ($r['logout']['ok'] ?? false)
            ? 'logged in, listed, opened, logged out' : 'FAILED: ' . json_encode($r), "\n";
    }
    // (the sign-in logs in for real and keeps nothing: one login more than the 4 workers)
    echo "IMAP logins for the same visit: persistent fewer: ", $counts[1] < $counts[0] ? 'yes' : 'no', ", at most the sign-in and one per worker: ",
        $counts[1] <= 5 ? 'yes' : 'no', " ({$counts[0]} -> {$counts[1]})\n";
    // the visit ended with Log out: every worker's kept connection of that session is logged out
    for ($i = 0; $i < 100 && sqauth_pool_connections($pu) > 0; $i++) {
        usleep(50000);
    }
    echo "after Log out, connections of the user left at Dovecot within 5 s: ", sqauth_pool_connections($pu), "\n";
    // a password changed at the server while a session is signed in: a new sign-in with the old
    // password is refused (kept connections serve their own session only)
    $pw = 'pool-rcpw';
    $base = $site('sqauth', ['imap_host' => $modes['starttls'], 'imap_auth_type' => 'SCRAM-SHA-256', 'sqauth_imap_options' => ['persistent' => true]]);
    $r = rc_browse_all([['base' => $base, 'user' => $pw, 'pass' => "pw-$pw", 'open' => 'x', 'send' => null, 'logout' => false]])[0];
    echo 'signed in, persistent: ', ($r['login']['ok'] ?? false) ? 'yes' : 'no', ', connections kept: ', sqauth_pool_connections($pw) > 0 ? 'yes' : 'no', "\n";
    sqauth_pool_set_password($pw, "pw-$pw-changed");
    $r = rc_browse_all([['base' => $base, 'user' => $pw, 'pass' => "pw-$pw", 'open' => 'x', 'send' => null, 'logout' => false]])[0];
    echo 'the password changed at the server; a new sign-in with the old one: ', ($r['login']['ok'] ?? false) ? 'LOGGED IN' : ($r['login']['text'] ?? '?'), "\n";
    sqauth_pool_set_password($pw, "pw-$pw");
    $log = rc_log_problems($sites['sqauth'][0]);
    echo "sqauth Roundcube's PHP and error logs: ", $log === '' ? 'no warnings' : "\n$log", "\n";
    $stock = rc_log_problems($sites['stock'][0]);
    echo "stock Roundcube's logs: ", $stock === '' ? 'no warnings' : count(explode("\n", $stock)) . ' lines, e.g. ' . preg_replace('/^\[[^\]]*\] /', '', strtok($stock, "\n")), "\n";
} finally {
    foreach ($sites as [$dir]) {
        rc_stop($dir);
    }
    exec('rm -rf ' . escapeshellarg($work));
}
?>
--EXPECTF--
PLAIN starttls: stock: %s; sqauth: logged in, listed, opened, sent, logged out
PLAIN implicit: stock: %s; sqauth: logged in, listed, opened, sent, logged out
LOGIN starttls: stock: %s; sqauth: logged in, listed, opened, sent, logged out
LOGIN implicit: stock: %s; sqauth: logged in, listed, opened, sent, logged out
CRAM-MD5 starttls: stock: %s; sqauth: logged in, listed, opened, sent, logged out
CRAM-MD5 implicit: stock: %s; sqauth: logged in, listed, opened, sent, logged out
DIGEST-MD5 starttls: stock: %s; sqauth: logged in, listed, opened, sent, logged out
DIGEST-MD5 implicit: stock: %s; sqauth: logged in, listed, opened, sent, logged out
SCRAM-SHA-256 starttls: stock: NOT logged in (Connection to storage server failed.); sqauth: logged in, listed, opened, sent, logged out
SCRAM-SHA-256 implicit: stock: NOT logged in (Connection to storage server failed.); sqauth: logged in, listed, opened, sent, logged out
wrong password: stock: Login failed.; sqauth: Login failed.
untrusted certificate: stock: Connection to storage server failed.; sqauth: The mail server's certificate could not be verified: TLS handshake with localhost:PORT failed: certificate verify failed: self-signed certificate
server down: stock: Connection to storage server failed.; sqauth: The mail server could not be reached: cannot connect to localhost:PORT: Connection refused
a login per request: logged in, listed, opened, logged out
persistent: logged in, listed, opened, logged out
IMAP logins for the same visit: persistent fewer: yes, at most the sign-in and one per worker: yes (%d -> %d)
after Log out, connections of the user left at Dovecot within 5 s: 0
signed in, persistent: yes, connections kept: yes
the password changed at the server; a new sign-in with the old one: Login failed.
sqauth Roundcube's PHP and error logs: no warnings
stock Roundcube's logs: %s
