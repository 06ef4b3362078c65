--TEST--
Token logins against Dovecot's oauth2 passdb (asking an RFC 7662 introspection endpoint): XOAUTH2 and OAUTHBEARER x IMAP and SMTP submission x STARTTLS and implicit TLS with a valid, an expired, an unknown and another user's token (and POP3); the error report; no token in any message or trace; 'auto' never picks a token mechanism; detect lists them; a token never crosses an unencrypted non-loopback link
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAP', 'SQAUTH_OAUTH_TOKEN', 'SQAUTH_OAUTH_LOG', 'SQAUTH_NETNS_LOCAL_ADDR');
?>
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/oauth.inc';
$user = getenv('SQAUTH_OAUTH_USER');
$tokens = [
    'valid' => getenv('SQAUTH_OAUTH_TOKEN'),
    'expired' => getenv('SQAUTH_OAUTH_TOKEN_EXPIRED'),
    'unknown' => 'ya29.' . rtrim(strtr(base64_encode(random_bytes(48)), '+/', '-_'), '='),
    "another user's" => getenv('SQAUTH_OAUTH_TOKEN_OTHER'),
];
$servers = [
    'IMAP starttls' => ['imap', 'SQAUTH_DOVECOT_IMAP', 'starttls'],
    'IMAP implicit' => ['imap', 'SQAUTH_DOVECOT_IMAPS', 'implicit'],
    'SMTP starttls' => ['smtp', 'SQAUTH_DOVECOT_SUBMISSION', 'starttls'],
    'SMTP implicit' => ['smtp', 'SQAUTH_DOVECOT_SUBMISSIONS', 'implicit'],
];

/* The login is made in a function so that the trace has a frame with the token in its arguments,
 * marked as a webmail must mark it. */
