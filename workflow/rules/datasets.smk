rule render_transforms2d:
    input:
        pool="results/assets/{assets}/pool.npz",
    output:
        "results/{scale}/{assets}/datasets/{experiment}/seed{seed}/{dataset}.npz",
    log:
        "results/logs/{scale}/{assets}/datasets/{experiment}/seed{seed}/{dataset}.log",
    conda:
        "../../environment.yml"
    threads: config["threads"]["render"]
    params:
        spec=dataset_spec,
        code=code("render_dataset.py", "invariance.transforms2d.render"),
    script:
        "../scripts/render_dataset.py"
