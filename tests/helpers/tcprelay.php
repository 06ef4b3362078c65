<?php
/*
 * A TCP relay that puts a real server behind an address that is not loopback:
 *   php tcprelay.php BIND_ADDRESS UPSTREAM_PORT LOG
 * listens on a free port of BIND_ADDRESS (the host's side of the test network
 * namespace, tests/servers/netns), prints the port, relays each client in turn
 * to 127.0.0.1:UPSTREAM_PORT, and appends every byte a client sent to LOG, so
 * that a test can tell what crossed the non-loopback link. Exits when no
 * client came for 30 seconds or its standard input closes.
 */
[$_, $bind, $upstream, $logFile] = $argv;
$srv = stream_socket_server("tcp://$bind:0", $errno, $errstr);
if (!$srv) {
    fwrite(STDERR, "listen on $bind: $errstr\n");
    exit(2);
}
echo substr(strrchr(stream_socket_get_name($srv, false), ':'), 1), "\n";
fflush(STDOUT);
stream_set_blocking(STDIN, false);
for (;;) {
    $r = [$srv, STDIN];
    $w = $e = null;
    if (stream_select($r, $w, $e, 30) < 1) {
        exit(0);
    }
    if (in_array(STDIN, $r, true) && fread(STDIN, 1) === '' && feof(STDIN)) {
        exit(0);
    }
    if (!in_array($srv, $r, true)) {
        continue;
    }
    $c = @stream_socket_accept($srv, 1);
    $s = $c ? stream_socket_client("tcp://127.0.0.1:$upstream", $errno, $errstr, 5) : false;
    if (!$s) {
        $c && fclose($c);
        continue;
    }
    $log = fopen($logFile, 'ab');
    for ($open = true; $open;) {
        $r = [$c, $s];
        $w = $e = null;
        if (stream_select($r, $w, $e, 30) < 1) {
            break;
        }
        foreach ($r as $from) {
            $data = fread($from, 65536);
            if ($data === '' || $data === false) {
                $open = false;
                break;
            }
            if ($from === $c) {
                fwrite($log, $data);
                fwrite($s, $data);
            } else {
                fwrite($c, $data);
            }
        }
    }
    fclose($log);
    fclose($c);
    fclose($s);
}
