rule probe:
    input:
        model=lambda w: model_file(w.seed, w.dataset, w.arch),
        targets=lambda w: list(probe_targets(w).values()),
    output:
        PATHS.probe,
    log:
        f"{PATHS.logs}/probes/seed{{seed}}/{{dataset}}/{{arch}}.log",
    priority: priority
    conda:
        "../../environment.yml"
    threads: config["threads"]["probe"]
    resources:
        gpu=1,
        mem_mb=lambda w: probe_resources(w)["mem_mb"],
        runtime=lambda w: probe_resources(w)["runtime"],
    params:
        probe=probe_params,
        targets=lambda w: list(probe_targets(w)),
        code=code("probe.py"),
    script:
        "../scripts/probe.py"


rule l2_ratios:
    input:
        models=lambda w: list(l2_models(w).values()),
        datasets=lambda w: list(l2_datasets(w).values()),
    output:
        PATHS.l2_job,
    log:
        f"{PATHS.logs}/l2/{{experiment}}/seed{{seed}}/{{arch}}.log",
    priority: priority
    conda:
        "../../environment.yml"
    threads: config["threads"]["probe"]
    resources:
        gpu=1,
        mem_mb=lambda w: l2_resources(w)["mem_mb"],
        runtime=lambda w: l2_resources(w)["runtime"],
    params:
        models=l2_models,
        datasets=l2_datasets,
        width=float(PLAN.recipe["width"]),
        untrained=UNTRAINED,
        code=code("l2_ratios.py"),
    script:
        "../scripts/l2_ratios.py"


rule sensitivity:
    input:
        models=lambda w: list(sensitivity_models(w).values()),
        pool=PATHS.pool,
        cifar=PATHS.cifar10,
    output:
        PATHS.sensitivity_job,
    log:
        f"{PATHS.logs}/sensitivity/{{experiment}}/seed{{seed}}/{{arch}}.log",
    priority: priority
    conda:
        "../../environment.yml"
    threads: config["threads"]["probe"]
    resources:
        gpu=1,
        runtime=PLAN.sensitivity_resources()["runtime"],
    params:
        models=sensitivity_models,
        objects=lambda w: REG.sensitivity[(w.experiment, int(w.seed), w.arch)][
            "objects"
        ],
        code=code("sensitivity.py"),
    script:
        "../scripts/sensitivity.py"
