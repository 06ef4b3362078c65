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
 *    on any existing name, a dangling link included) under an unpredictable
 *    name, with its mode set at creation by the umask (no chmod() by name,
 *    which would follow a link planted after the creation); its owner is set
 *    by lchown()/lchgrp(), which change a link itself, never its target; then
 *    it is renamed over the file it replaces (rename() replaces a link, never
 *    writes through it).
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
     * Writes $data as $base/$rel: a new file beside it (exclusive, unpredictable name,
     * mode $mode, owner $owner:$group if given), renamed over it.
     */
    public static function write(string $base, string $rel, string $data, int $mode, ?int $owner = null, ?int $group = null): void
    {
        self::assertNoLinks($base, $rel);
        $path = rtrim($base, '/') . '/' . $rel;
        if (is_link($path) || (file_exists($path) && !self::isFile($base, $rel))) {
            throw new \RuntimeException("$path is not a regular file");
        }
        $tmp = dirname($path) . '/.' . basename($path) . '.sqauth-' . bin2hex(random_bytes(8));
        $old = umask(0777 & ~$mode);
        try {
            $h = @fopen($tmp, 'xb');
        } finally {
            umask($old);
        }
        if ($h === false) {
            throw new \RuntimeException("cannot create a new file beside $path");
        }
        try {
            if (fwrite($h, $data) !== strlen($data) || !fflush($h)) {
                throw new \RuntimeException("cannot write $tmp");
            }
            $fst = fstat($h);
            $st = @lstat($tmp);
            if ($st === false || $fst['dev'] !== $st['dev'] || $fst['ino'] !== $st['ino']) {
                throw new \RuntimeException("$tmp was replaced while it was written; nothing was done");
            }
            if ($owner !== null && $owner !== $fst['uid'] && !@lchown($tmp, $owner)) {
                throw new \RuntimeException("cannot give $tmp its owner");
            }
            if ($group !== null && $group !== $fst['gid'] && !@lchgrp($tmp, $group)) {
                throw new \RuntimeException("cannot give $tmp its group");
            }
        } catch (\Throwable $e) {
            fclose($h);
            @unlink($tmp);
            throw $e;
        }
        fclose($h);
        if (!@rename($tmp, $path)) {
            @unlink($tmp);
            throw new \RuntimeException("cannot replace $path");
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
