<?php
/*
 * Switches an installed SquirrelMail 1.4.x or 1.5.x tree to sqauth in place,
 * by the structure of its code (PHP tokens), not by line numbers:
 *
 *   functions/auth.php             the four SASL functions guarded with
 *                                  function_exists(), so sqauth.compat_functions=1
 *                                  can provide them
 *   functions/imap_general.php     sqimap_login(): the connection
 *                                  (sqimap_create_stream) and the authentication
 *                                  chain become one sqauth_imap_login() call whose
 *                                  failures go to SquirrelMail's own error paths;
 *                                  sqimap_logout() gives a connection sqauth keeps
 *                                  (option persistent) back instead of LOGOUT
 *   class/deliver/Deliver_SMTP.class.php
 *                                  initStream(): connection, greeting, EHLO,
 *                                  STARTTLS and AUTH become sqauth_smtp_login();
 *                                  the EHLO name, its hooks, $this->ehlo and the
 *                                  smtp_authenticate hook are kept
 *   src/login.php (1.5)            the LOGINDISABLED probe, which connected
 *                                  without the stream options, uses sqauth_detect()
 *
 * Everything around those spans (OneTimePadDecrypt, sqauth_read_password,
 * authz, hooks, get_smtp_user's credentials, the error pages and the $hide
 * modes) is left as SquirrelMail has it. The inserted code is in snippets/.
 */

declare(strict_types=1);

namespace Sqauth\SquirrelMail;

require_once __DIR__ . '/PhpSource.php';

/** A planned change to one file: byte spans replaced, from the original text. */
final class FileEdit
{
    /** @var list<array{int, int, string}> */
    public array $splices = [];
    /** @var list<string> */
    public array $what = [];

    public function __construct(public readonly string $rel, public readonly string $original)
    {
    }

    public function result(): string
    {
        $out = $this->original;
        $splices = $this->splices;
        usort($splices, fn($a, $b) => $b[0] <=> $a[0]);
        foreach ($splices as [$start, $end, $text]) {
            $out = substr($out, 0, $start) . $text . substr($out, $end);
        }
        return $out;
    }
}

final class Switcher
{
    public const MARK = 'sqauth-switch';
    private const BACKUP = '.sqauth-switch';
    private const SASL_FUNCTIONS = ['hmac_md5', 'cram_md5_response', 'digest_md5_response', 'digest_md5_parse_challenge'];

    public readonly string $tree;
    public readonly string $version;
    private readonly string $backup;

    public function __construct(string $tree, ?string $backupDir = null)
    {
        $this->tree = rtrim($tree, '/');
        $this->version = $this->detectVersion();
        $this->backup = rtrim($backupDir ?? $this->tree . '/' . self::BACKUP, '/');
    }

    /** '1.4.23 [SVN]' and the like, or throws for a tree that is not SquirrelMail 1.4/1.5. */
    private function detectVersion(): string
    {
        $where = [
            'include/constants.php' => fn(PhpSource $s) => $this->defined($s, 'SM_VERSION'),
            'functions/strings.php' => fn(PhpSource $s) => $this->assigned($s, 'version'),
        ];
        foreach ($where as $rel => $read) {
            $f = "$this->tree/$rel";
            if (is_file($f) && ($v = $read(new PhpSource($rel, (string) file_get_contents($f)))) !== null) {
                if (preg_match('/^1\.[45]\./', $v)) {
                    return $v;
                }
                throw new UnrecognisedSource("SquirrelMail $v is neither 1.4.x nor 1.5.x");
            }
        }
        throw new UnrecognisedSource("$this->tree does not look like a SquirrelMail tree (no version in "
            . "include/constants.php or functions/strings.php)");
    }

    public function series(): string
    {
        return substr($this->version, 0, 3);
    }

