from pathlib import Path

from snakemake.exceptions import WorkflowError

from invariance import config as cfg
from invariance import registry
from invariance import resources
from invariance import tables
from invariance.codeversion import code_version
from invariance.models import ARCHITECTURES

try:
    cfg.validate(config)
except cfg.ConfigError as e:
    raise WorkflowError(str(e)) from None

SCALE = config["scale"]
ASSETS = config["assets"]
RUN = f"results/{SCALE}/{ASSETS}"
LOGS = f"results/logs/{SCALE}/{ASSETS}"
# How this scale's recipe differs from the paper's: said on every results figure.
RECIPE = cfg.recipe_note(SCALE, config["scales"][SCALE], config["scales"]["paper"])
# Every dataset, model and probe of the run, once, by content id (src/invariance/registry.py).
REG = registry.build(config, SCALE)
EXPERIMENTS = list(REG.rows)
FIGURES = [
    f"results/figures/{f}.pdf"
    for f in ("fig1", "fig2", "fig3", "fig4", "fig5", "fig6a", "fig6b", "fig7", "fig8")
]
TABLES = [
    f"{RUN}/tables/{e}_{kind}.parquet"
    for e in EXPERIMENTS
    for kind in ("probes", "training")
] + [f"{RUN}/tables/fig6_l2.parquet"]


wildcard_constraints:
    seed=r"\d+",
    experiment="|".join(EXPERIMENTS),
    arch="|".join(ARCHITECTURES),
    dataset=r"(t2d|cifar)-[0-9a-f]{12}",
    hash=r"[0-9a-f]{12}",


def code(script):
    """Code-version param: the rule's script and the src/ modules it imports (transitively), by content.

    The profiles turn Snakemake's own `code` trigger off, because it compares script
    mtimes and would rerun everything in a fresh clone.
    """
    path = Path(workflow.basedir) / "workflow" / "scripts" / script
    return code_version(files=(str(path),))


def dataset_file(seed, dataset):
    return f"{RUN}/datasets/seed{seed}/{dataset}.npz"


def model_file(seed, dataset, arch, ext="pt"):
    return f"{RUN}/models/seed{seed}/{dataset}/{arch}.{ext}"


def probe_file(seed, dataset, arch):
    return f"{RUN}/probes/seed{seed}/{dataset}/{arch}.json"


def dataset_spec(prefix):
    """The spec of the dataset a render rule's {seed} and {hash} name."""
    return lambda w: REG.datasets[(int(w.seed), f"{prefix}-{w.hash}")]


def train_params(w):
    s = config["scales"][SCALE]
    cifar = REG.kind(int(w.seed), w.dataset) == "pasted"
    return {
        "arch": w.arch,
        "width": float(s["width"]),
        # The paper trains 200 epochs on CIFAR-based data and 50 on synthetic data.
        "epochs": int(s["cifar_pretrain_epochs" if cifar else "pretrain_epochs"]),
        "batch_size": int(s["batch_size"]),
        "lr": float(s["lr"]),
        "seed": int(w.seed),
        "lr_schedule": s["lr_schedule"],
    }


def pretrain_resources(w):
    t = train_params(w)
    sizes = config["scales"][SCALE]["sizes"]
    return resources.pretrain(t["arch"], t["width"], sizes, t["epochs"])


def probe_resources(w):
    n = len(REG.probes[(int(w.seed), w.dataset, w.arch)])
    return resources.probe(config["scales"][SCALE]["sizes"], n)


def l2_resources(w):
    n = len(REG.l2[(int(w.seed), w.arch)]["datasets"])
    return resources.l2(config["scales"][SCALE]["sizes"], n)


def probe_params(w):
    s = config["scales"][SCALE]
    return {
        "solver": s["probe_solver"],
        "train_size": int(s["probe_train_size"]),
        "epochs": int(s["probe_epochs"]),
        "lr": float(config["probe"]["lr"]),
        "batch_size": int(config["probe"]["batch_size"]),
        "seed": int(w.seed),
    }


def probe_targets(w):
    """Every dataset any figure probes this model on: one job per model, not per target."""
    return {
        t: dataset_file(w.seed, t) for t in REG.probes[(int(w.seed), w.dataset, w.arch)]
    }


def _per_model(w, path):
    return {
        tables.model_key(r["seed"], r["pretrain_id"], r["architecture"]): path(
            r["seed"], r["pretrain_id"], r["architecture"]
        )
        for r in REG.trained[w.experiment]
    }


def probe_files(w):
    return _per_model(w, probe_file)


def history_files(w):
    return _per_model(w, lambda *m: model_file(*m, ext="history.json"))


def l2_inputs(w):
    job = REG.l2[(int(w.seed), w.arch)]
    models = {
        f"model_{k}": model_file(w.seed, d, w.arch) for k, d in job["models"].items()
    }
    data = {f"dataset_{k}": dataset_file(w.seed, d) for k, d in job["datasets"].items()}
    return {**models, **data}


def l2_files(w):
    return [f"{RUN}/l2/seed{seed}/{arch}.json" for seed, arch in sorted(REG.l2)]


def run_meta(experiment):
    return {"experiment": experiment, "scale": SCALE, "assets": ASSETS}
