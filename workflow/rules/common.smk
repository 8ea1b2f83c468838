from pathlib import Path

from snakemake.exceptions import WorkflowError

from invariance import config as cfg
from invariance import experiments as exp
from invariance.codeversion import code_version
from invariance.models import ARCHITECTURES

try:
    cfg.validate(config)
except cfg.ConfigError as e:
    raise WorkflowError(str(e)) from None

SCALE = config["scale"]
ASSETS = config["assets"]
RUN = f"results/{SCALE}/{ASSETS}"
FIGURES = ["results/figures/fig1.pdf", "results/figures/fig2.pdf"]
TABLES = [f"{RUN}/tables/fig2_probes.parquet", f"{RUN}/tables/fig2_training.parquet"]


wildcard_constraints:
    scale="smoke|quick|paper",
    assets="offline|paper",
    seed=r"\d+",
    experiment="|".join(exp.EXPERIMENTS),
    arch="|".join(ARCHITECTURES),
    dataset=r"[a-z0-9_]+",
    target=r"[a-z0-9_]+",


def code(script, *modules):
    """Code-version param: the rule's script and the src/ modules it uses, by content.

    The profiles turn Snakemake's own `code` trigger off, because it compares script
    mtimes and would rerun everything in a fresh clone.
    """
    path = Path(workflow.basedir) / "workflow" / "scripts" / script
    return code_version(*modules, files=(str(path),))


def dataset_spec(w):
    return exp.dataset_spec(
        config, w.scale, w.experiment, int(w.seed), w.dataset
    ).to_dict()


def train_params(w):
    s = config["scales"][w.scale]
    return {
        "arch": w.arch,
        "width": float(s["width"]),
        "epochs": int(s["pretrain_epochs"]),
        "batch_size": int(s["batch_size"]),
        "lr": float(config["training"]["lr"]),
        "seed": int(w.seed),
        "compile": bool(config["training"]["compile"]),
    }


def probe_params(w):
    s = config["scales"][w.scale]
    return {
        "epochs": int(s["probe_epochs"]),
        "lr": float(config["probe"]["lr"]),
        "batch_size": int(config["probe"]["batch_size"]),
        "seed": int(w.seed),
    }


def job_meta(w):
    """Identifies a pretrained model or a probe in the tables."""
    meta = {
        "experiment": w.experiment,
        "scale": w.scale,
        "assets": w.assets,
        "seed": int(w.seed),
        "architecture": w.arch,
        "pretrain_dataset": w.dataset,
    }
    if hasattr(w, "target"):
        meta["target"] = w.target
    return meta


def _jobs(w, kind):
    """(seed, pretrain dataset, arch[, target]) paths of every model or probe of an experiment."""
    run = f"results/{w.scale}/{w.assets}"
    out = []
    for seed in exp.seeds(config, w.scale):
        d = exp.design(config, w.experiment, seed)
        for ds in d.pretrain_on:
            for arch in config["architectures"]:
                base = f"{run}/models/{w.experiment}/seed{seed}/{ds}/{arch}"
                if kind == "history":
                    out.append(f"{base}.history.json")
                else:
                    out += [
                        f"{run}/probes/{w.experiment}/seed{seed}/{ds}/{arch}/{t}.json"
                        for t in d.probe_on
                    ]
    return out


def probe_files(w):
    return _jobs(w, "probe")


def history_files(w):
    return _jobs(w, "history")
