--TEST--
Proxy logins (a master user logs in for a user named as the authorization identity, Roundcube's imap_auth_cid): 'auto' picks a mechanism that carries the identity (PLAIN where cleartext may go, as Dovecot takes a master user's authzid only with PLAIN), and the pool counts, keeps and forgets per user the session acts as, not per master user
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_CONF');
?>
--INI--
; one kept connection per user: with the cap counted per master user, the six users below would
; take the one place from each other
sqauth.persistent_per_user=1
sqauth.persistent_per_process=8
sqauth.persistent_check_after=600
sqauth.persistent_idle_timeout=3600
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/pool.inc';
require __DIR__ . '/helpers/fakeserver.inc';
$port = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$master = ['webmail-proxy', 'pw-webmail-proxy'];
$tls = ['tls' => 'implicit'] + sqauth_test_ssl();

function who(array $users): string {
    return implode(' ', array_map(fn($u) => sqauth_pool_connections($u), $users));
}

echo "-- the mechanism\n";
foreach (['auto', 'plain', 'scram-sha-256', 'digest-md5', 'cram-md5'] as $m) {
    try {
        $s = sqauth_imap_login('localhost', $port, ...[...$master, $tls + ['mechanism' => $m, 'authz' => 'proxied1']]);
        $r = sqauth_test_imap($s, 'N1', 'NAMESPACE');
        echo "$m: logged in with ", sqauth_stream_info($s)['mechanism'], ' as proxied1 (', trim(end($r)), ")\n";
        fclose($s);
    } catch (Throwable $e) {
        echo "$m: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
$log = file_get_contents(getenv('SQAUTH_DOVECOT_LOG'));
echo 'Dovecot: "Master user logging in as proxied1": ', substr_count($log, 'Master user logging in as proxied1') > 0 ? 'yes' : 'no', "\n";

// a server that offers no SCRAM: 'auto' with an authorization identity takes PLAIN, not CRAM-MD5
// (which cannot carry one); with nothing that can, it says so before sending anything
[$fport, $finish] = sqauth_fake_server([
    ['send', "* OK [CAPABILITY IMAP4rev1 AUTH=CRAM-MD5 AUTH=PLAIN] hi\r\n"],
    ['expect', '/^A1 AUTHENTICATE PLAIN\r\n$/'], ['send', "+ \r\n"], ['expect', '/^\S+\r\n$/'],
    ['send', "A1 OK [CAPABILITY IMAP4rev1] done\r\n"], ['read_all'],
]);
$s = sqauth_imap_login('127.0.0.1', $fport, 'webmail-proxy', 'secret', ['tls' => 'none', 'authz' => 'someone']);
echo 'CRAM-MD5 and PLAIN offered: ', sqauth_stream_info($s)['mechanism'], "\n";
fclose($s);
$sent = $finish();
preg_match('/^([A-Za-z0-9+\/=]+)\r?$/m', $sent, $m);
echo '  PLAIN message: ', json_encode(base64_decode($m[1] ?? '')), "\n";
[$fport, $finish] = sqauth_fake_server([
    ['send', "* OK [CAPABILITY IMAP4rev1 AUTH=CRAM-MD5 AUTH=LOGIN] hi\r\n"], ['read_all'],
]);
try {
    sqauth_imap_login('127.0.0.1', $fport, 'webmail-proxy', 'secret', ['tls' => 'none', 'authz' => 'someone']);
} catch (Sqauth\Exception $e) {
    echo 'CRAM-MD5 and LOGIN offered: ', get_class($e), ': ', preg_replace('/:\d+/', ':PORT', $e->getMessage()), "\n";
}
echo '  the server got: ', json_encode(trim(preg_replace('/STATUS: .*/', '', $finish()))), "\n";

echo "-- the pool, per user the session acts as\n";
$users = array_map(fn($i) => "proxied$i", range(1, 6));
$opt = $tls + ['persistent' => true];
foreach ($users as $u) {
    $s = sqauth_imap_login('localhost', $port, ...[...$master, $opt + ['authz' => $u]]);
    $i = sqauth_stream_info($s)['persistent'];
    echo "$u: ", $i['reused'] ? 'reused' : 'new login', ', ', $i['kept'] ? 'kept' : 'not kept', "\n";
    fclose($s);
}
echo 'Dovecot connections of proxied1..6: ', who($users), "\n";
echo 'of webmail-proxy itself: ', sqauth_pool_connections('webmail-proxy'), "\n";
// a later page of each user gets that user's connection, never another's
$base = array_map('sqauth_pool_logins', $users);
foreach ([3, 1, 6] as $n) {
    $s = sqauth_imap_login('localhost', $port, ...[...$master, $opt + ['authz' => "proxied$n"]]);
    $r = sqauth_test_imap($s, 'W1', 'NAMESPACE');
    $i = sqauth_stream_info($s)['persistent'];
    echo "proxied$n again: ", $i['reused'] ? 'reused' : 'new login', "\n";
    fclose($s);
}
echo 'new Dovecot logins: ', array_sum(array_map('sqauth_pool_logins', $users)) - array_sum($base), "\n";
// the user logging in by itself (its own password) never gets the master user's connection for
// it; the one place of that user then holds the newer connection (the older one is logged out)
$s = sqauth_imap_login('localhost', $port, 'proxied2', 'pw-proxied2', $opt);
echo 'proxied2 logging in by itself: ', sqauth_stream_info($s)['persistent']['reused'] ? 'REUSED the proxy login' : 'new login', "\n";
fclose($s);
// sign-out of one user logs that user's connections out, not the others'
echo 'forget proxied4: ', sqauth_pool_forget('proxied4'), " connection(s)\n";
for ($i = 0; $i < 100 && sqauth_pool_connections('proxied4') > 0; $i++) {
    usleep(20000);
}
echo 'Dovecot connections of proxied1..6: ', who($users), "\n";
?>
--EXPECTF--
-- the mechanism
auto: logged in with PLAIN as proxied1 (N1 OK Namespace completed%s)
plain: logged in with PLAIN as proxied1 (N1 OK Namespace completed%s)
scram-sha-256: Sqauth\AuthenticationException: SCRAM-SHA-256 authentication failed: Authorization failed
digest-md5: Sqauth\AuthenticationException: DIGEST-MD5 authentication failed: Authentication failed.
cram-md5: ValueError: CRAM-MD5 cannot carry an authorization identity
Dovecot: "Master user logging in as proxied1": yes
CRAM-MD5 and PLAIN offered: PLAIN
  PLAIN message: "someone\u0000webmail-proxy\u0000secret"
CRAM-MD5 and LOGIN offered: Sqauth\ProtocolException: 127.0.0.1:PORT offers no mechanism this client can use that carries an authorization identity (authz needs PLAIN, DIGEST-MD5 or SCRAM)
  the server got: ""
-- the pool, per user the session acts as
proxied1: new login, kept
proxied2: new login, kept
proxied3: new login, kept
proxied4: new login, kept
proxied5: new login, kept
proxied6: new login, kept
Dovecot connections of proxied1..6: 1 1 1 1 1 1
of webmail-proxy itself: 0
proxied3 again: reused
proxied1 again: reused
proxied6 again: reused
new Dovecot logins: 0
proxied2 logging in by itself: new login
forget proxied4: 1 connection(s)
Dovecot connections of proxied1..6: 1 1 1 0 1 1
