import os
import signal
import subprocess
import sys
import time

import pytest
import torch
from conftest import dataset_file as _dataset_file
from conftest import separable as _separable

from invariance import training
from invariance.device import Accelerator
from invariance.models import build_model
from invariance.training import (
    DivergedError,
    TrainConfig,
    _scheduler,
    load_checkpoint,
    load_model,
    pretrain_file,
    restore,
    run_epoch,
    train,
)

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


def test_evaluating_every_few_epochs_measures_those_and_the_last_and_trains_the_same_weights(tmp_path):
    model_a, every = train(
        CFG, _separable(64), _separable(16, seed=1), 4, tmp_path / "a", test_split=_separable(16, seed=2)
    )
    sparse_cfg = TrainConfig(**{**CFG.__dict__, "eval_every": 3})
    model_b, sparse = train(
        sparse_cfg, _separable(64), _separable(16, seed=1), 4, tmp_path / "b", test_split=_separable(16, seed=2)
    )
    measured = [h["epoch"] for h in sparse if "val_accuracy" in h and "test_accuracy" in h]
    assert measured == [3, 4] and [h["epoch"] for h in sparse] == [1, 2, 3, 4]
    assert all(torch.equal(a, b) for a, b in zip(model_a.state_dict().values(), model_b.state_dict().values()))
    assert [every[i] for i in (2, 3)] == [sparse[i] for i in (2, 3)]


def test_the_rules_params_leave_out_fields_at_their_defaults_so_a_new_field_reruns_nothing():
    from invariance.train_config import params_of

    assert set(params_of(CFG)) == {"arch", "width", "epochs", "batch_size", "lr", "seed", "lr_schedule"}
    on = TrainConfig(**{**CFG.__dict__, "augment": True, "eval_every": 10})
    assert params_of(on)["augment"] is True and params_of(on)["eval_every"] == 10
    assert TrainConfig(**params_of(on)) == on


