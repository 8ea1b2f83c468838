import contextlib
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from hfserver import HubRepo, LocalHub, parquet
from PIL import Image
from s3server import Bucket, LocalS3

from invariance.assets import BACKGROUND_POOL_SIZE, FOREGROUND_POOL_SIZE, offline, siscore
from invariance.assets.download import DownloadError, download


def test_offline_pool_has_61_distinct_alpha_masked_objects_and_photo_backgrounds(pool):
    fg, bg = pool["foregrounds"], pool["backgrounds"]
    assert fg.shape == (FOREGROUND_POOL_SIZE, 32, 32, 4) and fg.dtype == np.uint8
    assert len(set(pool["foreground_names"].tolist())) == FOREGROUND_POOL_SIZE
    coverage = (fg[..., 3] > 0).mean((1, 2))
    assert coverage.min() > 0.1 and coverage.max() < 1.0  # real objects with transparent surroundings
    assert len({f.tobytes() for f in fg}) == FOREGROUND_POOL_SIZE
    assert bg.shape == (BACKGROUND_POOL_SIZE, 32, 32, 3)
    assert bg.std() > 20  # natural images, not flat colour


def test_offline_pool_is_deterministic(pool):
    again = offline.build_pool()
    assert all(np.array_equal(pool[k], again[k]) for k in pool)


def test_license_names_openmoji_and_cc_by_sa():
    text = offline.license_text()
    assert "OpenMoji" in text and "CC BY-SA 4.0" in text


def _png(rgba):
    buf = io.BytesIO()
    Image.fromarray(rgba).save(buf, format="PNG")
    return buf.getvalue()


def _jpg(rgb):
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG")
    return buf.getvalue()


SMALL = {"n_foregrounds": 4}  # the bucket below: 4 classes, 5 backgrounds


@pytest.fixture
def siscore_bucket():
    rng = np.random.default_rng(0)
    files = {}
    for c in ("banana", "car", "dog", "zebra"):
        for i in range(2):  # several images per class: only the first is kept
            img = np.zeros((40, 60, 4), np.uint8)
            img[5:35, 10 + i : 50, :3] = rng.integers(0, 255, 3)
            img[5:35, 10 + i : 50, 3] = 255
            files[f"foregrounds/{c}/{i:04d}.png"] = _png(img)
    for i in range(5):
        files[f"backgrounds/{i:03d}.jpg"] = _jpg(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8))
    return Bucket(files, page_size=3)  # forces paginated listings


def test_siscore_pool_from_a_local_bucket(siscore_bucket, tmp_path):
    with LocalS3(siscore_bucket) as url:
        pool = siscore.build_pool(tmp_path / "cache", url, **SMALL)
    assert pool["foreground_names"].tolist() == ["banana", "car", "dog", "zebra"]
    assert pool["foregrounds"].shape == (4, 32, 32, 4) and pool["backgrounds"].shape == (5, 32, 32, 3)
    fetched = [r for r in siscore_bucket.requests if "list-type" not in r and "foregrounds/" in r]
    chosen = siscore.one_per_class([siscore.RemoteFile(k, None) for k in siscore_bucket.files])
    assert sorted(fetched) == sorted(f"/{f.key}" for f in chosen.values())  # one prototype per class
    assert any("continuation-token" in r for r in siscore_bucket.requests)
    assert (tmp_path / "cache" / chosen["dog"].key).exists()


def test_prototypes_are_drawn_at_random_with_a_fixed_seed():
    files = [siscore.RemoteFile(f"foregrounds/c{c:02d}/{i:04d}.png", None) for c in range(20) for i in range(5)]
    chosen = siscore.one_per_class(files)
    assert chosen == siscore.one_per_class(list(reversed(files)))  # the listing's order does not matter
    assert len({f.key.rsplit("/", 1)[1] for f in chosen.values()}) > 1  # not always the first (or any one) image
    assert chosen != siscore.one_per_class(files, seed=1)
    fewer = siscore.one_per_class([f for f in files if not f.key.startswith("foregrounds/c00/")])
    assert fewer == {k: v for k, v in chosen.items() if k != "c00"}  # a class's draw ignores the others


