#!/usr/bin/python3
"""An OAuth 2.0 authorisation server for the tests, on 127.0.0.1: the token
introspection endpoint (RFC 7662) the test Dovecot's oauth2 passdb asks, and the
authorisation code flow (RFC 6749 4.1) a webmail runs in the user's browser.
   oauth2.py PORT TOKENS_JSON LOG CLIENT_ID CLIENT_SECRET WEBMAIL_ID WEBMAIL_SECRET USERS_JSON

POST /introspect with HTTP Basic authentication of the caller (the resource
server: Dovecot) and the body token=...; answers {"active": true, "username":
..., "scope": ..., "exp": ...} for a token of TOKENS_JSON whose "exp" is in the
future, {"active": false} for one that has expired or is unknown, as an
authorisation server does. TOKENS_JSON maps token -> {"username", "exp",
"scope"}; it is read on every request. LOG gets one line per request with the
token's SHA-256 prefix (never the token) and the verdict.

The webmail (WEBMAIL_ID / WEBMAIL_SECRET) sends the browser to GET /authorize, a
sign-in form for the accounts of USERS_JSON (address -> password); a right
password sends the browser back to redirect_uri with a code (or, with "revoke"
ticked, with a code whose token the server has already revoked: it is issued,
then refused by introspection); POST /token (authorization_code or
refresh_token) gives an access token (written to TOKENS_JSON), a refresh token
and an unsigned OpenID id_token naming the user; GET /userinfo answers for an
active token."""
import base64
import hashlib
import hmac
import html
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse

port, tokens_file, log_file, client_id, client_secret, webmail_id, webmail_secret, users_file = sys.argv[1:9]
expected_auth = 'Basic ' + base64.b64encode(f'{client_id}:{client_secret}'.encode()).decode()
with open(users_file) as f:
    users = json.load(f)
lock = threading.Lock()
codes = {}      # code -> (user, redirect_uri, revoked)
refresh = {}    # refresh token -> user


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def issue(user, revoked=False):
    """A new access token for user, in TOKENS_JSON; revoked: already past its end."""
    token = 'ya29.' + secrets.token_urlsafe(48)
    now = time.time()
    with lock:
        with open(tokens_file) as f:
            tokens = json.load(f)
        tokens[token] = {'username': user, 'exp': now - 1 if revoked else now + 3600, 'scope': 'mail'}
        with open(tokens_file + '.new', 'w') as f:
            json.dump(tokens, f)
        os.replace(tokens_file + '.new', tokens_file)
    return token


def lookup(token):
    """(the token's record, 'active' | 'expired' | 'unknown')"""
    with open(tokens_file) as f:
        t = json.load(f).get(token)
    if t is None:
        return None, 'unknown'
    return t, 'active' if t['exp'] > time.time() else 'expired'


def active(token):
    t, state = lookup(token)
    return t if state == 'active' else None


def log(line):
    with open(log_file, 'a') as f:
        f.write(time.strftime('%H:%M:%S ') + line + '\n')


