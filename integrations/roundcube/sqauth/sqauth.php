<?php
/**
 * sqauth for Roundcube: IMAP connection and login by the sqauth PHP extension.
 *
 * Enabling the plugin makes 'sqauth' the storage driver (rcube_sqauth, Roundcube's
 * IMAP storage with its connection and login done by sqauth_imap_login()); the
 * IMAP settings keep their names (imap_host with ssl:// or tls://, imap_auth_type,
 * imap_conn_options, imap_timeout, imap_auth_cid / imap_auth_pw), and a login that
 * fails for a reason other than the password shows that reason on the login page.
 *
 * It uses only the extension's PHP API and Roundcube's plugin and storage APIs.
 * SMTP stays with Roundcube's own client: Roundcube has no extension point that
 * lets a plugin make its SMTP connection.
 *
 * @license BSD-2-Clause (as sqauth)
 */
class sqauth extends rcube_plugin
{
    public $task = '.*';

    /** the IMAP settings the driver takes under Roundcube's own names (auth_type: storage_init()) */
    private const IMAP_SETTINGS = ['auth_cid', 'auth_pw', 'debug', 'force_caps', 'disabled_caps',
        'conn_options', 'timeout', 'cache'];

    public function init()
    {
        $rcmail = rcmail::get_instance();
        $this->load_config();
        if (!extension_loaded('sqauth')) {
            // Roundcube keeps working with its own IMAP client; the log says why, once a day
            // rather than on every request
            self::say_once_a_day($rcmail, 'sqauth plugin: the sqauth PHP extension is not loaded; IMAP logins use '
                . 'Roundcube\'s own client (install it, e.g. apt install php-sqauth, or remove the plugin)');
            return;
        }
        require_once __DIR__ . '/lib/rcube_sqauth_imap_generic.php';
        require_once __DIR__ . '/lib/rcube_sqauth.php';
        $driver = $rcmail->config->get('storage_driver', 'imap');
        if ($driver !== 'imap' && $driver !== 'sqauth') {
            return;   // another storage driver was chosen on purpose
        }
        $rcmail->config->set('storage_driver', 'sqauth');
        // Roundcube reads a driver's settings by its name ("{$driver}_auth_type", ...):
        // the imap_ ones apply unless an sqauth_ one is set
        foreach (self::IMAP_SETTINGS as $name) {
            if ($rcmail->config->get("sqauth_$name") === null && ($v = $rcmail->config->get("imap_$name")) !== null) {
                $rcmail->config->set("sqauth_$name", $v);
            }
        }
        $this->add_hook('storage_init', [$this, 'storage_init']);
        $this->add_hook('login_failed', [$this, 'login_failed']);
        // persistent logins: a kept connection serves one Roundcube session (the driver binds it
        // with session_id), is logged out in every worker when that session ends, and all of the
        // user's are when the password plugin changes the password
        $this->add_hook('session_destroy', [$this, 'session_destroy']);
        $this->add_hook('password_change', [$this, 'password_change']);
    }

    /** An error log line at most once a day (a stamp in Roundcube's temp_dir says when it was last written). */
    private static function say_once_a_day(rcmail $rcmail, string $message): void
    {
        $stamp = rtrim((string) $rcmail->config->get('temp_dir', sys_get_temp_dir()), '/') . '/sqauth-extension-missing';
        $last = @filemtime($stamp);
        if ($last !== false && $last > time() - 86400) {
            return;
        }
        @touch($stamp);
        rcube::raise_error(['code' => 500, 'file' => __FILE__, 'line' => __LINE__, 'message' => $message], true, false);
    }

    /** Sign-out (and a session that expired or was killed): its kept connections go, in every worker. */
    public function session_destroy($args)
    {
        // this request's own connection (a logout may expunge first) goes back to the pool now,
        // so that the forget below logs it out instead of it being kept at the request's end
        $rcmail = rcmail::get_instance();
        if ($rcmail->storage instanceof rcube_sqauth) {
            $rcmail->storage->close();
        }
        foreach ($this->login_names() as $name) {
            sqauth_pool_forget($name, session_id());
        }
        return $args;
    }

    /** A changed password: every kept connection of the user, whatever the session, goes. */
    public function password_change($args)
    {
        foreach ($this->login_names() as $name) {
            sqauth_pool_forget($name);
        }
        return $args;
    }

    /** The names this session's logins used: the user's, and imap_auth_cid's where it is set. */
    private function login_names(): array
    {
        $rcmail = rcmail::get_instance();
        $names = [(string) ($_SESSION['username'] ?? ''), (string) $rcmail->config->get('sqauth_auth_cid', '')];
        return array_values(array_unique(array_filter($names, 'strlen')));
    }

    /**
     * imap_auth_type as it is when the storage starts, not when the plugins did: Roundcube's OAuth
     * login (its oauth_* settings) sets XOAUTH2 in between. Later requests get the session's
     * token from Roundcube's OAuth handler, which serves the 'imap' driver only: the sqauth
     * driver, which is that driver, is served the same way.
     */
    public function storage_init($args)
    {
        if (($args['driver'] ?? null) !== 'sqauth') {
            return $args;
        }
        $rcmail = rcmail::get_instance();
        if ($rcmail->config->get('sqauth_auth_type') === null && ($type = $rcmail->config->get('imap_auth_type')) !== null) {
            $args['auth_type'] = $type;
        }
        if (isset($_SESSION['oauth_token']) && !empty($rcmail->oauth) && $rcmail->oauth->is_enabled()) {
            $args['driver'] = 'imap';
            $args = $rcmail->oauth->storage_init($args);
            $args['driver'] = 'sqauth';
        }
        return $args;
    }

    /**
     * The reason of a failed connection on the login page, under Roundcube's own message.
     * The reason holds the server's words (its greeting, refusal, capabilities, certificate
     * subject, token error report): it goes to show_message() as a variable of the plugin's
     * label, which Roundcube escapes for HTML (rcube::Q) before it fills the label in; a
     * finished text would be shown as HTML.
     */
    public function login_failed($args)
    {
        $rcmail = rcmail::get_instance();
        $storage = $rcmail->get_storage();
        if ($storage instanceof rcube_sqauth && ($reason = $storage->sqauth_failure()) !== null) {
            $this->add_texts('localization/');
            $rcmail->output->show_message('sqauth.' . $reason[0], 'error', ['reason' => self::plain_text($reason[1])]);
        }
        return $args;
    }

    /** A server's text for a page or a log line: printable characters only, at most 300 bytes. */
    public static function plain_text(string $text): string
    {
        $text = preg_replace('/[\x00-\x1f\x7f]+/', ' ', $text);
        if (!mb_check_encoding($text, 'UTF-8')) {
            $text = preg_replace('/[\x80-\xff]/', '?', $text);
        }
        $text = preg_replace('/[\x{80}-\x{9f}]/u', '?', $text);
        return strlen($text) > 300 ? mb_strcut($text, 0, 297, 'UTF-8') . '...' : $text;
    }
}
