rule probe_table:
    input:
        lambda w: list(probe_files(w).values()),
        look_decisions,
        pool=PATHS.pool,
    output:
        TABLES["probes"],
    log:
        f"{PATHS.logs}/tables/{{experiment}}_probes.log",
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        rows=lambda w: _upto(REG.rows[w.experiment], seeds_run(w.experiment)),
        files=probe_files,
        run=lambda w: run_meta(w.experiment),
        code=code("probe_table.py"),
    script:
        "../scripts/probe_table.py"


rule training_table:
    input:
        lambda w: list(history_files(w).values()),
        look_decisions,
        pool=PATHS.pool,
    output:
        TABLES["training"],
    log:
        f"{PATHS.logs}/tables/{{experiment}}_training.log",
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        rows=lambda w: _upto(REG.trained[w.experiment], seeds_run(w.experiment)),
        files=history_files,
        run=lambda w: run_meta(w.experiment),
        code=code("training_table.py"),
    script:
        "../scripts/training_table.py"


rule l2_table:
    input:
        results=l2_files,
        pool=PATHS.pool,
    output:
        TABLES["l2"],
    log:
        f"{PATHS.logs}/tables/{{experiment}}_l2.log",
    wildcard_constraints:
        experiment="|".join(L2_EXPERIMENTS) or "(?!)",
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        run=lambda w: run_meta(w.experiment),
        code=code("l2_table.py"),
    script:
        "../scripts/l2_table.py"


rule sensitivity_table:
    input:
        results=sensitivity_files,
        pool=PATHS.pool,
    output:
        TABLES["sensitivity"],
    log:
        f"{PATHS.logs}/tables/{{experiment}}_sensitivity.log",
    wildcard_constraints:
        experiment="|".join(SENSITIVITY_EXPERIMENTS) or "(?!)",
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        jobs=lambda w: [REG.sensitivity[k] for k in sensitivity_keys(w)],
        run=lambda w: run_meta(w.experiment),
        code=code("sensitivity_table.py"),
    script:
        "../scripts/sensitivity_table.py"


# After the tables, and again whenever one is rebuilt: it records what made them (versions and commit are
# read when it runs, so a commit alone reruns nothing).
rule run_info:
    input:
        [t for e in ALL_EXPERIMENTS for t in tables_of(e)],
    output:
        PATHS.run_info,
    log:
        f"{PATHS.logs}/run_info.log",
    localrule: True
    conda:
        "../../environment.yml"
    params:
        scale=SCALE,
        assets=ASSETS,
        recipe=PLAN.recipe,
        kinds=EXPERIMENT_KINDS,
        looks={e: list(PLAN.looks(e)) for e in EXPERIMENTS},
        code=code("run_info.py"),
    script:
        "../scripts/run_info.py"
