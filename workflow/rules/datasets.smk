rule render_transforms2d:
    input:
        pool=PATHS.pool,
    output:
        PATHS.dataset,
    log:
        f"{PATHS.logs}/datasets/seed{{seed}}/{{dataset}}.log",
    wildcard_constraints:
        dataset=dataset_kinds.KINDS["transforms2d"].id_pattern,
    cache: "omit-software"
    priority: priority
    conda:
        "../../environment.yml"
    threads: config["threads"]["render"]
    params:
        spec=dataset_spec,
        code=code("render_transforms2d.py"),
    script:
        "../scripts/render_transforms2d.py"


rule render_pasted:
    input:
        pool=PATHS.pool,
        cifar=PATHS.cifar10,
    output:
        PATHS.dataset,
    log:
        f"{PATHS.logs}/datasets/seed{{seed}}/{{dataset}}.log",
    wildcard_constraints:
        dataset=dataset_kinds.KINDS["pasted"].id_pattern,
    cache: "omit-software"
    priority: priority
    conda:
        "../../environment.yml"
    threads: config["threads"]["render"]
    params:
        spec=dataset_spec,
        code=code("render_pasted.py"),
    script:
        "../scripts/render_pasted.py"