def test_a_background_count_other_than_siscores_882_is_kept_and_said(siscore_bucket, tmp_path, capsys):
    with LocalS3(siscore_bucket) as url:
        pool = siscore.build_pool(tmp_path / "cache", url, n_foregrounds=4)
    assert len(pool["backgrounds"]) == 5 != BACKGROUND_POOL_SIZE
    assert f"has 5 background images (the paper: {BACKGROUND_POOL_SIZE}); all are used" in capsys.readouterr().out
    empty = Bucket({k: v for k, v in siscore_bucket.files.items() if k.startswith("foregrounds/")})
    with LocalS3(empty) as url, pytest.raises(DownloadError, match="has no background images"):
        siscore.build_pool(tmp_path / "cache", url, n_foregrounds=4)


@pytest.fixture
def hub_copy(siscore_bucket):
    """The bucket's images as the authors' Hugging Face copy holds them: two Parquet files per configuration,
    the rows in another order than the bucket's names, each image with its file name."""
    fgs = sorted((k for k in siscore_bucket.files if k.startswith("foregrounds/")), reverse=True)
    names = sorted({k.split("/")[1] for k in fgs})
    labels = [names.index(k.split("/")[1]) for k in fgs]
    bgs = sorted((k for k in siscore_bucket.files if k.startswith("backgrounds/")), reverse=True)
    fg_images, bg_images = ([siscore_bucket.files[k] for k in keys] for keys in (fgs, bgs))
    fg_paths, bg_paths = ([k.rsplit("/", 1)[1] for k in keys] for keys in (fgs, bgs))
    return HubRepo(
        "tillspeicher/transforms_2d_base",
        {
            "foregrounds/train-00000-of-00002.parquet": parquet(fg_images[:5], labels[:5], names, fg_paths[:5]),
            "foregrounds/train-00001-of-00002.parquet": parquet(fg_images[5:], labels[5:], names, fg_paths[5:]),
            "backgrounds/train-00000-of-00002.parquet": parquet(bg_images[:2], paths=bg_paths[:2]),
            "backgrounds/train-00001-of-00002.parquet": parquet(bg_images[2:], paths=bg_paths[2:]),
            "README.md": b"---\nconfigs: ...\n---\n",
        },
    )


def test_the_pool_from_the_authors_hugging_face_copy_matches_the_buckets(siscore_bucket, hub_copy, tmp_path):
    with LocalS3(siscore_bucket) as url:
        bucket = siscore.build_pool(tmp_path / "s3", url, **SMALL)
    with LocalHub(hub_copy) as url:
        hub = siscore.build_pool(tmp_path / "hf", url, **SMALL)
        n = len(hub_copy.requests)
        again = siscore.build_pool(tmp_path / "hf", url, **SMALL)
    assert all(np.array_equal(bucket[k], hub[k]) for k in ("foregrounds", "foreground_names", "backgrounds"))
    # Every prototype is a draw among its class's images, as from the bucket, even where that is not the first.
    assert all(np.array_equal(again[k], hub[k]) for k in hub)
    assert all("/tree/" in r for r in hub_copy.requests[n:])  # verified files are not fetched again
    assert len(list((tmp_path / "hf").rglob("*.parquet"))) == 4


def test_a_hugging_face_file_that_fails_its_sha256_or_a_path_outside_its_folder_is_refused(hub_copy, tmp_path):
    tree = hub_copy.tree
    hub_copy.tree = lambda folder: tree(folder).replace(b'"lfs": {"oid": "', b'"lfs": {"oid": "0', 1)
    with LocalHub(hub_copy) as url, pytest.raises(DownloadError, match="checksum mismatch: sha256"):
        siscore.build_pool(tmp_path / "a", url, **SMALL)
    assert not list((tmp_path / "a").rglob("*.parquet"))
    hub_copy.tree = lambda folder: tree(folder).replace(b'"lfs": {"oid": "', b'"lfs": {"x": "')
    with LocalHub(hub_copy) as url, pytest.raises(DownloadError, match="gives no SHA-256"):
        siscore.build_pool(tmp_path / "a", url, **SMALL)
    import json as json_

    hub_copy.tree = lambda folder: json_.dumps([{"type": "file", "path": "foregrounds/../../x.parquet"}]).encode()
    with LocalHub(hub_copy) as url, pytest.raises(DownloadError, match="not a Parquet file of foregrounds/"):
        siscore.build_pool(tmp_path / "b", url, **SMALL)
    assert not (tmp_path / "b").exists()


