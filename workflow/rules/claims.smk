rule claims:
    input:
        [t for e in ALL_EXPERIMENTS for t in tables_of(e)],
        RUN_INFO,
    output:
        md=report(VERDICT_MD, caption="../report/claims.rst", category="Verdict"),
        parquet=VERDICT_PARQUET,
        pdf=VERDICT_PDF,
        png=report(VERDICT_PNG, caption="../report/claims.rst", category="Verdict"),
    log:
        "results/logs/claims.log",
    conda:
        "../../environment.yml"
    params:
        tables={e: named_tables(e) for e in ALL_EXPERIMENTS},
        kinds={e: EXPERIMENT_KINDS[e] for e in ALL_EXPERIMENTS},
        scale=SCALE,
        assets=ASSETS,
        recipe=RECIPE,
        code=code("claims.py"),
    script:
        "../scripts/claims.py"
