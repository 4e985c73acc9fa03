"""A Hugging Face hub that misbehaves, for tests of the hub client's limits.

Usage: python3 hostile_hub.py MAX_REQUESTS [BIND_ADDRESS]

Prints "PORT <n>" once it listens, then "REQ <path> <auth>" for every request (auth is "token" when an
Authorization header came, else "-"). It serves at most MAX_REQUESTS requests and at most 120 seconds, then exits.
The repository name picks the misbehaviour; each lists gliner_config.json (492 bytes), tokenizer.json and an LFS
model.onnx, and misbehaves on gliner_config.json:

  acme/oversized       the file body runs on (chunked) far past its listed size
  acme/longer          the file's Content-Length is 10 MB
  acme/huge-listing    the revision listing is 64 MB of JSON
  acme/trickle         the file arrives one byte every 50 ms
  acme/signed          the file redirects to a signed URL on another host name (localhost) that answers 403
  acme/file-redirect   the file redirects to file:///etc/passwd
  anything else        a plain listing
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"
MAX_REQUESTS = int(sys.argv[1])
BIND = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
lock = threading.Lock()
served = 0


def listing():
    return json.dumps({
        "sha": COMMIT,
        "siblings": [
            {"rfilename": "gliner_config.json", "size": 492, "blobId": "1" * 40},
            {"rfilename": "tokenizer.json", "size": 10, "blobId": "2" * 40},
            {"rfilename": "model.onnx", "size": 100, "blobId": "3" * 40,
             "lfs": {"sha256": "4" * 64, "size": 100, "pointerSize": 134}},
        ],
    }).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        global served
        with lock:
            served += 1
            last = served >= MAX_REQUESTS
        print("REQ", self.path, "token" if self.headers.get("Authorization") else "-", flush=True)
        try:
            self.answer()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            if last:
                threading.Thread(target=self.server.shutdown, daemon=True).start()

    def answer(self):
        path = self.path.split("?")[0]
        parts = path.strip("/").split("/")
        if path.startswith("/cdn/"):
            self.send(403, b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>")
            return
        if path.startswith("/api/models/"):
            repo = "/".join(parts[2:4])
            if repo == "acme/huge-listing":
                self.chunked(b'{"sha": "' + COMMIT.encode() + b'", "siblings": [', b'{"rfilename": "x", "size": 1},' * 2000, 64 << 20)
            else:
                self.send(200, listing(), "application/json")
            return
        repo = "/".join(parts[0:2])
        if repo == "acme/oversized":
            self.chunked(b"", b"{" * 65536, 200 << 20)
        elif repo == "acme/longer":
            self.send_response(200)
            self.send_header("Content-Length", str(10_000_000))
            self.end_headers()
            for _ in range(10_000_000 // 65536):
                self.wfile.write(b" " * 65536)
        elif repo == "acme/trickle":
            self.send_response(200)
            self.send_header("Content-Length", "492")
            self.end_headers()
            for _ in range(492):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        elif repo == "acme/signed":
            port = self.server.server_address[1]
            self.redirect("http://localhost:%d/cdn/%s?X-Amz-Signature=SECRETSIGNATURE&X-Amz-Expires=10" % (port, "4" * 64))
        elif repo == "acme/file-redirect":
            self.redirect("file:///etc/passwd")
        else:
            self.send(404, b"")

    def send(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def chunked(self, head, piece, total):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        for data in [head] + [piece] * (total // len(piece)):
            if data:
                self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
                sent += len(data)
        self.wfile.write(b"0\r\n\r\n")


server = ThreadingHTTPServer((BIND, 0), Handler)
server.daemon_threads = True
deadline = threading.Timer(120, server.shutdown)
deadline.daemon = True
deadline.start()
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
sys.exit(0)
