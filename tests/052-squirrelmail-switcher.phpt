--TEST--
bin/sqauth-squirrelmail on a tree of SquirrelMail's shape written for this test (no SquirrelMail code): what it recognises, refuses and restores, and the inserted code run inside a function against Dovecot
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_TEST_EXTENSION');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$bin = dirname(__DIR__) . '/bin/sqauth-squirrelmail';
$dir = sys_get_temp_dir() . '/sqauth-switcher-' . getmypid() . '-' . bin2hex(random_bytes(3));

require __DIR__ . '/helpers/switcher-tree.inc';

/* The switcher with this test's backup folder; --check and --apply with --force, since the made-up
 * code is no release's (the first --check shows the refusal without it) */
function run(string ...$args): array
{
    global $bin, $dir;
    if (in_array($args[0], ['--check', '--apply'], true)) {
        array_unshift($args, '--force');
    }
    return run_plain('--backup-dir', "$dir-backup", ...$args);
}

function run_plain(string ...$args): array
{
    global $bin;
    $p = proc_open([PHP_BINARY, $bin, ...$args], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    return [proc_close($p), $out];
}

function tree_sums(string $dir): array
{
    $s = [];
    foreach (new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS)) as $f) {
        $s[substr($f->getPathname(), strlen($dir))] = md5_file($f->getPathname()) . decoct($f->getPerms());
    }
    ksort($s);
    return $s;
}

write_tree($dir, '1.5.9 [made up]');
chmod("$dir/functions/imap_general.php", 0640);
$orig = tree_sums($dir);
[$rc, $out] = run_plain('--check', '--backup-dir', "$dir-backup", $dir);
echo "check without --force: $rc, ", preg_replace(['/^.*\n/', '/sqauth-squirrelmail: |\.\s*Switching would.*$/s'], '', $out), "\n";
[$rc, $out] = run('--check', $dir);
echo "check: $rc, ", substr_count($out, 'would switch:'), " changes\n";
[$rc, $out] = run('--apply', $dir);
echo "apply: $rc\n";
[$rc, $out] = run('--apply', $dir);
echo "apply again: $rc, ", trim(explode("\n", trim($out))[1]), "\n";
echo 'mode kept: ', decoct(fileperms("$dir/functions/imap_general.php") & 0777), "\n";

$imap = (string) file_get_contents("$dir/functions/imap_general.php");
echo 'connection removed: ', var_export(!str_contains($imap, '= sqimap_create_stream('), true), "\n";
echo 'password step kept before the login: ', var_export(strpos($imap, 'strrev($password)') < strpos($imap, '= sqauth_imap_login('), true), "\n";
echo 'old authentication gone: ', var_export(!str_contains($imap, "'made-up'") && !str_contains($imap, 'the made-up authentication'), true), "\n";
$smtp = (string) file_get_contents("$dir/class/deliver/Deliver_SMTP.class.php");
echo 'SMTP: EHLO name kept: ', var_export(str_contains($smtp, "'made-up.example'"), true),
    ', old connection and EHLO gone: ', var_export(!str_contains($smtp, 'fsockopen') && !str_contains($smtp, 'EHLO $helohost'), true),
    ', MAIL FROM kept: ', var_export(str_contains($smtp, 'MAIL FROM'), true), "\n";
echo 'auth.php guarded: ', substr_count((string) file_get_contents("$dir/functions/auth.php"), "if (!function_exists('"), "\n";