def test_truncated_then_good_download_is_retried_and_verified(siscore_bucket, tmp_path):
    key = "backgrounds/001.jpg"
    siscore_bucket.faults[key] = ["truncate", "corrupt"]
    import hashlib

    md5 = hashlib.md5(siscore_bucket.files[key]).hexdigest()
    with LocalS3(siscore_bucket) as url:
        path = download(f"{url}/{key}", tmp_path / "x.jpg", md5, retries=3, backoff=0)
    assert path.read_bytes() == siscore_bucket.files[key]
    assert not list(tmp_path.glob("x.jpg.partial*"))


def test_persistently_corrupt_download_fails_clearly_and_leaves_nothing(siscore_bucket, tmp_path):
    key = "backgrounds/002.jpg"
    siscore_bucket.faults[key] = ["corrupt"] * 3
    import hashlib

    md5 = hashlib.md5(siscore_bucket.files[key]).hexdigest()
    with LocalS3(siscore_bucket) as url:
        with pytest.raises(DownloadError, match=r"failed after 3 attempt\(s\) \(checksum mismatch.*Nothing was kept"):
            download(f"{url}/{key}", tmp_path / "y.jpg", md5, retries=3, backoff=0)
    assert list(tmp_path.iterdir()) == []


def test_a_verified_file_is_not_downloaded_again(siscore_bucket, tmp_path):
    with LocalS3(siscore_bucket) as url:
        siscore.build_pool(tmp_path, url, **SMALL)
        n = len(siscore_bucket.requests)
        siscore.build_pool(tmp_path, url, **SMALL)
    # Only the listings are fetched again.
    assert all("list-type" in r for r in siscore_bucket.requests[n:])


class _Failing:
    """A server that answers every request with one HTTP status, counting the requests."""

    def __init__(self, status: int):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        outer = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests += 1
                self.send_error(status)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("status,tries", [(404, 1), (403, 1), (503, 3)])
def test_http_errors_name_the_url_and_the_ways_out_retrying_only_transient_ones(tmp_path, status, tries):
    server = _Failing(status)
    with server as url, pytest.raises(DownloadError) as e:
        siscore.build_pool(tmp_path, url, n_foregrounds=4)
    msg = str(e.value)
    assert f"cannot fetch {url}/?list-type=2" in msg and f"HTTP {status}" in msg and server.requests == tries
    assert "assets=offline" in msg and "asset_sources.paper" in msg and "foregrounds/<class>/<image>.png" in msg