def test_a_job_killed_mid_run_resumes_and_matches_an_uninterrupted_run(tmp_path, one_thread):
    data = tmp_path / "d.npz"
    _dataset_file(data, n=512)
    cfg = TrainConfig("vgg11", 0.125, epochs=4, batch_size=32, lr=1e-3, seed=5, lr_schedule="onecycle")
    ref = pretrain_file(
        str(data), cfg, str(tmp_path / "ref.pt"), str(tmp_path / "ref.json"), str(tmp_path / "ref.ckpt"), "ref"
    )

    ckpt = tmp_path / "run.ckpt"
    code = (
        f"import torch; torch.set_num_threads(1)\n"
        f"from invariance.training import TrainConfig, pretrain_file\n"
        f"pretrain_file({str(data)!r}, TrainConfig(**{cfg.__dict__!r}), {str(tmp_path / 'run.pt')!r}, "
        f"{str(tmp_path / 'run.json')!r}, {str(ckpt)!r}, 'killed')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not ckpt.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert ckpt.exists(), "no checkpoint was written before the deadline"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (tmp_path / "run.pt").exists()
    done_before = torch.load(ckpt, weights_only=True)["epoch"]
    assert 1 <= done_before < 4

    resumed = pretrain_file(str(data), cfg, str(tmp_path / "run.pt"), str(tmp_path / "run.json"), str(ckpt), "resumed")
    assert resumed == ref
    a, b = load_model(tmp_path / "ref.pt").state_dict(), load_model(tmp_path / "run.pt").state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not ckpt.exists()  # cleaned up once the model is written


def test_a_job_asked_to_stop_mid_epoch_checkpoints_that_step_and_resumes_bit_identically(tmp_path, one_thread):
    """A cluster's time limit: SIGTERM (SIGKILL follows after a grace period) arrives mid-epoch."""
    data = tmp_path / "d.npz"
    _dataset_file(data, n=1024)
    cfg = TrainConfig("vgg11", 0.125, epochs=2, batch_size=16, lr=1e-3, seed=5, lr_schedule="onecycle")
    ref = pretrain_file(str(data), cfg, *(str(tmp_path / f"ref.{ext}") for ext in ("pt", "json", "ckpt")), "ref")
    ckpt = tmp_path / "run.ckpt"
    # The scheduler's SIGTERM arrives at step 40 of 128 (epoch 1), sent by the job to itself so the test
    # does not depend on timing; the handler only sets a flag, so the step completes.
    code = (
        "import os, signal, torch; torch.set_num_threads(1)\n"
        "steps = [0]\n"
        "step = torch.optim.Adam.step\n"
        "def counted(self, *a, **k):\n"
        "    out = step(self, *a, **k)\n"
        "    steps[0] += 1\n"
        "    if steps[0] == 40:\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return out\n"
        "torch.optim.Adam.step = counted\n"
        "from invariance.training import TrainConfig, pretrain_file\n"
        f"pretrain_file({str(data)!r}, TrainConfig(**{cfg.__dict__!r}), {str(tmp_path / 'run.pt')!r}, "
        f"{str(tmp_path / 'run.json')!r}, {str(ckpt)!r}, 'stopped', checkpoint_every_s=float('inf'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    err = proc.stderr
    assert proc.returncode != 0 and not (tmp_path / "run.pt").exists()
    assert "asked to stop (SIGTERM) at epoch" in err and "continues from there" in err
    state = torch.load(ckpt, weights_only=True)
    assert (state["epoch"], state["step"]) == (0, 40)  # where it was: mid-epoch, not an epoch boundary
    resumed = pretrain_file(str(data), cfg, str(tmp_path / "run.pt"), str(tmp_path / "run.json"), str(ckpt), "resumed")
    assert resumed == ref
    a, b = load_model(tmp_path / "ref.pt").state_dict(), load_model(tmp_path / "run.pt").state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_a_checkpoint_from_another_configuration_is_set_aside(tmp_path, capsys):
    # A 2-epoch run leaves its epoch-1 checkpoint behind (train() alone never deletes it).
    train(TrainConfig("vgg11", 0.125, 2, 32, 1e-3, 3), _separable(64), _separable(16), 4, tmp_path / "ck")
    assert (tmp_path / "ck").exists()
    other = TrainConfig("vgg11", 0.125, 2, 32, 1e-3, 4)
    _, history = train(other, _separable(64), _separable(16), 4, tmp_path / "ck")
    _, fresh = train(other, _separable(64), _separable(16), 4, tmp_path / "fresh")
    assert history == fresh and (tmp_path / "ck.stale").exists()
    assert "was written for another configuration" in capsys.readouterr().err


def test_divergence_fails_clearly_and_leaves_no_model(tmp_path):
    data = tmp_path / "d.npz"
    _dataset_file(data)
    cfg = TrainConfig("vgg11", 0.125, epochs=3, batch_size=32, lr=1e30, seed=0)
    with pytest.raises(DivergedError, match=r"pretrain fig2 seed 0.*diverged.*no model was written"):
        pretrain_file(
            str(data),
            cfg,
            str(tmp_path / "m.pt"),
            str(tmp_path / "m.json"),
            str(tmp_path / "m.ckpt"),
            "pretrain fig2 seed 0",
        )
    assert not any((tmp_path / f"m.{ext}").exists() for ext in ("pt", "json", "ckpt"))


def _tensors(obj):
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _tensors(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _tensors(v)


def test_a_checkpoint_resumes_onto_another_device(tmp_path, monkeypatch):
    """The CUDA resume path, with PyTorch's `meta` device standing in for the GPU."""
    cfg = TrainConfig("vgg11", 0.125, epochs=3, batch_size=32, lr=1e-3, seed=3, lr_schedule="onecycle")
    saved = []
    monkeypatch.setattr(training, "_save_atomic", lambda obj, path: saved.append(obj) or torch.save(obj, path))
    train(cfg, _separable(64), _separable(16), 4, tmp_path / "ck", checkpoint_every_s=0)
    assert len(saved) == 2  # after epochs 1 and 2, not after the last
    state = load_checkpoint(tmp_path / "ck", "job")
    assert all(t.device.type == "cpu" for t in _tensors(state))
    # Loading straight onto the device (the old map_location=device) breaks the data-order generator:
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        torch.Generator().set_state(torch.load(tmp_path / "ck", map_location="meta", weights_only=True)["order"])
    with torch.device("meta"):
        model = build_model(cfg.arch, 4, cfg.width)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sched = _scheduler(opt, cfg, 2)
    order = torch.Generator()
    history, epoch = restore(state, model, opt, sched, order)
    assert epoch == 2 and len(history) == 2
    assert torch.equal(order.get_state(), state["order"])
    moments = [s for s in opt.state.values()]
    assert moments and all(m["exp_avg"].device.type == "meta" for m in moments)
    assert all(m["step"].device.type == "cpu" for m in moments)  # no host sync per step on a GPU
    assert sched.last_epoch == state["scheduler"]["last_epoch"]


def test_checkpoints_are_written_by_time_not_every_epoch(tmp_path, monkeypatch):
    saved = []
    monkeypatch.setattr(training, "_save_atomic", lambda obj, path: saved.append(obj["epoch"]))
    train(CFG, _separable(64), _separable(16), 4, tmp_path / "a", checkpoint_every_s=3600)
    assert saved == []  # a 4-epoch run shorter than the interval writes none (the model file is the end)
    train(CFG, _separable(64), _separable(16), 4, tmp_path / "b", checkpoint_every_s=0)
    assert saved == [1, 2, 3]


def test_an_unreadable_checkpoint_is_set_aside_and_training_starts_over(tmp_path, capsys):
    ckpt = tmp_path / "ck"
    ckpt.write_bytes(b"half a checkpoint from a lost node")
    _, history = train(CFG, _separable(64), _separable(16, seed=1), 4, ckpt)
    _, clean = train(CFG, _separable(64), _separable(16, seed=1), 4, tmp_path / "fresh")
    assert history == clean
    assert (tmp_path / "ck.unreadable").read_bytes() == b"half a checkpoint from a lost node"
    assert "is unreadable" in capsys.readouterr().err


class _Shapes(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner, self.seen = inner, []

    def forward(self, x):
        self.seen.append(len(x))
        return self.inner(x)


def test_a_compiled_model_only_ever_sees_full_batches():
    """The last, smaller batch goes through the eager module, so torch.compile never recompiles."""
    from invariance.device import Accelerator

    acc = Accelerator(torch.device("cpu"), bf16=False, channels_last=False)
    eager = build_model("vgg11", 4, 0.125)
    compiled, plain = _Shapes(eager), _Shapes(eager)
    opt = torch.optim.Adam(eager.parameters())
    data = _separable(100)
    run_epoch(compiled, opt, data, torch.randperm(100), 32, acc, last_batch_model=plain)
    assert compiled.seen == [32, 32, 32] and plain.seen == [4]


def test_the_onecycle_schedule_peaks_at_the_configured_rate():
    cfg = TrainConfig("vgg11", 0.125, epochs=2, batch_size=32, lr=4e-3, seed=0, lr_schedule="onecycle")
    opt = torch.optim.Adam(build_model("vgg11", 4, 0.125).parameters(), lr=cfg.lr)
    sched = _scheduler(opt, cfg, steps_per_epoch=50)
    lrs = []
    for _ in range(100):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert max(lrs) == pytest.approx(4e-3, rel=0.02) and lrs[0] < 4e-4 and lrs[-1] < 1e-5


def test_a_default_recipes_history_records_the_fields_it_always_had():
    """A default model's history is part of its stage's code version: a field added later must not show up in
    it at its default, or every model would rerun (train_config.ADDED_AFTER_HISTORIES)."""
    from invariance.train_config import recorded

    before = {"arch", "width", "epochs", "batch_size", "lr", "seed", "lr_schedule", "augment", "eval_every"}
    assert set(recorded(CFG)) == before
    assert recorded(TrainConfig(**{**CFG.__dict__, "fresh_draws": True}))["fresh_draws"] is True


@pytest.mark.parametrize("content", [[1, 2], {"model": {}, "epoch": 1}])
def test_a_loadable_file_that_is_no_checkpoint_is_set_aside(tmp_path, capsys, content):
    torch.save(content, tmp_path / "ck")
    assert load_checkpoint(tmp_path / "ck", "job") is None
    assert not (tmp_path / "ck").exists() and (tmp_path / "ck.invalid").exists()
    assert "is not a training checkpoint" in capsys.readouterr().err


def test_fused_adam_trains_like_the_default_one_and_resumes_bit_identically(tmp_path, monkeypatch, one_thread):
    # Fused Adam is chosen on GPUs only; here the CPU stands in for one.
    data, val = _separable(64), _separable(16, seed=1)
    default_model, default = train(CFG, data, val, 4, tmp_path / "a")
    monkeypatch.setattr(training, "FUSED_ADAM_DEVICES", frozenset({"cpu"}))
    assert training.optimizer([torch.zeros(1, requires_grad=True)], 1e-3, torch.device("cpu")).defaults["fused"]
    fused_model, fused = train(CFG, data, val, 4, tmp_path / "b")
    # Compared as functions: a conv bias before batch norm gets only rounding noise as gradient, which
    # Adam scales up to full steps in either implementation, so such weights differ and cancel out.
    x = val.x.float() / 255
    with torch.no_grad():
        torch.testing.assert_close(fused_model.eval()(x), default_model.eval()(x), rtol=1e-3, atol=1e-3)
    torch.testing.assert_close([h["train_loss"] for h in fused], [h["train_loss"] for h in default], rtol=1e-3, atol=0)
    # Killed after its second epoch's checkpoint, then rerun: it resumes with the fused optimiser's state.
    real, epochs = training.run_epoch, []

    def killed_in_third_epoch(*args, **kwargs):
        epochs.append(None)
        if len(epochs) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(training, "run_epoch", killed_in_third_epoch)
    with pytest.raises(KeyboardInterrupt):
        train(CFG, data, val, 4, tmp_path / "c", checkpoint_every_s=0)
    monkeypatch.setattr(training, "run_epoch", real)
    assert load_checkpoint(tmp_path / "c", "job")["epoch"] == 2
    resumed_model, resumed = train(CFG, data, val, 4, tmp_path / "c")
    assert resumed == fused
    assert all(torch.equal(v, resumed_model.state_dict()[k]) for k, v in fused_model.state_dict().items())


def test_compiled_training_matches_eager_and_keeps_its_kernels_in_the_shared_cache(tmp_path, monkeypatch, one_thread):
    """torch.compile's graph capture and autograd (AOT, no C compiler: the inductor backend compiles the same
    graphs on a GPU) train to the eager weights; the kernels' cache is the workflow's resources/, shared by
    every job, unless $TORCHINDUCTOR_CACHE_DIR says otherwise."""
    import functools

    from invariance import device

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", "unset")  # recorded, so that the end of the test restores it
    monkeypatch.delenv("TORCHINDUCTOR_CACHE_DIR")
    monkeypatch.setattr(torch, "compile", functools.partial(torch.compile, backend="aot_eager"))
    cfg = TrainConfig("resnet18", 1 / 16, epochs=2, batch_size=32, lr=1e-3, seed=3)
    data, val = _separable(100), _separable(16, seed=1)  # 100 = 3 full batches and a last one of 4, eager
    eager, h_eager = train(cfg, data, val, 4, tmp_path / "a")
    comp, h_comp = train(cfg, data, val, 4, tmp_path / "b", compile=True)
    for a, b in zip(eager.state_dict().values(), comp.state_dict().values(), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    assert [h["val_accuracy"] for h in h_comp] == [h["val_accuracy"] for h in h_eager]
    assert os.environ["TORCHINDUCTOR_CACHE_DIR"] == str(tmp_path / device.COMPILE_CACHE)
    monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", "/elsewhere")
    device.compiled(build_model("vgg11", 4, 0.125))
    assert os.environ["TORCHINDUCTOR_CACHE_DIR"] == "/elsewhere"
