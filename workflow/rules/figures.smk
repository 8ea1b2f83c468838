# One rule per plot; each draws the figures its experiment kind assigns to it (src/invariance/experiments)
# (results/figures/<name>.pdf), reading the tables of the figure's experiment.


rule fig1:
    input:
        pool=PATHS.pool,
    output:
        pdf=PATHS.figure_pdf,
        png=report(PATHS.figure_png, caption="../report/fig1.rst", category="Figures"),
    log:
        PATHS.figure_log,
    wildcard_constraints:
        figure=drawn_by("fig1"),
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        assets=ASSETS,
        categories=config["categories"],
        samples=config["figures"]["fig1"]["samples"],
        code=code("fig1.py"),
    script:
        "../scripts/fig1.py"


rule fig2:
    input:
        probes=figure_table("probes"),
    output:
        pdf=PATHS.figure_pdf,
        png=report(PATHS.figure_png, caption="../report/fig2.rst", category="Figures"),
    log:
        PATHS.figure_log,
    wildcard_constraints:
        figure=drawn_by("fig2"),
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        palette=config["figures"]["fig2"]["palette"],
        seeds=figure_seeds,
        recipe=figure_recipe,
        code=code("fig2.py"),
    script:
        "../scripts/fig2.py"


rule heatmap:
    input:
        probes=figure_table("probes"),
    output:
        pdf=PATHS.figure_pdf,
        png=report(
            PATHS.figure_png, caption="../report/heatmap.rst", category="Figures"
        ),
    log:
        PATHS.figure_log,
    wildcard_constraints:
        figure=drawn_by("heatmap"),
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        title=lambda w: experiments.heatmap_title(config, figure_experiment(w)),
        cifar=lambda w: experiments.on_cifar(PLAN.config, figure_experiment(w)),
        seeds=figure_seeds,
        recipe=figure_recipe,
        code=code("heatmap.py"),
    script:
        "../scripts/heatmap.py"


rule fig4:
    input:
        probes=figure_table("probes"),
    output:
        pdf=PATHS.figure_pdf,
        png=report(PATHS.figure_png, caption="../report/fig4.rst", category="Figures"),
    log:
        PATHS.figure_log,
    wildcard_constraints:
        figure=drawn_by("fig4"),
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        seeds=figure_seeds,
        recipe=figure_recipe,
        code=code("fig4.py"),
    script:
        "../scripts/fig4.py"


rule sensitivity_figure:
    input:
        sensitivity=figure_table("sensitivity"),
    output:
        pdf=PATHS.figure_pdf,
        png=report(
            PATHS.figure_png, caption="../report/sensitivity.rst", category="Figures"
        ),
    log:
        PATHS.figure_log,
    wildcard_constraints:
        figure=drawn_by("sensitivity_figure"),
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        recipe=figure_recipe,
        code=code("sensitivity_figure.py"),
    script:
        "../scripts/sensitivity_figure.py"


rule fig6b:
    input:
        l2=figure_table("l2"),
    output:
        pdf=PATHS.figure_pdf,
        png=report(PATHS.figure_png, caption="../report/fig6b.rst", category="Figures"),
    log:
        PATHS.figure_log,
    wildcard_constraints:
        figure=drawn_by("fig6b"),
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        datasets=L2_DATASETS,
        models=[*L2_MODELS, UNTRAINED],
        seeds=figure_seeds,
        recipe=figure_recipe,
        code=code("fig6b.py"),
    script:
        "../scripts/fig6b.py"


rule fig7:
    input:
        pool=PATHS.pool,
        cifar=PATHS.cifar10,
    output:
        pdf=PATHS.figure_pdf,
        png=report(PATHS.figure_png, caption="../report/fig7.rst", category="Figures"),
    log:
        PATHS.figure_log,
    wildcard_constraints:
        figure=drawn_by("fig7"),
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        assets=ASSETS,
        samples=config["figures"]["fig7"]["samples"],
        code=code("fig7.py"),
    script:
        "../scripts/fig7.py"


rule curves:
    input:
        training=figure_table("training"),
    output:
        pdf=PATHS.figure_pdf,
        png=report(
            PATHS.figure_png,
            caption="../report/curves.rst",
            category="Training curves",
        ),
    log:
        PATHS.figure_log,
    wildcard_constraints:
        figure=drawn_by("curves"),
    priority: priority
    localrule: True
    conda:
        "../../environment.yml"
    params:
        recipe=figure_recipe,
        code=code("curves.py"),
    script:
        "../scripts/curves.py"
