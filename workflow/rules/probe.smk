rule probe:
    input:
        model="results/{scale}/{assets}/models/{experiment}/seed{seed}/{dataset}/{arch}.pt",
        target="results/{scale}/{assets}/datasets/{experiment}/seed{seed}/{target}.npz",
    output:
        "results/{scale}/{assets}/probes/{experiment}/seed{seed}/{dataset}/{arch}/{target}.json",
    log:
        "results/logs/{scale}/{assets}/probes/{experiment}/seed{seed}/{dataset}/{arch}/{target}.log",
    conda:
        "../../environment.yml"
    threads: config["threads"]["probe"]
    params:
        probe=probe_params,
        meta=job_meta,
        code=code("probe.py", "invariance.probing", "invariance.training"),
    script:
        "../scripts/probe.py"
