"""Linear probes: freeze the network up to its penultimate layer, fit a new last layer.

Features are computed once per split with the backbone in eval mode. Two heads are fitted
on the same features:
  lbfgs  the converged multinomial logistic regression (standardised features, a tiny L2
         penalty so the optimum is unique), full-batch L-BFGS; its convergence is recorded
  adam   the paper's protocol: a linear layer trained by Adam for a number of epochs
A scale's ``probe_solver`` says which one is reported as ``accuracy``; both are kept, so the
table shows how far the paper's protocol is from the converged solution.
"""

from __future__ import annotations

import sys

import torch
import torch.nn.functional as F
from tqdm import tqdm

from invariance.data import Split, load_splits, to_input
from invariance.device import Accelerator
from invariance.probe_config import ProbeConfig
from invariance.seeding import derive_seed

# Penalty on the squared weights (per sample): small enough not to change the decision, large enough to
# make the optimum unique (without it, separable classes send the weights to infinity).
L2 = 1e-4
# Largest gradient entry at which L-BFGS stops. On a quick run's own probes (bench/probe_tolerance.py), 1e-5
# instead of 1e-6 moved 2 of 9 test accuracies by one image in 1000 (0.001) and halved the fits' CPU time.
TOLERANCE = 1e-5


@torch.no_grad()
def features(model: torch.nn.Module, split: Split, acc: Accelerator, batch_size: int | None = None) -> torch.Tensor:
    model.eval()
    batch_size = batch_size or acc.inference_batch
    out = []
    for lo in range(0, len(split), batch_size):
        x = to_input(split.x[lo : lo + batch_size].to(acc.device), acc.channels_last)
        with acc.autocast():
            out.append(model.penultimate(x).float())
    return torch.cat(out)


def train_linear_head(
    feats: torch.Tensor, labels: torch.Tensor, num_classes: int, epochs: int, lr: float, batch_size: int, seed: int
) -> torch.nn.Linear:
    torch.manual_seed(derive_seed(seed, "probe-init"))
    head = torch.nn.Linear(feats.shape[1], num_classes).to(feats.device)
    opt = torch.optim.Adam(head.parameters(), lr=lr)
    g = torch.Generator().manual_seed(derive_seed(seed, "probe-order"))
    labels = labels.to(feats.device)
    for _ in range(epochs):
        perm = torch.randperm(len(feats), generator=g).to(feats.device)
        for lo in range(0, len(feats), batch_size):
            idx = perm[lo : lo + batch_size]
            loss = F.cross_entropy(head(feats[idx]), labels[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return head


class ConvergedHead(torch.nn.Module):
    """Multinomial logistic regression on standardised features, fitted to convergence."""

    def __init__(self, mean: torch.Tensor, scale: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor):
        super().__init__()
        self.mean, self.scale, self.weight, self.bias = mean, scale, weight, bias

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        z = (feats.to(self.weight.dtype) - self.mean) / self.scale
        return z @ self.weight + self.bias


def fit_converged_head(
    feats: torch.Tensor,
    labels: torch.Tensor,
    num_classes: int,
    l2: float = L2,
    max_iter: int = 2000,
    tol: float = TOLERANCE,
) -> tuple[ConvergedHead, dict]:
    """Minimise mean cross-entropy + l2/2 * ||W||^2 by full-batch L-BFGS (float64, starting at zero).

    Returns the head and its convergence record: iterations, final objective, training
    cross-entropy and the largest gradient entry at the end (``tol`` is the target).
    """
    x = feats.double()
    mean, scale = x.mean(0), x.std(0).clamp_min(1e-8)
    z, y = (x - mean) / scale, labels.to(x.device)
    w = torch.zeros(x.shape[1], num_classes, dtype=torch.float64, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=torch.float64, device=x.device, requires_grad=True)
    opt = torch.optim.LBFGS(
        [w, b],
        lr=1,
        max_iter=max_iter,
        max_eval=2 * max_iter,
        tolerance_grad=tol,
        tolerance_change=1e-15,
        history_size=20,
        line_search_fn="strong_wolfe",
    )

    def objective():
        opt.zero_grad()
        loss = F.cross_entropy(z @ w + b, y) + l2 / 2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(objective)
    final = objective()
    grad = max(float(w.grad.abs().max()), float(b.grad.abs().max()))
    with torch.no_grad():
        ce = float(F.cross_entropy(z @ w + b, y))
    record = {
        "lbfgs_iterations": int(opt.state[w]["n_iter"]),
        "lbfgs_objective": float(final.detach()),
        "lbfgs_train_loss": ce,
        "lbfgs_grad_max": grad,
        "lbfgs_converged": grad <= tol,
    }
    return ConvergedHead(mean, scale, w.detach(), b.detach()), record


@torch.no_grad()
def accuracy(head: torch.nn.Module, feats: torch.Tensor, labels: torch.Tensor) -> float:
    return (head(feats).argmax(1).cpu() == labels.cpu()).float().mean().item()


@torch.no_grad()
def _train_loss(head: torch.nn.Module, feats: torch.Tensor, labels: torch.Tensor) -> float:
    return float(F.cross_entropy(head(feats).float(), labels.to(feats.device)))


def linear_probe(model, train: Split, test: Split, num_classes: int, cfg: ProbeConfig, acc: Accelerator) -> dict:
    """Both heads on the same frozen features; ``accuracy`` is the one ``cfg.solver`` names."""
    model = acc.prepare(model)
    f_train, f_test = features(model, train, acc), features(model, test, acc)
    converged, record = fit_converged_head(f_train, train.y, num_classes)
    adam = train_linear_head(f_train, train.y, num_classes, cfg.epochs, cfg.lr, cfg.batch_size, cfg.seed)
    out = {
        "lbfgs_accuracy": accuracy(converged, f_test, test.y),
        "lbfgs_train_accuracy": accuracy(converged, f_train, train.y),
        **record,
        "adam_accuracy": accuracy(adam, f_test, test.y),
        "adam_train_accuracy": accuracy(adam, f_train, train.y),
        "adam_train_loss": _train_loss(adam, f_train, train.y),
    }
    return {
        "solver": cfg.solver,
        "accuracy": out[f"{cfg.solver}_accuracy"],
        "train_accuracy": out[f"{cfg.solver}_train_accuracy"],
        **out,
    }


def probe_targets(model: torch.nn.Module, targets: dict[str, str], cfg: ProbeConfig) -> dict[str, dict]:
    """Probe one pretrained model on several target datasets (id -> file).

    ``cfg.train_size`` caps the probe's training set at the first samples of the target's train
    split (splits are i.i.d. draws, so the first n are a random sample).
    """
    acc = Accelerator.detect()
    results = {}
    # A paper-scale probe job fits many heads on 50000 images each: its log says how far it is and when it
    # ends (redrawn at most every 5 s, so a CI log is not flooded), and each target's numbers in one line.
    for target, path in tqdm(targets.items(), desc="probe targets", file=sys.stderr, mininterval=5):
        splits, num_classes = load_splits(path, "train", "test")
        train, test = splits["train"], splits["test"]
        train = Split(train.x[: cfg.train_size], train.y[: cfg.train_size])
        result = linear_probe(model, train, test, num_classes, cfg, acc)
        results[target] = {**result, "n_train": len(train), "n_test": len(test)}
        tqdm.write(
            f"probe on {target}: accuracy {result['accuracy']:.3f} ({cfg.solver}; "
            f"lbfgs {result['lbfgs_accuracy']:.3f}, adam {result['adam_accuracy']:.3f}), "
            f"train accuracy {result['train_accuracy']:.3f}",
            file=sys.stderr,
        )
    return results
