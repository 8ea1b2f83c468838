"""A Hugging Face dataset repository's Parquet files: listed, SHA-256-verified, read as images and labels.

The authors publish SI-Score's images as the dataset ``tillspeicher/transforms_2d_base`` with two
configurations, ``foregrounds`` (an ``image`` and a ``label`` column) and ``backgrounds`` (an ``image``
column), each one split written by the ``datasets`` library: ``<config>/<split>-NNNNN-of-NNNNN.parquet``,
an image as a struct of its encoded ``bytes`` and ``path``, a class label as an integer whose names
are in the file's ``huggingface`` schema metadata. The Hub lists a folder at
``<host>/api/datasets/<repo>/tree/<revision>/<config>`` (each file's Git LFS SHA-256 beside it) and
serves a file at ``<host>/datasets/<repo>/resolve/<revision>/<path>``.

Only Parquet is read (no pickle, no dataset script), images only as PNG or JPEG, and a listed path
is used only when it is a plain file name inside the configuration's folder.
"""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
from PIL import Image

from invariance.assets.download import WAYS_OUT, DownloadError, download, fetch_bytes

REVISION = "main"
_REPO_URL = re.compile(r"^(?P<host>https?://[^/]+)/datasets/(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/?$")
_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.parquet")
IMAGE_FORMATS = ["PNG", "JPEG"]


def repo(url: str) -> tuple[str, str] | None:
    """(host, owner/name) when ``url`` names a Hub dataset (``https://huggingface.co/datasets/<owner>/<name>``)."""
    m = _REPO_URL.match(url)
    return (m["host"], m["repo"]) if m else None


def parquet_files(url: str, config: str) -> list[tuple[str, str]]:
    """(path, SHA-256) of the configuration's Parquet files, in name order."""
    host, name = repo(url)
    listing = f"{host}/api/datasets/{name}/tree/{REVISION}/{urllib.parse.quote(config)}"
    try:
        entries = json.loads(fetch_bytes(listing))
    except ValueError:
        raise DownloadError(f"the Hugging Face listing {listing} is not JSON; is {url} a dataset? {WAYS_OUT}") from None
    files = []
    for e in entries if isinstance(entries, list) else []:
        path = str(e.get("path", ""))
        if e.get("type") != "file" or not path.endswith(".parquet"):
            continue
        folder, _, file = path.rpartition("/")
        if folder != config or not _FILE.fullmatch(file):
            raise DownloadError(
                f"the Hugging Face listing {listing} names {path!r}, which is not a Parquet file of {config}/; "
                f"nothing was downloaded. {WAYS_OUT}"
            )
        sha256 = (e.get("lfs") or {}).get("oid")
        if not sha256:  # Parquet is stored through Git LFS, whose SHA-256 the listing gives
            raise DownloadError(
                f"the Hugging Face listing {listing} gives no SHA-256 for {path}; nothing was kept. {WAYS_OUT}"
            )
        files.append((path, sha256))
    if not files:
        raise DownloadError(f"the Hugging Face listing {listing} has no Parquet files of {config!r}. {WAYS_OUT}")
    return sorted(files)


def _label_names(schema) -> list[str] | None:
    meta = (schema.metadata or {}).get(b"huggingface")
    if meta is None:
        return None
    label = json.loads(meta).get("info", {}).get("features", {}).get("label", {})
    return label.get("names")


def rows(url: str, config: str, cache: Path) -> Iterator[tuple[str | None, str | None, bytes]]:
    """(label name or None, the image's file name or None, encoded image) of every row of the configuration,
    file by file in name order."""
    host, name = repo(url)
    for path, sha256 in parquet_files(url, config):
        local = download(
            f"{host}/datasets/{name}/resolve/{REVISION}/{urllib.parse.quote(path)}",
            cache / "huggingface" / path,
            sha256=sha256,
        )
        table = pq.read_table(local)
        if "image" not in table.column_names:
            raise DownloadError(f"{path} of {url} has no 'image' column (it has {table.column_names}). {WAYS_OUT}")
        names = _label_names(table.schema)
        labels = table.column("label").to_pylist() if "label" in table.column_names else [None] * len(table)
        for image, label in zip(table.column("image").to_pylist(), labels, strict=True):
            if isinstance(label, int) and names is not None:
                if not 0 <= label < len(names):
                    raise DownloadError(f"{path} of {url} has the label {label}, not one of its {len(names)} classes")
                label = names[label]
            file_name = Path(image.get("path") or "").name or None
            yield (None if label is None else str(label)), file_name, image["bytes"]


def open_image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
