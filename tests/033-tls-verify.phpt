--TEST--
TLS verification by default: untrusted CA, wrong host name, IP addresses, cafile, peer_name, fingerprint, self-signed, versions
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_IMAP', 'SQAUTH_STUNNEL_SELFSIGNED');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$imaps = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$imap = sqauth_test_port('SQAUTH_DOVECOT_IMAP');
$ca = getenv('SQAUTH_TEST_CA');
$leaf = file_get_contents(getenv('SQAUTH_TEST_CERTDIR') . '/server.pem');
$fp256 = openssl_x509_fingerprint($leaf, 'sha256');
function try_login(string $label, string $host, int $port, array $opt): void {
    try {
        $s = sqauth_imap_login($host, $port, 'tim', 'tanstaaf', $opt + ['session_cache' => false]);
        $i = sqauth_stream_info($s);
        echo "$label: logged in, ", $i['tls']['version'], ' verified=', var_export($i['tls']['verified'], true), "\n";
        fclose($s);
    } catch (Sqauth\Exception $e) {
        echo "$label: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
$implicit = ['tls' => 'implicit'];
try_login('system trust store only', '127.0.0.1', $imaps, $implicit);
try_login('system trust store only, STARTTLS', '127.0.0.1', $imap, ['tls' => 'starttls']);
try_login('cafile, host localhost', 'localhost', $imaps, $implicit + ['ssl' => ['cafile' => $ca]]);
try_login('cafile, host 127.0.0.1 (IP SAN)', '127.0.0.1', $imaps, $implicit + ['ssl' => ['cafile' => $ca]]);
try_login('cafile, wrong peer_name', '127.0.0.1', $imaps, $implicit + ['ssl' => ['cafile' => $ca, 'peer_name' => 'mail.example.com']]);
try_login('cafile, wrong name, verify_peer_name off', '127.0.0.1', $imaps, $implicit + ['ssl' => ['cafile' => $ca, 'peer_name' => 'mail.example.com', 'verify_peer_name' => false]]);
try_login('verify_peer off', '127.0.0.1', $imaps, $implicit + ['ssl' => ['verify_peer' => false]]);
try_login('allow_self_signed does not accept another CA', '127.0.0.1', $imaps, $implicit + ['ssl' => ['allow_self_signed' => true]]);
$self = sqauth_test_port('SQAUTH_STUNNEL_SELFSIGNED');
try_login('self-signed', 'localhost', $self, $implicit);
try_login('self-signed, allow_self_signed', 'localhost', $self, $implicit + ['ssl' => ['allow_self_signed' => true]]);
try_login('self-signed, allow_self_signed, wrong name', 'localhost', $self, $implicit + ['ssl' => ['allow_self_signed' => true, 'peer_name' => 'mail.example.com']]);
try_login('a capath that does not exist, and the cafile', 'localhost', $imaps, $implicit + ['ssl' => ['capath' => '/nonexistent-dir', 'cafile' => $ca]]);
try_login('peer_fingerprint sha256 match', 'localhost', $imaps, $implicit + ['ssl' => ['cafile' => $ca, 'peer_fingerprint' => $fp256]]);
try_login('peer_fingerprint mismatch', 'localhost', $imaps, $implicit + ['ssl' => ['cafile' => $ca, 'peer_fingerprint' => str_repeat('0', 64)]]);
try_login('peer_fingerprint [sha1 => ...]', 'localhost', $imaps, $implicit + ['ssl' => ['cafile' => $ca, 'peer_fingerprint' => ['sha1' => openssl_x509_fingerprint($leaf, 'sha1')]]]);
try_login('min_version 1.3', 'localhost', $imaps, $implicit + ['ssl' => ['cafile' => $ca, 'min_version' => '1.3']]);
try_login('max_version 1.2', 'localhost', $imaps, $implicit + ['ssl' => ['cafile' => $ca, 'max_version' => '1.2']]);
try_login('SquirrelMail $imap_stream_options', 'localhost', $imaps,
    ['tls' => 1, 'mechanism' => 'login'] + ['ssl' => ['cafile' => $ca, 'verify_peer' => true, 'verify_peer_name' => true, 'SNI_enabled' => true]]);
try_login("SquirrelMail '2' is STARTTLS", 'localhost', $imap, ['tls' => '2'] + ['ssl' => ['cafile' => $ca]]);

$s = sqauth_imap_login('localhost', $imaps, 'tim', 'tanstaaf', $implicit + ['ssl' => ['cafile' => $ca]]);
$t = sqauth_stream_info($s)['tls'];
echo 'tls: ', $t['version'], ' cipher=', $t['cipher'] !== '' ? 'yes' : 'no', ' verified=', var_export($t['verified'], true),
    ' subject=', $t['peer_certificate']['subject'], ' issuer=', $t['peer_certificate']['issuer'],
    ' fingerprint ok=', var_export(str_replace(':', '', $t['peer_certificate']['fingerprint_sha256']) === $fp256, true), "\n";
fclose($s);
// misuse of the ssl options
foreach ([['ssl' => ['verify_peer' => 'yes']], ['ssl' => ['verify_depth' => -1]], ['ssl' => ['min_version' => '1.1']],
          ['ssl' => ['peer_fingerprint' => 'abc']], ['ssl' => 'x'], ['tls' => 'maybe'], ['tls' => 3]] as $bad) {
    try {
        sqauth_imap_login('localhost', $imaps, 'tim', 'tanstaaf', $bad);
    } catch (Error $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
system trust store only: Sqauth\TlsException: TLS handshake with 127.0.0.1:%d failed: certificate verify failed: unable to get local issuer certificate
system trust store only, STARTTLS: Sqauth\TlsException: TLS handshake with 127.0.0.1:%d failed: certificate verify failed: unable to get local issuer certificate
cafile, host localhost: logged in, TLSv1.3 verified=true
cafile, host 127.0.0.1 (IP SAN): logged in, TLSv1.3 verified=true
cafile, wrong peer_name: Sqauth\TlsException: TLS handshake with 127.0.0.1:%d failed: certificate verify failed: hostname mismatch
cafile, wrong name, verify_peer_name off: logged in, TLSv1.3 verified=true
verify_peer off: logged in, TLSv1.3 verified=false
allow_self_signed does not accept another CA: Sqauth\TlsException: TLS handshake with 127.0.0.1:%d failed: certificate verify failed: unable to get local issuer certificate
self-signed: Sqauth\TlsException: TLS handshake with localhost:%d failed: certificate verify failed: self-signed certificate
self-signed, allow_self_signed: logged in, TLSv1.3 verified=false
self-signed, allow_self_signed, wrong name: Sqauth\TlsException: TLS handshake with localhost:%d failed: certificate verify failed: hostname mismatch
a capath that does not exist, and the cafile: logged in, TLSv1.3 verified=true
peer_fingerprint sha256 match: logged in, TLSv1.3 verified=true
peer_fingerprint mismatch: Sqauth\TlsException: TLS with localhost:%d failed: peer_fingerprint does not match
peer_fingerprint [sha1 => ...]: logged in, TLSv1.3 verified=true
min_version 1.3: logged in, TLSv1.3 verified=true
max_version 1.2: logged in, TLSv1.2 verified=true
SquirrelMail $imap_stream_options: logged in, TLSv1.3 verified=true
SquirrelMail '2' is STARTTLS: logged in, TLSv1.3 verified=true
tls: TLSv1.3 cipher=yes verified=true subject=CN=localhost issuer=CN=sqauth test CA fingerprint ok=true
TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl.verify_peer" must be of type bool, string given
ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.verify_depth" must be 0 or more
ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.min_version" must be '1.2' or '1.3'
ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.peer_fingerprint" must be 32, 40 or 64 hex digits
TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl" must be of type array, string given
ValueError: sqauth_imap_login(): Argument #5 ($options) key "tls" must be 'none', 'implicit', 'starttls', 0, 1 or 2
ValueError: sqauth_imap_login(): Argument #5 ($options) key "tls" must be 'none', 'implicit', 'starttls', 0, 1 or 2
