"""The l2 ratio of fig 6b: how far apart penultimate representations of different classes are,
relative to those of the same class (mean pairwise l2 distances, between / within)."""

from __future__ import annotations

import torch

from invariance.data import load_splits
from invariance.device import Accelerator
from invariance.models import build_model
from invariance.probing import features
from invariance.seeding import derive_seed
from invariance.training import load_model


@torch.no_grad()
def l2_ratio(feats: torch.Tensor, labels: torch.Tensor, chunk: int = 1024) -> float:
    """Mean l2 distance over pairs of different classes / over distinct pairs of the same class.

    Exact, over all pairs, in row chunks so paper-size test splits (10k) fit in memory.
    """
    feats, labels = feats.double(), labels.to(feats.device)
    sums, counts = torch.zeros(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    for lo in range(0, len(feats), chunk):
        d = torch.cdist(feats[lo : lo + chunk], feats)
        same = labels[lo : lo + chunk, None] == labels[None, :]
        rows = torch.arange(lo, min(lo + chunk, len(feats)), device=feats.device)
        not_self = torch.ones_like(same)
        not_self[rows - lo, rows] = False
        within = same & not_self
        sums[0] += d[~same].sum().cpu()
        counts[0] += (~same).sum().cpu()
        sums[1] += d[within].sum().cpu()
        counts[1] += within.sum().cpu()
    if counts.min() == 0:
        raise ValueError("the l2 ratio needs at least two classes and two samples of one class")
    between, within = (sums / counts).tolist()
    return between / within


def untrained_model(arch: str, width: float, seed: int) -> torch.nn.Module:
    """The network a pretraining run of this seed starts from (same init), never trained."""
    torch.manual_seed(derive_seed(seed, "init"))
    return build_model(arch, 10, width).eval()


def l2_ratios(
    models: dict[str, str], datasets: dict[str, str], arch: str, width: float, seed: int, untrained: str
) -> list[dict]:
    """Rows (model, dataset, l2_ratio): each named model file and an untrained network (named ``untrained``),
    on each dataset's test split."""
    acc = Accelerator.detect()
    nets = {name: acc.prepare(load_model(path)) for name, path in models.items()}
    nets[untrained] = acc.prepare(untrained_model(arch, width, seed))
    rows = []
    for dname, path in datasets.items():
        test = load_splits(path, "test")[0]["test"]
        for mname, net in nets.items():
            ratio = l2_ratio(features(net, test, acc), test.y)
            rows.append({"model": mname, "dataset": dname, "l2_ratio": ratio})
            print(rows[-1])
    return rows
