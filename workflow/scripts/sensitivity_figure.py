import pandas as pd

from invariance.figures import sensitivity
from invariance.logs import logged

with logged(snakemake.log[0], snakemake.rule):
    df = pd.read_parquet(snakemake.input.sensitivity)
    print(df.groupby("pretrain_dataset")["sensitivity"].agg(["mean", "std", "count"]).to_string())
    sensitivity.plot(df, snakemake.output.pdf, snakemake.params.recipe)
