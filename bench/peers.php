<?php
/*
 * The clients bench/login.php compares, each logging in the way its own
 * documentation shows, behind one signature:
 *     login(array $c): mixed   (throws on failure)
 *     close(mixed $h): void    (drops the connection without a LOGOUT/QUIT,
 *                               so that only the login is counted)
 * $c: host, port, tls ('implicit' | 'starttls'), mech (LOGIN PLAIN CRAM-MD5
 * DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256), user, pass, ca (CA file).
 * For IMAP, LOGIN is the LOGIN command (SquirrelMail's 'login'); for SMTP it
 * is AUTH LOGIN. Every client verifies the server's certificate against ca.
 */
set_include_path('/usr/share/php' . PATH_SEPARATOR . get_include_path());

const BENCH_MECHS = ['LOGIN', 'PLAIN', 'CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'];

function bench_clients(string $proto): array
{
    $all = [
        'imap' => [
            'sqauth' => [BENCH_MECHS, 'sq_imap_login', 'sq_close'],
            'PHP ssl:// stream' => [BENCH_MECHS, 'php_imap_login', 'sq_close'],
            'Roundcube rcube_imap_generic' => [['LOGIN', 'PLAIN', 'CRAM-MD5', 'DIGEST-MD5'], 'rc_imap_login', 'rc_close'],
            'Horde Imap_Client' => [['LOGIN', 'PLAIN', 'CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-1'], 'horde_imap_login', 'horde_close'],
            'PHP ext/imap' => [['LOGIN', 'PLAIN', 'CRAM-MD5'], 'extimap_login', 'extimap_close'],
        ],
        'smtp' => [
            'sqauth' => [BENCH_MECHS, 'sq_smtp_login', 'sq_close'],
            'PHP ssl:// stream' => [BENCH_MECHS, 'php_smtp_login', 'sq_close'],
            'PHPMailer' => [['LOGIN', 'PLAIN', 'CRAM-MD5'], 'phpmailer_login', 'phpmailer_close'],
            'Net_SMTP' => [['LOGIN', 'PLAIN', 'CRAM-MD5', 'DIGEST-MD5'], 'netsmtp_login', 'netsmtp_close'],
        ],
    ];
    return $all[$proto];
}

/* Whether a client's library is installed here. */
function bench_client_available(string $name): bool
{
    return match ($name) {
        'sqauth' => extension_loaded('sqauth'),
        'PHP ssl:// stream' => extension_loaded('openssl'),
        'Roundcube rcube_imap_generic' => is_file(RCUBE_FILE) && (@include_once 'Auth/SASL.php'),
        'Horde Imap_Client' => (bool) stream_resolve_include_path('Horde/Imap/Client/Socket.php'),
        'PHP ext/imap' => function_exists('imap_open') || is_file(ini_get('extension_dir') . '/imap.so'),
        'PHPMailer' => is_file(PHPMAILER_DIR . '/SMTP.php'),
        'Net_SMTP' => (bool) stream_resolve_include_path('Net/SMTP.php'),
    };
}

/* ---- sqauth ---------------------------------------------------------- */

function sq_imap_login(array $c)
{
    // (session_cache: set by bench/login.php's resumption comparison only)
    return sqauth_imap_login($c['host'], $c['port'], $c['user'], $c['pass'],
        ['tls' => $c['tls'], 'mechanism' => strtolower($c['mech']), 'ssl' => ['cafile' => $c['ca']],
            'session_cache' => $c['session_cache'] ?? true]);
}

function sq_smtp_login(array $c)
{
    return sqauth_smtp_login($c['host'], $c['port'], $c['user'], $c['pass'],
        ['tls' => $c['tls'], 'mechanism' => strtolower($c['mech']), 'ssl' => ['cafile' => $c['ca']]]);
}

function sq_close($s): void
{
    fclose($s);
}

/* ---- PHP's own ssl:// streams driving the same dialogue -------------- */

