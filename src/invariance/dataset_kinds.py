"""The kinds of dataset a run renders, in one table: spec class, id prefix, render rule, CIFAR-based, scale keys.

A dataset spec is a plain dict whose ``kind`` names a row here. Everything that asks "which kind
is this dataset" (its content id, the render rules' wildcard constraints, whether pretraining on
it uses the CIFAR recipe, which figures name CIFAR-10 in their footnote, the bench's renders)
reads this table. A new kind of dataset is one row: its spec class (``from_dict``, ``to_dict``,
``num_classes``), its renderer, and a render rule of that name in ``workflow/rules/datasets.smk``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from invariance import pasted
from invariance.transforms2d import render as transforms2d

ID_DIGITS = 12  # hex digits of the content hash in a dataset id (registry.dataset_id)


@dataclass(frozen=True)
class DatasetKind:
    name: str
    spec: type  # the renderer's spec class
    prefix: str  # of the dataset ids, so a file name says its kind
    render_rule: str
    cifar_based: bool  # drawn on CIFAR-10 images: CIFAR's split sizes and epochs, its augmentation
    render: Callable[..., None]  # (pool file, cifar file or None, spec dict, output file)
    # The keys of a scale's block (config.yaml's `scales`) that set this kind's recipe: its split sizes (the
    # scale's `sizes` where the block lacks the key), its pretraining epochs, its augmentation (or none), and
    # whether its training images are drawn afresh every epoch (a spec field of that name, or none).
    sizes_key: str = "sizes"
    epochs_key: str = "pretrain_epochs"
    augment_key: str | None = None
    fresh_key: str | None = None

    @property
    def scale_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (self.sizes_key, self.epochs_key, self.augment_key, self.fresh_key) if k)

    def at_scale(self, spec: dict, scale: dict) -> dict:
        """A design's spec as a scale renders it: with fresh draws where the scale's block turns them on."""
        return spec | {self.fresh_key: True} if self.fresh_key and scale[self.fresh_key] else spec

    def sizes(self, scale: dict) -> dict[str, int]:
        """This kind's split sizes in a scale's block."""
        return {k: int(v) for k, v in scale.get(self.sizes_key, scale["sizes"]).items()}

    @property
    def id_pattern(self) -> str:
        return rf"{self.prefix}-[0-9a-f]{{{ID_DIGITS}}}"


def _render_transforms2d(pool: str, cifar: str | None, spec: dict, out: str) -> None:
    transforms2d.render_dataset_file(pool, spec, out)


KINDS = {
    k.name: k
    for k in (
        DatasetKind(
            "transforms2d",
            transforms2d.Transforms2DSpec,
            "t2d",
            "render_transforms2d",
            False,
            _render_transforms2d,
            fresh_key="fresh_draws",  # the authors draw each epoch's transformations afresh
        ),
        DatasetKind(
            "pasted",
            pasted.PastedSpec,
            "cifar",
            "render_pasted",
            True,
            pasted.render_dataset_file,
            # The paper trains 200 epochs on CIFAR-based data (50 on synthetic); the authors' code augments it.
            sizes_key="cifar_sizes",
            epochs_key="cifar_pretrain_epochs",
            augment_key="cifar_augment",
        ),
    )
}


def of(spec: dict) -> DatasetKind:
    """The kind of a spec dict."""
    return KINDS[spec["kind"]]


def spec_dict(spec) -> dict:
    """A spec object as the plain dict the registry, the rules and the renderers pass around."""
    (kind,) = (k for k in KINDS.values() if isinstance(spec, k.spec))
    return {"kind": kind.name, **spec.to_dict()}


def num_classes(spec: dict) -> int:
    return of(spec).spec.from_dict(spec).num_classes


def any_id_pattern() -> str:
    """A regex matching the id of a dataset of any kind (the {dataset} wildcard)."""
    return "|".join(f"({k.id_pattern})" for k in KINDS.values())