def test_a_refused_connection_is_retried_then_named(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(
        DownloadError,
        match=rf"download of http://127.0.0.1:{port}/x failed after 2 attempt\(s\) "
        r"\(ConnectionRefusedError.*Nothing was kept.*assets=offline",
    ):
        download(f"http://127.0.0.1:{port}/x", tmp_path / "x", None, retries=2, backoff=0)
    assert list(tmp_path.iterdir()) == []


def test_a_local_mirror_directory_or_file_url_gives_the_bucket_pool(siscore_bucket, tmp_path):
    mirror = tmp_path / "mirror"
    for key, body in siscore_bucket.files.items():
        (mirror / key).parent.mkdir(parents=True, exist_ok=True)
        (mirror / key).write_bytes(body)
    with LocalS3(siscore_bucket) as url:
        remote = siscore.build_pool(tmp_path / "cache", url, **SMALL)
    for source in (str(mirror), mirror.as_uri()):
        local = siscore.build_pool(tmp_path / "unused", source, **SMALL)
        assert all(np.array_equal(remote[k], local[k]) for k in remote)
    assert not (tmp_path / "unused").exists()  # read in place
    with pytest.raises(DownloadError, match="mirror .*/foregrounds has no foregrounds/ directory.*assets=offline"):
        siscore.build_pool(tmp_path, str(mirror / "foregrounds"), n_foregrounds=1)


def test_a_local_cifar_archive_is_verified_like_a_download(tmp_path):
    from invariance.assets.download import md5sum

    archive = tmp_path / "cifar-10-python.tar.gz"
    archive.write_bytes(b"pretend archive")
    copied = download(str(archive), tmp_path / "cache/a.tgz", md5sum(archive))
    assert copied.read_bytes() == b"pretend archive"
    with pytest.raises(DownloadError, match="checksum mismatch"):
        download(archive.as_uri(), tmp_path / "cache/b.tgz", "0" * 32, retries=1)
    with pytest.raises(DownloadError, match=r"failed after 1 attempt\(s\) \(FileNotFoundError"):
        download(str(tmp_path / "absent.tar.gz"), tmp_path / "cache/c.tgz", None, retries=3, backoff=0)


def _listing(keys, truncated=False):
    contents = "".join(f"<Contents><Key>{k}</Key><ETag>&quot;{'0' * 32}&quot;</ETag></Contents>" for k in keys)
    more = "<IsTruncated>true</IsTruncated><NextContinuationToken>t</NextContinuationToken>" if truncated else ""
    return f'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">{contents}{more}</ListBucketResult>'


@pytest.mark.parametrize(
    "key", ["foregrounds/../../y.png", "/tmp/x.png", "foregrounds/cat/../../../x.png", "foregrounds/a/b/c.png"]
)
def test_a_listing_key_outside_the_buckets_layout_is_refused_before_any_download(monkeypatch, tmp_path, key):
    from invariance.assets import siscore

    monkeypatch.setattr(siscore, "fetch_bytes", lambda url: _listing(["foregrounds/cat/1.png", key]).encode())
    with pytest.raises(DownloadError, match="not a file of the bucket's layout"):
        siscore.build_pool(tmp_path / "cache", "http://127.0.0.1:9")
    assert not (tmp_path / "cache").exists()


def test_a_listing_that_never_ends_is_refused(monkeypatch):
    from invariance.assets import siscore

    pages = []
    monkeypatch.setattr(siscore, "MAX_LIST_PAGES", 3)
    monkeypatch.setattr(siscore, "fetch_bytes", lambda url: pages.append(url) or _listing([], truncated=True).encode())
    with pytest.raises(DownloadError, match="did not end within 3 pages"):
        siscore.list_bucket("http://127.0.0.1:9", "backgrounds/")
    assert len(pages) == 3


class _Endless(BaseHTTPRequestHandler):
    """Streams for a few seconds at most (a bounded stand-in for a server that never stops); /slow trickles a
    byte at a time, each well within a socket timeout."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(2**30))
        self.end_headers()
        end = time.monotonic() + 5
        block = b"x" if self.path.startswith("/slow") else b"x" * 65536
        with contextlib.suppress(OSError):
            while time.monotonic() < end:
                self.wfile.write(block)
                self.wfile.flush()
                time.sleep(0.05)

    def log_message(self, *args):
        pass


@pytest.fixture
def endless():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "path,limits,message",
    [
        ("/big.bin", {"max_file_mb": 0.5}, r"is larger than 0\.5 MiB"),
        ("/big.bin", {"deadline_minutes": 1 / 60}, r"did not finish within"),
        ("/slow.bin", {"deadline_minutes": 1 / 60}, r"did not finish within"),
    ],
)
def test_a_download_that_never_ends_is_cut_and_keeps_nothing(monkeypatch, tmp_path, endless, path, limits, message):
    from invariance.assets import download as dl

    monkeypatch.setattr(dl, "LIMITS", dl.Limits(**limits))
    with pytest.raises(DownloadError, match=message):  # cut by the limit, not by the server's end (a truncation)
        download(endless + path, tmp_path / "big.bin", None)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(DownloadError, match=message):
        dl.fetch_bytes(endless + path)
