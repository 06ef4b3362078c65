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
 *   src/signout.php                before the session is destroyed, the pool forgets
 *                                  the session's kept connections (in every worker)
 *
 * Everything around those spans (OneTimePadDecrypt, sqauth_read_password,
 * authz, hooks, get_smtp_user's credentials, the error pages and the $hide
 * modes) is left as SquirrelMail has it. The inserted code is in snippets/.
 */

declare(strict_types=1);

namespace Sqauth\SquirrelMail;

require_once __DIR__ . '/PhpSource.php';
require_once __DIR__ . '/SafeFiles.php';

/** The code a switch would replace differs from every release the switcher knows. */
final class LocalChange extends UnrecognisedSource
{
}

/** A planned change to one file: byte spans replaced, from the original text. */
final class FileEdit
{
    /** @var list<array{int, int, string}> */
    public array $splices = [];
    /** @var list<string> */
    public array $what = [];
    /** @var list<array{string, int, int}> what the switch replaces: fingerprint, first and last line */
    public array $replaced = [];

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
    /** where switches made before 0.x kept their backups: inside the tree, so inside the web root */
    private const LEGACY_BACKUP = '.sqauth-switch';
    /** the default backup folders: outside any web root, root's only */
    public const BACKUP_BASE = '/var/backups/sqauth-squirrelmail';
    private const SASL_FUNCTIONS = ['hmac_md5', 'cram_md5_response', 'digest_md5_response', 'digest_md5_parse_challenge'];

    public readonly string $tree;
    public readonly string $version;
    private readonly string $backup;

    public function __construct(string $tree, ?string $backupDir = null)
    {
        $this->tree = rtrim($tree, '/');
        $this->version = $this->detectVersion();
        if ($backupDir === null) {
            $backupDir = self::defaultBackup($this->tree);
            // a tree switched by an earlier version keeps its backup where that version put it
            // until it is reverted
            $legacy = $this->tree . '/' . self::LEGACY_BACKUP;
            if (!is_dir($backupDir) && SafeFiles::isFile($legacy, 'manifest.json') && !is_link($legacy)) {
                $backupDir = $legacy;
            }
        }
        // (absolute: the backup path is checked for links from / down)
        $this->backup = rtrim(str_starts_with($backupDir, '/') ? $backupDir : getcwd() . '/' . $backupDir, '/');
    }

    /** BACKUP_BASE/<the tree's absolute path, '/' as '_'>: one folder per tree. */
    public static function defaultBackup(string $tree): string
    {
        $abs = realpath($tree);
        $name = trim(str_replace('/', '_', $abs === false ? $tree : $abs), '_');
        return self::BACKUP_BASE . '/' . ($name === '' ? 'root' : $name);
    }

    public function backupDir(): string
    {
        return $this->backup;
    }

