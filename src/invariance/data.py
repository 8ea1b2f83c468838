"""Datasets held as uint8 tensors; batches gathered by index and normalised on the fly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from invariance.artifacts import reading

# Inputs are normalised with mean 0.5, std 0.5 (docs/reproduction.md, "Training"): x -> 2x - 1.
MEAN, STD = 0.5, 0.5


@dataclass
class Split:
    x: torch.Tensor  # (n, 3, 32, 32) uint8
    y: torch.Tensor  # (n,) int64

    def __len__(self) -> int:
        return len(self.y)

    def to(self, device) -> "Split":
        return Split(self.x.to(device), self.y.to(device))


def load_splits(path, *splits: str) -> tuple[dict[str, Split], int]:
    """The named splits of a dataset file and its class count, reading only those members (CRC-checked)."""
    with reading(path, "dataset"), np.load(path, allow_pickle=False) as f:
        out = {}
        for s in splits:
            x = torch.from_numpy(np.ascontiguousarray(f[f"x_{s}"])).permute(0, 3, 1, 2).contiguous()
            out[s] = Split(x, torch.from_numpy(f[f"y_{s}"]).long())
        return out, int(f["num_classes"])


def to_input(x_uint8: torch.Tensor, channels_last: bool = False) -> torch.Tensor:
    x = (x_uint8.float() / 255 - MEAN) / STD
    return x.contiguous(memory_format=torch.channels_last) if channels_last else x
