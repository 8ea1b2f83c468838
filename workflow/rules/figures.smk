rule fig1:
    input:
        pool=f"results/assets/{ASSETS}/pool.npz",
    output:
        pdf="results/figures/fig1.pdf",
        png="results/figures/fig1.png",
    log:
        "results/logs/figures/fig1.log",
    conda:
        "../../environment.yml"
    params:
        assets=ASSETS,
        samples=config["figures"]["fig1"]["samples"],
        code=code("fig1.py", "invariance.figures.fig1"),
    script:
        "../scripts/fig1.py"


rule fig2:
    input:
        probes=f"{RUN}/tables/fig2_probes.parquet",
    output:
        pdf="results/figures/fig2.pdf",
        png="results/figures/fig2.png",
    log:
        "results/logs/figures/fig2.log",
    conda:
        "../../environment.yml"
    params:
        palette=config["figures"]["fig2"]["palette"],
        code=code("fig2.py", "invariance.figures.fig2"),
    script:
        "../scripts/fig2.py"
