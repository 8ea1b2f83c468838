from invariance import looks
from invariance.logs import job_log

with job_log(snakemake):
    p, i = snakemake.params, snakemake.input
    tables = looks.tables(p.tables, i.probes, i.histories, i.l2, i.sensitivity, p.run)
    looks.write(looks.decide(snakemake.wildcards.experiment, tables, p.kind, p.looks), snakemake.output[0])
