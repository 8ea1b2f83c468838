import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from invariance.arrays import save_arrays
from invariance.data import Split
from invariance.device import Accelerator
from invariance.training import DivergedError, TrainConfig, load_model, pretrain_file, train


def _separable(n, classes=4, seed=0):
    """Images whose mean colour gives the class: learnable in a few epochs."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % classes
    x = torch.randint(0, 60, (n, 3, 32, 32), generator=g, dtype=torch.uint8)
    x[:, 0] += (y * 60).to(torch.uint8)[:, None, None]
    return Split(x, y)


def _dataset_file(path, n=128):
    tr, va = _separable(n), _separable(32, seed=1)
    nhwc = lambda s: s.x.permute(0, 2, 3, 1).numpy()  # noqa: E731
    save_arrays(path, {"x_train": nhwc(tr), "y_train": tr.y.numpy(), "x_val": nhwc(va), "y_val": va.y.numpy(),
                       "x_test": nhwc(va), "y_test": va.y.numpy(), "num_classes": np.array(4)})


CFG = TrainConfig("vgg11", 0.125, epochs=4, batch_size=32, lr=1e-3, seed=3)


def test_training_learns_and_records_one_row_per_epoch(tmp_path):
    cfg = TrainConfig("vgg11", 0.125, epochs=6, batch_size=32, lr=1e-3, seed=3)
    model, history = train(cfg, _separable(256), _separable(32, seed=1), 4, tmp_path / "ck")
    assert [h["epoch"] for h in history] == [1, 2, 3, 4, 5, 6]
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert history[-1]["val_accuracy"] > 0.5


def test_the_gpu_code_path_bf16_and_channels_last_trains_on_cpu(tmp_path):
    # No GPU here: run the GPU's choices (bf16 autocast, channels_last) on the CPU instead.
    gpu_like = Accelerator(torch.device("cpu"), bf16=True, channels_last=True)
    cfg = TrainConfig("resnet18", 0.125, epochs=6, batch_size=32, lr=1e-3, seed=3)
    model, history = train(cfg, _separable(256), _separable(32, seed=1), 4, tmp_path / "ck", acc=gpu_like)
    assert next(model.parameters()).dtype == torch.float32  # autocast, not a bf16 model
    assert model.penultimate[0].weight.is_contiguous(memory_format=torch.channels_last)
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert history[-1]["val_accuracy"] > 0.5


def test_training_is_deterministic_on_cpu(tmp_path):
    _, h1 = train(CFG, _separable(64), _separable(16, seed=1), 4, tmp_path / "a")
    _, h2 = train(CFG, _separable(64), _separable(16, seed=1), 4, tmp_path / "b")
    assert h1 == h2


@pytest.fixture
def one_thread():
    # CPU results are bit-identical only for the same thread count (reduction order).
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_a_job_killed_mid_run_resumes_and_matches_an_uninterrupted_run(tmp_path, one_thread):
    data = tmp_path / "d.npz"
    _dataset_file(data, n=512)
    cfg = TrainConfig("vgg11", 0.125, epochs=4, batch_size=32, lr=1e-3, seed=5)
    ref = pretrain_file(str(data), cfg, str(tmp_path / "ref.pt"), str(tmp_path / "ref.ckpt"), "ref")

    ckpt = tmp_path / "run.ckpt"
    code = (f"import torch; torch.set_num_threads(1)\n"
            f"from invariance.training import TrainConfig, pretrain_file\n"
            f"pretrain_file({str(data)!r}, TrainConfig(**{cfg.__dict__!r}), {str(tmp_path / 'run.pt')!r}, "
            f"{str(ckpt)!r}, 'killed')\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not ckpt.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert ckpt.exists(), "no checkpoint was written before the deadline"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (tmp_path / "run.pt").exists()
    done_before = torch.load(ckpt, weights_only=False)["epoch"]
    assert 1 <= done_before < 4

    resumed = pretrain_file(str(data), cfg, str(tmp_path / "run.pt"), str(ckpt), "resumed")
    assert resumed == ref
    a, b = load_model(tmp_path / "ref.pt").state_dict(), load_model(tmp_path / "run.pt").state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not ckpt.exists()  # cleaned up once the model is written


def test_a_checkpoint_from_another_configuration_is_refused(tmp_path):
    train(TrainConfig("vgg11", 0.125, 1, 32, 1e-3, 3), _separable(64), _separable(16), 4, tmp_path / "ck")
    with pytest.raises(RuntimeError, match="another configuration.*delete it"):
        train(TrainConfig("vgg11", 0.125, 2, 32, 1e-3, 4), _separable(64), _separable(16), 4, tmp_path / "ck")


def test_divergence_fails_clearly_and_leaves_no_model(tmp_path):
    data = tmp_path / "d.npz"
    _dataset_file(data)
    cfg = TrainConfig("vgg11", 0.125, epochs=3, batch_size=32, lr=1e30, seed=0)
    with pytest.raises(DivergedError, match=r"pretrain fig2 seed 0.*diverged.*no model was written"):
        pretrain_file(str(data), cfg, str(tmp_path / "m.pt"), str(tmp_path / "m.ckpt"), "pretrain fig2 seed 0")
    assert not (tmp_path / "m.pt").exists() and not (tmp_path / "m.ckpt").exists()
