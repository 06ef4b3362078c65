<?php
/*
 * sqauth example: a login form, then the number of messages in INBOX.
 *
 *   SQAUTH_WEBMAIL_HOST=mail.example.org php -d extension=sqauth -S 127.0.0.1:8080 -t examples/webmail
 *
 * Settings come from the environment (a real install would keep them in its
 * configuration): SQAUTH_WEBMAIL_HOST (default localhost),
 * SQAUTH_WEBMAIL_PORT (default 993), SQAUTH_WEBMAIL_TLS (implicit, the
 * default, or starttls), SQAUTH_WEBMAIL_CAFILE (default: the system's CAs),
 * SQAUTH_WEBMAIL_PERSISTENT=1 (keep the logged-in connection in the PHP
 * process for the next page of the same user: no login then).
 * The password is used for the login and nothing else: it is never echoed
 * back, logged or kept in the session.
 */
declare(strict_types=1);

function setting(string $name, string $default): string
{
    $v = getenv($name);
    return $v === false || $v === '' ? $default : $v;
}

function h(string $s): string
{
    return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

/** The number of messages in INBOX, from IMAP STATUS on a logged-in stream. */
function inbox_count($imap): int
{
    fwrite($imap, "s1 STATUS INBOX (MESSAGES)\r\n");
    $count = null;
    while (($line = fgets($imap)) !== false) {
        if (preg_match('/^\* STATUS .*\(MESSAGES (\d+)\)/i', $line, $m)) {
            $count = (int) $m[1];
        } elseif (str_starts_with($line, 's1 ')) {
            break;
        }
    }
    if ($count === null || !str_starts_with((string) $line, 's1 OK')) {
        throw new RuntimeException('the server did not report the INBOX size');
    }
    return $count;
}

$user = '';
$result = null;
$error = null;
if (!extension_loaded('sqauth')) {
    $error = 'The sqauth extension is not loaded (php -d extension=sqauth).';
} elseif ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $user = (string) ($_POST['user'] ?? '');
    $options = ['tls' => setting('SQAUTH_WEBMAIL_TLS', 'implicit')];
    if (($ca = setting('SQAUTH_WEBMAIL_CAFILE', '')) !== '') {
        $options['ssl'] = ['cafile' => $ca];
    }
    $persistent = setting('SQAUTH_WEBMAIL_PERSISTENT', '0') === '1';
    $options['persistent'] = $persistent;
    try {
        if ($user === '' || (string) ($_POST['password'] ?? '') === '') {
            throw new InvalidArgumentException('Please enter a user name and a password.');
        }
        $imap = sqauth_imap_login(setting('SQAUTH_WEBMAIL_HOST', 'localhost'), (int) setting('SQAUTH_WEBMAIL_PORT', '993'),
            $user, (string) $_POST['password'], $options);
        $info = sqauth_stream_info($imap);
        $result = ['count' => inbox_count($imap), 'mechanism' => $info['mechanism'],
            'tls' => $info['tls']['version'] ?? 'none', 'reused' => $info['persistent']['reused'] ?? false];
        if (!$persistent || empty($info['persistent']['kept'])) {
            fwrite($imap, "s2 LOGOUT\r\n");
        }
        fclose($imap);   // a kept connection goes back to sqauth's pool, still logged in
    } catch (Sqauth\AuthenticationException $e) {
        $error = 'Login failed: the server did not accept this user name and password.';
    } catch (Sqauth\TlsException $e) {
        $error = 'The mail server\'s certificate could not be verified: ' . $e->getMessage();
    } catch (Sqauth\Exception $e) {
        // connection, protocol and security problems: sqauth's messages never contain the password
        $error = 'The mail server could not be reached or misbehaved: ' . $e->getMessage();
    } catch (InvalidArgumentException | ValueError $e) {
        $error = $e->getMessage();
    } catch (RuntimeException $e) {
        $error = 'After login: ' . $e->getMessage();
    }
    unset($_POST['password']);
}
?>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sqauth webmail example</title>
<style>
body { font-family: sans-serif; max-width: 28em; margin: 3em auto; }
label { display: block; margin: .6em 0 .2em; }
.error { color: #a00; } .ok { color: #060; }
</style>
</head>
<body>
<h1>Webmail</h1>
<?php if ($result !== null): ?>
<p class="ok" id="result">Logged in as <?= h($user) ?>: INBOX has <strong id="count"><?= $result['count'] ?></strong>
message<?= $result['count'] === 1 ? '' : 's' ?>.</p>
<p><small>(<?= h($result['mechanism']) ?> over <?= h($result['tls']) ?>;
<span id="connection"><?= $result['reused'] ? 'a kept connection, no login' : 'a new login' ?></span>)</small></p>
<?php else: ?>
<?php if ($error !== null): ?>
<p class="error" id="error"><?= h($error) ?></p>
<?php endif ?>
<form method="post" action="">
<label for="user">User name</label>
<input id="user" name="user" value="<?= h($user) ?>" autocomplete="username">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<p><button type="submit" id="login">Log in</button></p>
</form>
<?php endif ?>
</body>
</html>
