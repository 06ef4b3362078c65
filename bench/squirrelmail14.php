<?php
/*
 * SquirrelMail 1.4's authentication arithmetic in pure PHP, written for the
 * benchmark from the description in shared/reference/field-notes.md (its
 * behaviour, defects included: last realm wins, qop=auth always, cnonce from
 * microtime(), utf8_encode() of the strings, no rspauth check). Made to run on
 * PHP 8 (no curly-brace offsets; utf8_encode's deprecation silenced).
 * Prefixed sm14_ so that it never collides with the compat names.
 */

function sm14_hmac_md5(string $data, string $key = ''): string
{
    if ($key === '') {
        return pack('H*', md5($data));
    }
    $key = str_pad(strlen($key) > 64 ? pack('H*', md5($key)) : $key, 64, chr(0x00));
    $k_ipad = $key ^ str_repeat(chr(0x36), 64);
    $k_opad = $key ^ str_repeat(chr(0x5c), 64);
    $hmac = sm14_hmac_md5($k_ipad . $data);
    return sm14_hmac_md5($k_opad . $hmac);
}

function sm14_cram_md5_response(string $username, string $password, string $challenge): string
{
    $challenge = base64_decode($challenge);
    $hash = bin2hex(sm14_hmac_md5($challenge, $password));
    return base64_encode($username . ' ' . $hash) . "\r\n";
}

function sm14_digest_md5_parse_challenge(string $challenge): array
{
    $challenge = base64_decode($challenge);
    $parsed = [];
    while ($challenge !== null && $challenge !== '') {
        if ($challenge[0] === ',') {
            $challenge = substr($challenge, 1);
        }
        $key = explode('=', $challenge, 2);
        $challenge = $key[1] ?? '';
        $key = $key[0];
        if ($challenge !== '' && $challenge[0] === '"') {
            $challenge = substr($challenge, 1);
            $val = explode('"', $challenge, 2);
            $challenge = $val[1] ?? '';
            $value = explode(',', $val[0]);
            if (count($value) === 1) {
                $value = $value[0];
            }
        } else {
            $val = explode(',', $challenge, 2);
            $challenge = $val[1] ?? null;
            $value = $val[0];
        }
        $parsed[$key] = $value; // a second realm overwrites the first
    }
    return $parsed;
}

function sm14_digest_md5_response(string $username, string $password, string $challenge, string $service, string $host, string $authz = ''): string
{
    $result = sm14_digest_md5_parse_challenge($challenge);
    $cnonce = base64_encode(bin2hex(sm14_hmac_md5(microtime())));
    $ncount = '00000001';
    $qop_value = 'auth';
    $digest_uri_value = $service . '/' . $host;
    $string_a1 = @utf8_encode($username) . ':' . @utf8_encode((string) $result['realm']) . ':' . @utf8_encode($password);
    $string_a1 = sm14_hmac_md5($string_a1);
    $A1 = $string_a1 . ':' . $result['nonce'] . ':' . $cnonce;
    if ($authz !== '') {
        $A1 .= ':' . @utf8_encode($authz);
    }
    $A1 = bin2hex(sm14_hmac_md5($A1));
    $A2 = bin2hex(sm14_hmac_md5("AUTHENTICATE:$digest_uri_value"));
    $string_response = $result['nonce'] . ':' . $ncount . ':' . $cnonce . ':' . $qop_value;
    $response_value = bin2hex(sm14_hmac_md5($A1 . ':' . $string_response . ':' . $A2));
    $reply = 'charset=utf-8,username="' . $username . '",realm="' . $result['realm'] . '",';
    $reply .= 'nonce="' . $result['nonce'] . '",nc=' . $ncount . ',cnonce="' . $cnonce . '",';
    $reply .= "digest-uri=\"$digest_uri_value\",response=$response_value";
    $reply .= ',qop=' . $qop_value;
    if ($authz !== '') {
        $reply .= ',authzid=' . $authz;
    }
    return base64_encode($reply) . "\r\n";
}
