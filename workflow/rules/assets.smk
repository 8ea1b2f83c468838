rule assets_offline:
    output:
        pool="results/assets/offline/pool.npz",
        license="results/assets/offline/LICENSE.txt",
    log:
        "results/logs/assets/offline.log",
    conda:
        "../../environment.yml"
    params:
        code=code("assets_offline.py", "invariance.assets.offline"),
    script:
        "../scripts/assets_offline.py"


rule assets_paper:
    output:
        pool="results/assets/paper/pool.npz",
        license="results/assets/paper/LICENSE.txt",
    log:
        "results/logs/assets/paper.log",
    conda:
        "../../environment.yml"
    params:
        url=config["asset_sources"]["paper"]["url"],
        cache="resources/siscore",
        code=code("assets_paper.py", "invariance.assets.siscore"),
    script:
        "../scripts/assets_paper.py"