class Introspect(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def answer(self, code, body, extra=()):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.send_header('Cache-Control', 'no-store')
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def page(self, code, body, location=None):
        data = body.encode()
        self.send_response(code)
        if location:
            self.send_header('Location', location)
        self.send_header('Content-Type', 'text/html; charset=utf-8')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def sign_in_form(self, q, error=''):
        hidden = ''.join(f'<input type="hidden" name="{k}" value="{html.escape(q.get(k, ""))}">'
                         for k in ('client_id', 'redirect_uri', 'state', 'scope'))
        return (f'<!doctype html><title>Test provider: sign in</title><h1>Sign in to the test provider</h1>'
                f'<p id="provider-error">{html.escape(error)}</p><form method="post" action="/authorize">{hidden}'
                '<input id="provider-user" name="user"> <input id="provider-pass" name="password" type="password"> '
                '<label><input id="provider-revoke" name="revoke" type="checkbox" value="1"> revoke at once</label> '
                '<button id="provider-submit" type="submit">Allow</button></form>')

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        if url.path == '/authorize':
            if q.get('response_type') != 'code' or q.get('client_id') != webmail_id \
                    or not q.get('redirect_uri', '').startswith('http://127.0.0.1:'):
                self.page(400, 'invalid_request')
                return
            self.page(200, self.sign_in_form(q))
        elif url.path == '/userinfo':
            auth = self.headers.get('Authorization', '')
            t = active(auth[7:]) if auth[:7].lower() == 'bearer ' else None
            if t is None:
                self.answer(401, {'error': 'invalid_token'}, [('WWW-Authenticate', 'Bearer error="invalid_token"')])
            else:
                self.answer(200, {'sub': t['username'], 'email': t['username']})
        else:
            self.page(404, 'not found')

    def token_endpoint(self, form):
        cid = form.get('client_id', [''])[0]
        secret = form.get('client_secret', [''])[0]
        if not (hmac.compare_digest(cid, webmail_id) and hmac.compare_digest(secret, webmail_secret)):
            self.answer(401, {'error': 'invalid_client'})
            return
        grant = form.get('grant_type', [''])[0]
        if grant == 'authorization_code':
            with lock:
                got = codes.pop(form.get('code', [''])[0], None)
            if got is None or got[1] != form.get('redirect_uri', [''])[0]:
                self.answer(400, {'error': 'invalid_grant'})
                return
            user, _, revoked = got
        elif grant == 'refresh_token':
            user, revoked = refresh.get(form.get('refresh_token', [''])[0]), False
            if user is None:
                self.answer(400, {'error': 'invalid_grant'})
                return
        else:
            self.answer(400, {'error': 'unsupported_grant_type'})
            return
        token = issue(user, revoked)
        rt = secrets.token_urlsafe(32)
        refresh[rt] = user
        now = int(time.time())
        id_token = '.'.join([b64url(json.dumps({'alg': 'none'}).encode()),
                             b64url(json.dumps({'iss': f'http://127.0.0.1:{port}', 'aud': webmail_id, 'sub': user,
                                                'email': user, 'iat': now, 'exp': now + 3600}).encode()), ''])
        log(f'token {hashlib.sha256(token.encode()).hexdigest()[:12]}: {grant} for {user}' + (' (revoked)' if revoked else ''))
        self.answer(200, {'access_token': token, 'token_type': 'Bearer', 'expires_in': 3600,
                          'refresh_token': rt, 'scope': 'mail', 'id_token': id_token})

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length > 65536:
            self.answer(413, {'error': 'invalid_request'})
            return
        form = urllib.parse.parse_qs(self.rfile.read(length).decode('ascii', 'replace'))
        if self.path == '/authorize':
            q = {k: v[0] for k, v in form.items()}
            user = q.get('user', '')
            if q.get('client_id') != webmail_id or not q.get('redirect_uri', '').startswith('http://127.0.0.1:'):
                self.page(400, 'invalid_request')
            elif user not in users or not hmac.compare_digest(users[user], q.get('password', '')):
                self.page(200, self.sign_in_form(q, 'Wrong user name or password.'))
            else:
                code = secrets.token_urlsafe(24)
                with lock:
                    codes[code] = (user, q['redirect_uri'], q.get('revoke') == '1')
                sep = '&' if '?' in q['redirect_uri'] else '?'
                self.page(302, '', q['redirect_uri'] + sep + urllib.parse.urlencode({'code': code, 'state': q.get('state', '')}))
            return
        if self.path == '/token':
            self.token_endpoint(form)
            return
        if self.path != '/introspect':
            self.answer(404, {'error': 'invalid_request'})
            return
        if not hmac.compare_digest(self.headers.get('Authorization', ''), expected_auth):
            log('introspect: caller not authenticated')
            self.answer(401, {'error': 'invalid_client'}, [('WWW-Authenticate', 'Basic realm="introspection"')])
            return
        token = (form.get('token') or [''])[0]
        ident = hashlib.sha256(token.encode()).hexdigest()[:12]
        t, state = lookup(token)
        if state != 'active':
            log(f'introspect {ident}: {state} -> inactive')
            self.answer(200, {'active': False})
        else:
            log(f'introspect {ident}: {t["username"]} -> active')
            self.answer(200, {'active': True, 'username': t['username'], 'scope': t['scope'],
                              'exp': int(t['exp']), 'token_type': 'Bearer', 'client_id': 'webmail'})

    def log_message(self, fmt, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', int(port)), Introspect).serve_forever()
