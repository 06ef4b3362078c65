#!/usr/bin/python3
"""A minimal SMTP relay for the test Dovecot's submission service: accepts
every message and appends it to a file (Python 3.11's smtpd module).
   relay.py PORT MAILBOX_FILE"""
import asyncore
import sys
import warnings

warnings.simplefilter('ignore', DeprecationWarning)
import smtpd  # noqa: E402


class Relay(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        with open(sys.argv[2], 'ab') as f:
            f.write(b'From ' + mailfrom.encode() + b' to ' + ','.join(rcpttos).encode() + b'\n')
            f.write(data if isinstance(data, bytes) else data.encode())
            f.write(b'\n\n')
        return None


Relay(('127.0.0.1', int(sys.argv[1])), None, decode_data=False)
asyncore.loop()
