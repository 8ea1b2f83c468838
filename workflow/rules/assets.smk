rule assets_offline:
    output:
        pool="results/assets/offline/pool.npz",
        license="results/assets/offline/LICENSE.txt",
    log:
        "results/logs/assets/offline.log",
    conda:
        "../../environment.yml"
    params:
        code=code("assets_offline.py"),
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
        code=code("assets_paper.py"),
    script:
        "../scripts/assets_paper.py"


rule cifar_offline:
    output:
        cifar="results/assets/offline/cifar10.npz",
        license="results/assets/offline/CIFAR10-STANDIN-LICENSE.txt",
    log:
        "results/logs/assets/cifar_offline.log",
    conda:
        "../../environment.yml"
    params:
        code=code("cifar_offline.py"),
    script:
        "../scripts/cifar_offline.py"


rule cifar_paper:
    output:
        cifar="results/assets/paper/cifar10.npz",
        license="results/assets/paper/CIFAR10-LICENSE.txt",
    log:
        "results/logs/assets/cifar_paper.log",
    conda:
        "../../environment.yml"
    params:
        url=config["asset_sources"]["paper"]["cifar10_url"],
        md5=config["asset_sources"]["paper"]["cifar10_md5"],
        cache="resources/cifar10",
        code=code("cifar_paper.py"),
    script:
        "../scripts/cifar_paper.py"
