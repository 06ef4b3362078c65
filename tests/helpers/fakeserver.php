<?php
/*
 * A scripted server for behaviour no real server shows. Run as
 *   php fakeserver.php SCRIPT.json LOG CERTDIR [BIND_ADDRESS]
 * It listens on a free port of BIND_ADDRESS (127.0.0.1), prints the port, serves one client
 * with the script's steps, records what the client sent in LOG, and exits.
 * Steps: ["send", text] | ["expect", regex] (one line, else it fails) |
 * ["tls", certname?, tls10?, alpn?] (server handshake with CERTDIR/certname.pem,
 * "server" by default; tls10 offers TLS 1.0 only; alpn: the protocols it may choose from) | ["sleep", seconds] |
 * ["close"] | ["abort"] (TCP closed without TLS close_notify) | ["read_all"] (until the client closes) |
 * ["quiet", seconds] (fails if the client sends anything within that time:
 * proof that it waits for an answer instead of sending ahead) |
 * ["scram_first", prefix, suffix] (answers the SCRAM client-first in the
 * last line received: prefix . base64("r=" client-nonce "srv,s=...,i=4096")) |
 * ["scram_iter", count] (the same with that iteration count, then CRLF) |
 * ["tagged", text] (the tag of the last command received, a space, then text).
 */
[$_, $scriptFile, $logFile, $certDir, $bind] = $argv + [null, null, null, null, '127.0.0.1'];
$steps = json_decode(file_get_contents($scriptFile), true, 512, JSON_THROW_ON_ERROR);
$ctx = stream_context_create(['ssl' => [
    'local_cert' => "$certDir/server.pem", 'local_pk' => "$certDir/server.key",
    'verify_peer' => false, 'crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_SERVER | STREAM_CRYPTO_METHOD_TLSv1_3_SERVER,
]]);
$srv = stream_socket_server("tcp://$bind:0", $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
if (!$srv) {
    fwrite(STDERR, "listen: $errstr\n");
    exit(2);
}
echo substr(strrchr(stream_socket_get_name($srv, false), ':'), 1), "\n";
fflush(STDOUT);
$c = @stream_socket_accept($srv, 30);
if (!$c) {
    exit(3);
}
$log = fopen($logFile, 'w');
$status = 'done';
$last = $lastTag = '';
foreach ($steps as $i => $step) {
    switch ($step[0]) {
        case 'send':
            fwrite($c, $step[1]);
            break;
        case 'expect':
            $line = fgets($c);
            fwrite($log, $line === false ? "<EOF>\n" : $line);
            $last = (string) $line;
            if (preg_match('/^([A-Za-z0-9.]+) /', $last, $m)) {
                $lastTag = $m[1];
            }
            if ($line === false || !preg_match($step[1], $line)) {
                $status = "step $i: expected $step[1], got " . var_export($line, true);
                break 2;
            }
            break;
        case 'tls':
            $name = $step[1] ?? 'server';
            stream_context_set_option($c, 'ssl', 'local_cert', "$certDir/$name.pem");
            stream_context_set_option($c, 'ssl', 'local_pk', "$certDir/$name.key");
            $method = STREAM_CRYPTO_METHOD_TLSv1_2_SERVER | STREAM_CRYPTO_METHOD_TLSv1_3_SERVER;
            if (!empty($step[3])) {
                stream_context_set_option($c, 'ssl', 'alpn_protocols', $step[3]);
            }
            if (!empty($step[2])) {
                stream_context_set_option($c, 'ssl', 'security_level', 0);
                stream_context_set_option($c, 'ssl', 'ciphers', 'DEFAULT:@SECLEVEL=0');
                $method = STREAM_CRYPTO_METHOD_TLSv1_0_SERVER;
            }
            if (!@stream_socket_enable_crypto($c, true, $method)) {
                $status = "step $i: TLS handshake failed";
                break 2;
            }
            break;
        case 'scram_first':
        case 'scram_iter':
            $b64 = preg_replace('/^(\S+ AUTHENTICATE \S+ |AUTH \S+ )/', '', trim($last));
            preg_match('/r=([^,]+)/', (string) base64_decode($b64), $m);
            $iter = $step[0] === 'scram_iter' ? $step[1] : '4096';
            $msg = base64_encode('r=' . ($m[1] ?? '') . "srv,s=QSXCR+Q6sek8bf92,i=$iter");
            fwrite($c, $step[0] === 'scram_iter' ? "$msg\r\n" : $step[1] . $msg . $step[2]);
            break;
        case 'tagged':
            // the tag of the last line received, then the text (an answer to a tag the client chose)
            fwrite($c, $lastTag . ' ' . $step[1]);
            break;
        case 'sleep':
            usleep((int) ($step[1] * 1e6));
            break;
        case 'quiet':
            $r = [$c];
            $w = $e = null;
            $early = stream_get_meta_data($c)['unread_bytes'] > 0
                || stream_select($r, $w, $e, 0, (int) ($step[1] * 1e6)) > 0;
            if ($early) {
                $status = "step $i: the client sent something before the answer: " . var_export(fgets($c), true);
                break 2;
            }
            break;
        case 'close':
            fclose($c);
            $c = null;
            break 2;
        case 'abort':
            // the TCP connection ends without TLS's close_notify, as many IMAP servers end after BYE
            stream_socket_shutdown($c, STREAM_SHUT_RDWR);
            usleep(200000);
            break 2;
        case 'read_all':
            while (($line = fgets($c)) !== false) {
                fwrite($log, $line);
            }
            break;
    }
}
fwrite($log, "STATUS: $status\n");
fclose($log);