    /**
     * What switching would do, file by file: [relative path => [descriptions]] for
     * the files still to change; $done gets the edits already in place.
     * @return array<string, FileEdit>
     */
    public function plan(?array &$done = null): array
    {
        $done = [];
        $todo = [];
        $files = [
            'functions/auth.php' => 'planAuth',
            'functions/imap_general.php' => 'planImap',
            'class/deliver/Deliver_SMTP.class.php' => 'planSmtp',
        ];
        if ($this->series() === '1.5') {
            $files['src/login.php'] = 'planLoginProbe';
        }
        foreach ($files as $rel => $how) {
            $path = "$this->tree/$rel";
            if (!is_file($path)) {
                throw new UnrecognisedSource("$rel is missing");
            }
            $code = (string) file_get_contents($path);
            if (str_contains($code, self::MARK)) {
                $done[$rel] = true;
                continue;
            }
            $edit = new FileEdit($rel, $code);
            $this->$how(new PhpSource($rel, $code), $edit);
            if ($edit->splices) {
                $todo[$rel] = $edit;
            } else {
                $done[$rel] = true;
            }
        }
        return $todo;
    }

    /** Applies the plan; returns what changed (nothing when already switched). */
    public function apply(): array
    {
        $todo = $this->plan();
        if (!$todo) {
            return [];
        }
        $results = [];
        foreach ($todo as $rel => $edit) {
            $results[$rel] = $edit->result();
            $this->lint($rel, $results[$rel]);
        }
        $manifest = $this->manifest();
        foreach ($todo as $rel => $edit) {
            $copy = $this->backup . '/' . $rel . '.orig';
            if (!is_dir(dirname($copy)) && !mkdir(dirname($copy), 0755, true)) {
                throw new \RuntimeException("cannot create " . dirname($copy));
            }
            if (file_put_contents($copy, $edit->original) !== strlen($edit->original)) {
                throw new \RuntimeException("cannot write the backup $copy");
            }
            $manifest[$rel] = ['original' => hash('sha256', $edit->original), 'switched' => hash('sha256', $results[$rel])];
        }
        $this->writeManifest($manifest);
        foreach ($results as $rel => $code) {
            $this->replaceFile("$this->tree/$rel", $code);
        }
        return array_map(fn(FileEdit $e) => $e->what, $todo);
    }

    /**
     * Puts back every file from its backup, byte for byte; a file changed since
     * the switch is left alone (and named) unless $force.
     * @return array{list<string>, list<string>} restored, refused
     */
    public function revert(bool $force = false): array
    {
        $manifest = $this->manifest();
        $restored = $refused = [];
        foreach ($manifest as $rel => $sum) {
            $path = "$this->tree/$rel";
            $copy = $this->backup . '/' . $rel . '.orig';
            $orig = @file_get_contents($copy);
            if ($orig === false || hash('sha256', $orig) !== $sum['original']) {
                $refused[] = "$rel (its backup $copy is missing or damaged)";
                continue;
            }
            $now = is_file($path) ? hash_file('sha256', $path) : null;
            if ($now === $sum['original']) {
                $restored[] = $rel;                          // already the original
            } elseif ($now !== $sum['switched'] && !$force) {
                $refused[] = "$rel (changed since it was switched; --force restores it anyway)";
                continue;
            } else {
                $this->replaceFile($path, $orig);
                $restored[] = $rel;
            }
            unlink($copy);
            unset($manifest[$rel]);
        }
        $this->writeManifest($manifest);
        if (!$manifest) {
            $this->removeBackupDir();
        }
        return [$restored, $refused];
    }

    public function hasBackup(): bool
    {
        return $this->manifest() !== [];
    }

    /* ---- the edits ---- */

    private function planAuth(PhpSource $s, FileEdit $e): void
    {
        // a definition guarded already (by hand) is left as it is
        $guarded = $s->literalArguments('function_exists');
        $todo = array_values(array_diff(self::SASL_FUNCTIONS, $guarded));
        foreach ($todo as $fn) {
            $body = $s->functionBody($fn);
            [$list, $n] = $s->statementsAround($body);
            $st = $list[$n];
            if (!$s->token($st->first)->is(T_FUNCTION)) {
                throw new UnrecognisedSource("functions/auth.php: $fn() is not a plain function declaration");
            }
            $ind = $s->indent($st);
            $e->splices[] = [$st->start, $st->start,
                "{$ind}if (!function_exists('$fn')) { /* " . self::MARK . ": sqauth.compat_functions=1 provides it */\n"];
            $e->splices[] = [$st->end, $st->end, "{$ind}} /* " . self::MARK . " */\n"];
        }
        if ($todo) {
            $e->what[] = 'guards ' . implode('(), ', $todo) . '() with function_exists()';
        }
    }

