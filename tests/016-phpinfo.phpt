--TEST--
phpinfo() and php --ri: version, OpenSSL, mechanisms, SASLprep, ciphers, INI values
--EXTENSIONS--
sqauth
--FILE--
<?php
$e = new ReflectionExtension('sqauth');
ob_start();
$e->info();
$info = ob_get_clean();
echo str_contains($info, 'Built for PHP => ' . PHP_VERSION) ? 'has' : 'MISSING', " Built for PHP => (this PHP's version)\n";
foreach (['sqauth support => enabled', 'Version => ' . SQAUTH_VERSION, 'Tested on PHP => 8.2, 8.4, 8.5 (8.3 untested)', 'OpenSSL => OpenSSL 3.',
          'SASL mechanisms => PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 SCRAM-SHA-1-PLUS SCRAM-SHA-256-PLUS XOAUTH2 OAUTHBEARER',
          'SASLprep (libidn) => ', 'DIGEST-MD5 auth-conf ciphers => 3des', 'sqauth.compat_functions => Off => Off',
          'Persistent connections => 0 pooled, 0 held by this process',
          'Per-user table (shared by the workers) => 0 of 4096 places used',
          'sqauth.persistent_per_user => 4 => 4', 'sqauth.persistent_idle_timeout => 120 => 120'] as $needle) {
    echo str_contains($info, $needle) ? 'has ' : 'MISSING ', $needle, "\n";
}
echo implode("\n", array_keys($e->getINIEntries())), "\n";
var_dump(ini_set('sqauth.timeout', '2.5'), ini_get('sqauth.timeout'));
var_dump(ini_set('sqauth.timeout', '-1'), ini_set('sqauth.timeout', 'soon'), ini_get('sqauth.timeout'));
// the pool's bounds are for the administrator (php.ini), not for a script
var_dump(ini_set('sqauth.persistent_per_user', '100'), ini_get('sqauth.persistent_per_user'));
?>
--EXPECT--
has Built for PHP => (this PHP's version)
has sqauth support => enabled
has Version => 0.1.0
has Tested on PHP => 8.2, 8.4, 8.5 (8.3 untested)
has OpenSSL => OpenSSL 3.
has SASL mechanisms => PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256 SCRAM-SHA-1-PLUS SCRAM-SHA-256-PLUS XOAUTH2 OAUTHBEARER
has SASLprep (libidn) => 
has DIGEST-MD5 auth-conf ciphers => 3des
has sqauth.compat_functions => Off => Off
has Persistent connections => 0 pooled, 0 held by this process
has Per-user table (shared by the workers) => 0 of 4096 places used
has sqauth.persistent_per_user => 4 => 4
has sqauth.persistent_idle_timeout => 120 => 120
sqauth.compat_functions
sqauth.timeout
sqauth.cafile
sqauth.capath
sqauth.smtp_sitewide_user
sqauth.smtp_sitewide_pass
sqauth.persistent_idle_timeout
sqauth.persistent_max_age
sqauth.persistent_check_after
sqauth.persistent_max_uses
sqauth.persistent_per_process
sqauth.persistent_per_user
string(2) "15"
string(3) "2.5"
bool(false)
bool(false)
string(3) "2.5"
bool(false)
string(1) "4"
