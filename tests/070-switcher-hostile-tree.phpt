--TEST--
bin/sqauth-squirrelmail as root on a tree the web server's user can write: a planted link at any name it writes (the old fixed temporary name, backups, the manifest), a tree file that is a link, a link on the backup path, a revert through a planted link; the default backup folder is outside the tree and root's only; server words and paths with terminal escapes are shown escaped
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
if (trim((string) shell_exec('id -u')) !== '0') die('skip the switcher runs as root here, on a tree www-data owns');
if (trim((string) shell_exec('id -u www-data 2>/dev/null')) === '') die('skip no www-data user');
?>
--FILE--
<?php
require __DIR__ . '/helpers/switcher-tree.inc';
$bin = dirname(__DIR__) . '/bin/sqauth-squirrelmail';
$dir = sys_get_temp_dir() . '/sqauth-hostile-' . getmypid() . '-' . bin2hex(random_bytes(3));

function sw(string ...$args): array
{
    global $bin, $cwd;
    $p = proc_open([PHP_BINARY, $bin, ...$args], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $cwd ?? null);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    return [proc_close($p), $out];
}

/* a root-only file the attacker (www-data) wants: its content, owner and mode afterwards */
function victim(string $f): string
{
    clearstatcache();
    return sprintf('%s %s', trim((string) file_get_contents($f)), owner($f));
}

/* user:mode of a file (not followed if it is a link) */
function owner(string $f): string
{
    return trim((string) shell_exec('stat -c %U:%a ' . escapeshellarg($f)));
}

mkdir($dir, 0755);
$tree = "$dir/tree";
write_tree($tree, '1.5.9 [made up]');
exec('chown -R www-data:www-data ' . escapeshellarg($tree));   // "chown -R www-data", as the review found
file_put_contents("$dir/victim", "root's secret");
chmod("$dir/victim", 0600);

// 1. links planted (by www-data) at every name the old switcher wrote through
foreach (['functions/imap_general.php.sqauth-tmp', 'class/deliver/Deliver_SMTP.class.php.sqauth-tmp'] as $rel) {
    symlink("$dir/victim", "$tree/$rel");
    // (chown -h: PHP's lchown() resolves the path first in a ZTS build, and would chown the victim)
    exec('chown -h www-data ' . escapeshellarg("$tree/$rel"));
}
mkdir("$tree/.sqauth-switch");
symlink("$dir/victim", "$tree/.sqauth-switch/manifest.json");
[$rc, $out] = sw('--apply', '--force', $tree);
echo "--apply with planted links: exit $rc\n";
echo 'the root-only file: ', victim("$dir/victim"), "\n";
clearstatcache();
echo 'switched file: ', str_contains((string) file_get_contents("$tree/functions/imap_general.php"), 'sqauth_imap_login') ? 'switched' : 'NOT switched',
    ', ', owner("$tree/functions/imap_general.php"), ', a link: ', var_export(is_link("$tree/functions/imap_general.php"), true), "\n";
// the default backup folder: outside the tree (nginx serves the tree), root's only
preg_match('~kept for --revert in (\S+)~', $out, $m);
$backup = $m[1] ?? '?';
echo 'backup folder: ', str_starts_with($backup, '/var/backups/sqauth-squirrelmail/') ? '/var/backups/sqauth-squirrelmail/...' : $backup,
    ', inside the tree: ', var_export(str_starts_with($backup, $tree), true), ', mode ', decoct(fileperms($backup) & 0777),
    ', manifest mode ', decoct(fileperms("$backup/manifest.json") & 0777), ', copies mode ', decoct(fileperms("$backup/functions/imap_general.php.orig") & 0777), "\n";
echo 'planted links still links, pointing where they did: ', var_export(readlink("$tree/functions/imap_general.php.sqauth-tmp") === "$dir/victim"
    && readlink("$tree/.sqauth-switch/manifest.json") === "$dir/victim", true), "\n";

// 2. --revert: a copy in the backup replaced by a link to the root-only file is not followed
$copy = "$backup/class/deliver/Deliver_SMTP.class.php.orig";
rename($copy, "$copy.real");
symlink("$dir/victim", $copy);
[$rc, $out] = sw('--revert', $tree);
echo "--revert with a link for a backup copy: exit $rc, ", trim(preg_replace('/^(?!sqauth-squirrelmail:|  left alone).*\n/m', '', $out)), "\n";
echo 'the root-only file: ', victim("$dir/victim"), ', Deliver_SMTP.class.php still switched: ',
    var_export(str_contains((string) file_get_contents("$tree/class/deliver/Deliver_SMTP.class.php"), 'sqauth_smtp_login'), true), "\n";
unlink($copy);
rename("$copy.real", $copy);
[$rc, $out] = sw('--revert', $tree);
echo "--revert: exit $rc, ", trim(substr($out, strrpos(trim($out), "\n"))), "\n";

