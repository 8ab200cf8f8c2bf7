#!/usr/bin/env python3
"""The three sides of a widget sign-in on one local port, told apart by the Host header, for
tests/har_capture.rs: the customer's shop (shop.example: its page and /api/tiledesk-jwt, which
answers {"token": $TOKEN}), the vendor's loader (widget.tiledesk.com: a stand-in launch.js)
and the vendor's API (api.tiledesk.com: POST /v3/auth/signinWithCustomToken answers 401, as
Tiledesk does for a token issued in the future). Chromium reaches all three through
--host-resolver-rules. Prints the port, then serves until killed; SERVER_LOG=1 logs each
request on stderr.

  TOKEN=eyJ... python3 tests/har_capture/server.py
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = os.environ["TOKEN"]
VENDOR_API = "/v3/auth/signinWithCustomToken"


def read(name, port):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read().replace("{PORT}", str(port)).encode()


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 with a Content-Length on every answer: Chromium keeps the connection.
    protocol_version = "HTTP/1.1"

    def host(self):
        return self.headers.get("Host", "").split(":")[0].lower()

    def answer(self, status, mime, body, extra=()):
        # send_response writes the server's own Date header: the clock the token is held to.
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def cors(self):
        origin = self.headers.get("Origin", "")
        return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")] if origin else []

    def do_GET(self):
        port = self.server.server_address[1]
        host, path = self.host(), self.path.split("?")[0]
        if host == "shop.example" and path == "/":
            cookie = ("Set-Cookie", "shop_session=capture-session-cookie; Path=/; HttpOnly; SameSite=Lax")
            self.answer(200, "text/html; charset=utf-8", read("shop.html", port), [cookie])
        elif host == "shop.example" and path == "/api/tiledesk-jwt":
            self.answer(200, "application/json", json.dumps({"token": TOKEN}).encode())
        elif host == "widget.tiledesk.com" and path == "/v5/launch.js":
            self.answer(200, "application/javascript", read("launch.js", port), self.cors())
        else:
            self.answer(404, "text/plain", b"Not Found")

    def do_OPTIONS(self):
        # The preflight of the vendor's cross-origin POST with an Authorization header.
        if self.host() == "api.tiledesk.com" and self.path == VENDOR_API:
            allow = [("Access-Control-Allow-Methods", "POST"),
                     ("Access-Control-Allow-Headers", "authorization, content-type"),
                     ("Access-Control-Max-Age", "600")]
            self.answer(204, "text/plain", b"", self.cors() + allow)
        else:
            self.answer(404, "text/plain", b"Not Found")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(length, 65536))
        if self.host() == "api.tiledesk.com" and self.path == VENDOR_API:
            self.answer(401, "text/plain", b"Unauthorized", self.cors())
        else:
            self.answer(404, "text/plain", b"Not Found")

    def log_message(self, fmt, *args):
        # Quiet unless asked: the test's output stays the test's (errors still reach stderr).
        if os.environ.get("SERVER_LOG") == "1":
            sys.stderr.write("server: " + (fmt % args) + "\n")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
