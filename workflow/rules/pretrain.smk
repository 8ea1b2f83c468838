rule pretrain:
    input:
        dataset="results/{scale}/{assets}/datasets/{experiment}/seed{seed}/{dataset}.npz",
    output:
        model="results/{scale}/{assets}/models/{experiment}/seed{seed}/{dataset}/{arch}.pt",
        history="results/{scale}/{assets}/models/{experiment}/seed{seed}/{dataset}/{arch}.history.json",
    log:
        "results/logs/{scale}/{assets}/pretrain/{experiment}/seed{seed}/{dataset}/{arch}.log",
    conda:
        "../../environment.yml"
    threads: config["threads"]["pretrain"]
    params:
        train=train_params,
        meta=job_meta,
        # Not an output: it must survive a killed job so the rerun resumes from it.
        checkpoint="results/{scale}/{assets}/checkpoints/{experiment}/seed{seed}/{dataset}/{arch}.ckpt",
        code=code("pretrain.py", "invariance.training"),
    script:
        "../scripts/pretrain.py"
