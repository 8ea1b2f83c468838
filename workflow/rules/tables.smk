rule probe_table:
    input:
        probe_files,
    output:
        "results/{scale}/{assets}/tables/{experiment}_probes.parquet",
    log:
        "results/logs/{scale}/{assets}/tables/{experiment}_probes.log",
    conda:
        "../../environment.yml"
    params:
        code=code("probe_table.py", "invariance.tables"),
    script:
        "../scripts/probe_table.py"


rule training_table:
    input:
        history_files,
    output:
        "results/{scale}/{assets}/tables/{experiment}_training.parquet",
    log:
        "results/logs/{scale}/{assets}/tables/{experiment}_training.log",
    conda:
        "../../environment.yml"
    params:
        code=code("training_table.py", "invariance.tables"),
    script:
        "../scripts/training_table.py"
