from pathlib import Path

from snakemake.exceptions import WorkflowError

from invariance import catalog
from invariance import config as cfg
from invariance import registry
from invariance import resources
from invariance import tables
from invariance.codeversion import code_version
from invariance.experiments import FIG6B_DATASETS, FIG6B_MODELS, UNTRAINED
from invariance.experiments import kind as experiment_kind
from invariance.models import ARCHITECTURES
from invariance.recipe import TrainConfig, params_of

try:
    cfg.validate(config)
except cfg.ConfigError as e:
    raise WorkflowError(str(e)) from None

# This workflow's own directory, also when another workflow uses it as a module (workflow.basedir is then
# that workflow's).
ROOT = Path(str(workflow.current_basedir)).parents[1]
SCALE = config["scale"]
ASSETS = config["assets"]
RUN = f"results/{SCALE}/{ASSETS}"
LOGS = f"results/logs/{SCALE}/{ASSETS}"
# How this scale's recipe differs from the paper's: said on every results figure.
RECIPE = cfg.recipe_note(SCALE, config["scales"][SCALE], config["scales"]["paper"])
# Every dataset, model and probe of the run, once, by content id (src/invariance/registry.py).
REG = registry.build(config, SCALE)
EXPERIMENTS = list(REG.rows)
L2_EXPERIMENTS = sorted({e for e, _, _ in REG.l2})
SENSITIVITY_EXPERIMENTS = sorted({e for e, _, _ in REG.sensitivity})
# Every figure this config can make (src/invariance/catalog.py): name -> plot rule and experiment.
FIGS = catalog.figures(config)
EXPERIMENT_KINDS = {e: experiment_kind(config, e) for e in EXPERIMENTS}

# Path templates, each written once: rules use them as outputs, helpers fill them in.
POOL = f"results/assets/{ASSETS}/pool.npz"
CIFAR10 = f"results/assets/{ASSETS}/cifar10.npz"
DATASET = f"{RUN}/datasets/seed{{seed}}/{{dataset}}.npz"
MODEL = f"{RUN}/models/seed{{seed}}/{{dataset}}/{{arch}}"  # .pt and .history.json
CHECKPOINT = f"{RUN}/checkpoints/seed{{seed}}/{{dataset}}/{{arch}}.ckpt"
PROBE = f"{RUN}/probes/seed{{seed}}/{{dataset}}/{{arch}}.json"
FIGURE_PDF = "results/figures/{figure}.pdf"
FIGURE_PNG = "results/figures/{figure}.png"  # drawn beside the PDF, for the report
FIGURE_LOG = "results/logs/figures/{figure}.log"
PROBE_TABLE = f"{RUN}/tables/{{experiment}}_probes.parquet"
TRAINING_TABLE = f"{RUN}/tables/{{experiment}}_training.parquet"
L2_TABLE = f"{RUN}/tables/{{experiment}}_l2.parquet"
L2_JOB = f"{RUN}/l2/{{experiment}}/seed{{seed}}/{{arch}}.json"
SENSITIVITY_TABLE = f"{RUN}/tables/{{experiment}}_sensitivity.parquet"
RUN_INFO = f"{RUN}/run.json"  # what the run was made with (src/invariance/runinfo.py)
SENSITIVITY_JOB = f"{RUN}/sensitivity/{{experiment}}/seed{{seed}}/{{arch}}.json"
# The verdict of this config (config.yaml's `verdict` names it): results/<verdict>.md, .parquet, figures/.
VERDICT_MD = f"results/{config['verdict']}.md"
VERDICT_PARQUET = f"results/{config['verdict']}.parquet"
VERDICT_PDF = FIGURE_PDF.format(figure=config["verdict"])
VERDICT_PNG = FIGURE_PNG.format(figure=config["verdict"])
# One experiment's part of it, written as soon as that experiment's tables are: results/<verdict>/fig2.md.
EXPERIMENT_VERDICT_MD = f"results/{config['verdict']}/{{experiment}}.md"
EXPERIMENT_VERDICT_PARQUET = f"results/{config['verdict']}/{{experiment}}.parquet"
TABLES = {
    "probes": PROBE_TABLE,
    "training": TRAINING_TABLE,
    "l2": L2_TABLE,
    "sensitivity": SENSITIVITY_TABLE,
}


