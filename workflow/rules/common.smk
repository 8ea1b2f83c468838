from dataclasses import asdict
from pathlib import Path

from snakemake.exceptions import WorkflowError

from invariance import config as cfg
from invariance import dataset_kinds
from invariance import experiments
from invariance import plan
from invariance import looks as looks_io
from invariance import registry
from invariance import tables
from invariance import fingerprints
from invariance.experiments.fig6 import L2_DATASETS, L2_MODELS, UNTRAINED
from invariance.experiments import kind as experiment_kind
from invariance.models import ARCHITECTURES
from invariance.train_config import params_of

try:
    # Checked, and each scale's `base:` merged in: the one config the plan, the rules and the report read.
    config.update(cfg.resolve(config))
except cfg.ConfigError as e:
    raise WorkflowError(str(e)) from None

# This workflow's own directory, also when another workflow uses it as a module (workflow.basedir is then
# that workflow's).
ROOT = Path(str(workflow.current_basedir)).parents[1]
SCALE = config["scale"]
ASSETS = config["assets"]
# The run's paths, training and probe settings and resource requests, resolved once (src/invariance/plan.py), and in it
# every dataset, model and probe of the run, once, by content id (src/invariance/registry.py).
PLAN = plan.build(config)
PATHS = PLAN.paths
REG = PLAN.registry
EXPERIMENTS = list(REG.rows)
L2_EXPERIMENTS = sorted({e for e, _, _ in REG.l2})
SENSITIVITY_EXPERIMENTS = sorted({e for e, _, _ in REG.sensitivity})
# Every figure this config can make (src/invariance/experiments): name -> plot rule and experiment.
FIGS = experiments.figures(config)
EXPERIMENT_KINDS = {e: experiment_kind(config, e) for e in EXPERIMENTS}
TABLES = {name: PATHS.table(name) for name in plan.TABLE_NAMES}
VERDICT_PDF = PATHS.figure_pdf.format(figure=config["verdict"])
VERDICT_PNG = PATHS.figure_png.format(figure=config["verdict"])


def named_tables(experiment):
    """An experiment's tables, name -> path: probes and training, and l2 and sensitivity where it has them."""
    has = {
        "l2": experiment in L2_EXPERIMENTS,
        "sensitivity": experiment in SENSITIVITY_EXPERIMENTS,
    }
    return {
        name: t.format(experiment=experiment)
        for name, t in TABLES.items()
        if has.get(name, True)
    }


def tables_of(experiment):
    return list(named_tables(experiment).values())


def drawn_by(plot):
    """The wildcard constraint of a plot rule: the figures it draws (a never-matching pattern if none)."""
    return "|".join(experiments.drawn_by(FIGS, plot)) or "(?!)"


def figure_experiment(w):
    return FIGS[w.figure].experiment


def figure_recipe(w):
    """How the recipe of a figure's experiment differs from the paper's: its footnote says it."""
    return PLAN.recipe_note([figure_experiment(w)])


def figure_seeds(w):
    """How many seeds a figure's experiment may have (its captions say it; its footnote, how many it has)."""
    looks = PLAN.looks(figure_experiment(w))
    return f"up to {looks[-1]}" if len(looks) > 1 else looks[0]


def figure_table(name):
    """Input function: the table `name` (plan.TABLE_NAMES) of a figure's experiment."""
    return lambda w: TABLES[name].format(experiment=figure_experiment(w))


# `snakemake` with no target: config.yaml's `all`, their tables, and the verdict on the claims of
# their experiments' kinds.
ALL_EXPERIMENTS = list(
    dict.fromkeys(FIGS[f].experiment for f in config["all"] if FIGS[f].experiment)
)
ALL = (
    [PATHS.figure_pdf.format(figure=f) for f in config["all"]]
    # the training curves of every experiment in `all`
    + [
        PATHS.figure_pdf.format(figure=f)
        for f, fig in FIGS.items()
        if fig.plot == "curves" and fig.experiment in ALL_EXPERIMENTS
    ]
    + [t for e in ALL_EXPERIMENTS for t in tables_of(e)]
    + [PATHS.experiment_verdict_md.format(experiment=e) for e in ALL_EXPERIMENTS]
    + ([PATHS.verdict_md, VERDICT_PDF] if ALL_EXPERIMENTS else [])
)
# How this scale's recipe for the verdict's experiments differs from the paper's (a figure's: figure_recipe).
VERDICT_RECIPE = PLAN.recipe_note(ALL_EXPERIMENTS)

