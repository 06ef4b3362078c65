--TEST--
sqauth_hmac_md5(): RFC 2202 vectors and SquirrelMail's empty-key rule
--EXTENSIONS--
sqauth
--FILE--
<?php
$v = [
    [str_repeat("\x0b", 16), 'Hi There', '9294727a3638bb1c13f48ef8158bfc9d'],
    ['Jefe', 'what do ya want for nothing?', '750c783e6ab0b503eaa86e310a5db738'],
    [str_repeat("\xaa", 16), str_repeat("\xdd", 50), '56be34521d144c88dbb8c733f0e8b3f6'],
    [hex2bin('0102030405060708090a0b0c0d0e0f10111213141516171819'), str_repeat("\xcd", 50), '697eaf0aca3a3aea3a75164746ffaa79'],
    [str_repeat("\x0c", 16), 'Test With Truncation', '56461ef2342edc00f9bab995690efd4c'],
    [str_repeat("\xaa", 80), 'Test Using Larger Than Block-Size Key - Hash Key First', '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd'],
    [str_repeat("\xaa", 80), 'Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data', '6f630fad67cda0ee1fb1f562db3aa53e'],
];
foreach ($v as $i => [$key, $data, $want]) {
    $got = sqauth_hmac_md5($data, $key);
    echo $i + 1, ': ', strlen($got), ' ', bin2hex($got) === $want ? 'ok' : 'MISMATCH ' . bin2hex($got), "\n";
}
// empty key means plain MD5 (SquirrelMail 1.4 semantics)
var_dump(bin2hex(sqauth_hmac_md5('')));
var_dump(sqauth_hmac_md5('abc') === md5('abc', true));
// "0" is a real key, not "no key"
var_dump(sqauth_hmac_md5('abc', '0') === hash_hmac('md5', 'abc', '0', true));
var_dump(sqauth_hmac_md5('abc', '0') !== md5('abc', true));
// binary data and keys, both lengths
$k = random_bytes(200); $d = random_bytes(1000);
var_dump(sqauth_hmac_md5($d, $k) === hash_hmac('md5', $d, $k, true));
?>
--EXPECT--
1: 16 ok
2: 16 ok
3: 16 ok
4: 16 ok
5: 16 ok
6: 16 ok
7: 16 ok
string(32) "d41d8cd98f00b204e9800998ecf8427e"
bool(true)
bool(true)
bool(true)
bool(true)
