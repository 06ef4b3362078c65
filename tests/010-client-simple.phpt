--TEST--
Sqauth\SaslClient: PLAIN, LOGIN, CRAM-MD5, XOAUTH2, OAUTHBEARER step by step
--EXTENSIONS--
sqauth
--FILE--
<?php
function show(?string $s): string { return $s === null ? 'NULL' : json_encode(addcslashes($s, "\0..\37")); }

$c = new Sqauth\SaslClient('plain', ['username' => 'tim', 'password' => 'tanstaaf', 'authz' => 'admin']);
echo 'PLAIN initial ', show($c->initialResponse()), ' complete=', var_export($c->isComplete(), true), "\n";
// without SASL-IR the server's empty challenge asks for the same message
$c = new Sqauth\SaslClient('PLAIN', ['username' => 'tim', 'password' => 'tanstaaf']);
echo 'PLAIN step ', show($c->step('')), "\n";

$c = new Sqauth\SaslClient('LOGIN', ['username' => 'tim', 'password' => 'tanstaaf']);
echo 'LOGIN initial ', show($c->initialResponse()), "\n";
echo 'LOGIN ', show($c->step('Username:')), ' ', show($c->step('Password:')), ' complete=', var_export($c->isComplete(), true), "\n";

$c = new Sqauth\SaslClient('CRAM-MD5', ['username' => 'tim', 'password' => 'tanstaaftanstaaf']);
echo 'CRAM-MD5 ', show($c->step('<1896.697170952@postoffice.reston.mci.net>')), ' verified=', var_export($c->isServerVerified(), true), "\n";

$c = new Sqauth\SaslClient('XOAUTH2', ['username' => 'someuser@example.com', 'password' => 'ya29.token']);
echo 'XOAUTH2 ', show($c->initialResponse()), "\n";
// the server's error challenge is answered with an empty response
echo 'XOAUTH2 error answer ', show($c->step('{"status":"401","schemes":"bearer"}')), ' complete=', var_export($c->isComplete(), true), "\n";

$c = new Sqauth\SaslClient('OAUTHBEARER', ['username' => 'user@example.com', 'password' => 'vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg==',
    'host' => 'server.example.com', 'port' => 143]);
echo 'OAUTHBEARER ', show($c->initialResponse()), "\n";
echo 'OAUTHBEARER error answer ', show($c->step('{"status":"invalid_token"}')), "\n";

// misuse
$cases = [
    ['GSSAPI', []],
    ['PLAIN', ['username' => 'u']],
    ['PLAIN', ['username' => 'u', 'password' => "a\0b"]],
    ['PLAIN', ['username' => 'u', 'password' => 5]],
    ['PLAIN', ['username' => 'u', 'password' => 'p', 'port' => 70000]],
    ['PLAIN', ['username' => 'u', 'password' => 'p', 'pasword' => 'typo']],
    ['DIGEST-MD5', ['username' => 'u', 'password' => 'p']],
    ['SCRAM-SHA-1-PLUS', ['username' => 'u', 'password' => 'p']],
    ['SCRAM-SHA-1-PLUS', ['username' => 'u', 'password' => 'p', 'channel_binding' => ['a' => 'x', 'b' => 'y']]],
    ['XOAUTH2', ['username' => 'u', 'password' => "tok\x01en"]],
    ['CRAM-MD5', ['username' => 'u', 'password' => 'p', 'authz' => 'other']],
];
foreach ($cases as [$m, $cred]) {
    try {
        new Sqauth\SaslClient($m, $cred);
        echo "accepted\n";
    } catch (Error $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// protocol errors from the server side
$c = new Sqauth\SaslClient('PLAIN', ['username' => 'u', 'password' => 'p']);
try { $c->step('unexpected'); } catch (Sqauth\ProtocolException $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
try { $c->step(''); } catch (Error $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
$c = new Sqauth\SaslClient('CRAM-MD5', ['username' => 'u', 'password' => 'p']);
try { $c->step(''); } catch (Sqauth\ProtocolException $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
$c = new Sqauth\SaslClient('PLAIN', ['username' => 'u', 'password' => 'p']);
$c->initialResponse();
try { $c->initialResponse(); } catch (Error $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
// no security layer: wrap/unwrap pass data through
$c = new Sqauth\SaslClient('PLAIN', ['username' => 'u', 'password' => 'p']);
$c->initialResponse();
var_dump($c->wrap("A1 NOOP\r\n"), $c->unwrap("* OK\r\n"));
?>
--EXPECT--
PLAIN initial "admin\\000tim\\000tanstaaf" complete=true
PLAIN step "\\000tim\\000tanstaaf"
LOGIN initial NULL
LOGIN "tim" "tanstaaf" complete=true
CRAM-MD5 "tim b913a602c7eda7a495b4e6e7334d3890" verified=false
XOAUTH2 "user=someuser@example.com\\001auth=Bearer ya29.token\\001\\001"
XOAUTH2 error answer "" complete=false
OAUTHBEARER "n,a=user@example.com,\\001host=server.example.com\\001port=143\\001auth=Bearer vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg==\\001\\001"
OAUTHBEARER error answer "\\001"
ValueError: Sqauth\SaslClient::__construct(): Argument #1 ($mechanism) must be one of PLAIN, LOGIN, CRAM-MD5, DIGEST-MD5, SCRAM-SHA-1, SCRAM-SHA-256, SCRAM-SHA-1-PLUS, SCRAM-SHA-256-PLUS, XOAUTH2 or OAUTHBEARER
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: PLAIN needs a password
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: PLAIN: the password must not contain NUL bytes
TypeError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) key "password" must be of type string, int given
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) key "port" must be between 1 and 65535
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) has an unknown key "pasword"
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: DIGEST-MD5 needs a service and a host
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: SCRAM-SHA-1-PLUS needs channel-binding data (type and data)
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) key "channel_binding" must hold exactly one type => data pair
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: XOAUTH2: control bytes \x00 and \x01 are not allowed
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: CRAM-MD5 cannot carry an authorization identity
Sqauth\ProtocolException: PLAIN: the server sent a non-empty challenge before the initial response
Error: the SASL exchange has already failed
Sqauth\ProtocolException: CRAM-MD5: the server sent an empty challenge
Error: the initial response has already been produced
string(9) "A1 NOOP
"
string(6) "* OK
"
