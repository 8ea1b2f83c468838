rule fig1:
    input:
        pool=f"results/assets/{ASSETS}/pool.npz",
    output:
        pdf="results/figures/fig1.pdf",
        png=report(
            "results/figures/fig1.png",
            caption="../report/fig1.rst",
            category="Figures",
        ),
    log:
        "results/logs/figures/fig1.log",
    conda:
        "../../environment.yml"
    params:
        assets=ASSETS,
        samples=config["figures"]["fig1"]["samples"],
        code=code("fig1.py"),
    script:
        "../scripts/fig1.py"


rule fig2:
    input:
        probes=f"{RUN}/tables/fig2_probes.parquet",
    output:
        pdf="results/figures/fig2.pdf",
        png=report(
            "results/figures/fig2.png",
            caption="../report/fig2.rst",
            category="Figures",
        ),
    log:
        "results/logs/figures/fig2.log",
    conda:
        "../../environment.yml"
    params:
        palette=config["figures"]["fig2"]["palette"],
        recipe=RECIPE,
        code=code("fig2.py"),
    script:
        "../scripts/fig2.py"


rule heatmap:
    input:
        # fig6a is drawn from experiment fig6 (fig6b from its l2 table).
        probes=lambda w: f"{RUN}/tables/{w.figure.removesuffix('a')}_probes.parquet",
    output:
        pdf="results/figures/{figure}.pdf",
        png=report(
            "results/figures/{figure}.png",
            caption="../report/heatmap.rst",
            category="Figures",
        ),
    log:
        "results/logs/figures/{figure}.log",
    wildcard_constraints:
        figure="fig3|fig5|fig6a|fig8",
    conda:
        "../../environment.yml"
    params:
        recipe=RECIPE,
        code=code("heatmap.py"),
    script:
        "../scripts/heatmap.py"


rule fig4:
    input:
        probes=f"{RUN}/tables/fig4_probes.parquet",
    output:
        pdf="results/figures/fig4.pdf",
        png=report(
            "results/figures/fig4.png",
            caption="../report/fig4.rst",
            category="Figures",
        ),
    log:
        "results/logs/figures/fig4.log",
    conda:
        "../../environment.yml"
    params:
        recipe=RECIPE,
        code=code("fig4.py"),
    script:
        "../scripts/fig4.py"


rule fig6b:
    input:
        l2=f"{RUN}/tables/fig6_l2.parquet",
    output:
        pdf="results/figures/fig6b.pdf",
        png=report(
            "results/figures/fig6b.png",
            caption="../report/fig6b.rst",
            category="Figures",
        ),
    log:
        "results/logs/figures/fig6b.log",
    conda:
        "../../environment.yml"
    params:
        recipe=RECIPE,
        code=code("fig6b.py"),
    script:
        "../scripts/fig6b.py"


rule fig7:
    input:
        pool=f"results/assets/{ASSETS}/pool.npz",
        cifar=f"results/assets/{ASSETS}/cifar10.npz",
    output:
        pdf="results/figures/fig7.pdf",
        png=report(
            "results/figures/fig7.png",
            caption="../report/fig7.rst",
            category="Figures",
        ),
    log:
        "results/logs/figures/fig7.log",
    conda:
        "../../environment.yml"
    params:
        assets=ASSETS,
        samples=config["figures"]["fig7"]["samples"],
        code=code("fig7.py"),
    script:
        "../scripts/fig7.py"
