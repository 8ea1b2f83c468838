# A planned look before the last (docs/verdict.md): are any of the experiment's claims still undecided on
# its seeds so far? Only then are the next look's seeds built (seeds_run in common.smk).
checkpoint look:
    input:
        unpack(look_inputs),
    output:
        PATHS.look,
    log:
        f"{PATHS.logs}/looks/{{experiment}}_look{{look}}.log",
    wildcard_constraints:
        look=r"\d+",
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        tables=look_params,
        kind=lambda w: EXPERIMENT_KINDS[w.experiment],
        looks=lambda w: PLAN.looks(w.experiment),
        run=lambda w: run_meta(w.experiment),
        code=code("look.py"),
    script:
        "../scripts/look.py"


rule experiment_claims:
    input:
        lambda w: tables_of(w.experiment),
    output:
        md=PATHS.experiment_verdict_md,
        parquet=PATHS.experiment_verdict_parquet,
    log:
        PATHS.experiment_verdict_log,
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        tables=lambda w: {w.experiment: named_tables(w.experiment)},
        kinds=lambda w: {w.experiment: EXPERIMENT_KINDS[w.experiment]},
        looks=lambda w: {w.experiment: PLAN.looks(w.experiment)},
        scale=SCALE,
        assets=ASSETS,
        code=code("claims.py"),
    script:
        "../scripts/claims.py"


rule claims:
    input:
        [t for e in ALL_EXPERIMENTS for t in tables_of(e)],
        PATHS.run_info,
    output:
        md=report(PATHS.verdict_md, caption="../report/claims.rst", category="Verdict"),
        parquet=PATHS.verdict_parquet,
        pdf=VERDICT_PDF,
        png=report(VERDICT_PNG, caption="../report/claims.rst", category="Verdict"),
    log:
        PATHS.verdict_log,
    localrule: True
    conda:
        "../../environment.yml"
    params:
        tables={e: named_tables(e) for e in ALL_EXPERIMENTS},
        kinds={e: EXPERIMENT_KINDS[e] for e in ALL_EXPERIMENTS},
        looks={e: PLAN.looks(e) for e in ALL_EXPERIMENTS},
        scale=SCALE,
        assets=ASSETS,
        recipe=VERDICT_RECIPE,
        code=code("claims.py"),
    script:
        "../scripts/claims.py"
