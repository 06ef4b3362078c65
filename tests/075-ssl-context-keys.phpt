--TEST--
Every key of PHP's ssl context a client uses, with PHP's meaning, side by side with stream_socket_client('tls://...'): verify_depth (Roundcube's own example sets 3), crypto_method, min/max_proto_version, no_ticket, disable_compression, alpn_protocols, capture_peer_cert(_chain); keys ssl:// does not know or uses only on servers are ignored as ssl:// ignores them
--EXTENSIONS--
sqauth
openssl
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_STUNNEL_IMAPS');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/fakeserver.inc';
$port = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$proxy = sqauth_test_port('SQAUTH_STUNNEL_IMAPS');   // stunnel resumes TLS sessions, Dovecot 2.3 as configured here does not
$ca = getenv('SQAUTH_TEST_CA');

/* PHP's ssl:// and sqauth with the same ssl array: accepted or refused, the TLS version */
function php_tls(array $ssl, int $port): array {
    $s = @stream_socket_client("tls://localhost:$port", $no, $str, 10, STREAM_CLIENT_CONNECT,
        stream_context_create(['ssl' => $ssl]));
    if (!$s) {
        return ['refused', null, null];
    }
    $meta = stream_get_meta_data($s);
    return ['accepted', $meta['crypto']['protocol'], $s];
}
function sqauth_tls(array $ssl, int $port): array {
    try {
        $s = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => 'implicit', 'ssl' => $ssl, 'timeout' => 20]);
    } catch (Sqauth\TlsException $e) {
        return ['refused', null, null, $e->getMessage()];
    } catch (ValueError $e) {
        return ['ValueError', null, null, $e->getMessage()];
    }
    return ['accepted', sqauth_stream_info($s)['tls']['version'], $s];
}
$cases = [
    "Roundcube's example: verify_depth 3" => ['verify_peer' => true, 'verify_depth' => 3],
    'verify_depth 0 (the CA is at depth 1)' => ['verify_depth' => 0],
    'verify_depth 1' => ['verify_depth' => 1],
    'verify_depth 0, verify_peer off' => ['verify_depth' => 0, 'verify_peer' => false],
    'crypto_method TLS 1.2' => ['crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT],
    'crypto_method TLS 1.3' => ['crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT],
    'crypto_method TLS 1.2 | 1.3' => ['crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT],
    'crypto_method any TLS' => ['crypto_method' => STREAM_CRYPTO_METHOD_TLS_CLIENT],
    'crypto_method TLS 1.0 | 1.2' => ['crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT],
    'min_proto_version TLS 1.3' => ['min_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_3],
    'max_proto_version TLS 1.2' => ['max_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_2],
    'crypto_method TLS 1.2, max_proto_version TLS 1.3' => ['crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT,
        'max_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_3],
    'no_ticket' => ['no_ticket' => true],
    'disable_compression off' => ['disable_compression' => false],
    'alpn_protocols imap (the server chooses none)' => ['alpn_protocols' => 'imap'],
    'security_level 2, ciphers' => ['security_level' => 2, 'ciphers' => 'HIGH:!aNULL'],
    'SNI_enabled off' => ['SNI_enabled' => false],
    'a key ssl:// does not know' => ['no_such_key' => 'whatever', 'verify_depth' => 5],
    "server-only keys" => ['honor_cipher_order' => true, 'ecdh_curve' => 'prime256v1', 'single_dh_use' => true,
        'reneg_limit' => 2, 'reneg_window' => 300, 'dh_param' => '/nonexistent', 'SNI_server_certs' => []],
];
$same = 0;
foreach ($cases as $label => $ssl) {
    $ssl += ['cafile' => $ca];
    [$p, $pv, $ps] = php_tls($ssl, $port);
    [$q, $qv, $qs] = sqauth_tls($ssl, $port);
    $ok = $p === $q && $pv === $qv;
    $same += $ok;
    echo "$label: ssl:// $p", $pv ? " $pv" : '', ", sqauth $q", $qv ? " $qv" : '', $ok ? '' : '  <-- DIFFERENT', "\n";
    if (is_resource($ps)) fclose($ps);
    if (is_resource($qs)) fclose($qs);
}
echo "the same in $same of ", count($cases), " cases\n";

// TLS 1.0 only: ssl:// tries it (and this OpenSSL's configuration refuses it); sqauth never
// speaks below TLS 1.2 and says so before connecting
$ssl = ['cafile' => $ca, 'crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT];
$q = sqauth_tls($ssl, $port);
echo 'crypto_method TLS 1.0 only: ssl:// ', php_tls($ssl, $port)[0], ', sqauth ', $q[0], ': ', $q[3] ?? '', "\n";

// capture_peer_cert and capture_peer_cert_chain: the same certificates in the stream's context
$ssl = ['cafile' => $ca, 'capture_peer_cert' => true, 'capture_peer_cert_chain' => true];
[, , $ps] = php_tls($ssl, $port);
[, , $qs] = sqauth_tls($ssl, $port);
$po = stream_context_get_options($ps)['ssl'];
$qo = stream_context_get_options($qs)['ssl'];
$fp = fn($c) => openssl_x509_fingerprint($c, 'sha256');
echo 'peer_certificate: ', get_class($qo['peer_certificate']), ', ', openssl_x509_parse($qo['peer_certificate'])['subject']['CN'],
    ', the same as ssl://: ', var_export($fp($po['peer_certificate']) === $fp($qo['peer_certificate']), true), "\n";
echo 'peer_certificate_chain: ', count($qo['peer_certificate_chain']), ' certificates, the same as ssl://: ',
    var_export(array_map($fp, $po['peer_certificate_chain']) === array_map($fp, $qo['peer_certificate_chain']), true), "\n";
fclose($ps);
fclose($qs);
// through stunnel, a second login resumes its TLS session: the certificates are still captured
fclose(sqauth_tls($ssl, $proxy)[2]);
$qs = sqauth_tls($ssl, $proxy)[2];
$qo = stream_context_get_options($qs)['ssl'];
echo 'resumed: ', var_export(sqauth_stream_info($qs)['tls']['resumed'], true), ', peer_certificate captured: ',
    var_export(isset($qo['peer_certificate']), true), ', chain: ', is_array($qo['peer_certificate_chain'] ?? null) ? count($qo['peer_certificate_chain']) : 'none', "\n";
fclose($qs);
// without capture, the stream has no certificate in its context (as ssl://)
[, , $qs] = sqauth_tls(['cafile' => $ca], $port);
echo 'no capture: ', var_export(stream_context_get_options($qs), true), "\n";
fclose($qs);

// no_ticket asks for no stateless session ticket (SSL_OP_NO_TICKET, as ssl:// sets it): a server
// with a session cache of its own, as stunnel has, still resumes; the logins work either way
$resumed = [];
foreach ([false, true] as $nt) {
    for ($i = 0; $i < 2; $i++) {
        $s = sqauth_tls(['cafile' => $ca, 'no_ticket' => $nt, 'verify_depth' => 4], $proxy)[2];
        $resumed[] = var_export(sqauth_stream_info($s)['tls']['resumed'], true);
        fclose($s);
    }
}
echo 'resumed, with tickets: ', $resumed[0], ', ', $resumed[1], '; no_ticket: ', $resumed[2], ', ', $resumed[3], "\n";

// ALPN against a server that chooses a protocol: both clients see the same one
$alpnServer = fn() => sqauth_fake_server([
    ['tls', 'server', false, 'pop3,imap'],
    ['send', "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\n"],
    ['expect', '/^A1 AUTHENTICATE PLAIN \S+\r\n$/'], ['send', "A1 OK done\r\n"],
    ['expect', '/^A2 CAPABILITY\r\n$/'], ['send', "* CAPABILITY IMAP4rev1\r\nA2 OK done\r\n"], ['read_all'],
]);
[$fport, $finish] = $alpnServer();
$s = stream_socket_client("tls://localhost:$fport", $no, $str, 10, STREAM_CLIENT_CONNECT,
    stream_context_create(['ssl' => ['cafile' => $ca, 'alpn_protocols' => 'imap']]));
echo 'ALPN, ssl://: ', stream_get_meta_data($s)['crypto']['alpn_protocol'] ?? 'none';
fclose($s);
$finish();
[$fport, $finish] = $alpnServer();
$s = sqauth_imap_login('localhost', $fport, 'tim', 'tanstaaf', ['tls' => 'implicit', 'mechanism' => 'plain',
    'ssl' => ['cafile' => $ca, 'alpn_protocols' => 'imap']]);
echo ', sqauth: ', sqauth_stream_info($s)['tls']['alpn_protocol'] ?? 'none', "\n";
fclose($s);
$finish();

// a wrong type or value for a key ssl:// knows is the caller's mistake, before any connection
foreach ([['verify_depth' => 'three'], ['verify_depth' => -1], ['alpn_protocols' => ''], ['alpn_protocols' => 'imap,,pop3'],
        ['alpn_protocols' => str_repeat('x', 256)], ['crypto_method' => '33'], ['capture_peer_cert' => 'yes'],
        ['no_ticket' => []], ['min_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_3, 'max_version' => '1.2']] as $ssl) {
    try {
        sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => 'implicit', 'ssl' => $ssl]);
        echo "accepted\n";
    } catch (TypeError|ValueError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
Roundcube's example: verify_depth 3: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
verify_depth 0 (the CA is at depth 1): ssl:// refused, sqauth refused
verify_depth 1: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
verify_depth 0, verify_peer off: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
crypto_method TLS 1.2: ssl:// accepted TLSv1.2, sqauth accepted TLSv1.2
crypto_method TLS 1.3: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
crypto_method TLS 1.2 | 1.3: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
crypto_method any TLS: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
crypto_method TLS 1.0 | 1.2: ssl:// accepted TLSv1.2, sqauth accepted TLSv1.2
min_proto_version TLS 1.3: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
max_proto_version TLS 1.2: ssl:// accepted TLSv1.2, sqauth accepted TLSv1.2
crypto_method TLS 1.2, max_proto_version TLS 1.3: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
no_ticket: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
disable_compression off: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
alpn_protocols imap (the server chooses none): ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
security_level 2, ciphers: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
SNI_enabled off: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
a key ssl:// does not know: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
server-only keys: ssl:// accepted TLSv1.3, sqauth accepted TLSv1.3
the same in 19 of 19 cases
crypto_method TLS 1.0 only: ssl:// refused, sqauth ValueError: sqauth_imap_login(): Argument #5 ($options) keys "ssl.crypto_method", "ssl.min_proto_version" and "ssl.max_proto_version" allow only TLS versions before 1.2, which sqauth does not speak
peer_certificate: OpenSSLCertificate, localhost, the same as ssl://: true
peer_certificate_chain: %d certificates, the same as ssl://: true
resumed: true, peer_certificate captured: true, chain: 1
no capture: array (
)
resumed, with tickets: false, true; no_ticket: false, true
ALPN, ssl://: imap, sqauth: imap
TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl.verify_depth" must be of type int, string given
ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.verify_depth" must be 0 or more
ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.alpn_protocols" must be protocol names of 1 to 255 bytes separated by commas
ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.alpn_protocols" must be protocol names of 1 to 255 bytes separated by commas
ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl.alpn_protocols" must be protocol names of 1 to 255 bytes separated by commas
TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl.crypto_method" must be of type int, string given
TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl.capture_peer_cert" must be of type bool, string given
TypeError: sqauth_imap_login(): Argument #5 ($options) key "ssl.no_ticket" must be of type bool, array given
ValueError: sqauth_imap_login(): Argument #5 ($options) key "ssl" allows no TLS version: its version keys contradict each other
