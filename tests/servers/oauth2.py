#!/usr/bin/python3
"""An OAuth 2.0 token introspection endpoint (RFC 7662) for the test
Dovecot's oauth2 passdb, on 127.0.0.1.
   oauth2.py PORT TOKENS_JSON LOG CLIENT_ID CLIENT_SECRET

POST /introspect with HTTP Basic authentication of the caller (the resource
server: Dovecot) and the body token=...; answers {"active": true, "username":
..., "scope": ..., "exp": ...} for a token of TOKENS_JSON whose "exp" is in the
future, {"active": false} for one that has expired or is unknown, as an
authorisation server does. TOKENS_JSON maps token -> {"username", "exp",
"scope"}; it is read on every request. LOG gets one line per request with the
token's SHA-256 prefix (never the token) and the verdict."""
import base64
import hashlib
import hmac
import http.server
import json
import sys
import time
import urllib.parse

port, tokens_file, log_file, client_id, client_secret = sys.argv[1:6]
expected_auth = 'Basic ' + base64.b64encode(f'{client_id}:{client_secret}'.encode()).decode()


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

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length > 65536:
            self.answer(413, {'error': 'invalid_request'})
            return
        form = urllib.parse.parse_qs(self.rfile.read(length).decode('ascii', 'replace'))
        if self.path != '/introspect':
            self.answer(404, {'error': 'invalid_request'})
            return
        if not hmac.compare_digest(self.headers.get('Authorization', ''), expected_auth):
            log('introspect: caller not authenticated')
            self.answer(401, {'error': 'invalid_client'}, [('WWW-Authenticate', 'Basic realm="introspection"')])
            return
        token = (form.get('token') or [''])[0]
        ident = hashlib.sha256(token.encode()).hexdigest()[:12]
        with open(tokens_file) as f:
            tokens = json.load(f)
        t = tokens.get(token)
        if t is None:
            log(f'introspect {ident}: unknown -> inactive')
            self.answer(200, {'active': False})
        elif t['exp'] <= time.time():
            log(f'introspect {ident}: expired -> inactive')
            self.answer(200, {'active': False})
        else:
            log(f'introspect {ident}: {t["username"]} -> active')
            self.answer(200, {'active': True, 'username': t['username'], 'scope': t['scope'],
                              'exp': int(t['exp']), 'token_type': 'Bearer', 'client_id': 'webmail'})

    def log_message(self, fmt, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', int(port)), Introspect).serve_forever()
