from pathlib import Path

import pandas as pd

from invariance import claims
from invariance.logs import logged

with logged(snakemake.log[0]):
    tables = {Path(p).stem: pd.read_parquet(p) for p in [*snakemake.input.probes, snakemake.input.l2]}
    df = claims.evaluate(tables)
    df.to_parquet(snakemake.output.parquet, index=False)
    text = claims.to_markdown(df, snakemake.params.scale, snakemake.params.assets, claims.draws(tables))
    print(text)
    Path(snakemake.output.md).write_text(text)