/* the switched code, run: a SquirrelMail-like caller inside functions, against Dovecot */
$harness = <<<'PHP'
<?php
define('SM_PATH', getenv('TREE') . '/');
function _($s) { return $s; }
function set_up_language() {}
function sm_encode_html_special_chars($s) { return htmlspecialchars($s); }
// SquirrelMail's session: the signed-in user, if any, under one session id
define('SQ_SESSION', 4);
$session_user = null;
if (!function_exists('session_id')) {   // a PHP built without the session extension (the debug passes)
    function session_id($id = null) { static $sid = ''; if ($id !== null) { $sid = $id; } return $sid; }
}
session_id('harness-session');
function sqgetGlobalVar($name, &$value, $search = null) { global $session_user; if ($name === 'username' && $session_user !== null) { $value = $session_user; return true; } return false; }
function boolean_hook_function($name, &$args, $mode) { global $hooked; if ($hooked) { echo "hook $name got a stream: ", is_resource($args['stream']) ? 'yes' : 'no', "\n"; } return false; }
@mkdir(SM_PATH . 'functions', 0755, true);
require SM_PATH . 'functions/auth.php';
require SM_PATH . 'functions/imap_general.php';
require SM_PATH . 'class/deliver/Deliver_SMTP.class.php';
$use_imap_tls = 2;
$imap_stream_options = array('ssl' => array('cafile' => getenv('SQAUTH_TEST_CA')));
[$imap, $sub, $mode] = [(int) getenv('SQAUTH_DOVECOT_IMAP'), (int) getenv('SQAUTH_DOVECOT_SUBMISSION'), $argv[1]];
if ($mode === 'imap') {
    foreach (['cram-md5', 'scram-sha-256', 'digest-md5'] as $imap_auth_mech) {
        // a caller that passes no stream options (1.5's read_body.php): the configured ones are used
        $s = sqimap_login('tim', strrev('tanstaaf'), 'localhost', $imap, 0);
        fwrite($s, "a1 NOOP\r\n");
        echo "$imap_auth_mech: ", is_resource($s) ? trim(fgets($s)) : var_export($s, true), "\n";
    }
    echo 'wrong password: ', sqimap_login('tim', strrev('nope'), 'localhost', $imap, 0), "\n";
    echo 'hide 2, server down: ', var_export(sqimap_login('tim', 'x', 'localhost', 1, 2), true), "\n";
    echo 'hide 3, server down: ', sqimap_login('tim', 'x', 'localhost', 1, 3), "\n";
    // persistent: sqimap_logout() gives the connection back, the next page reuses it
    $sqauth_imap_options = array('persistent' => true);
    $imap_auth_mech = 'plain';
    // the sign-in (redirect.php: no user in the session yet) logs in for real and keeps nothing
    $s = sqimap_login('pool-other', strrev('pw-pool-other'), 'localhost', $imap, 0);
    echo 'persistent sign-in: ', sqauth_stream_info($s)['persistent']['kept'] ?? false ? 'KEPT' : 'not kept', "\n";
    sqimap_logout($s);
    $session_user = 'pool-other';
    for ($page = 1; $page <= 2; $page++) {
        $s = sqimap_login('pool-other', strrev('pw-pool-other'), 'localhost', $imap, 0);
        $i = sqauth_stream_info($s);
        sqimap_logout($s);
        echo "persistent page $page: ", $i['persistent']['reused'] ? 'reused' : 'logged in', ', stream closed by sqimap_logout: ', var_export(!is_resource($s), true), "\n";
    }
    $sqauth_imap_options = null;
    $s = sqimap_login('pool-other', strrev('pw-pool-other'), 'localhost', $imap, 0);
    echo 'not persistent: ', sqauth_stream_info($s)['persistent'] === null ? 'no pool' : 'POOLED', "; ";
    sqimap_logout($s);
    echo 'logged out and closed: ', var_export(!is_resource($s), true), "\n";
    $imap_stream_options = array('ssl' => array('verify_depth' => -1));
    echo 'a wrong option value: ';
    sqimap_login('tim', strrev('tanstaaf'), 'localhost', $imap, 0);
} else {
    $use_smtp_tls = 2;
    $smtp_auth_mech = 'plain';
    $hooked = $mode === 'hooked';
    if ($hooked) { $squirrelmail_plugin_hooks['smtp_authenticate']['made_up'] = 'made_up'; }
    $d = new Deliver_SMTP();
    [$s, $reply] = $d->initStream(null, 'sqauth.test', 0, 'localhost', $sub, 'tim', 'tanstaaf', false, '', $imap_stream_options);
    echo "MAIL FROM: ", trim($reply), "; tls_enabled=", var_export($d->tls_enabled, true), "; ehlo AUTH=", implode(' ', (array) $d->ehlo['AUTH']), "; PIPELINING=", var_export($d->ehlo['PIPELINING'], true), "\n";
    $d = new Deliver_SMTP();
    echo 'wrong password: ', var_export($d->initStream(null, 'x', 0, 'localhost', $sub, 'tim', 'nope', false, '', $imap_stream_options), true),
        " dlv_msg=$d->dlv_msg dlv_ret_nr=$d->dlv_ret_nr dlv_server_msg=$d->dlv_server_msg\n";
}
PHP;
file_put_contents("$dir/harness.php", $harness);
foreach (['imap', 'smtp', 'hooked'] as $mode) {
    $p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . getenv('SQAUTH_TEST_EXTENSION'), "$dir/harness.php", $mode],
        [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, ['TREE' => $dir] + getenv());
    echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
    proc_close($p);
}
unlink("$dir/harness.php");

/* --revert: byte for byte and mode for mode; an edit made after the switch is kept unless --force */
file_put_contents("$dir/src/login.php", "\n// an administrator's edit\n", FILE_APPEND);
[$rc, $out] = run('--revert', $dir);
echo "revert: $rc\n", preg_replace('/^(?!  left alone).*\n/m', '', $out);
[$rc, $out] = run('--revert', '--force', $dir);
echo "revert --force: $rc\n";
echo tree_sums($dir) === $orig ? "tree restored exactly\n" : "tree differs\n";

