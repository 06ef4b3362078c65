<?php
/**
 * The storage driver 'sqauth': Roundcube's IMAP storage, whose connection is
 * rcube_sqauth_imap_generic (logged in by sqauth_imap_login()).
 */
class rcube_sqauth extends rcube_imap
{
    public function __construct()
    {
        parent::__construct();
        $this->conn = new rcube_sqauth_imap_generic();
    }

    /**
     * Why the last connection failed, when it was not the password: [message label, reason], or null.
     */
    public function sqauth_failure(): ?array
    {
        return $this->conn instanceof rcube_sqauth_imap_generic ? $this->conn->failure() : null;
    }
}
