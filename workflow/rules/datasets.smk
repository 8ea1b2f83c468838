rule render_transforms2d:
    input:
        pool=f"results/assets/{ASSETS}/pool.npz",
    output:
        f"{RUN}/datasets/seed{{seed}}/t2d-{{hash}}.npz",
    log:
        f"{LOGS}/datasets/seed{{seed}}/t2d-{{hash}}.log",
    cache: "omit-software"
    conda:
        "../../environment.yml"
    threads: config["threads"]["render"]
    params:
        spec=dataset_spec("t2d"),
        code=code("render_transforms2d.py"),
    script:
        "../scripts/render_transforms2d.py"


rule render_pasted:
    input:
        pool=f"results/assets/{ASSETS}/pool.npz",
        cifar=f"results/assets/{ASSETS}/cifar10.npz",
    output:
        f"{RUN}/datasets/seed{{seed}}/cifar-{{hash}}.npz",
    log:
        f"{LOGS}/datasets/seed{{seed}}/cifar-{{hash}}.log",
    cache: "omit-software"
    conda:
        "../../environment.yml"
    threads: config["threads"]["render"]
    params:
        spec=dataset_spec("cifar"),
        code=code("render_pasted.py"),
    script:
        "../scripts/render_pasted.py"