# Jobs run in the order of `all`: each takes the rank of the first figure there that needs it
# (len(all) down to 1), so figures and their verdicts (PATHS.experiment_verdict_md) arrive in that order
# and fig 2's headline claim is decided first (docs/scales.md, "Seeds"). A priority only picks among ready
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
    dataset=dataset_kinds.any_id_pattern(),


def code(script):
    """Code-version param of the rule running `script` (src/invariance/fingerprints.py, docs/reruns.md).

    Render, pretraining, probe, l2 and sensitivity jobs rerun when their code gives other outputs on a
    fixed input (per architecture where the job has one); the others when the code they reach changes.
    The profiles turn Snakemake's own `code` trigger off: it compares script mtimes, which a fresh
    clone changes.
    """
    path = str(ROOT / "workflow" / "scripts" / script)
    if (
        script in fingerprints.STAGES
    ):  # computed only for jobs in the DAG, once per variant
        return lambda w: fingerprints.version(path, *fingerprint_variants(w, script))
    return fingerprints.version(path)


def fingerprint_variants(w, script):
    """What a job's stage fingerprint covers: its architecture, or none and its dataset's categories;
    and the fresh-draws path where its stage has one and its dataset draws afresh."""
    fresh = ()
    if script in fingerprints.FRESH_STAGES and dataset_spec(w).get("fresh_draws"):
        fresh = (fingerprints.FRESH,)
    if "arch" in w.keys():
        return (w.arch, *fresh)
    if "dataset" in w.keys():
        return (
            None,
            *registry.content(dataset_spec(w), "dataset")["dataset_categories"],
            *fresh,
        )
    return (None,)


def dataset_file(seed, dataset):
    return PATHS.dataset.format(seed=seed, dataset=dataset)


def model_file(seed, dataset, arch, ext="pt"):
    return f"{PATHS.model.format(seed=seed, dataset=dataset, arch=arch)}.{ext}"


def probe_file(seed, dataset, arch):
    return PATHS.probe.format(seed=seed, dataset=dataset, arch=arch)


def dataset_spec(w):
    """The spec of the dataset a render rule's {seed} and {dataset} name."""
    return REG.datasets[(int(w.seed), w.dataset)]


def train_params(w):
    """How a model is pretrained (train_config.TrainConfig), as the pretrain rule's params."""
    return params_of(PLAN.train_config(int(w.seed), w.dataset, w.arch))


def pretrain_inputs(w):
    """The dataset, and for augmented pretraining the CIFAR images its backgrounds come from."""
    return {"dataset": PATHS.dataset.format(**w)} | (
        {"cifar": PATHS.cifar10} if train_params(w).get("augment") else {}
    )


def checkpoint_of(wildcards, output):
    """CHECKPOINT under the model's prefix (a module's `prefix:` moves a rule's outputs, not its params)."""
    model = PATHS.model.format(**wildcards) + ".pt"
    if not output.model.endswith(
        model
    ):  # a module's replace_prefix: rewrites paths, not only prefixes them
        raise WorkflowError(
            f"cannot place the checkpoint of {output.model}: it does not end in {model}"
        )
    prefix = output.model[: len(output.model) - len(model)]
    return prefix + PATHS.checkpoint.format(**wildcards)


def sharing():
    """Models packed into one allocation: a cluster profile's group-components for the group the pretrain and
    probe rules form (profiles/slurm); their runtime budgets grow with it. Read when a job's resources are,
    since Snakemake sets the group settings after it has parsed the Snakefile."""
    return workflow.group_settings.group_components.get("model", 1)


