--TEST--
Dovecot with two realms: the DIGEST-MD5 login the seed document says may fail, realm choice, non-ASCII credentials over every mechanism
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$port = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$base = ['tls' => 'implicit'] + sqauth_test_ssl();
// Dovecot offers realm="example.org" and realm="sqauth.test"; it logs the user in as user@realm
foreach ([['chris@sqauth.test', 'secret', []], ['tim', 'tanstaaf', []], ['tim', 'tanstaaf', ['realm' => 'sqauth.test']],
          ['chris', 'secret', ['realm' => 'sqauth.test']], ['chris', 'secret', []]] as [$u, $p, $o]) {
    try {
        $s = sqauth_imap_login('localhost', $port, $u, $p, ['mechanism' => 'digest-md5'] + $o + $base);
        $r = sqauth_test_imap($s, 'W', 'NAMESPACE');
        echo "$u ", json_encode($o), ': logged in, rspauth verified=', var_export(sqauth_stream_info($s)['server_verified'], true), "\n";
        fclose($s);
    } catch (Sqauth\Exception $e) {
        echo "$u ", json_encode($o), ': ', get_class($e), "\n";
    }
}
// non-ASCII user name and password: SASLprep for SCRAM, literals for LOGIN, ISO-8859-1 hashing for
// DIGEST-MD5 (RFC 2831 2.1.2.1, as Cyrus does). Dovecot 2.3 hashes the UTF-8 bytes instead, so that one
// combination is refused by Dovecot; "auto" picks SCRAM there.
foreach (['login', 'plain', 'cram-md5', 'digest-md5', 'scram-sha-1', 'scram-sha-256'] as $m) {
    try {
        $s = sqauth_imap_login('localhost', $port, "j\u{FC}rgen", "p\u{E4}ssw\u{F6}rd", ['mechanism' => $m] + $base);
        echo "j\u{FC}rgen $m: logged in\n";
        fclose($s);
    } catch (Sqauth\Exception $e) {
        echo "j\u{FC}rgen $m: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// IMAP LOGIN quoting: a password with a quote and a backslash travels intact (and refuses CR/LF)
try {
    sqauth_imap_login('localhost', $port, 'tim', "tan\"sta\\af", ['mechanism' => 'login'] + $base);
} catch (Sqauth\AuthenticationException $e) {
    echo 'quoted wrong password: refused ', $e->getResponseCode(), "\n";
}
try {
    sqauth_imap_login('localhost', $port, 'tim', "tanstaaf\r\nA2 LOGOUT", ['mechanism' => 'login'] + $base);
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
?>
--EXPECT--
chris@sqauth.test []: logged in, rspauth verified=true
tim []: logged in, rspauth verified=true
tim {"realm":"sqauth.test"}: logged in, rspauth verified=true
chris {"realm":"sqauth.test"}: logged in, rspauth verified=true
chris []: Sqauth\AuthenticationException
jürgen login: logged in
jürgen plain: logged in
jürgen cram-md5: logged in
jürgen digest-md5: Sqauth\AuthenticationException: DIGEST-MD5 authentication failed: Authentication failed.
jürgen scram-sha-1: logged in
jürgen scram-sha-256: logged in
quoted wrong password: refused AUTHENTICATIONFAILED
ValueError: sqauth_imap_login(): Argument #4 ($password) must not contain CR, LF or NUL
