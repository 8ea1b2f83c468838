import io

import numpy as np
import pytest
from PIL import Image

from invariance.assets import BACKGROUND_POOL_SIZE, FOREGROUND_POOL_SIZE, offline, siscore
from invariance.assets.download import DownloadError, download
from s3server import Bucket, LocalS3


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
        pool = siscore.build_pool(tmp_path / "cache", url, n_foregrounds=4)
    assert pool["foreground_names"].tolist() == ["banana", "car", "dog", "zebra"]
    assert pool["foregrounds"].shape == (4, 32, 32, 4) and pool["backgrounds"].shape == (5, 32, 32, 3)
    fetched = [r for r in siscore_bucket.requests if "list-type" not in r]
    assert not any("0001.png" in r for r in fetched)  # one prototype per class, as in the paper
    assert any("continuation-token" in r for r in siscore_bucket.requests)
    assert (tmp_path / "cache/foregrounds/dog/0000.png").exists()


def test_truncated_then_good_download_is_retried_and_verified(siscore_bucket, tmp_path):
    key = "backgrounds/001.jpg"
    siscore_bucket.faults[key] = ["truncate", "corrupt"]
    import hashlib

    md5 = hashlib.md5(siscore_bucket.files[key]).hexdigest()
    with LocalS3(siscore_bucket) as url:
        path = download(f"{url}/{key}", tmp_path / "x.jpg", md5, retries=3, backoff=0)
    assert path.read_bytes() == siscore_bucket.files[key]
    assert not (tmp_path / "x.jpg.partial").exists()


def test_persistently_corrupt_download_fails_clearly_and_leaves_nothing(siscore_bucket, tmp_path):
    key = "backgrounds/002.jpg"
    siscore_bucket.faults[key] = ["corrupt"] * 3
    import hashlib

    md5 = hashlib.md5(siscore_bucket.files[key]).hexdigest()
    with LocalS3(siscore_bucket) as url:
        with pytest.raises(DownloadError, match=r"failed after 3 attempts \(checksum mismatch.*Nothing was kept"):
            download(f"{url}/{key}", tmp_path / "y.jpg", md5, retries=3, backoff=0)
    assert list(tmp_path.iterdir()) == []


def test_a_verified_file_is_not_downloaded_again(siscore_bucket, tmp_path):
    with LocalS3(siscore_bucket) as url:
        siscore.build_pool(tmp_path, url, n_foregrounds=4)
        n = len(siscore_bucket.requests)
        siscore.build_pool(tmp_path, url, n_foregrounds=4)
    # Only the listings are fetched again.
    assert all("list-type" in r for r in siscore_bucket.requests[n:])