def table(template, experiment):
    return template.format(experiment=experiment)


def named_tables(experiment):
    """An experiment's tables, name -> path: probes and training, and l2 and sensitivity where it has them."""
    has = {
        "l2": experiment in L2_EXPERIMENTS,
        "sensitivity": experiment in SENSITIVITY_EXPERIMENTS,
    }
    return {
        name: table(t, experiment) for name, t in TABLES.items() if has.get(name, True)
    }


def tables_of(experiment):
    return list(named_tables(experiment).values())


def drawn_by(plot):
    """The wildcard constraint of a plot rule: the figures it draws (a never-matching pattern if none)."""
    return "|".join(catalog.drawn_by(FIGS, plot)) or "(?!)"


def figure_experiment(w):
    return FIGS[w.figure].experiment


# `snakemake` with no target: config.yaml's `all`, their tables, and the verdict on the claims of
# their experiments' kinds.
ALL_EXPERIMENTS = list(
    dict.fromkeys(FIGS[f].experiment for f in config["all"] if FIGS[f].experiment)
)
ALL = (
    [FIGURE_PDF.format(figure=f) for f in config["all"]]
    # the training curves of every experiment in `all`
    + [
        FIGURE_PDF.format(figure=f)
        for f, fig in FIGS.items()
        if fig.plot == "curves" and fig.experiment in ALL_EXPERIMENTS
    ]
    + [t for e in ALL_EXPERIMENTS for t in tables_of(e)]
    + [EXPERIMENT_VERDICT_MD.format(experiment=e) for e in ALL_EXPERIMENTS]
    + ([VERDICT_MD, VERDICT_PDF] if ALL_EXPERIMENTS else [])
)

# Jobs run in the order of `all`: each takes the rank of the first figure there that needs it
# (len(all) down to 1), so figures and their verdicts (EXPERIMENT_VERDICT_MD) arrive in that order
# and fig 2's headline claim is decided first (README, "Seeds"). A priority only picks among ready
# jobs: no core waits for it.
RANK = {
    name: len(config["all"]) - i
    for i, f in reversed(list(enumerate(config["all"])))
    for name in (f, FIGS[f].experiment)
    if name
}
DATASET_PRIORITY = registry.priorities(REG, {e: RANK[e] for e in ALL_EXPERIMENTS})


def priority(w):
    """A job's scheduling priority, from its {dataset}, {figure} or {experiment} wildcard."""
    if hasattr(w, "dataset"):
        return DATASET_PRIORITY.get((int(w.seed), w.dataset), 0)
    if hasattr(w, "figure"):
        return RANK.get(w.figure) or RANK.get(FIGS[w.figure].experiment, 0)
    return RANK.get(getattr(w, "experiment", None), 0)


wildcard_constraints:
    seed=r"\d+",
    experiment="|".join(EXPERIMENTS),
    arch="|".join(ARCHITECTURES),
    dataset=rf"({'|'.join(registry.KIND_PREFIX.values())})-[0-9a-f]{{12}}",


def code(script):
    """Code-version param: the rule's script and the src/ modules it imports (transitively), by content.

    The profiles turn Snakemake's own `code` trigger off, because it compares script
    mtimes and would rerun everything in a fresh clone.
    """
    path = ROOT / "workflow" / "scripts" / script
    return code_version(files=(str(path),))


def dataset_file(seed, dataset):
    return DATASET.format(seed=seed, dataset=dataset)


def model_file(seed, dataset, arch, ext="pt"):
    return f"{MODEL.format(seed=seed, dataset=dataset, arch=arch)}.{ext}"


def probe_file(seed, dataset, arch):
    return PROBE.format(seed=seed, dataset=dataset, arch=arch)