    /** '1.4.23 [SVN]' and the like, or throws for a tree that is not SquirrelMail 1.4/1.5. */
    private function detectVersion(): string
    {
        $where = [
            'include/constants.php' => fn(PhpSource $s) => $this->defined($s, 'SM_VERSION'),
            'functions/strings.php' => fn(PhpSource $s) => $this->assigned($s, 'version'),
        ];
        foreach ($where as $rel => $read) {
            if (SafeFiles::isFile($this->tree, $rel) && ($v = $read(new PhpSource($rel, SafeFiles::read($this->tree, $rel)))) !== null) {
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
     * The code the switch replaces, by file, as SquirrelMail has had it: the fingerprints
     * (PhpSource::fingerprint(), white space and comments aside) of what would be replaced in
     * every version of these files in the 1.4.23-svn and 1.5.2-svn lines' published history
     * (the versions the switch recognises; `sqauth-squirrelmail --fingerprints TREE` prints a
     * tree's). Anything else is a local change, which the switch would drop (it would survive
     * only in the backup).
     */
    private const KNOWN = [
        'class/deliver/Deliver_SMTP.class.php' => [
            '4f888d489d8ad0852b811e9c26e9b9e1ac749ae5d842f62322f3af3ba4271a3a',
            '9f73d01e84d859b2e53aa526761123a8a3dfe269a0ab50aa5a9daef84e5c7cc2',
            'cbcd5f9b97c0ef72166cea843f5b8151f5339e062e6c1ae7853dd1d45124e427',
            'cf3755b201fe2d85bb1e6a112dc055fcd5b4f295b484fb4be921048fb4ab8035',
            'de91d45c7b17559bec71daafd56e52fa510b972e15b58778710174f5e9f40328',
            'f1983c8e8b79725f1ccf9d3f70301855ace18371d29d3d667703c9ac3491edbd',
        ],
        'functions/imap_general.php' => [
            '0f7d6c5466bc16e4f7e907be254b33e06ad23e3cea9397df8fe6dd6fbca99435',
            '417535c2b1b7b842baef394d291761d091dd9d9cf7a6f5833d805b5ad30b2bd4',
            '47ff51234f1cf77284855ceb2f795a5feb8e9bc8724324a11f8271c75aa40005',
            '71237a41546e02d4f70b1c53c9e13aa47934bb0e334b3ca635829969f2a2b5a0',
            'b78295bee44f32f9cad07e01ea664a515f80f36f9b67a93ceb02c23fcb6cc9e0',
            'bcaa992abc66a68c75016a9f87afcadd9b969026419f88e3eed92f8b334e8d3b',
            'c914fd7dfa41972f623f56de2332fa5c787c653549570f16cf2b9786dc4021ba',
            'eaebdf9b86edb7d189e3b65753fa34e7120918c69f6d828ddc72e8b60f668506',
        ],
        'src/login.php' => [
            'e03371f213b90937cdc22d75c20d4591d853322c85ef5db9d5e98ad730acdabd',
        ],
    ];

    /**
     * What switching would do, file by file: [relative path => [descriptions]] for
     * the files still to change; $done gets the edits already in place. A file whose
     * replaced code is no release's (a local change) is refused, unless $force;
     * $local gets the descriptions of such files either way.
     * @return array<string, FileEdit>
     */
    public function plan(?array &$done = null, bool $force = false, ?array &$local = null): array
    {
        $local = [];
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
        $files['src/signout.php'] = 'planSignout';
        foreach ($files as $rel => $how) {
            if (!SafeFiles::isFile($this->tree, $rel)) {
                SafeFiles::assertNoLinks($this->tree, $rel);
                throw new UnrecognisedSource("$rel is missing");
            }
            $code = SafeFiles::read($this->tree, $rel);
            if (str_contains($code, self::MARK)) {
                $done[$rel] = true;
                continue;
            }
            $edit = new FileEdit($rel, $code);
            $this->$how(new PhpSource($rel, $code), $edit);
            if ($edit->splices) {
                $todo[$rel] = $edit;
                if (($why = $this->localChange($edit)) !== null) {
                    $local[$rel] = $why;
                }
            } else {
                $done[$rel] = true;
            }
        }
        if ($local && !$force) {
            throw new LocalChange(implode('; ', $local) . '. Switching would drop that change (it would survive only in '
                . 'the backup); carry it over by hand after the switch, or give --force to switch anyway');
        }
        return $todo;
    }

    /** The fingerprint of what a file's switch replaces (all its replaced statements in order). */
    public static function fingerprintOf(FileEdit $edit): string
    {
        return hash('sha256', implode(' ', array_column($edit->replaced, 0)));
    }

    /** [relative path => fingerprint] of what the switch would replace in this tree. */
    public function fingerprints(): array
    {
        return array_map(fn(FileEdit $e) => self::fingerprintOf($e), $this->plan($done, true));
    }

    /** Why a planned edit drops code no known release has, or null. */
    private function localChange(FileEdit $edit): ?string
    {
        if (!$edit->replaced || in_array(self::fingerprintOf($edit), self::KNOWN[$edit->rel] ?? [], true)) {
            return null;
        }
        $lines = implode(', ', array_map(fn($r) => $r[1] === $r[2] ? "$r[1]" : "$r[1]-$r[2]", $edit->replaced));
        return "$edit->rel, lines $lines: the code the switch replaces differs from every SquirrelMail release "
            . 'sqauth-squirrelmail knows (a local change?)';
    }

    /** Notes what statement $st (replaced by the switch) was. */
    private function replaces(PhpSource $s, FileEdit $e, Statement $st): void
    {
        $e->replaced[] = [$s->fingerprint($st), ...$s->lines($st)];
    }

    /** Applies the plan; returns what changed (nothing when already switched). */
    public function apply(bool $force = false): array
    {
        $todo = $this->plan($done, $force);
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
            $this->makeBackupDir(dirname($rel));
            SafeFiles::write($this->backup, "$rel.orig", $edit->original, 0600);
            $manifest[$rel] = ['original' => hash('sha256', $edit->original), 'switched' => hash('sha256', $results[$rel])];
        }
        $this->writeManifest($manifest);
        foreach ($results as $rel => $code) {
            $this->replaceFile($rel, $code);
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
            $copy = $this->backup . '/' . $rel . '.orig';
            $orig = SafeFiles::isFile($this->backup, "$rel.orig") ? SafeFiles::read($this->backup, "$rel.orig") : false;
            if ($orig === false || hash('sha256', $orig) !== $sum['original']) {
                $refused[] = "$rel (its backup $copy is missing or damaged)";
                continue;
            }
            SafeFiles::assertNoLinks($this->tree, $rel);
            $now = SafeFiles::isFile($this->tree, $rel) ? hash('sha256', SafeFiles::read($this->tree, $rel)) : null;
            if ($now === $sum['original']) {
                $restored[] = $rel;                          // already the original
            } elseif ($now !== $sum['switched'] && !$force) {
                $refused[] = "$rel (changed since it was switched; --force restores it anyway)";
                continue;
            } else {
                $this->replaceFile($rel, $orig);
                $restored[] = $rel;
            }
            SafeFiles::remove($this->backup, "$rel.orig");
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
        $this->replaces($s, $e, $list[$connect]);
        $this->replaces($s, $e, $list[$auth]);
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
                $this->replaces($s, $e, $list[$i]);
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
        foreach ($probe as $st) {
            $this->replaces($s, $e, $st);
        }
        $e->splices[] = [$probe[0]->start, $probe[2]->end, $this->snippet('login-probe', $s->indent($probe[0]))];
        $e->what[] = 'the LOGINDISABLED probe by sqauth_detect(), with the configured stream options';
    }

    private function planSignout(PhpSource $s, FileEdit $e): void
    {
        $hits = $s->find('sqsession_destroy');
        if (count($hits) !== 1) {
            throw new UnrecognisedSource('src/signout.php: expected one sqsession_destroy() call, found ' . count($hits));
        }
        // (signout.php mixes PHP and HTML: the call must stand alone at the start of its line)
        $at = $s->offset($hits[0]);
        $line = strrpos(substr($s->code, 0, $at), "\n");
        $line = $line === false ? 0 : $line + 1;
        $indent = substr($s->code, $line, $at - $line);
        if (trim($indent) !== '') {
            throw new UnrecognisedSource('src/signout.php: sqsession_destroy() does not begin its line');
        }
        $e->splices[] = [$line, $line, $this->snippet('signout', $indent)];
        $e->what[] = 'sign-out: the session\'s kept connections are logged out in every worker (sqauth_pool_forget())';
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

    /** A tree file replaced by a new one (see SafeFiles::write) with its mode, owner and group. */
    private function replaceFile(string $rel, string $code): void
    {
        $st = @lstat("$this->tree/$rel");
        if ($st === false) {
            throw new \RuntimeException("$this->tree/$rel is missing");
        }
        SafeFiles::write($this->tree, $rel, $code, $st['mode'] & 0777, $st['uid'], $st['gid']);
    }

    /** The backup folder (and $rel below it), root's only, no link anywhere on its path. */
    private function makeBackupDir(string $rel = ''): void
    {
        SafeFiles::makeDirs('/', ltrim($this->backup, '/'), 0700);
        if ($rel !== '' && $rel !== '.') {
            SafeFiles::makeDirs($this->backup, $rel, 0700);
        }
    }

    private function manifest(): array
    {
        SafeFiles::assertNoLinks('/', ltrim($this->backup, '/'));
        $m = SafeFiles::isFile($this->backup, 'manifest.json') ? json_decode(SafeFiles::read($this->backup, 'manifest.json'), true) : [];
        return is_array($m) ? $m : [];
    }

    private function writeManifest(array $m): void
    {
        if (!$m) {
            SafeFiles::remove($this->backup, 'manifest.json');
            return;
        }
        $this->makeBackupDir();
        ksort($m);
        SafeFiles::write($this->backup, 'manifest.json', json_encode($m, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n", 0600);
    }

    private function removeBackupDir(): void
    {
        SafeFiles::removeEmptyDirs($this->backup);
    }
}