/* definitions an administrator guarded by hand count as switched; the others are still to do */
$auth = (string) file_get_contents("$dir/functions/auth.php");
foreach (['hmac_md5', 'digest_md5_response'] as $f) {
    $auth = preg_replace("/\n(function $f\(.*?\n\})/s", "\nif (!function_exists('$f')) {\n\$1\n}", $auth);
}
file_put_contents("$dir/functions/auth.php", $auth);
[$rc, $out] = run('--check', $dir);
preg_match('~functions/auth\.php: (.*)~', $out, $m);
echo "auth.php half guarded by hand: $rc, ", $m[1] ?? '(nothing listed)', "\n";
[$rc, $out] = run('--apply', $dir);
echo 'now guarded: ', substr_count((string) file_get_contents("$dir/functions/auth.php"), "if (!function_exists('"), "\n";
run('--revert', $dir);
file_put_contents("$dir/functions/auth.php", $auth);

/* trees it does not take: left untouched, with the reason */
$sums = tree_sums($dir);
file_put_contents("$dir/functions/imap_general.php", "<?php\nfunction sqimap_login() { return connect_elsewhere(); }\n");
[$rc, $out] = run('--apply', $dir);
echo "unrecognised: $rc ", trim(explode("\n", trim($out))[1] ?? $out), "\n";
echo 'untouched: ', var_export(!is_dir("$dir-backup") && !str_contains((string) file_get_contents("$dir/functions/auth.php"), 'sqauth'), true), "\n";
file_put_contents("$dir/include/constants.php", "<?php\ndefine('SM_VERSION', '1.2.11');\n");
[$rc, $out] = run('--check', $dir);
echo "old version: $rc ", trim($out), "\n";
[$rc, $out] = run('--check', sys_get_temp_dir());
echo "not a tree: $rc\n";
exec('rm -rf ' . escapeshellarg($dir) . ' ' . escapeshellarg("$dir-backup"));
?>
--EXPECTF--
check without --force: 2, not switched, nothing was changed: functions/imap_general.php, lines 7, 12-18: the code the switch replaces differs from every SquirrelMail release sqauth-squirrelmail knows (a local change?); class/deliver/Deliver_SMTP.class.php, lines 9, 10, 17, 19, 20-23: the code the switch replaces differs from every SquirrelMail release sqauth-squirrelmail knows (a local change?)
check: 1, 6 changes
apply: 0
apply again: 0, already switched: nothing changed
mode kept: 640
connection removed: true
password step kept before the login: true
old authentication gone: true
SMTP: EHLO name kept: true, old connection and EHLO gone: true, MAIL FROM kept: true
auth.php guarded: 4
cram-md5: a1 OK NOOP completed%s
scram-sha-256: a1 OK NOOP completed%s
digest-md5: a1 OK NOOP completed%s
wrong password: refused: Authentication failed.
hide 2, server down: false
hide 3, server down: Error connecting to IMAP server: localhost. cannot connect to localhost:1: Connection refused
persistent sign-in: not kept
persistent page 1: logged in, stream closed by sqimap_logout: true
persistent page 2: reused, stream closed by sqimap_logout: true
not persistent: no pool; logged out and closed: true
a wrong option value: logout_error: Error connecting to IMAP server: localhost. sqauth_imap_login(): Argument #5 ($options) key "ssl.verify_depth" must be 0 or more
MAIL FROM: 250 2.1.0 OK; tls_enabled=true; ehlo AUTH=PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER; PIPELINING=''
wrong password: 0 dlv_msg=Authentication failed dlv_ret_nr=535 5.7.8 dlv_server_msg=Authentication failed.
hook smtp_authenticate got a stream: yes
MAIL FROM: 250 2.1.0 OK; tls_enabled=true; ehlo AUTH=PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER; PIPELINING=''
wrong password: hook smtp_authenticate got a stream: yes
0 dlv_msg=Authentication failed dlv_ret_nr=535 5.7.8 dlv_server_msg=Authentication failed.
revert: 1
  left alone: src/login.php (changed since it was switched; --force restores it anyway)
revert --force: 0
tree restored exactly
auth.php half guarded by hand: 1, guards cram_md5_response(), digest_md5_parse_challenge() with function_exists()
now guarded: 4
unrecognised: 2 sqauth-squirrelmail: not switched, nothing was changed: functions/imap_general.php: sqimap_login(): the sqimap_create_stream() call: expected one statement, found 0
untouched: true
old version: 2 sqauth-squirrelmail: not switched, nothing was changed: SquirrelMail 1.2.11 is neither 1.4.x nor 1.5.x
not a tree: 2
