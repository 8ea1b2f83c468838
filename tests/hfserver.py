"""A local stand-in for the Hugging Face Hub: a dataset repository's tree listing and file downloads on 127.0.0.1.

Files are Parquet as the ``datasets`` library writes them for ``push_to_hub``: ``<config>/train-NNNNN-of-NNNNN
.parquet``, an ``image`` struct of encoded ``bytes`` and ``path``, a ``label`` integer whose class names are in
the ``huggingface`` schema metadata.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyarrow as pa
import pyarrow.parquet as pq


def parquet(
    images: list[bytes], labels: list[int] | None = None, names: list[str] | None = None, paths: list[str] | None = None
) -> bytes:
    columns = {"image": pa.array([{"bytes": b, "path": p} for b, p in zip(images, paths or [None] * len(images))])}
    features = {"image": {"_type": "Image"}}
    if labels is not None:
        columns["label"] = pa.array(labels, pa.int64())
        features["label"] = {"names": names, "_type": "ClassLabel"}
    table = pa.table(columns).replace_schema_metadata({"huggingface": json.dumps({"info": {"features": features}})})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


class HubRepo:
    def __init__(self, name: str, files: dict[str, bytes]):
        self.name = name
        self.files = files  # path in the repository -> bytes
        self.requests: list[str] = []

    def tree(self, folder: str) -> bytes:
        entries = [
            {
                "type": "file",
                "oid": hashlib.sha1(body).hexdigest(),
                "size": len(body),
                "path": path,
                "lfs": {"oid": hashlib.sha256(body).hexdigest(), "size": len(body), "pointerSize": 134},
            }
            for path, body in sorted(self.files.items())
            if path.rpartition("/")[0] == folder
        ]
        return json.dumps(entries).encode()


class LocalHub:
    """``with LocalHub(repo) as url:`` serves ``url`` = ``http://127.0.0.1:<port>/datasets/<owner>/<name>``."""

    def __init__(self, repo: HubRepo):
        self.repo = repo

    def __enter__(self) -> str:
        repo = self.repo

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = urllib.parse.unquote(urllib.parse.urlparse(self.path).path)
                repo.requests.append(path)
                tree, resolve = f"/api/datasets/{repo.name}/tree/main/", f"/datasets/{repo.name}/resolve/main/"
                if path.startswith(tree):
                    return self._send(repo.tree(path[len(tree) :]))
                if path.startswith(resolve) and path[len(resolve) :] in repo.files:
                    return self._send(repo.files[path[len(resolve) :]])
                self.send_error(404)

            def _send(self, body: bytes):
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}/datasets/{repo.name}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
