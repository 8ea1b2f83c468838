"""The plan of a run: a resolved config at its scale, as paths, training and probe settings and resource requests.

The rules (``workflow/rules/common.smk``) and the bench read a ``Plan``; neither looks the scale's
block up again. Data flows config -> ``Plan`` (this module) -> the registry's datasets and models
-> the rules' params, each a ``TrainConfig`` (``invariance.train_config``) or a ``ProbeConfig``
(``invariance.probe_config``) turned into a dict.
"""

from __future__ import annotations

from dataclasses import dataclass

from invariance import dataset_kinds, experiments, footnotes, registry, resources
from invariance.probe_config import ProbeConfig
from invariance.train_config import TrainConfig

RESULTS = "results"  # every output of the workflow lies under it
LOGS = f"{RESULTS}/logs"

# The tables every experiment has ("probes", "training") and those only some have; in this order.
TABLE_NAMES = ("probes", "training", "l2", "sensitivity")


def _drawn(recipe: dict) -> dict:
    """A scale's block with every kind's split sizes as they are drawn (``sizes`` where it sets no others)."""
    return recipe | {k.sizes_key: k.sizes(recipe) for k in dataset_kinds.KINDS.values()}


@dataclass(frozen=True)
class Paths:
    """Every path template of a run, each written once. Relative, so a module's ``prefix:`` moves them."""

    run: str  # results/<scale>/<assets>: everything this run computes
    logs: str
    assets: str  # results/assets/<assets>: shared by every scale
    verdict: str  # results/<verdict>: the config's verdict name
    verdict_logs: str  # results/logs/<verdict>

    @classmethod
    def of(cls, scale: str, assets: str, verdict: str = "claims") -> "Paths":
        return cls(
            f"{RESULTS}/{scale}/{assets}",
            f"{LOGS}/{scale}/{assets}",
            f"{RESULTS}/assets/{assets}",
            f"{RESULTS}/{verdict}",
            f"{LOGS}/{verdict}",
        )

    @property
    def pool(self) -> str:
        return f"{self.assets}/pool.npz"

    @property
    def cifar10(self) -> str:
        return f"{self.assets}/cifar10.npz"

    def asset_file(self, name: str) -> str:
        """Another file of the asset source's folder (its license texts)."""
        return f"{self.assets}/{name}"

    @staticmethod
    def asset_log(job: str) -> str:
        return f"{LOGS}/assets/{job}.log"

    @property
    def dataset(self) -> str:
        return f"{self.run}/datasets/seed{{seed}}/{{dataset}}.npz"

    @property
    def model(self) -> str:
        return f"{self.run}/models/seed{{seed}}/{{dataset}}/{{arch}}"  # .pt and .history.json

    @property
    def checkpoint(self) -> str:
        return f"{self.run}/checkpoints/seed{{seed}}/{{dataset}}/{{arch}}.ckpt"

    @property
    def probe(self) -> str:
        return f"{self.run}/probes/seed{{seed}}/{{dataset}}/{{arch}}.json"

    @property
    def l2_job(self) -> str:
        return f"{self.run}/l2/{{experiment}}/seed{{seed}}/{{arch}}.json"

    @property
    def sensitivity_job(self) -> str:
        return f"{self.run}/sensitivity/{{experiment}}/seed{{seed}}/{{arch}}.json"

    @property
    def look(self) -> str:
        return f"{self.run}/looks/{{experiment}}_look{{look}}.json"  # a look's decision: more seeds or not

    @property
    def run_info(self) -> str:
        return f"{self.run}/run.json"  # what the run was made with (invariance.runinfo)

    def table(self, name: str) -> str:
        """The template of one of TABLE_NAMES, per {experiment}."""
        if name not in TABLE_NAMES:
            raise ValueError(f"unknown table {name!r}; the tables are {', '.join(TABLE_NAMES)}")
        return f"{self.run}/tables/{{experiment}}_{name}.parquet"

    # The verdict of the whole config, and each experiment's part of it (written as soon as its tables are).
    @property
    def verdict_md(self) -> str:
        return f"{self.verdict}.md"

    @property
    def verdict_parquet(self) -> str:
        return f"{self.verdict}.parquet"

    @property
    def experiment_verdict_md(self) -> str:
        return f"{self.verdict}/{{experiment}}.md"

    @property
    def experiment_verdict_parquet(self) -> str:
        return f"{self.verdict}/{{experiment}}.parquet"

    @property
    def verdict_log(self) -> str:
        return f"{self.verdict_logs}.log"

    @property
    def experiment_verdict_log(self) -> str:
        return f"{self.verdict_logs}/{{experiment}}.log"

    # Figures are shared by the scales: the last run's are there (its recipe is in each footnote).
    figure_pdf = f"{RESULTS}/figures/{{figure}}.pdf"
    figure_png = f"{RESULTS}/figures/{{figure}}.png"  # drawn beside the PDF, for the report
    figure_log = f"{LOGS}/figures/{{figure}}.log"


