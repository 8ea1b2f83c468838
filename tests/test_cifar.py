"""CIFAR-10: the official archive's format, downloaded from a local HTTP server; and the offline stand-in."""

import hashlib
import io
import os
import pickle
import tarfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from invariance.assets import cifar10, cifar_standin
from invariance.assets.download import DownloadError


def _archive(path, n_per_batch=20):
    """A small archive laid out exactly like cifar-10-python.tar.gz (pickled dicts, row-major CHW bytes)."""
    rng = np.random.default_rng(0)
    batches = {}
    with tarfile.open(path, "w:gz") as tar:
        for name in (*cifar10.TRAIN_BATCHES, "test_batch"):
            data = rng.integers(0, 256, (n_per_batch, 3072), dtype=np.uint8)
            labels = [int(v) for v in rng.integers(0, 10, n_per_batch)]
            batches[name] = (data, labels)
            raw = pickle.dumps(
                {
                    b"batch_label": name.encode(),
                    b"labels": labels,
                    b"data": data,
                    b"filenames": [b"x.png"] * n_per_batch,
                }
            )
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return batches


@pytest.fixture
def server(tmp_path, monkeypatch):
    root = tmp_path / "www"
    root.mkdir()
    batches = _archive(root / cifar10.ARCHIVE)
    (root / "corrupt.tar.gz").write_bytes(b"not a tarball")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    md5 = hashlib.md5((root / cifar10.ARCHIVE).read_bytes()).hexdigest()
    monkeypatch.setattr(cifar10, "PUBLISHED_MD5", md5)  # this small archive stands in for the official one
    yield f"http://127.0.0.1:{httpd.server_port}", md5, batches, root
    httpd.shutdown()
    httpd.server_close()


def test_the_archive_is_downloaded_verified_and_read(server, tmp_path):
    url, md5, batches, _ = server
    arrays = cifar10.build(f"{url}/{cifar10.ARCHIVE}", md5, tmp_path / "cache")
    assert arrays["x_train"].shape == (100, 32, 32, 3) and arrays["x_test"].shape == (20, 32, 32, 3)
    data, labels = batches["data_batch_2"]
    # Pixel (row 3, col 5) of channel 1 of the first image of batch 2 sits at 1024 + 3*32 + 5 in the row.
    assert arrays["x_train"][20, 3, 5, 1] == data[0, 1024 + 3 * 32 + 5]
    assert arrays["y_train"][20:40].tolist() == labels
    assert list(arrays["class_names"]) == list(cifar10.CLASS_NAMES)


def test_a_wrong_checksum_fails_clearly_and_keeps_nothing(server, tmp_path):
    url, _, _, _ = server
    cifar10.PUBLISHED_MD5 = "0" * 32  # the fixture's monkeypatch restores it
    with pytest.raises(DownloadError, match="checksum mismatch"):
        cifar10.build(f"{url}/{cifar10.ARCHIVE}", "0" * 32, tmp_path / "cache")
    assert not any((tmp_path / "cache").iterdir())


def test_a_config_md5_other_than_the_published_one_is_refused_before_downloading(server, tmp_path):
    url, md5, _, _ = server
    with pytest.raises(cifar10.ArchiveError, match="not the MD5 CIFAR-10 publishes"):
        cifar10.build(f"{url}/{cifar10.ARCHIVE}", "1" * 32, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_an_archive_that_is_not_cifar_names_the_fix(server, tmp_path):
    url, _, _, root = server
    md5 = hashlib.md5((root / "corrupt.tar.gz").read_bytes()).hexdigest()
    with pytest.raises(cifar10.ArchiveError, match="delete it so it is downloaded again"):
        cifar10.read_archive(cifar10.download(f"{url}/corrupt.tar.gz", tmp_path / "c.tar.gz", md5))


def test_the_stand_in_has_cifars_classes_and_is_deterministic():
    a = cifar_standin.build({"train": 50, "test": 20})
    b = cifar_standin.build({"train": 50, "test": 20})
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert a["x_train"].shape == (50, 32, 32, 3) and a["x_train"].dtype == np.uint8
    assert list(a["class_names"]) == list(cifar10.CLASS_NAMES)
    assert set(a["y_train"].tolist()) == set(range(10))
    assert len({img.tobytes() for img in a["x_train"]}) == 50


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_crafted_archive_runs_no_code(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / cifar10.ARCHIVE
    with tarfile.open(path, "w:gz") as tar:
        raw = pickle.dumps({b"labels": [0], b"data": _RunsCode(marker)})
        info = tarfile.TarInfo("cifar-10-batches-py/data_batch_1")
        info.size = len(raw)
        tar.addfile(info, io.BytesIO(raw))
    with pytest.raises(cifar10.ArchiveError, match=r"refused to load posix\.system"):
        cifar10.read_archive(path)
    assert not marker.exists()
