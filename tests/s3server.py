"""A local stand-in for the SI-Score S3 bucket: ListObjectsV2 pages and plain GETs on 127.0.0.1."""

from __future__ import annotations

import hashlib
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

NS = "http://s3.amazonaws.com/doc/2006-03-01/"


class Bucket:
    def __init__(self, files: dict[str, bytes], page_size: int = 3):
        self.files = files
        self.page_size = page_size
        self.faults: dict[str, list[str]] = {}  # key -> faults to serve first ("truncate", "corrupt")
        self.requests: list[str] = []

    def listing(self, prefix: str, token: str | None) -> bytes:
        keys = sorted(k for k in self.files if k.startswith(prefix))
        start = int(token or 0)
        page = keys[start : start + self.page_size]
        more = start + self.page_size < len(keys)
        items = "".join(
            f"<Contents><Key>{escape(k)}</Key><ETag>&quot;{hashlib.md5(self.files[k]).hexdigest()}&quot;</ETag>"
            f"<Size>{len(self.files[k])}</Size></Contents>"
            for k in page
        )
        nxt = f"<NextContinuationToken>{start + self.page_size}</NextContinuationToken>" if more else ""
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="{NS}"><Prefix>{escape(prefix)}'
            f"</Prefix><IsTruncated>{'true' if more else 'false'}</IsTruncated>{items}{nxt}"
            "</ListBucketResult>"
        ).encode()


def _handler(bucket: Bucket):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            bucket.requests.append(self.path)
            if url.path in ("/", ""):
                q = urllib.parse.parse_qs(url.query)
                body = bucket.listing(q.get("prefix", [""])[0], q.get("continuation-token", [None])[0])
                return self._send(body)
            key = urllib.parse.unquote(url.path.lstrip("/"))
            if key not in bucket.files:
                self.send_error(404)
                return
            body = bucket.files[key]
            faults = bucket.faults.get(key, [])
            fault = faults.pop(0) if faults else None
            if fault == "truncate":
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return
            if fault == "corrupt":
                body = bytes(b ^ 0xFF for b in body)
            self._send(body)

        def _send(self, body: bytes):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


class LocalS3:
    """Context manager: ``with LocalS3(bucket) as url: ...`` serves on 127.0.0.1, stops on exit."""

    def __init__(self, bucket: Bucket):
        self.bucket = bucket
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(bucket))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
