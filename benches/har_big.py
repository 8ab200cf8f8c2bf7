#!/usr/bin/env python3
"""A large HAR for `tokensmith har`'s time and peak memory (issue 23: a 200 MB HAR in bounded
memory). Not a test. Writes a Chrome-shaped HAR of SIZE megabytes (default 200): page loads
with large script and image bodies (text and base64), API calls, and every 500th request a
token issued by the customer's endpoint and sent to the vendor (401).

  python3 benches/har_big.py /tmp/big.har 200
  cargo build --release
  /usr/bin/time -v target/release/tokensmith har /tmp/big.har > /dev/null
"""
import base64, json, os, sys

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/big.har"
size = int(sys.argv[2]) if len(sys.argv) > 2 else 200
here = os.path.dirname(os.path.abspath(__file__))
token = open(os.path.join(here, "..", "tests", "fixtures", "doctor", "tiledesk-iat-future.jwt")).read().strip()
script = "function f(a,b){return a+b}\n" * 2000  # about 56 KB of script
image = base64.b64encode(os.urandom(30_000)).decode()


def h(name, value):
    return {"name": name, "value": value}


def entry(i, url, status, mime, text, headers=(), encoding=None, sent=()):
    content = {"size": len(text), "mimeType": mime, "text": text}
    if encoding:
        content["encoding"] = encoding
    return {"startedDateTime": f"2026-01-01T00:{(i // 60) % 60:02d}:{i % 60:02d}.000Z",
            "request": {"method": "GET", "url": url, "httpVersion": "HTTP/2",
                        "headers": [h(":authority", url.split("/")[2]), h("cookie", "sid=abc")] + list(sent),
                        "cookies": [], "queryString": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": status, "statusText": "", "httpVersion": "HTTP/2",
                         "headers": [h("content-type", mime)] + list(headers), "cookies": [],
                         "content": content, "redirectURL": "", "headersSize": -1, "bodySize": len(text)},
            "cache": {}, "timings": {"send": 0, "wait": 10, "receive": 1}, "_resourceType": "fetch"}


with open(path, "w") as out:
    out.write('{"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "entries": [\n')
    written, i = 0, 0
    while written < size * 1_000_000:
        kind = i % 500
        if kind == 0:
            e = entry(i, "https://shop.example/api/tiledesk-jwt", 200, "application/json", json.dumps({"token": token}),
                      headers=[h("date", "Thu, 01 Jan 2026 00:00:00 GMT")])
        elif kind == 1:
            e = entry(i, "https://api.tiledesk.com/v3/auth/signinWithCustomToken", 401, "text/plain", "Unauthorized",
                      sent=[h("authorization", "JWT " + token)])
        elif kind % 3 == 0:
            e = entry(i, f"https://cdn.shop.example/app.{i}.js", 200, "application/javascript", script)
        elif kind % 3 == 1:
            e = entry(i, f"https://cdn.shop.example/img/{i}.png", 200, "image/png", image, encoding="base64")
        else:
            e = entry(i, f"https://shop.example/api/items?page={i}", 200, "application/json",
                      json.dumps({"items": [{"id": n, "name": f"item {n}"} for n in range(50)]}))
        text = ("," if i else "") + json.dumps(e)
        out.write(text)
        written += len(text)
        i += 1
    out.write("\n]}}\n")
print(f"{path}: {os.path.getsize(path) / 1e6:.0f} MB, {i} requests")
