--TEST--
Sqauth\SaslClient SCRAM: RFC 5802 and RFC 7677 exchanges, server signature, hostile servers, channel binding
--EXTENSIONS--
sqauth
--FILE--
<?php
$c = new Sqauth\SaslClient('SCRAM-SHA-1', ['username' => 'user', 'password' => 'pencil', 'cnonce' => 'fyko+d2lbbFgONRv9qkxdawL']);
echo $c->initialResponse(), "\n";
echo $c->step('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096'), "\n";
var_dump($c->isServerVerified());
var_dump($c->step('v=rmF9pqV8S7suAoZWja4dJRkFsKQ='), $c->isComplete(), $c->isServerVerified());

$c = new Sqauth\SaslClient('scram-sha-256', ['username' => 'user', 'password' => 'pencil', 'cnonce' => 'rOprNGfwEbeRWgbNEkqO']);
echo $c->initialResponse(), "\n";
echo $c->step('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'), "\n";
var_dump($c->step('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='), $c->isServerVerified());

// a random client nonce by default
$a = (new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'u', 'password' => 'p']))->initialResponse();
$b = (new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'u', 'password' => 'p']))->initialResponse();
var_dump(strlen($a) > 20, $a !== $b);

$sf = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';
$hostile = [
    'wrong signature' => [$sf, 'v=AAAApqV8S7suAoZWja4dJRkFsKQ='],
    'missing signature' => [$sf, ''],
    'e= error' => [$sf, 'e=invalid-proof'],
    'channel binding error' => [$sf, 'e=channel-bindings-dont-match'],
    'nonce not extended' => ['r=XXXX+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096', null],
    'nonce only echoed' => ['r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096', null],
    '4,000,000,000 iterations' => ['r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4000000000', null],
    'overflowing iterations' => ['r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=184467440737095516160', null],
    'zero iterations' => ['r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=0', null],
    'mandatory extension' => ['m=x,r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096', null],
    'invalid salt' => ['r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=***,i=4096', null],
    'NUL byte' => ["r=fyko+d2lbbFgONRv9qkxdawL3rfc\0,s=QSXCR+Q6sek8bf92,i=4096", null],
    'empty' => ['', null],
    'server error first' => ['e=other-error', null],
];
foreach ($hostile as $name => [$first, $final]) {
    $c = new Sqauth\SaslClient('SCRAM-SHA-1', ['username' => 'user', 'password' => 'pencil', 'cnonce' => 'fyko+d2lbbFgONRv9qkxdawL']);
    $c->initialResponse();
    try {
        $c->step($first);
        if ($final !== null) {
            $c->step($final);
        }
        echo "$name: accepted\n";
    } catch (Sqauth\Exception $e) {
        echo "$name: ", get_class($e), ': ', $e->getMessage(), ' verified=', var_export($c->isServerVerified(), true), "\n";
    }
}

// username escaping and authzid; channel binding flags
$c = new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'a,b=c', 'password' => 'p', 'authz' => 'admin', 'cnonce' => 'abc']);
echo $c->initialResponse(), "\n";
$c = new Sqauth\SaslClient('SCRAM-SHA-256', ['username' => 'u', 'password' => 'p', 'cnonce' => 'abc', 'channel_binding' => ['tls-exporter' => 'x']]);
echo $c->initialResponse(), "\n"; // client could bind, server offered no -PLUS: "y"
$c = new Sqauth\SaslClient('SCRAM-SHA-256-PLUS', ['username' => 'u', 'password' => 'p', 'cnonce' => 'abc', 'channel_binding' => ['tls-exporter' => "\x01\x02\x03"]]);
echo $c->initialResponse(), "\n";
echo substr($c->step('r=abcdef,s=QSXCR+Q6sek8bf92,i=4096'), 0, 42), "\n";
echo base64_decode('cD10bHMtZXhwb3J0ZXIsLAECAw==') === "p=tls-exporter,,\x01\x02\x03" ? "cbind ok\n" : "cbind wrong\n";
// SASLprep: a soft hyphen (U+00AD) maps to nothing, so "pen\u{AD}cil" is "pencil"
$c = new Sqauth\SaslClient('SCRAM-SHA-1', ['username' => 'user', 'password' => "pen\u{AD}cil", 'cnonce' => 'fyko+d2lbbFgONRv9qkxdawL']);
$c->initialResponse();
echo $c->step($sf), "\n";
try {
    new Sqauth\SaslClient('SCRAM-SHA-1', ['username' => 'user', 'password' => "pen\x07cil"]);
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
?>
--EXPECT--
n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL
c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=
bool(false)
string(0) ""
bool(true)
bool(true)
n,,n=user,r=rOprNGfwEbeRWgbNEkqO
c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=
string(0) ""
bool(true)
bool(true)
bool(true)
wrong signature: Sqauth\SecurityException: SCRAM: the server signature is wrong: the server did not prove that it knows the password verified=false
missing signature: Sqauth\SecurityException: SCRAM: the server did not send its signature, so it did not prove that it knows the password verified=false
e= error: Sqauth\AuthenticationException: SCRAM: the server reported an error: invalid-proof verified=false
channel binding error: Sqauth\SecurityException: SCRAM: the server reported a channel-binding failure: channel-bindings-dont-match verified=false
nonce not extended: Sqauth\SecurityException: SCRAM: the server nonce does not extend the client nonce verified=false
nonce only echoed: Sqauth\SecurityException: SCRAM: the server nonce does not extend the client nonce verified=false
4,000,000,000 iterations: Sqauth\SecurityException: SCRAM: the server asks for 4000000000 iterations, more than the limit of 1000000 verified=false
overflowing iterations: Sqauth\ProtocolException: SCRAM: invalid iteration count verified=false
zero iterations: Sqauth\ProtocolException: SCRAM: invalid iteration count verified=false
mandatory extension: Sqauth\ProtocolException: SCRAM: the server requires an extension this client does not know verified=false
invalid salt: Sqauth\ProtocolException: SCRAM: the salt is not valid base64 verified=false
NUL byte: Sqauth\ProtocolException: SCRAM: NUL byte in the server-first-message verified=false
empty: Sqauth\ProtocolException: SCRAM: empty server-first-message verified=false
server error first: Sqauth\AuthenticationException: SCRAM: the server reported an error: other-error verified=false
n,a=admin,n=a=2Cb=3Dc,r=abc
y,,n=u,r=abc
p=tls-exporter,,n=u,r=abc
c=cD10bHMtZXhwb3J0ZXIsLAECAw==,r=abcdef,p=
cbind ok
c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=
ValueError: Sqauth\SaslClient::__construct(): Argument #2 ($credentials) is invalid: SCRAM: the password contains a control character, which SASLprep prohibits
