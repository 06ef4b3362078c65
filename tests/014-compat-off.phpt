--TEST--
sqauth.compat_functions defaults to 0: an unguarded SquirrelMail functions/auth.php still compiles
--EXTENSIONS--
sqauth
--FILE--
<?php
var_dump(ini_get('sqauth.compat_functions'));
// SquirrelMail 1.4 defines these without a function_exists() guard
function hmac_md5($data, $key = '') { return 'pure-php'; }
function cram_md5_response($username, $password, $challenge) { return 'pure-php'; }
var_dump(hmac_md5('x'), function_exists('digest_md5_response'));
// PHP_INI_SYSTEM: a script cannot switch it on
var_dump(ini_set('sqauth.compat_functions', '1'));
?>
--EXPECT--
string(1) "0"
string(8) "pure-php"
bool(false)
bool(false)
