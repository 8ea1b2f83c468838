"""Datasets held as uint8 tensors; batches gathered by index and normalised on the fly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from invariance.arrays import load_arrays

# Synthetic data is normalised with mean 0.5, std 0.5 (SPEC.md): x -> 2x - 1.
MEAN, STD = 0.5, 0.5


@dataclass
class Split:
    x: torch.Tensor  # (n, 3, 32, 32) uint8
    y: torch.Tensor  # (n,) int64

    def __len__(self) -> int:
        return len(self.y)

    def to(self, device) -> "Split":
        return Split(self.x.to(device), self.y.to(device))


def load_split(path, split: str) -> tuple[Split, int]:
    arrays = load_arrays(path)
    x = torch.from_numpy(np.ascontiguousarray(arrays[f"x_{split}"])).permute(0, 3, 1, 2).contiguous()
    return Split(x, torch.from_numpy(arrays[f"y_{split}"]).long()), int(arrays["num_classes"])


def to_input(x_uint8: torch.Tensor, channels_last: bool = False) -> torch.Tensor:
    x = (x_uint8.float() / 255 - MEAN) / STD
    return x.contiguous(memory_format=torch.channels_last) if channels_last else x
