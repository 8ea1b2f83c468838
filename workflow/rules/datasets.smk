rule render_transforms2d:
    input:
        pool="results/assets/{assets}/pool.npz",
    output:
        "results/{scale}/{assets}/datasets/{experiment}/seed{seed}/{dataset}.npz",
    log:
        "results/logs/{scale}/{assets}/datasets/{experiment}/seed{seed}/{dataset}.log",
    params:
        spec=dataset_spec,
        code=code_version("invariance.transforms2d.render"),
    threads: config["threads"]["render"]
    script:
        "../scripts/render_dataset.py"
