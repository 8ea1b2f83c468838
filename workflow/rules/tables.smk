rule probe_table:
    input:
        probe_files,
    output:
        "results/{scale}/{assets}/tables/{experiment}_probes.parquet",
    log:
        "results/logs/{scale}/{assets}/tables/{experiment}_probes.log",
    params:
        code=code_version("invariance.tables"),
    script:
        "../scripts/probe_table.py"


rule training_table:
    input:
        history_files,
    output:
        "results/{scale}/{assets}/tables/{experiment}_training.parquet",
    log:
        "results/logs/{scale}/{assets}/tables/{experiment}_training.log",
    params:
        code=code_version("invariance.tables"),
    script:
        "../scripts/training_table.py"
