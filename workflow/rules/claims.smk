rule claims:
    input:
        probes=expand(
            f"{RUN}/tables/{{experiment}}_probes.parquet", experiment=EXPERIMENTS
        ),
        l2=f"{RUN}/tables/fig6_l2.parquet",
        training=expand(
            f"{RUN}/tables/{{experiment}}_training.parquet", experiment=EXPERIMENTS
        ),
    output:
        md=report(
            "results/claims.md", caption="../report/claims.rst", category="Verdict"
        ),
        parquet="results/claims.parquet",
    log:
        "results/logs/claims.log",
    conda:
        "../../environment.yml"
    params:
        scale=SCALE,
        assets=ASSETS,
        code=code("claims.py"),
    script:
        "../scripts/claims.py"
