"""Checksummed, atomic, retried downloads: a file is only ever at its final path if it verified."""

from __future__ import annotations

import hashlib
import http.client
import os
import time
import urllib.request
from pathlib import Path


class DownloadError(RuntimeError):
    pass


def md5sum(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def fetch_bytes(url: str, timeout: float = 60) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def download(url: str, dest: str | os.PathLike, md5: str | None, retries: int = 3, backoff: float = 1.0) -> Path:
    """Download ``url`` to ``dest`` unless a verified copy is already there.

    The bytes go to ``dest.partial`` and are renamed only after the MD5 matches, so a
    killed run or a truncated transfer never leaves a file the next run would trust.
    """
    dest = Path(dest)
    if dest.exists() and (md5 is None or md5sum(dest) == md5):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    problem = ""
    for attempt in range(1, retries + 1):
        try:
            with urllib.request.urlopen(url, timeout=60) as r, open(partial, "wb") as f:
                expected_len = r.headers.get("Content-Length")
                written = 0
                while block := r.read(1 << 20):
                    f.write(block)
                    written += len(block)
            if expected_len is not None and written != int(expected_len):
                problem = f"truncated: got {written} of {expected_len} bytes"
            elif md5 is not None and (got := md5sum(partial)) != md5:
                problem = f"checksum mismatch: md5 {got}, expected {md5}"
            else:
                os.replace(partial, dest)
                return dest
        except (OSError, http.client.HTTPException) as e:  # refused, reset, timed out, IncompleteRead
            problem = f"{type(e).__name__}: {e}"
        partial.unlink(missing_ok=True)
        if attempt < retries:
            time.sleep(backoff * attempt)
    raise DownloadError(
        f"download of {url} failed after {retries} attempts ({problem}). Nothing was kept at {dest}. "
        "Check the network or the URL in config.yaml (assets.paper), then rerun: finished files are kept."
    )
