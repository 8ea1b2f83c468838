rule render_transforms2d:
    input:
        pool=POOL,
    output:
        DATASET,
    log:
        f"{LOGS}/datasets/seed{{seed}}/{{dataset}}.log",
    wildcard_constraints:
        dataset=rf"{registry.KIND_PREFIX['transforms2d']}-[0-9a-f]{{12}}",
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
        pool=POOL,
        cifar=CIFAR10,
    output:
        DATASET,
    log:
        f"{LOGS}/datasets/seed{{seed}}/{{dataset}}.log",
    wildcard_constraints:
        dataset=rf"{registry.KIND_PREFIX['pasted']}-[0-9a-f]{{12}}",
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
