from invariance import resources

PAPER = {"train": 50000, "val": 10000, "test": 10000}
SMOKE = {"train": 240, "val": 60, "test": 120}


def test_runtime_grows_with_data_epochs_and_the_slower_architecture():
    small = resources.pretrain("resnet18", 1.0, SMOKE, 2)
    big = resources.pretrain("resnet18", 1.0, PAPER, 50)
    cifar = resources.pretrain("resnet18", 1.0, PAPER, 200)
    dense = resources.pretrain("densenet121", 1.0, PAPER, 50)
    assert small["runtime"] < big["runtime"] < cifar["runtime"]
    assert big["runtime"] < dense["runtime"]
    assert small["mem_mb"] < big["mem_mb"] and big["gpu"] == 1


def test_probe_budget_grows_with_its_targets():
    assert resources.probe(PAPER, 8)["runtime"] > resources.probe(PAPER, 2)["runtime"]


def test_every_registered_architecture_has_a_budget_and_l2_asks_for_its_memory():
    from invariance.models import ARCHITECTURES

    for arch in ARCHITECTURES:
        assert resources.pretrain(arch, 1.0, PAPER, 50)["runtime"] > 10
    paper, smoke = resources.l2(PAPER, 3), resources.l2(SMOKE, 3)
    assert paper["mem_mb"] > smoke["mem_mb"] > 4000 and paper["gpu"] == 1
