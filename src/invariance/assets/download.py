"""Checksummed, atomic, retried downloads: a file is only ever at its final path if it verified.

A source is an http(s) URL, a ``file://`` URL or a local path (a mirror on a cluster without
internet: fetch once where there is a network, point the config at the copy). Transient network
faults are retried; what still fails raises one error naming the URL, the cause and the ways out.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from invariance.atomic import disk_full

WAYS_OUT = (
    "Ways out: run with the offline assets (`--config assets=offline`), point `asset_sources.paper.url` at "
    "the authors' copy of SI-Score's images (https://huggingface.co/datasets/tillspeicher/transforms_2d_base), "
    "or fetch the paper's data once where there is a network and point `asset_sources.paper` in config.yaml at "
    "the copy: `url` at a directory laid out like the bucket (foregrounds/<class>/<image>.png, "
    "backgrounds/<image>.jpg) and "
    "`cifar10_url` at cifar-10-python.tar.gz (docs/assets.md, 'Air-gapped clusters'). Finished files are kept."
)


class DownloadError(RuntimeError):
    pass


@dataclass
class Limits:
    """Bounds on one asset job's downloads (config `asset_sources.download`), so a server that streams forever
    neither fills the disk nor holds the run."""

    max_file_mb: float = 1024  # the largest asset, CIFAR-10's archive, is 163 MiB
    deadline_minutes: float = 180  # every download of one job; the paper's assets take minutes on a fast link
    started: float = field(default_factory=time.monotonic)

    def timeout(self) -> float:
        """A socket timeout that ends no later than the deadline (each read waits at most this long)."""
        return max(1.0, min(60.0, 60 * self.deadline_minutes - (time.monotonic() - self.started)))

    def check(self, url: str, written: int = 0) -> None:
        if written > self.max_file_mb * 2**20:
            raise DownloadError(
                f"{url} is larger than {self.max_file_mb:g} MiB (asset_sources.download.max_file_mb); nothing of it "
                f"was kept. Check the URL, or raise the limit. {WAYS_OUT}"
            )
        if time.monotonic() - self.started > 60 * self.deadline_minutes:
            raise DownloadError(
                f"the downloads did not finish within {self.deadline_minutes:g} minutes "
                f"(asset_sources.download.deadline_minutes), at {url}; finished files are kept, the rerun "
                f"continues. {WAYS_OUT}"
            )


LIMITS = Limits()


def limit(**settings: float) -> None:
    """Bounds for this process's downloads from now on (an asset job's `asset_sources.download`)."""
    global LIMITS
    LIMITS = Limits(**settings)


def local_path(source: str) -> Path | None:
    """The directory or file a source names on this machine, or None for a network URL."""
    parsed = urllib.parse.urlparse(source)
    if parsed.scheme == "file":
        return Path(urllib.request.url2pathname(parsed.path))
    if parsed.scheme in ("http", "https"):
        return None
    return Path(source).expanduser()


def as_url(source: str) -> str:
    path = local_path(source)
    return path.resolve().as_uri() if path is not None else source


def hexdigest(path: str | os.PathLike, algorithm: str = "md5", chunk: int = 1 << 20) -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def md5sum(path: str | os.PathLike) -> str:
    return hexdigest(path, "md5")


def _mismatch(path: Path, expected: dict[str, str | None]) -> str | None:
    """What differs between the file and the checksums its source published (None where it published none)."""
    for algorithm, want in expected.items():
        if want is not None and (got := hexdigest(path, algorithm)) != want:
            return f"checksum mismatch: {algorithm} {got}, expected {want}"
    return None


def _transient(e: Exception) -> bool:
    """Worth another try: timeouts, resets, 5xx, 408 and 429; not 403/404 or a missing local file."""
    if isinstance(e, urllib.error.HTTPError):
        return e.code >= 500 or e.code in (408, 429)
    if isinstance(e, FileNotFoundError) or isinstance(getattr(e, "reason", None), FileNotFoundError):
        return False
    return isinstance(e, (OSError, http.client.HTTPException))


def _cause(e: Exception) -> str:
    if isinstance(e, urllib.error.HTTPError):
        return f"HTTP {e.code} {e.reason}"
    if isinstance(e, urllib.error.URLError):
        return f"{type(e.reason).__name__}: {e.reason}"
    return f"{type(e).__name__}: {e}"


def fetch_bytes(url: str, timeout: float = 60, retries: int = 3, backoff: float = 1.0) -> bytes:
    """The body of ``url`` (a listing), retried on transient faults."""
    for attempt in range(1, retries + 1):
        LIMITS.check(url)
        try:
            body = bytearray()
            with urllib.request.urlopen(url, timeout=min(timeout, LIMITS.timeout())) as r:
                while block := r.read1(1 << 16):  # whatever has arrived: a trickle cannot outlast the checks
                    body += block
                    LIMITS.check(url, len(body))
            return bytes(body)
        except (OSError, http.client.HTTPException) as e:
            if attempt == retries or not _transient(e):
                raise DownloadError(
                    f"cannot fetch {url}: {_cause(e)} (attempt {attempt} of {retries}). {WAYS_OUT}"
                ) from None
            time.sleep(backoff * attempt)
    raise AssertionError("unreachable")


def download(
    url: str,
    dest: str | os.PathLike,
    md5: str | None = None,
    retries: int = 3,
    backoff: float = 1.0,
    sha256: str | None = None,
) -> Path:
    """Download ``url`` (or copy a local source) to ``dest`` unless a verified copy is already there.

    The bytes go to ``dest.partial-<pid>`` and are renamed only after the checksums the source
    published (MD5, SHA-256) match, so a killed run or a truncated transfer never leaves a file the
    next run would trust.
    """
    dest, url = Path(dest), as_url(url)
    expected = {"md5": md5, "sha256": sha256}
    if dest.exists() and _mismatch(dest, expected) is None:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f"{dest.name}.partial-{os.getpid()}")  # one per process: two runs never share it
    problem = ""
    for attempt in range(1, retries + 1):
        try:
            LIMITS.check(url)
            with urllib.request.urlopen(url, timeout=LIMITS.timeout()) as r, open(partial, "wb") as f:
                expected_len = r.headers.get("Content-Length")
                written = 0
                while block := r.read1(1 << 20):  # whatever has arrived: a trickle cannot outlast the checks
                    f.write(block)
                    written += len(block)
                    LIMITS.check(url, written)
            if expected_len is not None and written != int(expected_len):
                problem = f"truncated: got {written} of {expected_len} bytes"
            elif (mismatch := _mismatch(partial, expected)) is not None:
                problem = mismatch
            else:
                os.replace(partial, dest)
                return dest
        except DownloadError:
            partial.unlink(missing_ok=True)
            raise
        except (OSError, http.client.HTTPException) as e:  # refused, reset, timed out, IncompleteRead, HTTP errors
            if (full := disk_full(e, partial)) is not None:  # not the network's fault: no retry, no network advice
                partial.unlink(missing_ok=True)
                raise full from None
            problem = _cause(e)
            if not _transient(e):
                partial.unlink(missing_ok=True)
                break
        partial.unlink(missing_ok=True)
        if attempt < retries:
            time.sleep(backoff * attempt)
    raise DownloadError(
        f"download of {url} failed after {attempt} attempt(s) ({problem}). Nothing was kept at {dest}. {WAYS_OUT}"
    )
