--TEST--
verify_peer, verify_peer_name, peer_name and allow_self_signed mean what they mean for PHP's ssl://: every combination, against a CA-signed and a self-signed server, with and without the CA, compared side by side with stream_socket_client('tls://...')
--EXTENSIONS--
sqauth
openssl
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_STUNNEL_SELFSIGNED');
?>
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
$servers = [
    'CA-signed, CA given' => [sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), ['cafile' => getenv('SQAUTH_TEST_CA')]],
    'CA-signed, CA not given' => [sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), ['cafile' => getenv('SQAUTH_TEST_CERTDIR') . '/selfsigned.pem']],
    'self-signed' => [sqauth_test_port('SQAUTH_STUNNEL_SELFSIGNED'), []],
];
$rows = $differ = 0;
$seen = [];
foreach ($servers as $label => [$port, $trust]) {
    foreach ([true, false] as $vp) {
        foreach ([true, false] as $vpn) {
            foreach ([null, 'localhost', 'mail.example.com'] as $pn) {
                foreach ([false, true] as $ass) {
                    $ssl = $trust + ['verify_peer' => $vp, 'verify_peer_name' => $vpn, 'allow_self_signed' => $ass]
                        + ($pn === null ? [] : ['peer_name' => $pn]);
                    $ctx = stream_context_create(['ssl' => $ssl]);
                    $s = @stream_socket_client("tls://localhost:$port", $no, $str, 10, STREAM_CLIENT_CONNECT, $ctx);
                    $php = $s ? 'accepted' : 'refused';
                    if ($s) {
                        fclose($s);
                    }
                    try {
                        $t = sqauth_imap_login('localhost', $port, 'tim', 'tanstaaf', ['tls' => 'implicit', 'ssl' => $ssl, 'session_cache' => false]);
                        $ours = 'accepted';
                        fclose($t);
                    } catch (Sqauth\TlsException $e) {
                        $ours = 'refused';
                    }
                    $rows++;
                    $what = sprintf('%s: verify_peer=%s verify_peer_name=%s peer_name=%s allow_self_signed=%s', $label,
                        var_export($vp, true), var_export($vpn, true), $pn ?? '(host)', var_export($ass, true));
                    if ($php !== $ours) {
                        $differ++;
                        echo "DIFFERS: $what: ssl:// $php, sqauth $ours\n";
                    }
                    $seen[$what] = $ours;
                }
            }
        }
    }
}
echo "$rows combinations, $differ differ from ssl://\n";
// the cases defect 4 was about, by name
foreach (['CA-signed, CA given: verify_peer=false verify_peer_name=true peer_name=mail.example.com allow_self_signed=false',
          'self-signed: verify_peer=false verify_peer_name=true peer_name=mail.example.com allow_self_signed=false',
          'self-signed: verify_peer=false verify_peer_name=true peer_name=(host) allow_self_signed=false',
          'self-signed: verify_peer=true verify_peer_name=true peer_name=(host) allow_self_signed=true',
          'CA-signed, CA not given: verify_peer=false verify_peer_name=false peer_name=mail.example.com allow_self_signed=false'] as $k) {
    echo "$k: $seen[$k]\n";
}
?>
--EXPECT--
72 combinations, 0 differ from ssl://
CA-signed, CA given: verify_peer=false verify_peer_name=true peer_name=mail.example.com allow_self_signed=false: refused
self-signed: verify_peer=false verify_peer_name=true peer_name=mail.example.com allow_self_signed=false: refused
self-signed: verify_peer=false verify_peer_name=true peer_name=(host) allow_self_signed=false: accepted
self-signed: verify_peer=true verify_peer_name=true peer_name=(host) allow_self_signed=true: accepted
CA-signed, CA not given: verify_peer=false verify_peer_name=false peer_name=mail.example.com allow_self_signed=false: accepted
