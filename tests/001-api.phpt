--TEST--
api.md sections 1 and 2: functions, classes and exact signatures
--EXTENSIONS--
sqauth
--FILE--
<?php
function sig(ReflectionFunctionAbstract $f): string {
    $ps = [];
    foreach ($f->getParameters() as $p) {
        $s = ($p->getAttributes('SensitiveParameter') ? '#[\SensitiveParameter] ' : '')
            . $p->getType() . ' $' . $p->getName();
        if ($p->isOptional()) {
            $s .= ' = ' . str_replace("array (\n)", '[]', var_export($p->getDefaultValue(), true));
        }
        $ps[] = $s;
    }
    return $f->getName() . '(' . implode(', ', $ps) . ')' . ($f->hasReturnType() ? ': ' . $f->getReturnType() : '');
}
foreach (['sqauth_hmac_md5', 'sqauth_cram_md5_response', 'sqauth_digest_md5_parse_challenge',
          'sqauth_digest_md5_response', 'sqauth_digest_md5_verify'] as $fn) {
    echo sig(new ReflectionFunction($fn)), "\n";
}
$c = new ReflectionClass(Sqauth\SaslClient::class);
var_dump($c->isFinal());
foreach ($c->getMethods() as $m) {
    echo sig($m), "\n";
}
foreach (['ConnectionException', 'TlsException', 'ProtocolException', 'AuthenticationException', 'SecurityException'] as $e) {
    $r = new ReflectionClass("Sqauth\\$e");
    echo $r->getName(), ' < ', $r->getParentClass()->getName(), ' < ', $r->getParentClass()->getParentClass()->getName(), "\n";
}
$a = new Sqauth\AuthenticationException('x');
var_dump($a->getServerMessage(), $a->getResponseCode(), $a->getErrorReport());
var_dump(is_string(SQAUTH_VERSION), phpversion('sqauth') === SQAUTH_VERSION);
try {
    serialize(new Sqauth\SaslClient('PLAIN', ['username' => 'u', 'password' => 'p']));
} catch (Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    clone new Sqauth\SaslClient('PLAIN', ['username' => 'u', 'password' => 'p']);
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump(function_exists('hmac_md5'));
?>
--EXPECT--
sqauth_hmac_md5(string $data, #[\SensitiveParameter] string $key = ''): string
sqauth_cram_md5_response(string $username, #[\SensitiveParameter] string $password, string $challenge): string
sqauth_digest_md5_parse_challenge(string $challenge): array
sqauth_digest_md5_response(string $username, #[\SensitiveParameter] string $password, string $challenge, string $service, string $host, string $authz = '', array $options = []): string
sqauth_digest_md5_verify(string $username, #[\SensitiveParameter] string $password, string $challenge, string $response, string $rspauth): bool
bool(true)
__construct(string $mechanism, #[\SensitiveParameter] array $credentials)
initialResponse(): ?string
step(string $challenge): string
isComplete(): bool
isServerVerified(): bool
wrap(string $data): string
unwrap(string $data): string
Sqauth\ConnectionException < Sqauth\Exception < RuntimeException
Sqauth\TlsException < Sqauth\Exception < RuntimeException
Sqauth\ProtocolException < Sqauth\Exception < RuntimeException
Sqauth\AuthenticationException < Sqauth\Exception < RuntimeException
Sqauth\SecurityException < Sqauth\Exception < RuntimeException
string(0) ""
NULL
NULL
bool(true)
bool(true)
Exception: Serialization of 'Sqauth\SaslClient' is not allowed
Error: Trying to clone an uncloneable object of class Sqauth\SaslClient
bool(false)
