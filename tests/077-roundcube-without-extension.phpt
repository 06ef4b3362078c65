--TEST--
Debian's Roundcube with the sqauth plugin enabled but the extension not loaded in php-fpm: the pages work with Roundcube's own IMAP client, and the error log says why once a day, not on every request
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/webmail/roundcube.inc';
if (trim((string) shell_exec('id -u')) !== '0') die('skip php-fpm as www-data and Debian\'s plugin directory need root');
if (($why = rc_skip_reason()) !== null) die("skip $why");
if (PHP_DEBUG || PHP_ZTS) die('skip the site set-up chowns to www-data by name, which the minimal debug PHP of this pass cannot resolve (the release, 8.4 and 8.5 passes run this test)');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip under valgrind: php-fpm and nginx would run under it too (the release, 8.4 and 8.5 passes run this test)');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/webmail/roundcube.inc';
rc_install_plugin();
$dir = sys_get_temp_dir() . '/sqauth-rcnoext-' . getmypid() . '/sqauth';
mkdir($dir, 0755, true);
chmod(dirname($dir), 0755);
$site = null;
try {
    rc_configure($dir, ['imap_host' => 'localhost:1', 'plugins' => ['sqauth']]);
    $site = $dir;
    $base = rc_serve($dir, 'none');
    $pages = [];
    for ($i = 0; $i < 4; $i++) {
        $html = @file_get_contents($base . '?_task=login');
        $pages[] = $html !== false && str_contains($html, 'name="_user"') ? 'login form' : 'NO PAGE (' . ($http_response_header[0] ?? '?') . ')';
    }
    echo 'four requests: ', implode(', ', array_unique($pages)), "\n";
    $log = (string) @file_get_contents("$dir/logs/errors.log");
    echo 'error log lines about the extension: ', substr_count($log, 'the sqauth PHP extension is not loaded'), "\n";
    echo 'stamp in temp_dir: ', file_exists("$dir/temp/sqauth-extension-missing") ? 'yes' : 'no', "\n";
    // a day later, once more
    touch("$dir/temp/sqauth-extension-missing", time() - 90000);
    @file_get_contents($base . '?_task=login');
    @file_get_contents($base . '?_task=login');
    $log = (string) @file_get_contents("$dir/logs/errors.log");
    echo 'after a day, two more requests: ', substr_count($log, 'the sqauth PHP extension is not loaded'), " lines\n";
    echo "PHP's error log: ", trim((string) @file_get_contents("$dir/web/php-error.log")) === '' ? 'empty' : file_get_contents("$dir/web/php-error.log"), "\n";
} finally {
    if ($site !== null) {
        rc_stop($site);
    }
    exec('rm -rf ' . escapeshellarg(dirname($dir)));
}
?>
--EXPECT--
four requests: login form
error log lines about the extension: 1
stamp in temp_dir: yes
after a day, two more requests: 2 lines
PHP's error log: empty
