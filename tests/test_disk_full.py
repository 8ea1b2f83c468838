"""A full disk or an exceeded quota names itself, whichever writer hit it, and leaves nothing partial."""

import errno
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import torch

from invariance import records, tables
from invariance.arrays import save_arrays
from invariance.atomic import DiskFullError, replacing
from invariance.training import _save_atomic

FULL = r"could not write .*: no space left on the device \(\d+\.\d MiB free there now\)\. Nothing partial"


@pytest.fixture
def tiny_fs(tmp_path):
    """A 64 KiB filesystem (a tmpfs; needs the right to mount, as CI's root has)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (not root)")
    yield mnt
    subprocess.run(["umount", str(mnt)], check=True)


def test_every_writer_names_a_full_disk_and_keeps_nothing_partial(tiny_fs):
    model = {"state_dict": {"w": torch.zeros(64, 1024)}}  # 256 KiB of weights: torch.save's zip writer fails
    writers = {
        "model.pt": lambda p: _save_atomic(model, p),
        "dataset.npz": lambda p: save_arrays(p, {"x": torch.zeros(128, 1024).numpy()}),
        "table.parquet": lambda p: tables.write(pd.DataFrame({"x": torch.rand(64 * 1024).numpy()}), p),
        "result.json": lambda p: records.write(
            p, "l2 result", [{"seed": 0, "architecture": "a", "model": "m" * 99000, "dataset": "d", "l2_ratio": 1.0}]
        ),
    }
    for name, write in writers.items():
        path = tiny_fs / "models" / name
        with pytest.raises(DiskFullError, match=FULL) as e:
            write(path)
        assert "SNAKEMAKE_OUTPUT_CACHE" in str(e.value) and "rerun the same command" in str(e.value)
        assert list((tiny_fs / "models").iterdir()) == [], name  # no partial file left behind


def test_a_quota_names_itself(tmp_path):
    with pytest.raises(DiskFullError, match=r"could not write .*out.txt: the disk quota is exceeded"):
        with replacing(tmp_path / "out.txt") as tmp:
            tmp.write_text("x")
            raise OSError(errno.EDQUOT, "Disk quota exceeded")
    assert list(tmp_path.iterdir()) == []


def test_other_write_errors_pass_through_unchanged(tmp_path):
    with pytest.raises(RuntimeError, match="unexpected pos"):  # torch's message, on a disk with room
        with replacing(tmp_path / "m.pt"):
            raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 65600 vs 65496")
    assert not any(Path(tmp_path).iterdir())


def test_a_download_onto_a_full_disk_says_so(tiny_fs, tmp_path):
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from invariance.assets.download import download

    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "big.bin").write_bytes(b"x" * 256 * 1024)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path / "www")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with pytest.raises(DiskFullError, match=FULL):
            download(f"http://127.0.0.1:{httpd.server_port}/big.bin", tiny_fs / "big.bin", None)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert list(tiny_fs.iterdir()) == []


def test_temporary_names_are_unique_per_process(tmp_path):
    import os

    with replacing(tmp_path / "model.pt") as tmp:
        assert tmp.parent == tmp_path and f".partial-{os.getpid()}" in tmp.name and tmp.suffix == ".pt"
        tmp.write_bytes(b"weights")
    assert (tmp_path / "model.pt").read_bytes() == b"weights" and not tmp.exists()
