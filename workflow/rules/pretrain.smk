rule pretrain:
    input:
        unpack(pretrain_inputs),
    output:
        # One multiext output, so Snakemake's between-workflow cache can store the pair.
        multiext(
            PATHS.model,
            model=".pt",
            history=".history.json",
        ),
    log:
        f"{PATHS.logs}/pretrain/seed{{seed}}/{{dataset}}/{{arch}}.log",
    cache: "omit-software"
    priority: priority
    conda:
        "../../environment.yml"
    threads: config["threads"]["pretrain"]
    resources:
        gpu=lambda w: pretrain_resources(w)["gpu"],
        mem_mb=lambda w: pretrain_resources(w)["mem_mb"],
        runtime=lambda w: pretrain_resources(w)["runtime"],
    params:
        train=train_params,
        # Not an output: it must survive a killed job so the rerun resumes from it.
        checkpoint=checkpoint_of,
        code=code("pretrain.py"),
    script:
        "../scripts/pretrain.py"
