<?php
/*
 * A man in the middle for the DIGEST-MD5 security-layer tests:
 *   php tamperproxy.php UPSTREAM_PORT MODE
 * prints its port, relays one client to 127.0.0.1:UPSTREAM_PORT, and once
 * the IMAP login is over (the tagged OK that answers AUTHENTICATE) treats
 * the server's bytes as length-prefixed frames. MODE acts on the server's
 * FRAME-th frame after login (default 2): none | flip (one bit) | drop |
 * replay (sent twice) | truncate (half of it, then close) | stall (once the client has sent
 * 64 KB after the login, nothing is read from it for 3 seconds; FRAME unused).
 */
[$_, $upstream, $mode, $target] = $argv + [null, null, 'none', 2];
$target = (int) $target;
$srv = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
echo substr(strrchr(stream_socket_get_name($srv, false), ':'), 1), "\n";
fflush(STDOUT);
$c = stream_socket_accept($srv, 30);
$s = stream_socket_client("tcp://127.0.0.1:$upstream", $errno, $errstr, 5);
stream_set_blocking($c, false);
stream_set_blocking($s, false);
$authTag = null;
$framed = false;
$pending = '';   // server bytes not yet forwarded (line or frame assembly)
$frameNo = 0;
$stallUntil = null;
$clientBytes = 0;   // client bytes forwarded since the login
for (;;) {
    // 'stall': once the client has sent 64 KB after the login, read nothing from it for 3 seconds
    if ($mode === 'stall' && $stallUntil === null && $clientBytes > 65536) {
        $stallUntil = microtime(true) + 3;
    }
    $stalled = $stallUntil !== null && microtime(true) < $stallUntil;
    $r = $stalled ? [$s] : [$c, $s];
    $w = $e = null;
    $n = stream_select($r, $w, $e, $stalled ? 0 : 30, $stalled ? 100000 : 0);
    if ($n < 1) {
        if ($stalled) {
            continue;
        }
        break;
    }
    foreach ($r as $from) {
        $data = fread($from, 65536);
        if ($data === '' || $data === false) {
            if (feof($from)) {
                break 2;
            }
            continue;
        }
        if ($from === $c) {
            if ($authTag === null && preg_match('/^(\S+) AUTHENTICATE /m', $data, $m)) {
                $authTag = $m[1];
            }
            fwrite($s, $data);
            if ($framed) {
                $clientBytes += strlen($data);
            }
            continue;
        }
        $pending .= $data;
        while (!$framed) {
            $nl = strpos($pending, "\n");
            if ($nl === false) {
                break;
            }
            $line = substr($pending, 0, $nl + 1);
            $pending = substr($pending, $nl + 1);
            fwrite($c, $line);
            if ($authTag !== null && str_starts_with($line, "$authTag OK")) {
                $framed = true;
            }
        }
        while ($framed && strlen($pending) >= 4) {
            $len = unpack('N', $pending)[1];
            if (strlen($pending) < 4 + $len) {
                break;
            }
            $frame = substr($pending, 0, 4 + $len);
            $pending = substr($pending, 4 + $len);
            $frameNo++;
            if ($frameNo === $target) {
                switch ($mode) {
                    case 'flip':
                        $frame[10] = chr(ord($frame[10]) ^ 0x04);
                        break;
                    case 'drop':
                        continue 2;
                    case 'replay':
                        fwrite($c, $frame);
                        break;
                    case 'truncate':
                        fwrite($c, substr($frame, 0, intdiv(strlen($frame), 2)));
                        fclose($c);
                        exit(0);
                }
            }
            fwrite($c, $frame);
        }
    }
}