@dataclass(frozen=True)
class Plan:
    config: dict
    scale: str
    registry: registry.Registry
    paths: Paths

    @property
    def recipe(self) -> dict:
        """This scale's block of config.yaml's ``scales`` (``base:`` already merged by the config check)."""
        return self.config["scales"][self.scale]

    def recipe_note(self, names: list[str]) -> str:
        """How this scale's recipe for these experiments differs from the paper's, said on their figures.

        Only the scale keys of the kinds of dataset they use (``DatasetKind.scale_keys``); their seed counts
        (one number, or the range their planned looks span) against the paper's."""
        ours, paper = (_drawn(r) for r in (self.recipe, self.config["scales"]["paper"]))
        counts = sorted({n for e in names for n in (self.looks(e)[0], self.looks(e)[-1])})
        if counts:  # planned looks: as few as the first look's seeds, as many as the last's
            ours["seeds"] = counts[0] if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
        used = [key for key, users in registry.users(self.registry).items() if users & set(names)]
        kinds = {self.registry.kind(*key).name for key in used} or set(dataset_kinds.KINDS)
        keep = {key for name in kinds for key in dataset_kinds.KINDS[name].scale_keys}
        drop = {key for kind in dataset_kinds.KINDS.values() for key in kind.scale_keys} - keep
        without = lambda r: {k: v for k, v in r.items() if k not in drop}  # noqa: E731
        return footnotes.recipe_note(self.scale, without(ours), without(paper))

    def seeds(self, experiment: str) -> list[int]:
        """Every seed one experiment may need: up to its last planned look."""
        return experiments.seeds(self.config, self.scale, experiment)

    def looks(self, experiment: str) -> tuple[int, ...]:
        """An experiment's planned looks (seed counts): its own for this scale, or the scale's."""
        return experiments.looks(self.config, self.scale, experiment)

    def train_config(self, seed: int, dataset: str, arch: str) -> TrainConfig:
        """How one model is pretrained; each kind of dataset has its own epochs, augmentation and draws."""
        s, kind = self.recipe, self.registry.kind(seed, dataset)
        return TrainConfig(
            arch=arch,
            width=float(s["width"]),
            epochs=int(s[kind.epochs_key]),
            batch_size=int(s["batch_size"]),
            lr=float(s["lr"]),
            seed=seed,
            lr_schedule=s["lr_schedule"],
            augment=kind.augment_key is not None and bool(s[kind.augment_key]),
            eval_every=int(s["eval_every"]),
            fresh_draws=bool(self.registry.datasets[(seed, dataset)].get("fresh_draws", False)),
        )

    def probe_config(self, seed: int) -> ProbeConfig:
        s, p = self.recipe, self.config["probe"]
        return ProbeConfig(
            solver=s["probe_solver"],
            train_size=int(s["probe_train_size"]),
            epochs=int(s["probe_epochs"]),
            lr=float(p["lr"]),
            batch_size=int(p["batch_size"]),
            seed=seed,
        )

    def pretrain_resources(self, seed: int, dataset: str, arch: str, sharing: int = 1) -> dict:
        t = self.train_config(seed, dataset, arch)
        return resources.pretrain(arch, t.width, self.registry.datasets[(seed, dataset)]["sizes"], t.epochs, sharing)

    def probe_resources(self, seed: int, dataset: str, arch: str, sharing: int = 1) -> dict:
        return resources.probe(self.recipe["sizes"], len(self.registry.probes[(seed, dataset, arch)]), sharing)

    def l2_resources(self, experiment: str, seed: int, arch: str) -> dict:
        return resources.l2(self.recipe["sizes"], len(self.registry.l2[(experiment, seed, arch)]["datasets"]))

    def sensitivity_resources(self) -> dict:
        return resources.sensitivity()


def build(config: dict) -> Plan:
    """The plan of a resolved config (``config.resolve``) at its ``scale`` and ``assets``."""
    scale = config["scale"]
    paths = Paths.of(scale, config["assets"], config["verdict"])
    return Plan(config, scale, registry.build(config, scale), paths)
