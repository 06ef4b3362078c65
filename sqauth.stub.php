<?php

/**
 * @generate-class-entries
 * @undocumentable
 */

namespace {
    /**
     * @var string
     * @cvalue PHP_SQAUTH_VERSION
     */
    const SQAUTH_VERSION = UNKNOWN;

    /** HMAC-MD5 of $data under $key as 16 raw bytes; an empty key gives plain MD5 (SquirrelMail semantics). */
    function sqauth_hmac_md5(string $data, #[\SensitiveParameter] string $key = ''): string {}

    /** base64("$username " . hex HMAC-MD5) . "\r\n" for a base64 challenge as received. */
    function sqauth_cram_md5_response(string $username, #[\SensitiveParameter] string $password, string $challenge): string {}

    function sqauth_digest_md5_parse_challenge(string $challenge): array {}

    /** base64(digest-response) . "\r\n" */
    function sqauth_digest_md5_response(
        string $username,
        #[\SensitiveParameter] string $password,
        string $challenge,
        string $service,
        string $host,
        string $authz = '',
        array $options = []
    ): string {}

    function sqauth_digest_md5_verify(
        string $username,
        #[\SensitiveParameter] string $password,
        string $challenge,
        string $response,
        string $rspauth
    ): bool {}

    /**
     * Logs in to an IMAP server; returns a stream positioned after the tagged OK.
     * @return resource
     */
    function sqauth_imap_login(string $host, int $port, string $username, #[\SensitiveParameter] string $password, #[\SensitiveParameter] array $options = []) {}

    /**
     * Logs in to an SMTP submission server; the stream is ready for MAIL FROM.
     * A null username uses INI sqauth.smtp_sitewide_user / sqauth.smtp_sitewide_pass.
     * @return resource
     */
    function sqauth_smtp_login(string $host, int $port, ?string $username, #[\SensitiveParameter] ?string $password, #[\SensitiveParameter] array $options = []) {}

    /**
     * Logs in to a POP3 server; returns a stream positioned after +OK.
     * @return resource
     */
    function sqauth_pop3_login(string $host, int $port, string $username, #[\SensitiveParameter] string $password, #[\SensitiveParameter] array $options = []) {}

    /** What a server offers (TLS modes, certificate, mechanisms before and after TLS); never authenticates. */
    function sqauth_detect(string $protocol, string $host, int $port, #[\SensitiveParameter] array $options = []): array {}

    /** @param resource $stream */
    function sqauth_stream_info($stream): array {}

    /**
     * Makes every process of this server drop the user's kept (persistent) connections, of one
     * webmail session if $session_id is given: this process's are logged out now, the others'
     * within a second, and none is handed out again. For sign-out and a password change.
     * Returns how many this process logged out.
     */
    function sqauth_pool_forget(string $username, ?string $session_id = null): int {}
}

namespace Sqauth {
    class Exception extends \RuntimeException
    {
    }

    class ConnectionException extends Exception
    {
    }

    class TlsException extends Exception
    {
    }

    class ProtocolException extends Exception
    {
    }

    class AuthenticationException extends Exception
    {
        private string $serverMessage = '';
        private ?string $responseCode = null;
        private ?string $errorReport = null;

        public function getServerMessage(): string {}

        public function getResponseCode(): ?string {}

        /** XOAUTH2 / OAUTHBEARER: the JSON error report the server sent before refusing the token. */
        public function getErrorReport(): ?string {}
    }

    class SecurityException extends Exception
    {
    }

    /**
     * @strict-properties
     * @not-serializable
     */
    final class SaslClient
    {
        public function __construct(string $mechanism, #[\SensitiveParameter] array $credentials) {}

        public function initialResponse(): ?string {}

        public function step(string $challenge): string {}

        public function isComplete(): bool {}

        public function isServerVerified(): bool {}

        public function wrap(string $data): string {}

        public function unwrap(string $data): string {}
    }
}
