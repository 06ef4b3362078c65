<?php
/* php -S router for test 048: the driver page, and examples/webmail as it ships. */
if (parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) === '/__drive.html') {
    header('Content-Type: text/html; charset=utf-8');
    readfile(__DIR__ . '/webmail-drive.html');
    return true;
}
return false;
