<?php
/**
 * Roundcube's IMAP client with its connection, TLS and login done by
 * sqauth_imap_login(); everything after the login is Roundcube's own code,
 * working on the stream sqauth hands back.
 *
 * The settings are the ones Roundcube passes (rcube_imap::connect()): ssl_mode
 * ('ssl' from ssl:// or imaps://, 'tls' from tls://), port, timeout,
 * socket_options (imap_conn_options: its 'ssl' key, PHP's ssl context options),
 * auth_type (imap_auth_type), auth_cid / auth_pw (imap_auth_cid / _pw: log in as
 * auth_cid for the user), plus the plugin's sqauth_imap_options.
 */
class rcube_sqauth_imap_generic extends rcube_imap_generic
{
    /** Roundcube's imap_auth_type => sqauth's mechanism ('IMAP' is the LOGIN command) */
    private const MECHANISMS = ['CHECK' => 'auto', 'IMAP' => 'login', 'LOGIN' => 'sasl-login', 'CRAM_MD5' => 'cram-md5'];

    /** [label, reason] of the last failure that was not a refused password */
    private $failure = null;

    public function failure(): ?array
    {
        return $this->failure;
    }

    public function connect($host, $user, #[\SensitiveParameter] $password, $options = [])
    {
        $this->set_prefs($options);
        $this->host = $host;
        $this->user = $user;
        $this->logged = false;
        $this->selected = null;
        $this->error = '';
        $this->errornum = self::ERROR_OK;
        $this->failure = null;

        if (empty($host)) {
            $this->setError(self::ERROR_BAD, 'Empty host');
            return false;
        }
        if (empty($user)) {
            $this->setError(self::ERROR_NO, 'Empty user');
            return false;
        }
        if (empty($password)) {
            $this->setError(self::ERROR_NO, 'Empty password');
            return false;
        }

        $port = empty($this->prefs['port']) ? 143 : (int) $this->prefs['port'];
        $sqauth = $this->sqauth_options();
        // proxy authentication: log in as auth_cid with its password, for $user
        $login = $user;
        $secret = $password;
        if (!empty($this->prefs['auth_cid'])) {
            $login = $this->prefs['auth_cid'];
            $secret = (string) ($this->prefs['auth_pw'] ?? '');
            $sqauth['authz'] = $user;
        }
        // Roundcube's OAuth login (its oauth_* settings) keeps "TOKEN_TYPE ACCESS_TOKEN" as the
        // password, which its own client puts after XOAUTH2's "auth="; sqauth takes the token
        // alone and writes "Bearer " itself
        if (in_array($sqauth['mechanism'], ['xoauth2', 'oauthbearer'], true) && preg_match('/^Bearer\s+(\S+)$/i', $secret, $m)) {
            $secret = $m[1];
        }
        if ($this->debug) {
            $this->resourceid = strtoupper(substr(md5(microtime() . $host . $this->user), 0, 4));
            $this->debug(sprintf('Connecting to %s:%d (sqauth, tls %s, mechanism %s)...', $host, $port, $sqauth['tls'], $sqauth['mechanism']));
        }

        try {
            $this->fp = sqauth_imap_login($host, $port, $login, $secret, $sqauth);
        } catch (Sqauth\AuthenticationException $e) {
            // the password (or the user) was refused: Roundcube's "Login failed."
            $this->setError(self::ERROR_NO, 'Authentication failed: ' . $e->getServerMessage());
            return false;
        } catch (Sqauth\TlsException $e) {
            return $this->sqauth_failed('tlsfailed', $e);
        } catch (Sqauth\ConnectionException $e) {
            // a wait that ran out (its phase is in the reason) is no server that cannot be reached
            return $this->sqauth_failed(str_contains($e->getMessage(), ' timed out (') ? 'timedout' : 'connfailed', $e);
        } catch (Sqauth\Exception $e) {
            return $this->sqauth_failed('protofailed', $e);
        } catch (ValueError | TypeError $e) {
            return $this->sqauth_failed('configfailed', $e);
        }

        if (!empty($this->prefs['timeout']) && $this->prefs['timeout'] > 0) {
            stream_set_timeout($this->fp, (int) $this->prefs['timeout']);
        }
        $info = sqauth_stream_info($this->fp);
        // the greeting's text without its response code, where Roundcube looks for the server's name
        $this->data['GREETING'] = trim((string) preg_replace('/^\* (?:OK|PREAUTH)\s*(?:\[[^\]]*\]\s*)?/i', '', $info['greeting']));
        // the capabilities after login, as the server sent them over the protected connection
        $this->parseCapability(implode(' ', $info['capabilities']), true);
        if ($this->debug) {
            $this->debug(sprintf('Logged in with %s%s%s', $info['mechanism'], $info['tls'] ? ' over ' . $info['tls']['version'] : '',
                !empty($info['persistent']['reused']) ? ' (a kept connection)' : ''));
        }
        if (!empty($this->prefs['force_caps'])) {
            $this->clearCapability();
        }
        $this->logged = true;
        $this->result = '';   // the login's own reply stays inside sqauth (Roundcube looks for a SESSIONID in it)
        if (!empty($this->prefs['ident']) && $this->getCapability('ID')) {
            $this->data['ID'] = $this->id($this->prefs['ident']);
        }
        return true;
    }

    /** A connection sqauth keeps ('persistent') goes back to its pool instead of LOGOUT. */
    public function closeConnection()
    {
        if ($this->fp && $this->logged && ($meta = stream_get_meta_data($this->fp)) && $meta['stream_type'] === 'sqauth') {
            $info = sqauth_stream_info($this->fp);
            if (!empty($info['persistent']['kept'])) {
                $this->closeSocket();
                $this->logged = false;
                return;
            }
        }
        parent::closeConnection();
    }

    /** sqauth_imap_login()'s options from Roundcube's settings and the plugin's. */
    private function sqauth_options(): array
    {
        $mode = $this->prefs['ssl_mode'] ?? null;
        $options = ['tls' => $mode === 'tls' ? 'starttls' : (empty($mode) ? 'none' : 'implicit')];
        $type = strtoupper((string) ($this->prefs['auth_type'] ?? 'CHECK'));
        $options['mechanism'] = self::MECHANISMS[$type] ?? strtolower($type);
        // Roundcube's imap_timeout, with its meaning: 0 (the default) is PHP's
        // default_socket_timeout, as Roundcube's own client waits (a server that delays
        // logins after failures, as Dovecot does for up to 15 s, is waited for)
        $timeout = (float) ($this->prefs['timeout'] ?? 0);
        if ($timeout <= 0) {
            $timeout = (float) ini_get('default_socket_timeout');
        }
        if ($timeout > 0) {
            $options['timeout'] = $timeout;
        }
        $ssl = $this->prefs['socket_options']['ssl'] ?? null;
        if (is_array($ssl)) {
            // every key with PHP's meaning, crypto_method and Roundcube's own example's
            // verify_depth included (sqauth never goes below TLS 1.2)
            $options['ssl'] = $ssl;
        }
        $more = rcube::get_instance()->config->get('sqauth_imap_options');
        if (is_array($more)) {
            $options = $more + $options;
        }
        // a kept connection serves one signed-in Roundcube session: the sign-in itself (no user in
        // the session yet; Roundcube gives the session its new id only after this login) logs in
        // for real and keeps nothing, so a password the server no longer takes is refused there
        if (session_id() !== '' && !empty($_SESSION['user_id'])) {
            $options['session_id'] = session_id();
        } else {
            $options['persistent'] = false;
        }
        return $options;
    }

    private function sqauth_failed(string $label, Throwable $e): bool
    {
        // sqauth's messages never carry the password
        $this->failure = [$label, $e->getMessage()];
        $this->setError(self::ERROR_BAD, $e->getMessage());
        return false;
    }
}
