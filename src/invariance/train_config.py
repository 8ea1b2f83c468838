"""How one model is pretrained (TrainConfig), without torch: the workflow builds it when it reads the config."""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, fields


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides the trained weights and their training history (speed options live elsewhere).

    Fields added later are left out of the rules' params at their defaults (``params_of``, ADDED_LATER),
    so adding one reruns no job that does not use it; list a new field there.
    """

    arch: str
    width: float
    epochs: int
    batch_size: int
    lr: float  # constant: the learning rate; onecycle: the peak
    seed: int
    lr_schedule: str = "constant"
    # CIFAR-based data: each epoch crops and flips every background afresh, then pastes the object
    # (invariance.augment, the authors' augmentation); needs the training split's layers.
    augment: bool = False
    # Own-task val and test accuracy every this many epochs, and at the last (which the tables report).
    eval_every: int = 1
    # Transforms-2D data: each epoch draws every training image's transformations afresh, as the authors
    # train (invariance.transforms2d.fresh); needs a dataset file rendered with fresh_draws.
    fresh_draws: bool = False


# Fields added after models had been trained without them: at their defaults they train exactly as before.
ADDED_LATER = ("augment", "eval_every", "fresh_draws")
# Of those, the ones added after training histories were first written: a history records them only when
# set, so that a default model's history, which its stage's code version digests, keeps its bytes.
ADDED_AFTER_HISTORIES = ("fresh_draws",)


_DEFAULTS = {f.name: f.default for f in fields(TrainConfig) if f.default is not MISSING}


def _set(cfg: TrainConfig, later: tuple[str, ...]) -> dict:
    """Every field, less those of ``later`` at their default."""
    return {k: v for k, v in asdict(cfg).items() if not (k in later and _DEFAULTS[k] == v)}


def params_of(cfg: TrainConfig) -> dict:
    """The pretrain rule's params: every field, less the later ones at their default (see TrainConfig)."""
    return _set(cfg, ADDED_LATER)


def recorded(cfg: TrainConfig) -> dict:
    """The settings as a training history records them (``ADDED_AFTER_HISTORIES`` only where set)."""
    return _set(cfg, ADDED_AFTER_HISTORIES)


def completed(saved: dict | None) -> dict | None:
    """Settings written before some later fields existed, with them at their defaults: they train the same."""
    if not isinstance(saved, dict):
        return saved
    return {k: _DEFAULTS[k] for k in ADDED_LATER} | saved
