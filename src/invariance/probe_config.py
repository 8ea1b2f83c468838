"""How a linear probe is fitted (ProbeConfig), without torch: the workflow builds it when it reads the config.

Its own module beside ``invariance.train_config`` (pretraining's ``TrainConfig``), so that a probe
change is not a code change of pretraining and retrains nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

SOLVERS = ("lbfgs", "adam")  # both heads are fitted; the solver names the one reported as accuracy


@dataclass(frozen=True)
class ProbeConfig:
    """Everything that decides a probe's numbers, on frozen features of a pretrained model."""

    solver: str  # which head is reported as ``accuracy``
    train_size: int  # at most this many of the target's training samples (its first, an i.i.d. draw)
    epochs: int  # the Adam head's
    lr: float
    batch_size: int
    seed: int

    def __post_init__(self):
        if self.solver not in SOLVERS:
            raise ValueError(f"unknown probe solver {self.solver!r}; allowed: {', '.join(SOLVERS)}")
