--TEST--
The returned stream behaves like an ssl:// stream (select with buffered TLS data, timeouts, non-blocking reads, EOF); TLS sessions resume within the process
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_STUNNEL_IMAPS');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$opt = ['tls' => 'implicit'] + sqauth_test_ssl();

// resumption: stunnel resumes sessions, Dovecot 2.3 as configured here does not
$proxy = sqauth_test_port('SQAUTH_STUNNEL_IMAPS');
foreach ([1, 2, 3] as $n) {
    $s = sqauth_imap_login('localhost', $proxy, 'tim', 'tanstaaf', $opt);
    $t = sqauth_stream_info($s)['tls'];
    echo "stunnel login $n: resumed=", var_export($t['resumed'], true), ' verified=', var_export($t['verified'], true), "\n";
    fclose($s);
}
$s = sqauth_imap_login('localhost', $proxy, 'tim', 'tanstaaf', $opt + ['session_cache' => false]);
echo 'session_cache off: resumed=', var_export(sqauth_stream_info($s)['tls']['resumed'], true), "\n";
fclose($s);
// a session made under one trust setting is not reused under another
try {
    sqauth_imap_login('localhost', $proxy, 'tim', 'tanstaaf', ['tls' => 'implicit']);
} catch (Sqauth\TlsException $e) {
    echo 'other trust setting: ', $e->getMessage() !== '' ? 'verified again and refused' : '', "\n";
}

$s = sqauth_imap_login('localhost', sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), 'tim', 'tanstaaf', $opt);
$i = sqauth_stream_info($s);
echo 'info keys: ', implode(' ', array_keys($i)), "\n";
echo 'timings: ', implode(' ', array_keys($i['timings'])), ' total>0=', var_export($i['timings']['total'] > 0, true), "\n";
// two responses in one TLS record: after the first fgets the rest is buffered, and select must see it
fwrite($s, "a NOOP\r\nb NOOP\r\n");
$first = fgets($s);
$r = [$s]; $w = $e = null;
echo 'select with buffered data: ', stream_select($r, $w, $e, 0, 0), "\n";
while (!str_starts_with($l = fgets($s), 'b ')) {
}
echo 'second response: ', trim($l) !== '' ? 'read' : 'missing', "\n";
// nothing to read: select times out, a read with a timeout reports timed_out
$r = [$s];
echo 'select on an idle stream: ', stream_select($r, $w, $e, 0, 200000), "\n";
stream_set_timeout($s, 0, 300000);
$t0 = microtime(true);
var_dump(fgets($s));
$m = stream_get_meta_data($s);
echo 'timed_out=', var_export($m['timed_out'], true), ' waited about 0.3s: ', var_export(abs(microtime(true) - $t0 - 0.3) < 0.25, true), "\n";
// non-blocking: an immediate empty read
stream_set_blocking($s, false);
var_dump(fread($s, 100));
stream_set_blocking($s, true);
stream_set_timeout($s, 5);
// the server closes: EOF
fwrite($s, "z LOGOUT\r\n");
while (($l = fgets($s)) !== false) {
}
var_dump(feof($s));
fclose($s);
// only sqauth streams have info
$f = fopen('php://memory', 'r');
try {
    sqauth_stream_info($f);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
stunnel login 1: resumed=false verified=true
stunnel login 2: resumed=true verified=true
stunnel login 3: resumed=true verified=true
session_cache off: resumed=false
other trust setting: verified again and refused
info keys: protocol host port mechanism qop cipher maxbuf server_verified greeting capabilities tls persistent round_trips timings
timings: connect tls auth total total>0=true
select with buffered data: 1
second response: read
select on an idle stream: 0
bool(false)
timed_out=true waited about 0.3s: true
string(0) ""
bool(true)
sqauth_stream_info(): Argument #1 ($stream) must be a stream returned by sqauth_imap_login(), sqauth_smtp_login() or sqauth_pop3_login()