function login(string $proto, string $host, int $port, string $user, #[\SensitiveParameter] string $token, array $opt)
{
    $f = "sqauth_{$proto}_login";
    return $f($host, $port, $user, $token, $opt + sqauth_test_ssl(['peer_name' => 'localhost']));
}

function use_stream(string $proto, $s, bool $logout = true): string
{
    if ($proto === 'imap') {
        $r = sqauth_test_imap($s, 'a1', 'SELECT INBOX');
        $ok = 'SELECT INBOX ' . (str_starts_with(end($r), 'a1 OK') ? 'OK' : trim(end($r)));
        if ($logout) {
            sqauth_test_imap($s, 'a2', 'LOGOUT');
        }
        return $ok;
    }
    $tag = 'sqauth-token-' . bin2hex(random_bytes(6));
    $GLOBALS['tags'][] = $tag;
    $codes = [];
    foreach (['MAIL FROM:<' . $GLOBALS['user'] . '>', 'RCPT TO:<someone@example.net>', 'DATA'] as $cmd) {
        fwrite($s, "$cmd\r\n");
        $codes[] = substr(sqauth_test_smtp_reply($s), 0, 3);
    }
    fwrite($s, "Subject: $tag\r\n\r\nSent after a token login.\r\n.\r\n");
    $codes[] = substr(sqauth_test_smtp_reply($s), 0, 3);
    fwrite($s, "QUIT\r\n");
    sqauth_test_smtp_reply($s);
    return 'MAIL RCPT DATA message: ' . implode(' ', $codes);
}

function refusal(Throwable $e, int $port): string
{
    $msg = str_replace(":$port", ':PORT', $e->getMessage());
    if (!$e instanceof Sqauth\AuthenticationException) {
        return get_class($e) . ": $msg";
    }
    return "refused [{$e->getResponseCode()}] \"{$e->getServerMessage()}\" report {$e->getErrorReport()}\n    message: $msg";
}

// control: a wrapper that does not mark its parameter shows the token in its trace, and sqauth_token_leaks() sees it
function unmarked_login(string $token)
{
    return sqauth_imap_login('127.0.0.1', sqauth_test_port('SQAUTH_DOVECOT_IMAPS'), $GLOBALS['user'], $token,
        ['tls' => 'implicit', 'mechanism' => 'oauthbearer'] + sqauth_test_ssl());
}
try {
    unmarked_login($tokens['unknown']);
} catch (Sqauth\AuthenticationException $e) {
    echo 'control, a wrapper without #[\SensitiveParameter]:', sqauth_token_leaks(sqauth_exception_visible($e), $tokens) ?: ' no leak seen', "\n";
}

echo "== the matrix\n";
$tags = [];
foreach ($servers as $label => [$proto, $var, $tls]) {
    $port = sqauth_test_port($var);
    foreach (['XOAUTH2', 'OAUTHBEARER'] as $mech) {
        foreach ($tokens as $kind => $token) {
            $from = sqauth_oauth_log_mark();
            try {
                $s = login($proto, '127.0.0.1', $port, $user, $token, ['tls' => $tls, 'mechanism' => strtolower($mech)]);
                $i = sqauth_stream_info($s);
                $out = "logged in ({$i['mechanism']}, TLS {$i['tls']['version']}), " . use_stream($proto, $s)
                    . sqauth_token_leaks(print_r($i, true) . print_r(stream_get_meta_data($s), true), $tokens);
                fclose($s);
            } catch (Throwable $e) {
                $out = refusal($e, $port) . sqauth_token_leaks(sqauth_exception_visible($e), $tokens);
            }
            echo "$label $mech $kind: $out\n    introspection: ", sqauth_oauth_asked($token, $from), "\n";
        }
    }
}
for ($i = 0; $i < 50; $i++) {
    $mbox = (string) @file_get_contents(getenv('SQAUTH_RELAY_MBOX'));
    if (count(array_filter($tags, fn($t) => str_contains($mbox, $t))) === count($tags)) {
        break;
    }
    usleep(100000);
}
echo 'messages relayed: ', count(array_filter($tags, fn($t) => str_contains($mbox, $t))), ' of ', count($tags), "\n";

echo "== POP3 (AUTH, as Google documents XOAUTH2 for POP too)\n";
foreach (['starttls' => 'SQAUTH_DOVECOT_POP3', 'implicit' => 'SQAUTH_DOVECOT_POP3S'] as $tls => $var) {
    $port = sqauth_test_port($var);
    foreach (['XOAUTH2', 'OAUTHBEARER'] as $mech) {
        foreach (['valid', 'expired'] as $kind) {
            try {
                $s = sqauth_pop3_login('127.0.0.1', $port, $user, $tokens[$kind], ['tls' => $tls, 'mechanism' => strtolower($mech)] + sqauth_test_ssl());
                fwrite($s, "STAT\r\n");
                $out = 'logged in (' . sqauth_stream_info($s)['mechanism'] . '), STAT ' . strtok((string) fgets($s), ' ');
                fclose($s);
            } catch (Throwable $e) {
                $out = refusal($e, $port) . sqauth_token_leaks(sqauth_exception_visible($e), $tokens);
            }
            echo "POP3 $tls $mech $kind: $out\n";
        }
    }
}

echo "== 'auto' with a token as the password (Dovecot offers XOAUTH2 and OAUTHBEARER too)\n";
foreach (['IMAP starttls', 'SMTP implicit'] as $label) {
    [$proto, $var, $tls] = $servers[$label];
    $port = sqauth_test_port($var);
    $from = sqauth_oauth_log_mark();
    try {
        login($proto, '127.0.0.1', $port, $user, $tokens['valid'], ['tls' => $tls]);
        echo "$label: LOGGED IN\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ': ', str_replace(":$port", ':PORT', $e->getMessage()), sqauth_token_leaks(sqauth_exception_visible($e), $tokens), "\n";
    }
    echo '    introspection: ', sqauth_oauth_asked($tokens['valid'], $from), "\n";
}

echo "== detect\n";
foreach ($servers as $label => [$proto, $var, $tls]) {
    $d = sqauth_detect($proto, '127.0.0.1', sqauth_test_port($var), ['tls' => $tls] + sqauth_test_ssl());
    echo "$label: ", implode(' ', $d['mechanisms']), "\n";
}

echo "== a token kept in the pool is matched by its value\n";
$port = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
foreach (['valid', 'valid', 'expired'] as $kind) {
    $from = sqauth_oauth_log_mark();
    try {
        $s = login('imap', '127.0.0.1', $port, $user, $tokens[$kind], ['tls' => 'implicit', 'mechanism' => 'xoauth2', 'persistent' => true]);
        $p = sqauth_stream_info($s)['persistent'];
        echo "$kind: logged in, reused=", var_export($p['reused'], true), ', ', use_stream('imap', $s, false) === 'SELECT INBOX OK' ? 'works' : 'BROKEN', "\n";
        fclose($s);
    } catch (Throwable $e) {
        echo "$kind: ", refusal($e, $port), sqauth_token_leaks(sqauth_exception_visible($e), $tokens), "\n";
    }
    echo '    introspection: ', sqauth_oauth_asked($tokens[$kind], $from), "\n";
}

echo "== over a link that is not loopback (this machine's end of the test network link, relayed to Dovecot)\n";
$addr = getenv('SQAUTH_NETNS_LOCAL_ADDR');
foreach (['IMAP starttls', 'SMTP starttls'] as $label) {
    [$proto, $var] = $servers[$label];
    $log = tempnam(sys_get_temp_dir(), 'sqauth-relay-');
    $relay = proc_open([PHP_BINARY, '-n', '-d', 'pcre.jit=0', __DIR__ . '/helpers/tcprelay.php', $addr, (string) sqauth_test_port($var), $log],
        [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $rport = (int) fgets($pipes[1]);
    $cases = [
        ['none', 'xoauth2', false], ['none', 'oauthbearer', true], ['starttls', 'xoauth2', false], ['starttls', 'oauthbearer', false],
    ];
    foreach ($cases as [$tls, $mech, $allow]) {
        $what = "$label via $addr: tls $tls, $mech" . ($allow ? ', allow_plaintext' : '');
        $before = strlen((string) file_get_contents($log));
        $from = sqauth_oauth_log_mark();
        try {
            $s = login($proto, $addr, $rport, $user, $tokens['valid'], ['tls' => $tls, 'mechanism' => $mech, 'allow_plaintext' => $allow]);
            $out = 'logged in (' . sqauth_stream_info($s)['mechanism'] . '), ' . use_stream($proto, $s);
            fclose($s);
        } catch (Throwable $e) {
            $out = get_class($e) . ': ' . str_replace([$addr, ":$rport"], ['ADDR', ':PORT'], $e->getMessage()) . sqauth_token_leaks(sqauth_exception_visible($e), $tokens);
        }
        usleep(200000);
        $sent = substr((string) file_get_contents($log), $before);
        echo str_replace($addr, 'ADDR', $what), ": $out\n    the link carried: ",
            preg_match('/AUTH(ENTICATE)? (XOAUTH2|OAUTHBEARER)/i', $sent) ? 'a token command in clear' : 'no token command in clear',
            sqauth_token_leaks($sent, $tokens) ? ', THE TOKEN' : ', not the token', "; introspection: ", sqauth_oauth_asked($tokens['valid'], $from), "\n";
    }
    fclose($pipes[0]);
    proc_close($relay);
    @unlink($log);
}
?>
--EXPECT--
control, a wrapper without #[\SensitiveParameter]: TOKEN LEAKED
== the matrix
IMAP starttls XOAUTH2 valid: logged in (XOAUTH2, TLS TLSv1.3), SELECT INBOX OK
    introspection: oauth@sqauth.test -> active
IMAP starttls XOAUTH2 expired: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: expired -> inactive
IMAP starttls XOAUTH2 unknown: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: unknown -> inactive
IMAP starttls XOAUTH2 another user's: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: oauth-other@sqauth.test -> active
IMAP starttls OAUTHBEARER valid: logged in (OAUTHBEARER, TLS TLSv1.3), SELECT INBOX OK
    introspection: oauth@sqauth.test -> active
IMAP starttls OAUTHBEARER expired: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: expired -> inactive
IMAP starttls OAUTHBEARER unknown: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: unknown -> inactive
IMAP starttls OAUTHBEARER another user's: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: oauth-other@sqauth.test -> active
IMAP implicit XOAUTH2 valid: logged in (XOAUTH2, TLS TLSv1.3), SELECT INBOX OK
    introspection: oauth@sqauth.test -> active
IMAP implicit XOAUTH2 expired: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: expired -> inactive
IMAP implicit XOAUTH2 unknown: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: unknown -> inactive
IMAP implicit XOAUTH2 another user's: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: oauth-other@sqauth.test -> active
IMAP implicit OAUTHBEARER valid: logged in (OAUTHBEARER, TLS TLSv1.3), SELECT INBOX OK
    introspection: oauth@sqauth.test -> active
IMAP implicit OAUTHBEARER expired: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: expired -> inactive
IMAP implicit OAUTHBEARER unknown: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: unknown -> inactive
IMAP implicit OAUTHBEARER another user's: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: oauth-other@sqauth.test -> active
SMTP starttls XOAUTH2 valid: logged in (XOAUTH2, TLS TLSv1.3), MAIL RCPT DATA message: 250 250 354 250
    introspection: oauth@sqauth.test -> active
SMTP starttls XOAUTH2 expired: refused [535 5.7.8] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: expired -> inactive
SMTP starttls XOAUTH2 unknown: refused [535 5.7.8] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: unknown -> inactive
SMTP starttls XOAUTH2 another user's: refused [535 5.7.8] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: oauth-other@sqauth.test -> active
SMTP starttls OAUTHBEARER valid: logged in (OAUTHBEARER, TLS TLSv1.3), MAIL RCPT DATA message: 250 250 354 250
    introspection: oauth@sqauth.test -> active
SMTP starttls OAUTHBEARER expired: refused [535 5.7.8] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: expired -> inactive
SMTP starttls OAUTHBEARER unknown: refused [535 5.7.8] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: unknown -> inactive
SMTP starttls OAUTHBEARER another user's: refused [535 5.7.8] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: oauth-other@sqauth.test -> active
SMTP implicit XOAUTH2 valid: logged in (XOAUTH2, TLS TLSv1.3), MAIL RCPT DATA message: 250 250 354 250
    introspection: oauth@sqauth.test -> active
SMTP implicit XOAUTH2 expired: refused [535 5.7.8] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: expired -> inactive
SMTP implicit XOAUTH2 unknown: refused [535 5.7.8] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: unknown -> inactive
SMTP implicit XOAUTH2 another user's: refused [535 5.7.8] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: oauth-other@sqauth.test -> active
SMTP implicit OAUTHBEARER valid: logged in (OAUTHBEARER, TLS TLSv1.3), MAIL RCPT DATA message: 250 250 354 250
    introspection: oauth@sqauth.test -> active
SMTP implicit OAUTHBEARER expired: refused [535 5.7.8] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: expired -> inactive
SMTP implicit OAUTHBEARER unknown: refused [535 5.7.8] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: unknown -> inactive
SMTP implicit OAUTHBEARER another user's: refused [535 5.7.8] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
    introspection: oauth-other@sqauth.test -> active
messages relayed: 4 of 4
== POP3 (AUTH, as Google documents XOAUTH2 for POP too)
POP3 starttls XOAUTH2 valid: logged in (XOAUTH2), STAT +OK
POP3 starttls XOAUTH2 expired: refused [AUTH] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
POP3 starttls OAUTHBEARER valid: logged in (OAUTHBEARER), STAT +OK
POP3 starttls OAUTHBEARER expired: refused [AUTH] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
POP3 implicit XOAUTH2 valid: logged in (XOAUTH2), STAT +OK
POP3 implicit XOAUTH2 expired: refused [AUTH] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
POP3 implicit OAUTHBEARER valid: logged in (OAUTHBEARER), STAT +OK
POP3 implicit OAUTHBEARER expired: refused [AUTH] "Authentication failed." report {"status":"invalid_token"}
    message: OAUTHBEARER authentication failed: Authentication failed. (the server's error report: {"status":"invalid_token"})
== 'auto' with a token as the password (Dovecot offers XOAUTH2 and OAUTHBEARER too)
IMAP starttls: Sqauth\AuthenticationException: SCRAM-SHA-256 authentication failed: Authentication failed.
    introspection: not asked
SMTP implicit: Sqauth\AuthenticationException: SCRAM-SHA-256 authentication failed: Authentication failed.
    introspection: not asked
== detect
IMAP starttls: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
IMAP implicit: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
SMTP starttls: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
SMTP implicit: PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER
== a token kept in the pool is matched by its value
valid: logged in, reused=false, works
    introspection: oauth@sqauth.test -> active
valid: logged in, reused=true, works
    introspection: not asked
expired: refused [AUTHENTICATIONFAILED] "Authentication failed." report {"status":"401","schemes":"bearer","scope":"mail"}
    message: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"})
    introspection: expired -> inactive
== over a link that is not loopback (this machine's end of the test network link, relayed to Dovecot)
IMAP starttls via ADDR: tls none, xoauth2: Sqauth\SecurityException: refusing to send a bearer token (XOAUTH2) over an unencrypted connection to ADDR (tokens need TLS; allow_plaintext does not cover them)
    the link carried: no token command in clear, not the token; introspection: not asked
IMAP starttls via ADDR: tls none, oauthbearer, allow_plaintext: Sqauth\SecurityException: refusing to send a bearer token (OAUTHBEARER) over an unencrypted connection to ADDR (tokens need TLS; allow_plaintext does not cover them)
    the link carried: no token command in clear, not the token; introspection: not asked
IMAP starttls via ADDR: tls starttls, xoauth2: logged in (XOAUTH2), SELECT INBOX OK
    the link carried: no token command in clear, not the token; introspection: oauth@sqauth.test -> active
IMAP starttls via ADDR: tls starttls, oauthbearer: logged in (OAUTHBEARER), SELECT INBOX OK
    the link carried: no token command in clear, not the token; introspection: oauth@sqauth.test -> active
SMTP starttls via ADDR: tls none, xoauth2: Sqauth\SecurityException: refusing to send a bearer token (XOAUTH2) over an unencrypted connection to ADDR (tokens need TLS; allow_plaintext does not cover them)
    the link carried: no token command in clear, not the token; introspection: not asked
SMTP starttls via ADDR: tls none, oauthbearer, allow_plaintext: Sqauth\SecurityException: refusing to send a bearer token (OAUTHBEARER) over an unencrypted connection to ADDR (tokens need TLS; allow_plaintext does not cover them)
    the link carried: no token command in clear, not the token; introspection: not asked
SMTP starttls via ADDR: tls starttls, xoauth2: logged in (XOAUTH2), MAIL RCPT DATA message: 250 250 354 250
    the link carried: no token command in clear, not the token; introspection: oauth@sqauth.test -> active
SMTP starttls via ADDR: tls starttls, oauthbearer: logged in (OAUTHBEARER), MAIL RCPT DATA message: 250 250 354 250
    the link carried: no token command in clear, not the token; introspection: oauth@sqauth.test -> active
