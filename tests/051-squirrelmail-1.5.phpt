--TEST--
SquirrelMail 1.5 switched by bin/sqauth-squirrelmail, in php-fpm behind nginx, driven by headless Chromium: every mechanism over STARTTLS and implicit TLS, four failures on SquirrelMail's own page, an empty PHP error log, --revert byte for byte (tree from SQAUTH_SQUIRRELMAIL_15)
--EXTENSIONS--
sqauth
posix
--SKIPIF--
<?php
require __DIR__ . '/webmail/squirrelmail-test.inc';
sm_skipif('1.5');
?>
--FILE--
<?php
require __DIR__ . '/webmail/squirrelmail-test.inc';
sm_run('1.5');
?>
--EXPECTF--
--check on the clean tree: exit 1, 5 changes listed
--apply: exit 0, 5 changes
files changed by the switch: 9, added: /.sqauth-switch/class/deliver/Deliver_SMTP.class.php.orig /.sqauth-switch/functions/auth.php.orig /.sqauth-switch/functions/imap_general.php.orig /.sqauth-switch/manifest.json /.sqauth-switch/src/login.php.orig
--apply again: exit 0, already switched: nothing changed
the second --apply changed nothing
--check on the switched tree: exit 0, switched to sqauth
1.5 login starttls: logged in, listed, opened, sent (arrived), signed out
1.5 login implicit: logged in, listed, opened, sent (arrived), signed out
1.5 cram-md5 starttls: logged in, listed, opened, sent (arrived), signed out
1.5 cram-md5 implicit: logged in, listed, opened, sent (arrived), signed out
1.5 digest-md5 starttls: logged in, listed, opened, sent (arrived), signed out
1.5 digest-md5 implicit: logged in, listed, opened, sent (arrived), signed out
1.5 scram-sha-256 starttls: logged in, listed, opened, sent (arrived), signed out
1.5 scram-sha-256 implicit: logged in, listed, opened, sent (arrived), signed out
1.5 a login per page: logged in, listed, opened, sent, signed out
1.5 persistent: logged in, listed, opened, sent, signed out
1.5 IMAP logins for the same pages: persistent fewer: yes, at most one per worker: yes (%d -> %d)
1.5 wrong password: SquirrelMail Webmail By the SquirrelMail Project Team ERROR Unknown user or password incorrect. Go to the login page (within 20 s)
1.5 untrusted certificate: SquirrelMail Webmail By the SquirrelMail Project Team ERROR Error connecting to IMAP server: localhost. TLS handshake with localhost:%d failed: certificate verify failed: self-signed certificate Go to the login page (within 20 s)
1.5 server down: SquirrelMail Webmail By the SquirrelMail Project Team ERROR Error connecting to IMAP server: localhost. cannot connect to localhost:%d: Connection refused Go to the login page (within 20 s)
1.5 server that never greets: SquirrelMail Webmail By the SquirrelMail Project Team ERROR Error connecting to IMAP server: localhost. read from localhost:%d timed out (timeout) waiting for the greeting; if this port speaks TLS at once, set tls 'implicit' Go to the login page (within 20 s)
PHP error log: empty
nginx error log: no errors
--revert: exit 0, reverted: the tree is as it was before the switch
the tree is the original again, byte for byte
