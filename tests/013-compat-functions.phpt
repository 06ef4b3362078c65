--TEST--
sqauth.compat_functions=1: SquirrelMail's four names, same results, a guarded functions/auth.php uses them
--EXTENSIONS--
sqauth
--INI--
sqauth.compat_functions=1
--FILE--
<?php
foreach (['hmac_md5', 'cram_md5_response', 'digest_md5_response', 'digest_md5_parse_challenge'] as $f) {
    $r = new ReflectionFunction($f);
    echo $f, ' internal=', var_export($r->isInternal(), true), ' ext=', $r->getExtensionName(), "\n";
}
var_dump(bin2hex(hmac_md5('')));
var_dump(cram_md5_response('tim', 'tanstaaftanstaaf', 'PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+') === "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n");
$ch = 'cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0RVFHbTJoaCIscW9wPSJhdXRoIixhbGdvcml0aG09bWQ1LXNlc3MsY2hhcnNldD11dGYtOA==';
var_dump(digest_md5_parse_challenge($ch)['nonce']);
var_dump(strlen(base64_decode(digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com'))) > 100);
// SquirrelMail 1.4's sqimap_login() passes its $authz, null when no authz plugin set it:
// no deprecation, and the same response as without an authz (the cnonce is fixed to compare)
set_error_handler(function ($no, $str) { echo "error handler: $str\n"; return true; });
$fixed = ['cnonce' => 'OA6MHXh6VqTrRk'];
var_dump(digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com', null, $fixed)
    === digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com', '', $fixed));
var_dump(str_contains(base64_decode(digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com', 'boss', $fixed)), 'authzid="boss"'));
echo (new ReflectionFunction('digest_md5_response'))->getParameters()[5]->getType(), ' ',
    (new ReflectionFunction('sqauth_digest_md5_response'))->getParameters()[5]->getType(), "\n";
// the native name keeps its string signature: null is PHP's usual deprecation there
sqauth_digest_md5_response('chris', 'secret', $ch, 'imap', 'elwood.innosoft.com', null, $fixed);
restore_error_handler();
// the password parameter is sensitive under the old names too
var_dump((new ReflectionFunction('cram_md5_response'))->getParameters()[1]->getAttributes()[0]->getName());

// a SquirrelMail functions/auth.php whose definitions are guarded keeps working and uses ours
eval('
if (!function_exists("hmac_md5")) {
    function hmac_md5($data, $key = "") { return "pure-php"; }
}
');
var_dump(hmac_md5('x') !== 'pure-php');
?>
--EXPECT--
hmac_md5 internal=true ext=sqauth
cram_md5_response internal=true ext=sqauth
digest_md5_response internal=true ext=sqauth
digest_md5_parse_challenge internal=true ext=sqauth
string(32) "d41d8cd98f00b204e9800998ecf8427e"
bool(true)
string(14) "OA6MG9tEQGm2hh"
bool(true)
bool(true)
bool(true)
?string string
error handler: sqauth_digest_md5_response(): Passing null to parameter #6 ($authz) of type string is deprecated
string(18) "SensitiveParameter"
bool(true)
