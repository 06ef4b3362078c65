--TEST--
docs/oauth2.md: mail_login_with_token(), as the page prints it, against Dovecot's oauth2 passdb, called from inside a page's function: a valid token, one refused before its time (refreshed once), one about to expire (refreshed first), a refresh that gives a bad token, SMTP
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS', 'SQAUTH_DOVECOT_SUBMISSION', 'SQAUTH_OAUTH_DOC_TOKEN');
?>
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
require __DIR__ . '/helpers/oauth.inc';
preg_match_all('/```php\n(.*?)```/s', file_get_contents(dirname(__DIR__) . '/docs/oauth2.md'), $m);
$blocks = array_values(array_filter($m[1], fn($b) => str_contains($b, 'function mail_login_with_token(')));
echo count($blocks), " block defines mail_login_with_token()\n";
eval($blocks[0]);

/* A webmail page: its session's tokens, a refresh that counts its calls and hands out $next. */
function page(string $proto, int $port, string $tls, #[\SensitiveParameter] array $tokens, #[\SensitiveParameter] ?string $next): void
{
    $calls = 0;
    $refresh = function (#[\SensitiveParameter] array $t) use (&$calls, $next): array {
        $calls++;
        if ($next === null) {
            throw new RuntimeException('the provider refused the refresh token');
        }
        return ['access' => $next, 'expires' => time() + 3600, 'refresh' => $t['refresh']];
    };
    $before = $tokens['access'];
    $mark = sqauth_oauth_log_mark();
    try {
        $s = mail_login_with_token($proto, '127.0.0.1', $port, getenv('SQAUTH_OAUTH_USER'), $tokens, $refresh,
            ['tls' => $tls] + sqauth_test_ssl(['peer_name' => 'localhost']));
        $i = sqauth_stream_info($s);
        if ($proto === 'imap') {
            $r = sqauth_test_imap($s, 'a1', 'SELECT INBOX');
            $used = str_starts_with(end($r), 'a1 OK') ? 'SELECT OK' : 'SELECT failed';
        } else {
            fwrite($s, "MAIL FROM:<" . getenv('SQAUTH_OAUTH_USER') . ">\r\n");
            $used = 'MAIL FROM ' . substr(sqauth_test_smtp_reply($s), 0, 3);
        }
        fclose($s);
        $asked = sqauth_oauth_asked($before, $mark) !== 'not asked';
        echo "  logged in with {$i['mechanism']}, $used; refreshed $calls time(s); token in the session ",
            $tokens['access'] === $before ? 'unchanged' : 'replaced', '; the first token ', $asked ? 'was' : 'was not', " sent\n";
    } catch (Throwable $e) {
        $leak = sqauth_token_leaks(sqauth_exception_visible($e), [getenv('SQAUTH_OAUTH_DOC_TOKEN'), getenv('SQAUTH_OAUTH_DOC_TOKEN_EXPIRED'), $next]);
        echo '  ', get_class($e), ': ', $e->getMessage(),
            $e instanceof Sqauth\AuthenticationException ? ' [report ' . $e->getErrorReport() . ']' : '',
            "; refreshed $calls time(s)$leak\n";
    }
}

$imaps = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$valid = getenv('SQAUTH_OAUTH_DOC_TOKEN');
$expired = getenv('SQAUTH_OAUTH_DOC_TOKEN_EXPIRED');
echo "a valid token:\n";
page('imap', $imaps, 'implicit', ['access' => $valid, 'expires' => time() + 3000, 'refresh' => 'r1'], null);
echo "a token the server refuses although the session thinks it good (revoked, expired early):\n";
page('imap', $imaps, 'implicit', ['access' => $expired, 'expires' => time() + 3000, 'refresh' => 'r1'], $valid);
echo "a token about to expire (refreshed before the login):\n";
// a token no other page has sent: the endpoint's log must not show it at all
page('imap', $imaps, 'implicit', ['access' => 'ya29.about-to-expire-' . bin2hex(random_bytes(16)), 'expires' => time() + 10, 'refresh' => 'r1'], $valid);
echo "refused, and the refresh gives a token the server refuses too:\n";
page('imap', $imaps, 'implicit', ['access' => $expired, 'expires' => null, 'refresh' => 'r1'], 'ya29.not-issued-by-anyone');
echo "refused, and the provider refuses the refresh:\n";
page('imap', $imaps, 'implicit', ['access' => $expired, 'expires' => null, 'refresh' => 'r1'], null);
echo "refused, no refresh token:\n";
page('imap', $imaps, 'implicit', ['access' => $expired, 'expires' => null, 'refresh' => null], $valid);
echo "SMTP submission over STARTTLS, refused then refreshed:\n";
page('smtp', sqauth_test_port('SQAUTH_DOVECOT_SUBMISSION'), 'starttls', ['access' => $expired, 'expires' => null, 'refresh' => 'r1'], $valid);
?>
--EXPECT--
1 block defines mail_login_with_token()
a valid token:
  logged in with XOAUTH2, SELECT OK; refreshed 0 time(s); token in the session unchanged; the first token was sent
a token the server refuses although the session thinks it good (revoked, expired early):
  logged in with XOAUTH2, SELECT OK; refreshed 1 time(s); token in the session replaced; the first token was sent
a token about to expire (refreshed before the login):
  logged in with XOAUTH2, SELECT OK; refreshed 1 time(s); token in the session replaced; the first token was not sent
refused, and the refresh gives a token the server refuses too:
  Sqauth\AuthenticationException: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"}) [report {"status":"401","schemes":"bearer","scope":"mail"}]; refreshed 1 time(s)
refused, and the provider refuses the refresh:
  RuntimeException: the provider refused the refresh token; refreshed 1 time(s)
refused, no refresh token:
  Sqauth\AuthenticationException: XOAUTH2 authentication failed: Authentication failed. (the server's error report: {"status":"401","schemes":"bearer","scope":"mail"}) [report {"status":"401","schemes":"bearer","scope":"mail"}]; refreshed 0 time(s)
SMTP submission over STARTTLS, refused then refreshed:
  logged in with XOAUTH2, MAIL FROM 250; refreshed 1 time(s); token in the session replaced; the first token was sent
