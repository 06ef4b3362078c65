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
--check on the clean tree: exit 1, 6 changes listed
--apply: exit 0, 6 changes
backup folder: under /var/backups/sqauth-squirrelmail, mode 700
files changed by the switch: 5, added: 
--apply again: exit 0, already switched: nothing changed
the second --apply changed nothing
--check on the switched tree: exit 0, switched to sqauth
--check with a local change in the login code: exit 2, file and lines named
--apply --force: exit 0
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
1.5 IMAP logins for the same pages: persistent fewer: yes, at most the sign-in and one per worker: yes (%d -> %d)
1.5 after sign-out, connections of the user left at Dovecot within 5 s: 0
1.5 persistent, signed in and kept: yes, connections: %d
1.5 the password changed at the server, a new sign-in with the old one: refused
1.5 wrong password: SquirrelMail Webmail By the SquirrelMail Project Team ERROR Unknown user or password incorrect. Go to the login page (within 20 s)
1.5 untrusted certificate: SquirrelMail Webmail By the SquirrelMail Project Team ERROR Error connecting to IMAP server: localhost. TLS handshake with localhost:%d failed: certificate verify failed: self-signed certificate Go to the login page (within 20 s)
1.5 server down: SquirrelMail Webmail By the SquirrelMail Project Team ERROR Error connecting to IMAP server: localhost. cannot connect to localhost:%d: Connection refused Go to the login page (within 20 s)
1.5 server that never greets: SquirrelMail Webmail By the SquirrelMail Project Team ERROR Error connecting to IMAP server: localhost. read from localhost:%d timed out (timeout) waiting for the greeting; if this port speaks TLS at once, set tls 'implicit' Go to the login page (within 20 s)
1.5 hostile greeting: markup ran or was built: no; shown: %s<img src=x onerror="document.documentElement.dataset.pwned='greeting'">%s
1.5 hostile refusal: markup ran or was built: no; shown: %s<img src=x onerror="document.documentElement.dataset.pwned='refusal'">%s
1.5 hostile SMTP reply code: markup ran or was built: no; shown: %s535 5.<b/id=pwned>x</b%s
PHP error log: empty
nginx error log: no errors
--revert: exit 0, reverted: the tree is as it was before the switch
the tree is the original again, byte for byte
