import pandas as pd

from invariance import claims, regime
from invariance import tables as tables_io
from invariance.atomic import write_text
from invariance.logs import logged

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    probes = {(e, "probes"): pd.read_parquet(f) for e, f in zip(p.experiments, i.probes)}
    tables = {**probes, **{(e, "l2"): pd.read_parquet(f) for e, f in zip(p.l2_experiments, i.l2)}}
    df = claims.evaluate(tables)
    tables_io.write(df, snakemake.output.parquet)
    training = pd.concat([pd.read_parquet(f) for f in i.training])
    text = (
        claims.to_markdown(df, p.scale, p.assets, claims.draws(tables))
        + "\n"
        + regime.to_markdown(regime.own_task(training), regime.probe_convergence(pd.concat(probes.values())))
    )
    print(text)
    write_text(snakemake.output.md, text)
