"""The paper's asset pool: SI-Score foregrounds and backgrounds from their public S3 bucket, or a copy
(a local mirror of the bucket, or the authors' Hugging Face dataset, ``assets/huggingface.py``).

The bucket holds ``foregrounds/<class>/<image>.png`` (RGBA) and ``backgrounds/<image>.jpg``.
Files are listed with S3's ListObjectsV2 and each is verified against its ETag, which S3
sets to the MD5 of a single-part upload. A local mirror (a directory, or a ``file://`` URL,
with the same layout) is listed by walking it; it publishes no MD5, so its files are read as
they are. As in the paper (App. A), one image per foreground class is drawn at random as its
prototype: the draw is fixed by PROTOTYPE_SEED and the class name, so a class added to the bucket
changes no other class's prototype.
"""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from invariance.assets import BACKGROUND_POOL_SIZE, FOREGROUND_POOL_SIZE, SIZE, huggingface
from invariance.assets.download import WAYS_OUT, DownloadError, download, fetch_bytes, local_path

DEFAULT_URL = "https://s3.us-east-1.amazonaws.com/si-score-dataset"
_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
PROTOTYPE_SEED = 0


@dataclass(frozen=True)
class RemoteFile:
    key: str
    md5: str | None  # None when the ETag is not an MD5 (multipart uploads carry a '-')


def list_mirror(root: Path, prefix: str) -> list[RemoteFile]:
    if not (root / prefix).is_dir():
        raise DownloadError(f"the local SI-Score mirror {root} has no {prefix} directory. {WAYS_OUT}")
    return [RemoteFile(p.relative_to(root).as_posix(), None) for p in sorted((root / prefix).rglob("*")) if p.is_file()]


# SI-Score's bucket lists in pages of 1000 keys, a few pages in all; a listing that never ends is refused.
MAX_LIST_PAGES = 100
# The bucket's layout: foregrounds/<class>/<image>, backgrounds/<image>; a part is a plain file name.
_PARTS = {"foregrounds/": 3, "backgrounds/": 2}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()+,-]*")


def checked_key(key: str, prefix: str) -> str:
    """A listing's key, if it names a file of the bucket's layout under ``prefix``: never an absolute path,
    a ``..`` or a folder elsewhere, so nothing it names can be written outside the download cache."""
    parts = key.split("/")
    if (
        not key.startswith(prefix)
        or len(parts) != _PARTS[prefix]
        or not all(_NAME.fullmatch(p) and p not in (".", "..") for p in parts)
    ):
        raise DownloadError(
            f"the SI-Score listing names {key!r}, which is not a file of the bucket's layout "
            f"({prefix}{'<class>/' if _PARTS[prefix] == 3 else ''}<image>); nothing was downloaded. {WAYS_OUT}"
        )
    return key


def list_bucket(base_url: str, prefix: str) -> list[RemoteFile]:
    if (root := local_path(base_url)) is not None:
        return list_mirror(root, prefix)
    files, token = [], None
    for _ in range(MAX_LIST_PAGES):
        query = {"list-type": "2", "prefix": prefix}
        if token:
            query["continuation-token"] = token
        root = ET.fromstring(fetch_bytes(f"{base_url}/?{urllib.parse.urlencode(query)}"))
        for c in root.iter(f"{_NS}Contents"):
            key = c.findtext(f"{_NS}Key")
            etag = (c.findtext(f"{_NS}ETag") or "").strip('"')
            if key and not key.endswith("/"):
                files.append(RemoteFile(checked_key(key, prefix), etag if etag and "-" not in etag else None))
        if root.findtext(f"{_NS}IsTruncated") != "true":
            return files
        token = root.findtext(f"{_NS}NextContinuationToken")
        if not token:
            raise DownloadError(
                f"the SI-Score listing at {base_url} is truncated but gives no continuation. {WAYS_OUT}"
            )
    raise DownloadError(
        f"the SI-Score listing at {base_url} did not end within {MAX_LIST_PAGES} pages; is it SI-Score's bucket? "
        f"{WAYS_OUT}"
    )


def one_per_class(files: list[RemoteFile], seed: int = PROTOTYPE_SEED) -> dict[str, RemoteFile]:
    """Class name -> its prototype: one of the class's images, drawn with (seed, class name)."""
    images: dict[str, list[RemoteFile]] = {}
    for f in sorted(files, key=lambda f: f.key):
        parts = f.key.split("/")
        if len(parts) == 3 and parts[2].lower().endswith(".png"):
            images.setdefault(parts[1], []).append(f)
    return {
        name: fs[int(np.random.default_rng([seed, zlib.crc32(name.encode())]).integers(len(fs)))]
        for name, fs in images.items()
    }


def _fetch(base_url: str, f: RemoteFile, cache: Path) -> Path:
    if (root := local_path(base_url)) is not None:
        return root / f.key  # a mirror is read in place
    return download(f"{base_url}/{urllib.parse.quote(f.key)}", cache / f.key, f.md5)


def _open(source: Path | bytes) -> Image.Image:
    """Only PNG and JPEG are decoded: a file of the source is data, whatever its name says."""
    return huggingface.open_image(source) if isinstance(source, bytes) else Image.open(source, formats=["PNG", "JPEG"])


