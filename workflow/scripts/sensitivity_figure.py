from invariance.artifacts import read_table
from invariance.figures import sensitivity
from invariance.logs import job_log

with job_log(snakemake):
    df = read_table(snakemake.input.sensitivity)
    print(df.groupby("pretrain_dataset")["sensitivity"].agg(["mean", "std", "count"]).to_string())
    sensitivity.plot(df, snakemake.output.pdf, snakemake.params.recipe)
