"""Linear probes: freeze the network up to its penultimate layer, train a new last layer.

Features are computed once per split with the backbone in eval mode; the linear head is
then trained on the cached features, which costs a few matrix products per epoch instead
of a forward pass through the network.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from invariance.data import Split, load_splits, to_input
from invariance.device import Accelerator
from invariance.seeding import derive_seed


@torch.no_grad()
def features(model: torch.nn.Module, split: Split, acc: Accelerator, batch_size: int = 1024) -> torch.Tensor:
    model.eval()
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


@torch.no_grad()
def accuracy(head: torch.nn.Linear, feats: torch.Tensor, labels: torch.Tensor) -> float:
    return (head(feats).argmax(1).cpu() == labels.cpu()).float().mean().item()


def linear_probe(model, train: Split, test: Split, num_classes: int, epochs: int, lr: float, batch_size: int,
                 seed: int, acc: Accelerator) -> dict:
    model = acc.prepare(model)
    f_train, f_test = features(model, train, acc), features(model, test, acc)
    head = train_linear_head(f_train, train.y, num_classes, epochs, lr, batch_size, seed)
    return {"train_accuracy": accuracy(head, f_train, train.y), "accuracy": accuracy(head, f_test, test.y)}


def probe_targets(model: torch.nn.Module, targets: dict[str, str], epochs: int, lr: float, batch_size: int,
                  seed: int) -> dict[str, dict]:
    """Probe one pretrained model on several target datasets (id -> file)."""
    acc = Accelerator.detect()
    results = {}
    for target, path in targets.items():
        splits, num_classes = load_splits(path, "train", "test")
        train, test = splits["train"], splits["test"]
        result = linear_probe(model, train, test, num_classes, epochs, lr, batch_size, seed, acc)
        results[target] = {**result, "n_train": len(train), "n_test": len(test)}
        print(f"probe on {target}: {results[target]}")
    return results