    private function planImap(PhpSource $s, FileEdit $e): void
    {
        $body = $s->functionBody('sqimap_login');
        $list = $s->statements($body);
        $connect = $this->only($s, $list, fn(Statement $st) => $s->mentions($st, 'sqimap_create_stream'),
            'sqimap_login(): the sqimap_create_stream() call');
        $auth = null;
        for ($i = $connect + 1; $i < count($list); $i++) {
            $st = $list[$i];
            if ($s->token($st->first)->is(T_IF) && $s->uses($st, 'imap_auth_mech') && $s->uses($st, 'imap_stream')) {
                $auth = $i;
                break;
            }
        }
        if ($auth === null) {
            throw new UnrecognisedSource('functions/imap_general.php: sqimap_login() has no authentication chain after its connection');
        }
        // between the two, only what prepares the password (OneTimePadDecrypt in 1.4) may stand
        for ($i = $connect + 1; $i < $auth; $i++) {
            if ($s->uses($list[$i], 'imap_stream')) {
                throw new UnrecognisedSource('functions/imap_general.php: sqimap_login() uses the connection before authenticating');
            }
        }
        $e->splices[] = [$list[$connect]->start, $list[$connect]->end,
            $s->indent($list[$connect]) . '/* ' . self::MARK . ": the connection is made by sqauth_imap_login() below */\n"];
        $e->splices[] = [$list[$auth]->start, $list[$auth]->end, $this->snippet('imap-login', $s->indent($list[$auth]))];
        $e->what[] = 'sqimap_login(): connection and authentication by sqauth_imap_login(); failures to SquirrelMail\'s error pages';
        // sqimap_logout(): a persistent connection is given back instead of logged out
        $open = $s->functionBody('sqimap_logout');
        $first = $s->statements($open)[0] ?? null;
        if ($first === null || !$s->uses($first, 'imap_stream')) {
            throw new UnrecognisedSource('functions/imap_general.php: sqimap_logout() does not begin with its stream');
        }
        $e->splices[] = [$first->start, $first->start, $this->snippet('imap-logout', $s->indent($first))];
        $e->what[] = 'sqimap_logout(): a connection sqauth keeps (option persistent) goes back to the pool instead of LOGOUT';
    }

    private function planSmtp(PhpSource $s, FileEdit $e): void
    {
        $body = $s->functionBody('initStream');
        $list = $s->statements($body);
        $first = $this->only($s, $list, fn(Statement $st) => $s->mentions($st, 'fsockopen') || $s->mentions($st, 'stream_socket_client'),
            'Deliver_SMTP::initStream(): the connection');
        $last = $this->only($s, $list, fn(Statement $st) => $s->mentions($st, 'smtp_authenticate'),
            'Deliver_SMTP::initStream(): the authentication');
        if ($last < $first) {
            throw new UnrecognisedSource('Deliver_SMTP::initStream(): authentication before the connection');
        }
        // the span's statements that work on the connection go; the others (the EHLO
        // name, its smtp_helo_override hook) stay, and the sqauth call follows them
        $kept = 0;
        for ($i = $first; $i <= $last; $i++) {
            if ($s->uses($list[$i], 'stream')) {
                $e->splices[] = [$list[$i]->start, $list[$i]->end, ''];
            } else {
                $kept += $s->uses($list[$i], 'helohost') ? 1 : 0;
            }
        }
        if ($kept === 0) {
            throw new UnrecognisedSource('Deliver_SMTP::initStream(): no EHLO name ($helohost) is computed');
        }
        $e->splices[] = [$list[$last]->end, $list[$last]->end, $this->snippet('smtp-login', $s->indent($list[$last]))];
        $e->what[] = 'Deliver_SMTP::initStream(): connection, TLS, EHLO and AUTH by sqauth_smtp_login(); EHLO name, hooks and $this->ehlo kept';
    }

