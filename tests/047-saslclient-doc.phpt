--TEST--
docs/saslclient.md: the worked example (an IMAP client that keeps its own socket) runs against the test Dovecot
--EXTENSIONS--
sqauth
--SKIPIF--
<?php
require __DIR__ . '/helpers/servers.inc';
sqauth_test_need('SQAUTH_DOVECOT_IMAPS');
?>
--INI--
zend.assertions=1
assert.exception=1
--FILE--
<?php
require __DIR__ . '/helpers/servers.inc';
preg_match_all('/```php\n(.*?)```/s', file_get_contents(dirname(__DIR__) . '/docs/saslclient.md'), $m);
echo count($m[1]), " snippets\n";
$user = 'tim';
$pass = 'tanstaaf';
$imapsPort = sqauth_test_port('SQAUTH_DOVECOT_IMAPS');
$caFile = getenv('SQAUTH_TEST_CA');
foreach ($m[1] as $i => $code) {
    try {
        eval($code);
        echo "snippet $i: ok\n";
    } catch (Throwable $e) {
        echo "snippet $i: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
4 snippets
snippet 0: ok
snippet 1: ok
snippet 2: ok
snippet 3: ok