function php_connect(array $c)
{
    $ctx = stream_context_create(['ssl' => ['cafile' => $c['ca'], 'verify_peer' => true, 'verify_peer_name' => true]]);
    $s = stream_socket_client(($c['tls'] === 'implicit' ? 'ssl' : 'tcp') . "://{$c['host']}:{$c['port']}",
        $errno, $errstr, 10, STREAM_CLIENT_CONNECT, $ctx);
    if (!$s) {
        throw new RuntimeException("connect: $errstr");
    }
    return $s;
}

function php_starttls($s): void
{
    if (!stream_socket_enable_crypto($s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT)) {
        throw new RuntimeException('STARTTLS handshake failed');
    }
}

/** Reads IMAP lines until the tagged one (or a continuation); returns [lines, last]. */
function php_imap_read($s, string $tag): array
{
    $lines = [];
    while (($l = fgets($s)) !== false) {
        $lines[] = $l;
        if (str_starts_with($l, "$tag ") || str_starts_with($l, '+')) {
            return [$lines, $l];
        }
    }
    throw new RuntimeException('IMAP connection closed');
}

function php_imap_login(array $c)
{
    $s = php_connect($c);
    $greeting = fgets($s);
    $caps = preg_match('/\[CAPABILITY ([^\]]*)\]/i', $greeting, $m) ? $m[1] : null;
    if ($c['tls'] === 'starttls') {
        fwrite($s, "s STARTTLS\r\n");
        [, $l] = php_imap_read($s, 's');
        if (!str_starts_with($l, 's OK')) {
            throw new RuntimeException('STARTTLS refused');
        }
        php_starttls($s);
        $caps = null; // capabilities are re-read over TLS
    }
    if ($caps === null) {
        fwrite($s, "c CAPABILITY\r\n");
        [$lines] = php_imap_read($s, 'c');
        $caps = preg_match('/^\* CAPABILITY (.*)$/mi', implode('', $lines), $m) ? trim($m[1]) : '';
    }
    $ir = stripos(" $caps ", ' SASL-IR ') !== false;
    $mech = $c['mech'];
    if ($mech === 'LOGIN') {
        fwrite($s, 'a LOGIN ' . imap_quote($c['user']) . ' ' . imap_quote($c['pass']) . "\r\n");
    } else {
        $sasl = new PhpSasl($mech, $c['user'], $c['pass'], 'imap', $c['host']);
        $first = $sasl->initial();
        fwrite($s, "a AUTHENTICATE $mech" . ($first !== null && $ir ? ' ' . base64_encode($first) : '') . "\r\n");
        if ($first !== null && !$ir) {
            php_imap_read($s, 'a');
            fwrite($s, base64_encode($first) . "\r\n");
        }
    }
    while (true) {
        [, $l] = php_imap_read($s, 'a');
        if ($l[0] !== '+') {
            break;
        }
        fwrite($s, base64_encode($sasl->step(base64_decode(trim(substr($l, 1))))) . "\r\n");
    }
    if (!str_starts_with($l, 'a OK')) {
        throw new RuntimeException('IMAP login refused');
    }
    if (isset($sasl) && !$sasl->done()) {
        throw new RuntimeException('the server was not authenticated');
    }
    return $s;
}

function imap_quote(string $v): string
{
    return '"' . addcslashes($v, '"\\') . '"';
}

/** Reads one SMTP reply; returns [code, text lines]. */
function php_smtp_read($s): array
{
    $text = [];
    while (($l = fgets($s)) !== false) {
        $text[] = substr(rtrim($l, "\r\n"), 4);
        if (strlen($l) < 4 || $l[3] !== '-') {
            return [(int) substr($l, 0, 3), $text];
        }
    }
    throw new RuntimeException('SMTP connection closed');
}