def dataset_spec(w):
    """The spec of the dataset a render rule's {seed} and {dataset} name."""
    return REG.datasets[(int(w.seed), w.dataset)]


def train_params(w):
    """The pretraining recipe of a model (training.TrainConfig), as the pretrain rule's params."""
    s = config["scales"][SCALE]
    cifar = REG.kind(int(w.seed), w.dataset) == "pasted"
    cfg = TrainConfig(
        arch=w.arch,
        width=float(s["width"]),
        # The paper trains 200 epochs on CIFAR-based data and 50 on synthetic data.
        epochs=int(s["cifar_pretrain_epochs" if cifar else "pretrain_epochs"]),
        batch_size=int(s["batch_size"]),
        lr=float(s["lr"]),
        seed=int(w.seed),
        lr_schedule=s["lr_schedule"],
        augment=cifar and s["cifar_augment"],
        eval_every=int(s["eval_every"]),
    )
    return params_of(cfg)


def pretrain_inputs(w):
    """The dataset, and for augmented pretraining the CIFAR images its backgrounds come from."""
    return {"dataset": DATASET.format(**w)} | (
        {"cifar": CIFAR10} if train_params(w).get("augment") else {}
    )


def checkpoint_of(wildcards, output):
    """CHECKPOINT under the model's prefix (a module's `prefix:` moves a rule's outputs, not its params)."""
    model = MODEL.format(**wildcards) + ".pt"
    if not output.model.endswith(
        model
    ):  # a module's replace_prefix: rewrites paths, not only prefixes them
        raise WorkflowError(
            f"cannot place the checkpoint of {output.model}: it does not end in {model}"
        )
    prefix = output.model[: len(output.model) - len(model)]
    return prefix + CHECKPOINT.format(**wildcards)


def pretrain_resources(w):
    t = train_params(w)
    sizes = REG.datasets[(int(w.seed), w.dataset)]["sizes"]
    return resources.pretrain(t["arch"], t["width"], sizes, t["epochs"])


def probe_resources(w):
    n = len(REG.probes[(int(w.seed), w.dataset, w.arch)])
    return resources.probe(config["scales"][SCALE]["sizes"], n)


def l2_resources(w):
    n = len(REG.l2[(w.experiment, int(w.seed), w.arch)]["datasets"])
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


def _per_model(rows, path):
    return {
        tables.model_key(r["seed"], r["pretrain_id"], r["architecture"]): path(
            r["seed"], r["pretrain_id"], r["architecture"]
        )
        for r in rows
    }


def probe_files(w):
    return _per_model(REG.rows[w.experiment], probe_file)


def history_files(w):
    return _per_model(
        REG.trained[w.experiment], lambda *m: model_file(*m, ext="history.json")
    )


def l2_models(w):
    job = REG.l2[(w.experiment, int(w.seed), w.arch)]
    return {k: model_file(w.seed, d, w.arch) for k, d in job["models"].items()}


def l2_datasets(w):
    job = REG.l2[(w.experiment, int(w.seed), w.arch)]
    return {k: dataset_file(w.seed, d) for k, d in job["datasets"].items()}


def l2_files(w):
    return [
        L2_JOB.format(experiment=e, seed=seed, arch=arch)
        for e, seed, arch in sorted(REG.l2)
        if e == w.experiment
    ]


def sensitivity_keys(w):
    return [k for k in sorted(REG.sensitivity) if k[0] == w.experiment]


def sensitivity_models(w):
    job = REG.sensitivity[(w.experiment, int(w.seed), w.arch)]
    return {d: model_file(w.seed, d, w.arch) for d in job["models"]}


def sensitivity_files(w):
    return [
        SENSITIVITY_JOB.format(experiment=e, seed=seed, arch=arch)
        for e, seed, arch in sensitivity_keys(w)
    ]


def run_meta(experiment):
    return {"experiment": experiment, "scale": SCALE, "assets": ASSETS}