    private function planLoginProbe(PhpSource $s, FileEdit $e): void
    {
        $hits = $s->find('sqimap_create_stream');
        if (count($hits) !== 1) {
            throw new UnrecognisedSource('src/login.php: expected one sqimap_create_stream() call (the LOGINDISABLED probe), found ' . count($hits));
        }
        [$list, $n] = $s->statementsAround($hits[0]);
        $probe = array_slice($list, $n, 3);
        if (count($probe) !== 3 || !$s->uses($probe[1], 'logindisabled') || !$s->mentions($probe[2], 'sqimap_logout')) {
            throw new UnrecognisedSource('src/login.php: the LOGINDISABLED probe is not connect, capability, logout');
        }
        $e->splices[] = [$probe[0]->start, $probe[2]->end, $this->snippet('login-probe', $s->indent($probe[0]))];
        $e->what[] = 'the LOGINDISABLED probe by sqauth_detect(), with the configured stream options';
    }

    /* ---- helpers ---- */

    /** The index of the one statement in $list that $test picks, or throws. */
    private function only(PhpSource $s, array $list, callable $test, string $what): int
    {
        $hits = array_keys(array_filter($list, $test));
        if (count($hits) !== 1) {
            throw new UnrecognisedSource("$s->path: $what: expected one statement, found " . count($hits));
        }
        return $hits[0];
    }

    private function snippet(string $name, string $indent): string
    {
        $lines = file(__DIR__ . "/snippets/$name.inc", FILE_IGNORE_NEW_LINES);
        return implode('', array_map(fn($l) => $l === '' ? "\n" : "$indent$l\n", $lines));
    }

    private function defined(PhpSource $s, string $const): ?string
    {
        foreach ($s->find('define') as $i) {
            $j = $s->next($s->next($i + 1) + 1);
            if (trim($s->token($j)->text, '\'"') === $const) {
                $k = $s->next($s->next($j + 1) + 1);
                return trim($s->token($k)->text, '\'"');
            }
        }
        return null;
    }

    private function assigned(PhpSource $s, string $var): ?string
    {
        for ($i = 0; $i < $s->count(); $i++) {
            $t = $s->token($i);
            if ($t->is(T_VARIABLE) && $t->text === '$' . $var) {
                $j = $s->next($i + 1);
                if ($s->token($j)->text === '=') {
                    $k = $s->next($j + 1);
                    if ($s->token($k)->is(T_CONSTANT_ENCAPSED_STRING)) {
                        return trim($s->token($k)->text, '\'"');
                    }
                }
            }
        }
        return null;
    }

    /** php -l of the switched text, so that a tree is never left unparseable. */
    private function lint(string $rel, string $code): void
    {
        try {
            \PhpToken::tokenize($code, TOKEN_PARSE);
        } catch (\ParseError $e) {
            throw new UnrecognisedSource("$rel would not parse after switching ({$e->getMessage()}, line {$e->getLine()}); nothing was changed");
        }
    }

    /** Writes beside the file and renames over it, keeping its mode. */
    private function replaceFile(string $path, string $code): void
    {
        $tmp = $path . '.sqauth-tmp';
        if (file_put_contents($tmp, $code) !== strlen($code)) {
            @unlink($tmp);
            throw new \RuntimeException("cannot write $tmp");
        }
        @chmod($tmp, fileperms($path) & 0777);
        @chown($tmp, fileowner($path));
        @chgrp($tmp, filegroup($path));
        if (!rename($tmp, $path)) {
            throw new \RuntimeException("cannot replace $path");
        }
    }

    private function manifest(): array
    {
        $f = $this->backup . '/manifest.json';
        $m = is_file($f) ? json_decode((string) file_get_contents($f), true) : [];
        return is_array($m) ? $m : [];
    }

    private function writeManifest(array $m): void
    {
        if (!$m) {
            @unlink($this->backup . '/manifest.json');
            return;
        }
        if (!is_dir($this->backup) && !mkdir($this->backup, 0755, true)) {
            throw new \RuntimeException("cannot create $this->backup");
        }
        ksort($m);
        file_put_contents($this->backup . '/manifest.json', json_encode($m, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
    }

    private function removeBackupDir(): void
    {
        if (!is_dir($this->backup)) {
            return;
        }
        $it = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($this->backup, \FilesystemIterator::SKIP_DOTS),
            \RecursiveIteratorIterator::CHILD_FIRST);
        foreach ($it as $f) {
            if ($f->isDir()) {
                @rmdir($f->getPathname());
            }
        }
        @rmdir($this->backup);
    }
}