function php_smtp_login(array $c)
{
    $s = php_connect($c);
    php_smtp_read($s);
    fwrite($s, "EHLO localhost\r\n");
    [$code, $ehlo] = php_smtp_read($s);
    if ($c['tls'] === 'starttls') {
        fwrite($s, "STARTTLS\r\n");
        if (php_smtp_read($s)[0] !== 220) {
            throw new RuntimeException('STARTTLS refused');
        }
        php_starttls($s);
        fwrite($s, "EHLO localhost\r\n");
        [$code, $ehlo] = php_smtp_read($s);
    }
    if ($code !== 250) {
        throw new RuntimeException('EHLO refused');
    }
    $mech = $c['mech'];
    $sasl = new PhpSasl($mech, $c['user'], $c['pass'], 'smtp', $c['host']);
    $first = $sasl->initial();
    fwrite($s, "AUTH $mech" . ($first !== null ? ' ' . ($first === '' ? '=' : base64_encode($first)) : '') . "\r\n");
    while (true) {
        [$code, $text] = php_smtp_read($s);
        if ($code !== 334) {
            break;
        }
        fwrite($s, base64_encode($sasl->step(base64_decode($text[0]))) . "\r\n");
    }
    if ($code !== 235 || !$sasl->done()) {
        throw new RuntimeException("SMTP login refused ($code)");
    }
    return $s;
}

/**
 * The SASL arithmetic with PHP's built-ins (the same code as the floor in
 * bench/compute.php), client side, server authentication checked where the
 * mechanism has it.
 */
final class PhpSasl
{
    private int $n = 0;
    private bool $done = false;
    private string $cnonce = '';
    private string $bare = '';
    private string $expect = '';

    public function __construct(private string $mech, private string $user, private string $pass,
        private string $service, private string $host)
    {
    }

    public function initial(): ?string
    {
        switch ($this->mech) {
            case 'PLAIN':
                $this->done = true;
                return "\0{$this->user}\0{$this->pass}";
            case 'LOGIN':
                return $this->user;
            case 'SCRAM-SHA-1':
            case 'SCRAM-SHA-256':
                $this->cnonce = base64_encode(random_bytes(18));
                $this->bare = 'n=' . str_replace(['=', ','], ['=3D', '=2C'], $this->user) . ",r={$this->cnonce}";
                return "n,,{$this->bare}";
        }
        return null;
    }

    public function step(string $in): string
    {
        $this->n++;
        switch ($this->mech) {
            case 'LOGIN':
                $this->done = true;
                return $this->pass;
            case 'CRAM-MD5':
                $this->done = true;
                return "{$this->user} " . hash_hmac('md5', $in, $this->pass);
            case 'DIGEST-MD5':
                if ($this->n === 2) {
                    if (!hash_equals($this->expect, $in)) {
                        throw new RuntimeException('DIGEST-MD5: wrong rspauth');
                    }
                    $this->done = true;
                    return '';
                }
                preg_match('/realm="([^"]*)"/', $in, $r);
                preg_match('/nonce="([^"]*)"/', $in, $n);
                $realm = $r[1] ?? '';
                $cnonce = base64_encode(random_bytes(18));
                $uri = "{$this->service}/{$this->host}";
                $a1 = md5(md5("{$this->user}:$realm:{$this->pass}", true) . ":{$n[1]}:$cnonce");
                $resp = md5("$a1:{$n[1]}:00000001:$cnonce:auth:" . md5("AUTHENTICATE:$uri"));
                $this->expect = 'rspauth=' . md5("$a1:{$n[1]}:00000001:$cnonce:auth:" . md5(":$uri"));
                return "charset=utf-8,username=\"{$this->user}\"" . ($realm !== '' ? ",realm=\"$realm\"" : '')
                    . ",nonce=\"{$n[1]}\",nc=00000001,cnonce=\"$cnonce\",digest-uri=\"$uri\",response=$resp,qop=auth";
            case 'SCRAM-SHA-1':
            case 'SCRAM-SHA-256':
                $h = $this->mech === 'SCRAM-SHA-1' ? 'sha1' : 'sha256';
                if ($this->n === 2) {
                    if (!hash_equals($this->expect, $in)) {
                        throw new RuntimeException('SCRAM: wrong server signature');
                    }
                    $this->done = true;
                    return '';
                }
                $f = [];
                foreach (explode(',', $in) as $kv) {
                    $f[$kv[0]] = substr($kv, 2);
                }
                if (!str_starts_with($f['r'], $this->cnonce)) {
                    throw new RuntimeException('SCRAM: foreign nonce');
                }
                $salted = hash_pbkdf2($h, $this->pass, base64_decode($f['s']), (int) $f['i'], 0, true);
                $ck = hash_hmac($h, 'Client Key', $salted, true);
                $noProof = "c=biws,r={$f['r']}";
                $am = "{$this->bare},$in,$noProof";
                $proof = $ck ^ hash_hmac($h, $am, hash($h, $ck, true), true);
                $this->expect = 'v=' . base64_encode(hash_hmac($h, $am, hash_hmac($h, 'Server Key', $salted, true), true));
                return "$noProof,p=" . base64_encode($proof);
        }
        throw new RuntimeException("unexpected challenge for {$this->mech}");
    }

