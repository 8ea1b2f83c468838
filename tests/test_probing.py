import numpy as np
import pytest
import torch
from scipy.optimize import minimize
from scipy.special import logsumexp

from invariance.data import Split
from invariance.device import INFERENCE_BATCH, Accelerator
from invariance.models import ARCHITECTURES, build_model
from invariance.probe_config import ProbeConfig
from invariance.probing import L2, TOLERANCE, accuracy, features, fit_converged_head, linear_probe, train_linear_head

CPU = Accelerator(torch.device("cpu"), bf16=False, channels_last=False)


def _blobs(n, dim=16, classes=3, spread=1.0, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % classes
    centers = torch.randn(classes, dim, generator=torch.Generator().manual_seed(99)) * 2
    return centers[y] + spread * torch.randn(n, dim, generator=g), y


def test_linear_head_separates_linearly_separable_features():
    x, y = _blobs(600, spread=0.5)
    head = train_linear_head(x[:400], y[:400], 3, epochs=25, lr=1e-2, batch_size=64, seed=0)
    assert accuracy(head, x[400:], y[400:]) > 0.95


def _scipy_logistic(x: np.ndarray, y: np.ndarray, k: int, l2: float):
    """An independent solver of the same objective: scipy's L-BFGS-B on mean cross-entropy + l2/2 |W|^2."""
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    n, d = z.shape
    onehot = np.eye(k)[y]

    def f(theta):
        w, b = theta[: d * k].reshape(d, k), theta[d * k :]
        logits = z @ w + b
        p = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
        loss = (logsumexp(logits, axis=1) - (logits * onehot).sum(1)).mean() + l2 / 2 * (w * w).sum()
        g = (p - onehot) / n
        return loss, np.concatenate([(z.T @ g + l2 * w).ravel(), g.sum(0)])

    res = minimize(f, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-9})
    w, b = res.x[: d * k].reshape(d, k), res.x[d * k :]
    return lambda xs: ((xs - x.mean(0)) / x.std(0, ddof=1)) @ w + b, res.fun


def test_converged_probe_matches_an_independent_solver():
    # Overlapping classes: the accuracy depends on where the boundary lands, so an unconverged head shows.
    x, y = _blobs(3000, dim=32, classes=10, spread=2.5)
    head, record = fit_converged_head(x[:2000], y[:2000], 10)  # at the pipeline's tolerance
    ref, ref_objective = _scipy_logistic(x[:2000].double().numpy(), y[:2000].numpy(), 10, L2)
    ours = accuracy(head, x[2000:], y[2000:])
    theirs = float((ref(x[2000:].double().numpy()).argmax(1) == y[2000:].numpy()).mean())
    assert abs(ours - theirs) <= 0.01
    assert record["lbfgs_objective"] == pytest.approx(ref_objective, rel=1e-4)
    assert record["lbfgs_converged"] and record["lbfgs_grad_max"] <= TOLERANCE and record["lbfgs_iterations"] > 1
    _, tight = fit_converged_head(x[:2000], y[:2000], 10, tol=1e-6)  # and to the optimum when asked
    assert tight["lbfgs_objective"] == pytest.approx(ref_objective, rel=1e-5) and tight["lbfgs_grad_max"] <= 1e-6


def test_a_few_adam_epochs_are_not_the_converged_probe():
    # The reason the quick scale reports the L-BFGS probe: 25 Adam epochs on a small set stop short.
    x, y = _blobs(3000, dim=32, classes=10, spread=2.5)
    _, record = fit_converged_head(x[:500], y[:500], 10)
    adam = train_linear_head(x[:500], y[:500], 10, epochs=3, lr=1e-3, batch_size=512, seed=0)
    with torch.no_grad():
        adam_loss = float(torch.nn.functional.cross_entropy(adam(x[:500]), y[:500]))
    assert adam_loss > record["lbfgs_train_loss"] + 0.1


def test_probe_freezes_the_backbone_uses_eval_mode_and_records_both_solvers():
    model = build_model("resnet18", 5, 0.125)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    g = torch.Generator().manual_seed(1)
    split = Split(torch.randint(0, 255, (64, 3, 32, 32), generator=g, dtype=torch.uint8), torch.arange(64) % 5)
    res = linear_probe(model, split, split, 5, ProbeConfig("lbfgs", 64, epochs=2, lr=1e-3, batch_size=32, seed=0), CPU)
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # BN running stats untouched too
    assert not model.training
    assert res["accuracy"] == res["lbfgs_accuracy"] and 0.0 <= res["adam_accuracy"] <= 1.0
    assert res["solver"] == "lbfgs" and res["lbfgs_iterations"] >= 1
    # Features do not depend on the batch they are computed in (eval-mode BatchNorm).
    f_all = features(model, split, CPU, batch_size=64)
    f_small = features(model, split, CPU, batch_size=5)
    assert torch.allclose(f_all, f_small, atol=1e-5)


def test_an_unknown_solver_names_the_allowed_ones():
    with pytest.raises(ValueError, match="unknown probe solver 'sgd'; allowed: lbfgs, adam"):
        ProbeConfig("sgd", 4, 1, 1e-3, 4, 0)


@pytest.mark.parametrize("arch", list(ARCHITECTURES))
def test_features_are_bit_identical_at_the_cpus_and_the_gpus_inference_batch(arch):
    """Why the inference batch may be chosen per device for speed: on the CPU it changes no bit."""
    small, large = sorted(set(INFERENCE_BATCH.values()))
    torch.manual_seed(0)
    n = large + 37  # a last, partial batch at either size
    split = Split(torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8), torch.zeros(n, dtype=torch.long))
    model = build_model(arch, 10, 1 / 16)
    assert torch.equal(features(model, split, CPU, small), features(model, split, CPU, large))
    assert CPU.inference_batch == small