def _square(img: Image.Image, fill) -> Image.Image:
    side = max(img.size)
    out = Image.new(img.mode, (side, side), fill)
    out.paste(img, ((side - img.width) // 2, (side - img.height) // 2))
    return out


def load_foreground(source: Path | bytes) -> np.ndarray:
    img = _open(source).convert("RGBA")
    img = _square(img.crop(img.getbbox() or (0, 0, *img.size)), (0, 0, 0, 0))
    return np.asarray(img.resize((SIZE, SIZE), Image.Resampling.LANCZOS), dtype=np.uint8)


def load_background(source: Path | bytes) -> np.ndarray:
    img = _open(source).convert("RGB")
    side = min(img.size)
    left, top = (img.width - side) // 2, (img.height - side) // 2
    img = img.crop((left, top, left + side, top + side))
    return np.asarray(img.resize((SIZE, SIZE), Image.Resampling.BILINEAR), dtype=np.uint8)


def _from_bucket(base_url: str, cache: Path) -> tuple[dict[str, Path], list[Path]]:
    """Each foreground class's prototype and every background, as files, from the bucket or a mirror."""
    classes = one_per_class(list_bucket(base_url, "foregrounds/"))
    images = (".jpg", ".jpeg", ".png")
    bg_files = sorted(
        (f for f in list_bucket(base_url, "backgrounds/") if f.key.lower().endswith(images)), key=lambda f: f.key
    )
    return (
        {name: _fetch(base_url, f, cache) for name, f in classes.items()},
        [_fetch(base_url, f, cache) for f in bg_files],
    )


def _from_hugging_face(url: str, cache: Path) -> tuple[dict[str, bytes], list[bytes]]:
    """The same from the authors' Hugging Face copy. Where its rows carry the images' file names, the
    prototypes are drawn and the backgrounds ordered by them, as from the bucket, whatever the rows' order;
    where they do not, by row order, and the pool is the bucket's only if the rows are in its order."""
    encoded: dict[str, bytes] = {}
    for i, (label, name, data) in enumerate(huggingface.rows(url, "foregrounds", cache)):
        if label is None or not _NAME.fullmatch(label):
            raise DownloadError(f"a foreground of {url} has the label {label!r}, not a class name. {WAYS_OUT}")
        file = name if name and _NAME.fullmatch(name) else f"{i:06d}"
        key = f"foregrounds/{label}/{file}" + (
            "" if file.lower().endswith(".png") else ".png"
        )  # as one_per_class reads
        if key in encoded:
            raise DownloadError(f"{url} has two foregrounds of class {label} named {file}. {WAYS_OUT}")
        encoded[key] = data
    classes = one_per_class([RemoteFile(key, None) for key in encoded])
    rows = list(huggingface.rows(url, "backgrounds", cache))
    if all(name for _, name, _ in rows):
        rows.sort(key=lambda row: row[1])
    return {name: encoded[f.key] for name, f in classes.items()}, [data for _, _, data in rows]


def build_pool(
    cache_dir: str | Path,
    base_url: str = DEFAULT_URL,
    n_foregrounds: int = FOREGROUND_POOL_SIZE,
) -> dict[str, np.ndarray]:
    """The pool from SI-Score's bucket, a mirror of it, or the authors' Hugging Face copy.

    Every background the source has is kept, however many: the count is the pool's, and the
    figures state it (the paper's is BACKGROUND_POOL_SIZE).
    """
    cache = Path(cache_dir)
    read = _from_hugging_face if huggingface.repo(base_url) else _from_bucket
    classes, backgrounds = read(base_url, cache)
    if len(classes) < n_foregrounds:
        raise DownloadError(
            f"the SI-Score source {base_url} has {len(classes)} foreground classes, "
            f"expected {n_foregrounds}: check asset_sources.paper.url in config.yaml. {WAYS_OUT}"
        )
    if not backgrounds:
        raise DownloadError(
            f"the SI-Score source {base_url} has no background images: check asset_sources.paper.url in "
            f"config.yaml, or complete the mirror. {WAYS_OUT}"
        )
    if len(backgrounds) != BACKGROUND_POOL_SIZE:
        print(f"{base_url} has {len(backgrounds)} background images (the paper: {BACKGROUND_POOL_SIZE}); all are used")
    names = sorted(classes)[:n_foregrounds]
    return {
        "foregrounds": np.stack([load_foreground(classes[n]) for n in names]),
        "foreground_names": np.array(names),
        "backgrounds": np.stack([load_background(b) for b in backgrounds]),
    }


LICENSE_TEXT = """Paper asset pool: SI-Score (Djolonga et al., 2021), https://github.com/google-research/si-score,
downloaded from {url}. Foregrounds are segmented from OpenImages (CC-licensed; attributions on the
OpenImages site), one image kept per class; backgrounds come from Pexels.com (Pexels license).
Files from the bucket were verified against the MD5 in their S3 ETag, files from Hugging Face against
their SHA-256; a local mirror is read as it is. {backgrounds} background images.
"""
