# Each asset source's files, from the one place paths are written (plan.Paths).
OFFLINE, PAPER = (plan.Paths.of(SCALE, source) for source in ("offline", "paper"))


rule assets_offline:
    output:
        pool=OFFLINE.pool,
        license=OFFLINE.asset_file("LICENSE.txt"),
    log:
        OFFLINE.asset_log("offline"),
    localrule: True
    conda:
        "../../environment.yml"
    params:
        code=code("assets_offline.py"),
    script:
        "../scripts/assets_offline.py"


rule assets_paper:
    output:
        pool=PAPER.pool,
        license=PAPER.asset_file("LICENSE.txt"),
    log:
        PAPER.asset_log("paper"),
    localrule: True
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
        cifar=OFFLINE.cifar10,
        license=OFFLINE.asset_file("CIFAR10-STANDIN-LICENSE.txt"),
    log:
        OFFLINE.asset_log("cifar_offline"),
    localrule: True
    conda:
        "../../environment.yml"
    params:
        code=code("cifar_offline.py"),
    script:
        "../scripts/cifar_offline.py"


rule cifar_paper:
    output:
        cifar=PAPER.cifar10,
        license=PAPER.asset_file("CIFAR10-LICENSE.txt"),
    log:
        PAPER.asset_log("cifar_paper"),
    localrule: True
    conda:
        "../../environment.yml"
    params:
        url=config["asset_sources"]["paper"]["cifar10_url"],
        md5=config["asset_sources"]["paper"]["cifar10_md5"],
        cache="resources/cifar10",
        code=code("cifar_paper.py"),
    script:
        "../scripts/cifar_paper.py"