def pretrain_resources(w):
    return PLAN.pretrain_resources(int(w.seed), w.dataset, w.arch, sharing())


def probe_resources(w):
    return PLAN.probe_resources(int(w.seed), w.dataset, w.arch, sharing())


def l2_resources(w):
    return PLAN.l2_resources(w.experiment, int(w.seed), w.arch)


def probe_params(w):
    return asdict(PLAN.probe_config(int(w.seed)))


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


def _looks_run(experiment):
    """How many seeds an experiment's tables hold, and the look decisions that say so: its first planned
    look's seeds, then each further look's while the look before left claims undecided (checkpoint `look`;
    docs/verdict.md)."""
    looks = PLAN.looks(experiment)
    n, decisions = looks[0], []
    for k in range(1, len(looks)):
        decisions.append(checkpoints.look.get(experiment=experiment, look=k).output[0])
        if not looks_io.read(decisions[-1])["continue"]:
            break
        n = looks[k]
    return n, decisions


def seeds_run(experiment):
    return _looks_run(experiment)[0]


def look_decisions(w):
    """The look files an experiment's tables rest on: inputs, so that a table waits for (and follows) them."""
    return _looks_run(w.experiment)[1]


def _upto(rows, n):
    return [r for r in rows if r["seed"] < n]


def probe_files(w, n=None):
    n = seeds_run(w.experiment) if n is None else n
    return _per_model(_upto(REG.rows[w.experiment], n), probe_file)


def history_files(w, n=None):
    n = seeds_run(w.experiment) if n is None else n
    return _per_model(
        _upto(REG.trained[w.experiment], n),
        lambda *m: model_file(*m, ext="history.json"),
    )


def l2_models(w):
    job = REG.l2[(w.experiment, int(w.seed), w.arch)]
    return {k: model_file(w.seed, d, w.arch) for k, d in job["models"].items()}


def l2_datasets(w):
    job = REG.l2[(w.experiment, int(w.seed), w.arch)]
    return {k: dataset_file(w.seed, d) for k, d in job["datasets"].items()}


def l2_files(w, n=None):
    n = seeds_run(w.experiment) if n is None else n
    return [
        PATHS.l2_job.format(experiment=e, seed=seed, arch=arch)
        for e, seed, arch in sorted(REG.l2)
        if e == w.experiment and seed < n
    ]


def sensitivity_keys(w, n=None):
    n = seeds_run(w.experiment) if n is None else n
    return [k for k in sorted(REG.sensitivity) if k[0] == w.experiment and k[1] < n]


def sensitivity_models(w):
    job = REG.sensitivity[(w.experiment, int(w.seed), w.arch)]
    return {d: model_file(w.seed, d, w.arch) for d in job["models"]}


def sensitivity_files(w, n=None):
    return [
        PATHS.sensitivity_job.format(experiment=e, seed=seed, arch=arch)
        for e, seed, arch in sensitivity_keys(w, n)
    ]


def look_seeds(w):
    """The seeds a look judges: those of its planned seed count."""
    return PLAN.looks(w.experiment)[int(w.look) - 1]


def look_inputs(w):
    """What a look judges: the per-seed results its tables would hold at that look."""
    n = look_seeds(w)
    return {
        "probes": list(probe_files(w, n).values()),
        "histories": list(history_files(w, n).values()),
        "l2": l2_files(w, n) if w.experiment in L2_EXPERIMENTS else [],
        "sensitivity": (
            sensitivity_files(w, n) if w.experiment in SENSITIVITY_EXPERIMENTS else []
        ),
    }


def look_params(w):
    n = look_seeds(w)
    return {
        "rows": _upto(REG.rows[w.experiment], n),
        "probe_files": list(probe_files(w, n)),
        "trained": _upto(REG.trained[w.experiment], n),
        "history_files": list(history_files(w, n)),
        "sensitivity_jobs": [REG.sensitivity[k] for k in sensitivity_keys(w, n)],
    }


def run_meta(experiment):
    return {"experiment": experiment, "scale": SCALE, "assets": ASSETS}