    public function done(): bool
    {
        return $this->done;
    }
}

/* ---- Roundcube: rcube_imap_generic (Debian roundcube-core) ---------- */

const RCUBE_FILE = '/usr/share/roundcube/program/lib/Roundcube/rcube_imap_generic.php';

function rc_imap_login(array $c)
{
    require_once RCUBE_FILE;
    require_once 'Auth/SASL.php'; // what Roundcube's DIGEST-MD5 uses
    $imap = new rcube_imap_generic();
    $ok = $imap->connect($c['host'], $c['user'], $c['pass'], [
        'port' => $c['port'],
        'ssl_mode' => $c['tls'] === 'implicit' ? 'ssl' : 'tls',
        'auth_type' => $c['mech'] === 'LOGIN' ? 'IMAP' : $c['mech'], // IMAP = the LOGIN command
        'socket_options' => ['ssl' => ['cafile' => $c['ca'], 'verify_peer' => true, 'verify_peer_name' => true]],
        'timeout' => 10,
    ]);
    if (!$ok) {
        throw new RuntimeException('Roundcube: ' . $imap->error);
    }
    return $imap;
}

function rc_close($imap): void
{
    // closeConnection() would send LOGOUT: drop the socket underneath
    (fn() => $this->closeSocket())->call($imap);
}

/* ---- Horde Imap_Client (Debian php-horde-imap-client) --------------- */

function horde_autoload(): void
{
    static $done = false;
    if (!$done) {
        spl_autoload_register(function ($cls) {
            $f = stream_resolve_include_path(str_replace(['\\', '_'], '/', $cls) . '.php');
            if ($f) {
                require_once $f;
            }
        });
        $done = true;
    }
}

function horde_imap_login(array $c)
{
    horde_autoload();
    $imap = new Horde_Imap_Client_Socket([
        'username' => $c['user'],
        'password' => $c['pass'],
        'hostspec' => $c['host'],
        'port' => $c['port'],
        'secure' => $c['tls'] === 'implicit' ? 'ssl' : 'tls',
        'context' => ['ssl' => ['cafile' => $c['ca'], 'verify_peer' => true, 'verify_peer_name' => true]],
        'timeout' => 10,
    ]);
    // Horde picks its own mechanism; this is how it is pinned to one
    $imap->_setInit('authmethod', $c['mech']);
    $imap->login();
    return $imap;
}

function horde_close($imap): void
{
    // Horde's destructor sends LOGOUT: close the socket underneath first
    $r = new ReflectionProperty($imap, '_connection');
    $conn = $r->getValue($imap);
    if ($conn) {
        $conn->close();
    }
}

