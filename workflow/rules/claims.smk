rule claims:
    input:
        probes=[table(PROBE_TABLE, e) for e in claims.EXPERIMENTS],
        l2=[table(L2_TABLE, e) for e in claims.EXPERIMENTS if e in L2_EXPERIMENTS],
        training=[table(TRAINING_TABLE, e) for e in claims.EXPERIMENTS],
    output:
        md=report(CLAIMS_MD, caption="../report/claims.rst", category="Verdict"),
        parquet="results/claims.parquet",
    log:
        "results/logs/claims.log",
    conda:
        "../../environment.yml"
    params:
        experiments=claims.EXPERIMENTS,
        l2_experiments=[e for e in claims.EXPERIMENTS if e in L2_EXPERIMENTS],
        scale=SCALE,
        assets=ASSETS,
        code=code("claims.py"),
    script:
        "../scripts/claims.py"
