#!/usr/bin/env python3
"""A webhook receiver for the pikafx effects API that verifies signatures.

    examples/api/webhook_receiver.py --port 9000 --secret whsec_...
    examples/api/webhook_receiver.py --port 0 --secret-file secret.txt

Each request's `X-Pika-Signature: sha256=<hex>` must be the HMAC-SHA256 of
the raw body keyed with the webhook's secret; requests that fail the check
get 401 (and are retried by the server). Deliveries are at-least-once, so
events are de-duplicated on their `id`. Each verified event is printed as
one line: `verified <event> <id> <job_id or ->`.
"""

import argparse
import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def expected_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000, help="0 picks a free port (printed)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--secret", help="the webhook's secret (whsec_...)")
    group.add_argument("--secret-file", help="a file holding the secret, read at each request")
    args = parser.parse_args()

    def secret() -> str:
        if args.secret is not None:
            return args.secret
        try:
            with open(args.secret_file, encoding="utf-8") as f:
                return f.read().strip()
        except OSError:
            return ""
    seen: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            signature = self.headers.get("x-pika-signature", "")
            key = secret()
            if not key or not hmac.compare_digest(signature, expected_signature(key, body)):
                print("rejected: bad signature", flush=True)
                self.send_response(401)
                self.end_headers()
                return
            event = json.loads(body)
            if event["id"] not in seen:
                seen.add(event["id"])
                print(f"verified {event['event']} {event['id']} {event.get('job_id', '-')}", flush=True)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
