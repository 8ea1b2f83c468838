rule assets_offline:
    output:
        pool="results/assets/offline/pool.npz",
        license="results/assets/offline/LICENSE.txt",
    log:
        "results/logs/assets/offline.log",
    params:
        code=code_version("invariance.assets.offline"),
    script:
        "../scripts/assets_offline.py"


rule assets_paper:
    output:
        pool="results/assets/paper/pool.npz",
        license="results/assets/paper/LICENSE.txt",
    log:
        "results/logs/assets/paper.log",
    params:
        url=config["asset_sources"]["paper"]["url"],
        cache="resources/siscore",
        code=code_version("invariance.assets.siscore"),
    script:
        "../scripts/assets_paper.py"
