"""Where torch work runs and how: the GPU when present (bf16 autocast, channels_last), else the CPU.

The choices live in one object so the GPU code path (mixed precision, channels_last,
torch.compile) can also be exercised on a CPU in tests: CPU autocast supports bf16.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Accelerator:
    device: torch.device
    bf16: bool
    channels_last: bool

    @classmethod
    def detect(cls) -> "Accelerator":
        if torch.cuda.is_available():
            return cls(torch.device("cuda"), bf16=True, channels_last=True)
        return cls(torch.device("cpu"), bf16=False, channels_last=False)

    def autocast(self):
        if self.bf16:
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def prepare(self, model: torch.nn.Module) -> torch.nn.Module:
        model = model.to(self.device)
        return model.to(memory_format=torch.channels_last) if self.channels_last else model

    def __str__(self) -> str:
        return f"{self.device.type}{' bf16' if self.bf16 else ''}{' channels_last' if self.channels_last else ''}"


def set_threads(threads: int) -> None:
    torch.set_num_threads(max(1, int(threads)))
