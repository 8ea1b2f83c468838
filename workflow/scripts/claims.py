import pandas as pd

from invariance import claims, regime
from invariance import tables as tables_io
from invariance.artifacts import read_table
from invariance.atomic import write_text
from invariance.experiments import CLAIMS
from invariance.figures import claims as verdict_figure
from invariance.logs import job_log

with job_log(snakemake):
    p = snakemake.params
    # Names from the params, paths from the inputs in the same order (they carry a module's prefix, params do not).
    paths = iter(snakemake.input)
    experiment_tables = {e: {t: read_table(next(paths)) for t in named} for e, named in p.tables.items()}
    looks = {e: tuple(v) for e, v in p.looks.items()}
    measured = claims.measure(CLAIMS, experiment_tables, p.kinds, looks)
    df = claims.judge(measured)
    tables_io.write(df, snakemake.output.parquet)
    probes = pd.concat(t["probes"] for t in experiment_tables.values())
    training = pd.concat(t["training"] for t in experiment_tables.values())
    text = (
        claims.to_markdown(df, p.scale, p.assets, looks, claims.draws(experiment_tables), claims.sensitivity(measured))
        + "\n"
        + regime.to_markdown(regime.own_task(training), regime.probe_convergence(probes))
    )
    print(text)
    write_text(snakemake.output.md, text)
    if "pdf" in snakemake.output.keys():  # the whole verdict has a figure; one experiment's part does not
        seeds = ", ".join(f"{e} {n}" for e, n in df.groupby("experiment")["seeds_at_look"].max().items())
        verdict_figure.plot(df, snakemake.output.pdf, f"scale {p.scale}, assets {p.assets}; seeds: {seeds}; {p.recipe}")
