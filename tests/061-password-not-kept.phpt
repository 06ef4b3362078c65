--TEST--
While the stream is open, no copy of the password is left in the process, for every mechanism, with and without a DIGEST-MD5 security layer: the mechanism keeps only what the layer needs (the caller's own copy is wiped with sodium_memzero() first)
--EXTENSIONS--
sqauth
sodium
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_CYRUS_IMAP');
if (!is_readable('/proc/self/mem')) die('skip no /proc/self/mem');
if (getenv('SKIP_ASAN')) {
    // its shadow memory is terabytes of mappings: a scan of the process would outlast any time limit
    die('skip the memory scan is not possible under AddressSanitizer (the release, valgrind, PHP 8.4 and 8.5 passes run it)');
}
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';

/* how many times $needle stands in this process's writable memory */
function copies_in_memory(string $needle): int
{
    $mem = fopen('/proc/self/mem', 'rb');
    stream_set_read_buffer($mem, 0);            // no copy of what was read in the stream's buffer
    $n = 0;
    foreach (file('/proc/self/maps') as $line) {
        if (!preg_match('/^([0-9a-f]+)-([0-9a-f]+) rw/', $line, $m)) {
            continue;
        }
        [$from, $to] = [hexdec($m[1]), hexdec($m[2])];
        for ($at = $from; $at < $to; $at += 1 << 20) {
            if (@fseek($mem, $at) !== 0 || ($chunk = @fread($mem, min(1 << 20, $to - $at))) === false) {
                break;
            }
            $n += substr_count($chunk, $needle);
            sodium_memzero($chunk);             // the copy just read is no copy to count next time
        }
    }
    fclose($mem);
    return $n;
}

$cases = [
    ['IMAP LOGIN command', 'SQAUTH_DOVECOT_IMAP', ['mechanism' => 'login']],
    ['PLAIN', 'SQAUTH_DOVECOT_IMAP', ['mechanism' => 'plain']],
    ['AUTHENTICATE LOGIN', 'SQAUTH_DOVECOT_IMAP', ['mechanism' => 'sasl-login']],
    ['CRAM-MD5', 'SQAUTH_DOVECOT_IMAP', ['mechanism' => 'cram-md5']],
    ['DIGEST-MD5', 'SQAUTH_DOVECOT_IMAP', ['mechanism' => 'digest-md5']],
    ['SCRAM-SHA-256', 'SQAUTH_DOVECOT_IMAP', ['mechanism' => 'scram-sha-256']],
    ['DIGEST-MD5 auth-int', 'SQAUTH_CYRUS_IMAP', ['mechanism' => 'digest-md5', 'qop' => 'auth-int']],
    ['DIGEST-MD5 auth-conf', 'SQAUTH_CYRUS_IMAP', ['mechanism' => 'digest-md5', 'qop' => 'auth-conf', 'cipher' => 'rc4']],
];
$needle = strrev('faatsnat');                   // the copy this test keeps, to search with
$before = copies_in_memory($needle);            // and whatever PHP itself holds before any login
foreach ($cases as [$label, $var, $opt]) {
    $pass = strrev('faatsnat');                 // the password, made at run time
    $s = sqauth_imap_login('localhost', sqauth_test_port($var), 'tim', $pass, ['tls' => 'none'] + $opt);
    sodium_memzero($pass);
    $r = sqauth_test_imap($s, 'x1', 'NOOP');
    echo str_pad($label, 22), 'stream works: ', str_starts_with(end($r), 'x1 OK') ? 'yes' : 'no',
        ', copies of the password left: ', copies_in_memory($needle) - $before, "\n";
    fclose($s);
}
?>
--EXPECT--
IMAP LOGIN command    stream works: yes, copies of the password left: 0
PLAIN                 stream works: yes, copies of the password left: 0
AUTHENTICATE LOGIN    stream works: yes, copies of the password left: 0
CRAM-MD5              stream works: yes, copies of the password left: 0
DIGEST-MD5            stream works: yes, copies of the password left: 0
SCRAM-SHA-256         stream works: yes, copies of the password left: 0
DIGEST-MD5 auth-int   stream works: yes, copies of the password left: 0
DIGEST-MD5 auth-conf  stream works: yes, copies of the password left: 0
