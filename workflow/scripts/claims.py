from pathlib import Path

import pandas as pd

from invariance import claims, regime
from invariance import tables as tables_io
from invariance.atomic import write_text
from invariance.logs import logged

with logged(snakemake.log[0]):
    probes = {Path(p).stem: pd.read_parquet(p) for p in snakemake.input.probes}
    tables = {**probes, Path(snakemake.input.l2).stem: pd.read_parquet(snakemake.input.l2)}
    df = claims.evaluate(tables)
    tables_io.write(df, snakemake.output.parquet)
    training = pd.concat([pd.read_parquet(p) for p in snakemake.input.training])
    text = (claims.to_markdown(df, snakemake.params.scale, snakemake.params.assets, claims.draws(tables)) + "\n"
            + regime.to_markdown(regime.own_task(training), regime.probe_convergence(pd.concat(probes.values()))))
    print(text)
    write_text(snakemake.output.md, text)
