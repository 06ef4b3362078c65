--TEST--
Roundcube's own OAuth login through the sqauth plugin (Debian's Roundcube, php-fpm behind nginx, headless Chromium, beside stock Roundcube): the test provider's sign-in page, the token exchange, XOAUTH2 to Dovecot's oauth2 passdb over implicit TLS and STARTTLS, list, open, send (Roundcube's SMTP with the token), log out; a token revoked at once refused; no token in any log
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/webmail/roundcube.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_OAUTH_URL', 'SQAUTH_OAUTH_WEBMAIL_SECRET');
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
require __DIR__ . '/helpers/oauth.inc';
require __DIR__ . '/webmail/squirrelmail.inc';   // sm_seed(), sm_relayed(): IMAP APPEND and the relay's mailbox
rc_install_plugin();
$ca = getenv('SQAUTH_TEST_CA');
$user = getenv('SQAUTH_OAUTH_USER');
$provider = getenv('SQAUTH_OAUTH_URL');
$work = sys_get_temp_dir() . '/sqauth-rc-oauth-' . getmypid();
$sites = [];

try {
    foreach (['stock', 'sqauth'] as $kind) {
        $dir = "$work/$kind";
        mkdir($dir, 0755, true);
        chmod($work, 0755);
        rc_configure($dir, ['imap_host' => 'localhost', 'plugins' => []]);
        $sites[$kind] = [$dir, rc_serve($dir, $kind === 'sqauth' ? getenv('SQAUTH_TEST_EXTENSION') : 'none')];
    }
    $site = function (string $kind, string $imapHost) use (&$sites, $ca, $provider) {
        [$dir] = $sites[$kind];
        rc_configure($dir, [
            'imap_host' => $imapHost,
            'imap_conn_options' => ['ssl' => ['cafile' => $ca, 'verify_peer' => true, 'verify_peer_name' => true]],
            'smtp_host' => 'tls://localhost:' . sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION'),
            'smtp_conn_options' => ['ssl' => ['cafile' => $ca]],
            'imap_debug' => $kind === 'sqauth',   // the plugin's lines say that sqauth made the login
            'oauth_provider' => 'generic',
            'oauth_provider_name' => 'Test provider',
            'oauth_client_id' => getenv('SQAUTH_OAUTH_WEBMAIL_ID'),
            'oauth_client_secret' => getenv('SQAUTH_OAUTH_WEBMAIL_SECRET'),
            'oauth_auth_uri' => "$provider/authorize",
            'oauth_token_uri' => "$provider/token",
            'oauth_identity_uri' => "$provider/userinfo",
            'oauth_identity_fields' => ['email'],
            'oauth_scope' => 'openid email mail',
            'plugins' => $kind === 'sqauth' ? ['sqauth'] : []]);
        return $sites[$kind][1];
    };
    $modes = ['implicit' => 'ssl://localhost:' . sqauth_test_port('SQAUTH_DOVECOT_IMAPS'),
        'starttls' => 'tls://localhost:' . sqauth_test_port('SQAUTH_DOVECOT_IMAP')];
    foreach ($modes as $mode => $host) {
        $row = $jobs = $tags = [];
        foreach (['stock', 'sqauth'] as $kind) {
            $tags[$kind] = $tag = bin2hex(random_bytes(4));
            sm_seed($user, getenv('SQAUTH_OAUTH_RC_TOKEN'), "rc oauth seed $tag", "the body of rc oauth seed $tag", ['mechanism' => 'xoauth2']);
            $jobs[$kind] = ['base' => $site($kind, $host), 'user' => $user, 'pass' => getenv('SQAUTH_OAUTH_USER_PASSWORD'),
                'oauth' => ['revoke' => false], 'open' => "rc oauth seed $tag",
                'send' => ['to' => 'someone@example.org', 'subject' => "rc oauth sent $tag", 'body' => "sent by the test, $tag"], 'logout' => true];
        }
        foreach (rc_browse_all($jobs) as $kind => $r) {
            $tag = $tags[$kind];
            if (!($r['login']['ok'] ?? false)) {
                $row[] = "$kind: NOT logged in (" . ($r['login']['text'] ?? $r['error']['text'] ?? '?') . ')';
                continue;
            }
            $seen = ['logged in'];
            $seen[] = ($r['list']['ok'] ?? false) ? 'listed' : 'NOT listed';
            $seen[] = str_contains($r['open']['text'] ?? '', "the body of rc oauth seed $tag") ? 'opened' : 'NOT opened';
            $seen[] = sm_relayed("rc oauth sent $tag") ? 'sent' : 'NOT sent: ' . ($r['send']['text'] ?? $r['error']['text'] ?? '');
            $seen[] = ($r['logout']['ok'] ?? false) ? 'logged out' : 'NOT logged out';
            $row[] = "$kind: " . implode(', ', $seen);
        }
        echo "OAuth sign-in, IMAP $mode: ", implode('; ', $row), "\n";
    }
    // a token the provider revokes as soon as it is issued: Roundcube gets it, Dovecot refuses it
    $jobs = [];
    foreach (['stock', 'sqauth'] as $kind) {
        $jobs[$kind] = ['base' => $site($kind, $modes['implicit']), 'user' => $user, 'pass' => getenv('SQAUTH_OAUTH_USER_PASSWORD'),
            'oauth' => ['revoke' => true], 'open' => 'x', 'send' => null, 'logout' => false];
    }
    $row = [];
    foreach (rc_browse_all($jobs) as $kind => $r) {
        $row[] = "$kind: " . (($r['login']['ok'] ?? false) ? 'LOGGED IN' : ($r['login']['text'] ?? $r['error']['text'] ?? '?'));
    }
    echo "revoked token: ", implode('; ', $row), "\n";

    // what made the sqauth site's logins: the plugin's debug lines
    $imapLog = (string) @file_get_contents($sites['sqauth'][0] . '/logs/imap.log');
    preg_match_all('/Logged in with (\S+) over (\S+)/', $imapLog, $m);
    $counts = array_count_values(array_map(fn($a, $b) => "$a over $b", $m[1], $m[2]));
    echo "sqauth site's logins (the plugin's debug log): ",
        $counts ? implode(', ', array_map(fn($k, $n) => "$n x $k", array_keys($counts), $counts)) : 'none', "\n";
    // no token the provider issued is in either site's logs (Roundcube's own and PHP's)
    $issued = array_keys(json_decode((string) file_get_contents(dirname(getenv('SQAUTH_OAUTH_LOG')) . '/oauth2-tokens.json'), true));
    foreach ($sites as $kind => [$dir]) {
        $found = '';
        foreach (array_merge(glob("$dir/logs/*"), glob("$dir/web/*.log")) as $f) {
            $found .= sqauth_token_leaks((string) file_get_contents($f), $issued) ? ' ' . basename($f) : '';
        }
        echo "$kind site's logs: ", $found !== '' ? "A TOKEN IN$found" : 'no token', "\n";
    }
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
OAuth sign-in, IMAP implicit: stock: %s; sqauth: logged in, listed, opened, sent, logged out
OAuth sign-in, IMAP starttls: stock: %s; sqauth: logged in, listed, opened, sent, logged out
revoked token: stock: %s; sqauth: Login failed.
sqauth site's logins (the plugin's debug log): %d x XOAUTH2 over TLSv1.3
stock site's logs: %s
sqauth site's logs: no token
sqauth Roundcube's PHP and error logs: no warnings
stock Roundcube's logs: %s
