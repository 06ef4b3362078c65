<?php
/*
 * File operations for a program that runs as root on a tree that others may be
 * able to write (a SquirrelMail tree after `chown -R www-data`): nothing is
 * read, written, chowned or removed through a symbolic link.
 *
 * PHP has no openat(), O_NOFOLLOW, fchmod() or fchown(), so the rules are:
 *  - every path component below a trusted base (the tree, the backup folder) is
 *    checked with lstat() and refused if it is a link;
 *  - a file is read through a handle whose inode is compared with the lstat()
 *    of the path (a file swapped after the check is refused);
 *  - a new file is created exclusively (fopen 'x': O_CREAT|O_EXCL, which fails
 *    on any existing name, a dangling link included) in a folder made for it
 *    beside its target (mkdir: root's only, an unpredictable name) under an
 *    unpredictable name, so that chmod() by name cannot be led elsewhere; its
 *    owner is set by lchown()/lchgrp(), which change a link itself, never its
 *    target; then it is renamed over the file it replaces (rename() replaces
 *    a link, never writes through it).
 * (A ZTS PHP resolves a path before chown()/chmod() and even lchown(): the
 * names given to them here are in the folder only root can enter, so there
 * is nothing on their way to resolve.)
 * What is left: someone who can write a folder of the tree can still replace
 * a file of it by a link after sqauth-squirrelmail has checked it, which gives
 * them nothing they could not do to that file themselves; with
 * fs.protected_hardlinks (Debian's default) they cannot hard-link root's files.
 */

declare(strict_types=1);

namespace Sqauth\SquirrelMail;

final class SafeFiles
{
    /** Throws if $rel (relative to $base, '/'-separated) or any folder on the way is a link. */
    public static function assertNoLinks(string $base, string $rel): void
    {
        $path = rtrim($base, '/');
        if (is_link($path)) {
            // the base itself may be a link an administrator made (it is not ours to judge),
            // but then it must not be writable by others: its target is what we walk
            $path = (string) realpath($path);
        }
        foreach (array_filter(explode('/', $rel), 'strlen') as $part) {
            if ($part === '..') {
                throw new \RuntimeException("refusing a path with '..': $rel");
            }
            $path .= '/' . $part;
            if (is_link($path)) {
                throw new \RuntimeException("refusing to follow the symbolic link $path (a file sqauth-squirrelmail edits, "
                    . "or a folder on its way, must not be a link)");
            }
        }
    }

    /** The content of a regular file that is no link, read through a handle checked against the name. */
    public static function read(string $base, string $rel): string
    {
        self::assertNoLinks($base, $rel);
        $path = rtrim($base, '/') . '/' . $rel;
        $st = @lstat($path);
        if ($st === false || ($st['mode'] & 0170000) !== 0100000) {
            throw new \RuntimeException("$path is not a regular file");
        }
        $h = @fopen($path, 'rb');
        if ($h === false) {
            throw new \RuntimeException("cannot read $path");
        }
        try {
            $fst = fstat($h);
            if ($fst['dev'] !== $st['dev'] || $fst['ino'] !== $st['ino']) {
                throw new \RuntimeException("$path changed while it was opened; nothing was done");
            }
            $data = stream_get_contents($h);
            if ($data === false) {
                throw new \RuntimeException("cannot read $path");
            }
            return $data;
        } finally {
            fclose($h);
        }
    }

    /** True if $rel under $base is a regular file (and no link). */
    public static function isFile(string $base, string $rel): bool
    {
        $st = @lstat(rtrim($base, '/') . '/' . $rel);
        return $st !== false && ($st['mode'] & 0170000) === 0100000;
    }

    /** Folders below $base, each created with $mode if missing; none may be a link. */
    public static function makeDirs(string $base, string $rel, int $mode): void
    {
        $path = rtrim($base, '/');
        self::assertNoLinks($base, $rel);
        foreach (array_filter(explode('/', $rel), 'strlen') as $part) {
            $path .= '/' . $part;
            if (!is_dir($path)) {
                if (!@mkdir($path, $mode) && !is_dir($path)) {
                    throw new \RuntimeException("cannot create $path");
                }
                if (is_link($path)) {
                    throw new \RuntimeException("refusing to follow the symbolic link $path");
                }
            }
        }
    }

    /**
     * Writes $data as $base/$rel: a new file made in a folder of its own beside it (mkdir with
     * an unpredictable name, root's only: no one else can list, enter or fill it), given its mode
     * and owner there, then renamed over $rel.
     */
    public static function write(string $base, string $rel, string $data, int $mode, ?int $owner = null, ?int $group = null): void
    {
        self::assertNoLinks($base, $rel);
        $path = rtrim($base, '/') . '/' . $rel;
        if (is_link($path) || (file_exists($path) && !self::isFile($base, $rel))) {
            throw new \RuntimeException("$path is not a regular file");
        }
        $private = dirname($path) . '/.sqauth-' . bin2hex(random_bytes(8));
        if (!@mkdir($private, 0700)) {   // (mkdir never follows a link, and fails on any existing name)
            throw new \RuntimeException('cannot create a new folder beside ' . $path);
        }
        $tmp = "$private/" . bin2hex(random_bytes(8));
        try {
            $h = @fopen($tmp, 'xb');
            if ($h === false) {
                throw new \RuntimeException("cannot create $tmp");
            }
            $ok = fwrite($h, $data) === strlen($data) && fflush($h);
            fclose($h);
            if (!$ok) {
                throw new \RuntimeException("cannot write $tmp");
            }
            // inside a folder only root can enter, under a name no one else can know: the
            // name is this file, whatever happens to the folder's own name meanwhile
            if (!@chmod($tmp, $mode) || ($owner !== null && !@lchown($tmp, $owner)) || ($group !== null && !@lchgrp($tmp, $group))) {
                throw new \RuntimeException("cannot give $tmp its mode and owner");
            }
            if (!@rename($tmp, $path)) {
                throw new \RuntimeException("cannot replace $path");
            }
        } finally {
            @unlink($tmp);
            @rmdir($private);
        }
    }

    /** Removes a file that is no link (a link is removed itself, its target left alone). */
    public static function remove(string $base, string $rel): void
    {
        self::assertNoLinks($base, dirname($rel) === '.' ? '' : dirname($rel));
        @unlink(rtrim($base, '/') . '/' . $rel);   // unlink() never follows a link
    }

    /** Removes $dir's empty folders, deepest first, without following links. */
    public static function removeEmptyDirs(string $dir): void
    {
        if (is_link($dir) || !is_dir($dir)) {
            return;
        }
        foreach (scandir($dir) ?: [] as $name) {
            if ($name !== '.' && $name !== '..' && !is_link("$dir/$name") && is_dir("$dir/$name")) {
                self::removeEmptyDirs("$dir/$name");
            }
        }
        @rmdir($dir);
    }
}
