<?php
/*
 * config/config.php for sqauth's SquirrelMail tests (copied into a test copy of
 * the tree): SquirrelMail's own defaults, then the values of the case under test,
 * which the test writes to config/sqauth-test.json before each case.
 */
if (!isset($config_version)) {
    // 1.4 reads only config/config.php; 1.5 has read config_default.php already
    require SM_PATH . 'config/config_default.php';
}
foreach (json_decode(file_get_contents(__DIR__ . '/sqauth-test.json'), true) as $sqauth_test_key => $sqauth_test_value) {
    $$sqauth_test_key = $sqauth_test_value;
}
unset($sqauth_test_key, $sqauth_test_value);
