rule probe:
    input:
        model="results/{scale}/{assets}/models/{experiment}/seed{seed}/{dataset}/{arch}.pt",
        target="results/{scale}/{assets}/datasets/{experiment}/seed{seed}/{target}.npz",
    output:
        "results/{scale}/{assets}/probes/{experiment}/seed{seed}/{dataset}/{arch}/{target}.json",
    log:
        "results/logs/{scale}/{assets}/probes/{experiment}/seed{seed}/{dataset}/{arch}/{target}.log",
    params:
        probe=probe_params,
        meta=job_meta,
        code=code_version("invariance.probing", "invariance.training"),
    threads: config["threads"]["probe"]
    script:
        "../scripts/probe.py"
