rule probe_table:
    input:
        lambda w: list(probe_files(w).values()),
    output:
        f"{RUN}/tables/{{experiment}}_probes.parquet",
    log:
        f"{LOGS}/tables/{{experiment}}_probes.log",
    conda:
        "../../environment.yml"
    params:
        rows=lambda w: REG.rows[w.experiment],
        files=probe_files,
        run=lambda w: run_meta(w.experiment),
        code=code("probe_table.py"),
    script:
        "../scripts/probe_table.py"


rule training_table:
    input:
        lambda w: list(history_files(w).values()),
    output:
        f"{RUN}/tables/{{experiment}}_training.parquet",
    log:
        f"{LOGS}/tables/{{experiment}}_training.log",
    conda:
        "../../environment.yml"
    params:
        rows=lambda w: REG.trained[w.experiment],
        files=history_files,
        run=lambda w: run_meta(w.experiment),
        code=code("training_table.py"),
    script:
        "../scripts/training_table.py"


rule l2_table:
    input:
        l2_files,
    output:
        f"{RUN}/tables/fig6_l2.parquet",
    log:
        f"{LOGS}/tables/fig6_l2.log",
    conda:
        "../../environment.yml"
    params:
        run=run_meta("fig6"),
        code=code("l2_table.py"),
    script:
        "../scripts/l2_table.py"