/* ---- PHP's ext/imap (c-client, Debian php8.2-imap) ------------------- */

function extimap_login(array $c)
{
    // c-client verifies against OpenSSL's default paths, which SSL_CERT_FILE sets
    putenv('SSL_CERT_FILE=' . $c['ca']);
    $others = array_values(array_diff(['PLAIN', 'LOGIN', 'CRAM-MD5', 'GSSAPI', 'NTLM'], [$c['mech']]));
    if ($c['mech'] === 'LOGIN') {
        $others = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'GSSAPI', 'NTLM']; // no SASL: the LOGIN command
    }
    // plain /tls negotiates TLS 1.0 only (c-client 2007f), which Dovecot refuses:
    // /tls-sslv23 lets OpenSSL pick the version, as /ssl does
    $mbox = sprintf('{%s:%d/imap/%s/validate-cert}', $c['host'], $c['port'], $c['tls'] === 'implicit' ? 'ssl' : 'tls-sslv23');
    $h = @imap_open($mbox, $c['user'], $c['pass'], OP_HALFOPEN, 0, ['DISABLE_AUTHENTICATOR' => $others]);
    if (!$h) {
        $e = imap_errors();
        throw new RuntimeException('ext/imap: ' . ($e ? end($e) : 'failed'));
    }
    return $h;
}

function extimap_close($h): void
{
    // c-client sends LOGOUT on close; there is no way around it
    imap_close($h);
    imap_errors();
    imap_alerts();
}

/* ---- PHPMailer's SMTP class (Debian libphp-phpmailer) ----------------- */

const PHPMAILER_DIR = '/usr/share/php/libphp-phpmailer/src';

function phpmailer_login(array $c)
{
    require_once PHPMAILER_DIR . '/Exception.php';
    require_once PHPMAILER_DIR . '/SMTP.php';
    $smtp = new PHPMailer\PHPMailer\SMTP();
    $opts = ['ssl' => ['cafile' => $c['ca'], 'verify_peer' => true, 'verify_peer_name' => true]];
    $host = ($c['tls'] === 'implicit' ? 'ssl://' : '') . $c['host'];
    if (!$smtp->connect($host, $c['port'], 10, $opts) || !$smtp->hello('localhost')) {
        throw new RuntimeException('PHPMailer: connect');
    }
    if ($c['tls'] === 'starttls' && (!$smtp->startTLS() || !$smtp->hello('localhost'))) {
        throw new RuntimeException('PHPMailer: STARTTLS');
    }
    if (!$smtp->authenticate($c['user'], $c['pass'], $c['mech'])) {
        throw new RuntimeException('PHPMailer: ' . ($smtp->getError()['error'] ?? 'authentication failed'));
    }
    return $smtp;
}

function phpmailer_close($smtp): void
{
    $smtp->close();
}

/* ---- PEAR Net_SMTP (Debian php-net-smtp) ------------------------------ */

function netsmtp_login(array $c)
{
    require_once 'Net/SMTP.php';
    $host = ($c['tls'] === 'implicit' ? 'ssl://' : '') . $c['host'];
    $smtp = new Net_SMTP($host, $c['port'], 'localhost', false, 10,
        ['ssl' => ['cafile' => $c['ca'], 'verify_peer' => true, 'verify_peer_name' => true]]);
    if (PEAR::isError($e = $smtp->connect(10))) {
        throw new RuntimeException('Net_SMTP: ' . $e->getMessage());
    }
    if (PEAR::isError($e = $smtp->auth($c['user'], $c['pass'], $c['mech'], $c['tls'] === 'starttls'))) {
        throw new RuntimeException('Net_SMTP: ' . $e->getMessage());
    }
    return $smtp;
}

function netsmtp_close($smtp): void
{
    // disconnect() would send QUIT: drop the socket underneath
    (fn() => $this->socket->disconnect())->call($smtp);
}