// 3. a tree file that is a link (to the root-only file): refused, nothing written, nothing read into a backup
rename("$tree/src/signout.php", "$dir/signout.php");
symlink("$dir/victim", "$tree/src/signout.php");
[$rc, $out] = sw('--apply', '--force', '--backup-dir', "$dir/bk", $tree);
echo "a tree file that is a link: exit $rc, ", trim(str_replace([$tree, $dir], ['TREE', 'DIR'], preg_replace('/^SquirrelMail.*\n/', '', $out))), "\n";
echo 'nothing switched: ', var_export(!str_contains((string) file_get_contents("$tree/functions/imap_general.php"), 'sqauth') && !is_dir("$dir/bk"), true),
    ', the root-only file: ', victim("$dir/victim"), "\n";
unlink("$tree/src/signout.php");
rename("$dir/signout.php", "$tree/src/signout.php");
// a folder of the tree that is a link
rename("$tree/class", "$dir/class");
symlink("$dir/class", "$tree/class");
[$rc, $out] = sw('--apply', '--force', '--backup-dir', "$dir/bk", $tree);
echo "a folder that is a link: exit $rc, ", trim(str_replace([$tree, $dir], ['TREE', 'DIR'], preg_replace('/^SquirrelMail.*\n/', '', $out))), "\n";
unlink("$tree/class");
rename("$dir/class", "$tree/class");

// 4. a link on the backup path
mkdir("$dir/elsewhere");
symlink("$dir/elsewhere", "$dir/bk-link");
[$rc, $out] = sw('--apply', '--force', '--backup-dir', "$dir/bk-link/b", $tree);
echo "a link on the backup path: exit $rc, ", trim(str_replace([$tree, $dir], ['TREE', 'DIR'], preg_replace('/^SquirrelMail.*\n/', '', $out))), "\n";
echo 'nothing written there: ', var_export(scandir("$dir/elsewhere") === ['.', '..'], true), "\n";

// a relative --backup-dir is the working folder's, as in any command (it was once checked, and
// made, from / down)
$cwd = $dir;
$rel = 'rel-backup-' . getmypid();
[$rc, $out] = sw('--apply', '--force', '--backup-dir', $rel, $tree);
echo "a relative --backup-dir: exit $rc, in the working folder: ", var_export(is_file("$dir/$rel/manifest.json"), true),
    ', made at /: ', var_export(file_exists("/$rel"), true), "\n";
[$rc, $out] = sw('--revert', '--backup-dir', $rel, $tree);
echo "--revert: exit $rc\n";
$cwd = null;

// 5. control bytes in a path and in a version string reach the terminal escaped
file_put_contents("$tree/include/constants.php", "<?php\ndefine('SM_VERSION', '1.5.9 \e[2J\e[31mVERIFIED\x9b');\n");
[$rc, $out] = sw('--check', '--force', '--backup-dir', "$dir/bk", $tree);
echo 'escape sequences in the output: ', var_export(preg_match('/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/', $out) === 1, true), '; ', strtok($out, "\n"), "\n";
exec('rm -rf ' . escapeshellarg($dir));
if ($backup !== '?' && is_dir($backup)) {
    exec('rm -rf ' . escapeshellarg($backup));
}
?>
--EXPECTF--
--apply with planted links: exit 0
the root-only file: root's secret root:600
switched file: switched, www-data:644, a link: false
backup folder: /var/backups/sqauth-squirrelmail/..., inside the tree: false, mode 700, manifest mode 600, copies mode 600
planted links still links, pointing where they did: true
--revert with a link for a backup copy: exit 1, left alone: class/deliver/Deliver_SMTP.class.php (its backup %s/class/deliver/Deliver_SMTP.class.php.orig is missing or damaged)
the root-only file: root's secret root:600, Deliver_SMTP.class.php still switched: true
--revert: exit 0, reverted: the tree is as it was before the switch
a tree file that is a link: exit 2, sqauth-squirrelmail: refusing to follow the symbolic link TREE/src/signout.php (a file sqauth-squirrelmail edits, or a folder on its way, must not be a link)
nothing switched: true, the root-only file: root's secret root:600
a folder that is a link: exit 2, sqauth-squirrelmail: refusing to follow the symbolic link TREE/class (a file sqauth-squirrelmail edits, or a folder on its way, must not be a link)
a link on the backup path: exit 2, sqauth-squirrelmail: refusing to follow the symbolic link DIR/bk-link (a file sqauth-squirrelmail edits, or a folder on its way, must not be a link)
nothing written there: true
a relative --backup-dir: exit 0, in the working folder: true, made at /: false
--revert: exit 0
escape sequences in the output: false; SquirrelMail 1.5.9 \x1B[2J\x1B[31mVERIFIED\x9B in %s
