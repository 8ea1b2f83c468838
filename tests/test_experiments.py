import re

from conftest import REPO

from invariance import experiments as exp
from invariance.transforms2d.render import Transforms2DSpec


def _groups(spec):
    return [(tuple(g["objects"]), tuple(g["transforms"])) for g in spec["groups"]]


def test_fig2_sets_are_disjoint_and_sized_as_configured(repo_config):
    d = exp.design(repo_config, "quick", "fig2", 0)
    ((o1, t1),) = _groups(d.datasets["all"])
    ((o2, t1b),) = _groups(d.datasets["transforms"])
    ((o1b, t2),) = _groups(d.datasets["objects"])
    assert o1 == o1b and t1 == t1b
    assert len(o1) == len(o2) == 30 and not set(o1) & set(o2)
    assert len(t1) == len(t2) == 3 and not set(t1) & set(t2)
    assert _groups(d.datasets["none"]) == [(o2, t2)]
    assert d.pretrain_on == ("all",) and set(d.probe_on) == {"all", "transforms", "objects", "none"}
    assert d.architectures == ("resnet18", "vgg11", "densenet121")


def test_the_seed_fixes_the_sets(repo_config):
    for name in exp.experiments(repo_config):
        a, b = exp.design(repo_config, "quick", name, 1), exp.design(repo_config, "quick", name, 1)
        c = exp.design(repo_config, "quick", name, 2)
        assert a == b and a.datasets != c.datasets, name


def test_dataset_specs_follow_the_scale(repo_config):
    for scale in ("smoke", "quick", "paper"):
        spec = exp.design(repo_config, scale, "fig2", 0).datasets["all"]
        assert Transforms2DSpec.from_dict(spec).sizes == repo_config["scales"][scale]["sizes"]
        assert Transforms2DSpec.from_dict(spec).num_classes == 30


def test_fig5_datasets_mix_and_concatenate_the_two_sets(repo_config):
    d = exp.design(repo_config, "quick", "fig5", 0)
    ((o12, t1),) = _groups(d.datasets["T1"])
    ((o12b, t2),) = _groups(d.datasets["T2"])
    (o1, t1b), (o2, t2b) = _groups(d.datasets["T1+T2"])
    ((o12c, t12),) = _groups(d.datasets["T1oT2"])
    assert len(o1) == len(o2) == 15 and not set(o1) & set(o2) and o12 == o12b == o12c == o1 + o2
    assert t1 == t1b and t2 == t2b and t12 == t1 + t2 and not set(t1) & set(t2)


def test_fig8_sets_are_nested_and_fig6_has_one_category_each(repo_config):
    d8, d6 = exp.design(repo_config, "quick", "fig8", 3), exp.design(repo_config, "quick", "fig6", 3)
    sets = [_groups(d8.datasets[f"T{i}"])[0][1] for i in range(1, 9)]
    assert [len(t) for t in sets] == list(range(1, 9)) and all(a == b[: len(a)] for a, b in zip(sets, sets[1:]))
    assert sorted(sets[-1]) == sorted(d6.probe_on)
    assert all(_groups(d6.datasets[c])[0][1] == (c,) for c in d6.probe_on)
    assert _groups(d6.datasets["none"])[0][1] == ()


def test_fig4_sweeps_relevance_and_availability(repo_config):
    d = exp.design(repo_config, "quick", "fig4", 0)
    alphas = {k: v for k, v in d.datasets.items() if k.startswith("alpha=")}
    betas = {k: v for k, v in d.datasets.items() if k.startswith("beta=")}
    assert len(alphas) == 9 and len(betas) == 6
    assert all(s["present"] == 1.0 and s["label"] == "class" for s in alphas.values())
    assert all(s["tied"] == 0.0 and s["label"] == "class" for s in betas.values())
    assert d.probe_on == ("X=C+O,Y=C", "X=C+O,Y=O")


def test_paper_scale_is_the_papers_settings(repo_config):
    p = repo_config["scales"]["paper"]
    assert p["sizes"] == {"train": 50000, "val": 10000, "test": 10000}
    assert (
        p["seeds"],
        p["width"],
        p["pretrain_epochs"],
        p["cifar_pretrain_epochs"],
        p["probe_epochs"],
        p["batch_size"],
    ) == (10, 1.0, 50, 200, 25, 512)
    assert (p["lr"], p["lr_schedule"], p["probe_solver"], p["probe_train_size"]) == (1e-3, "constant", "adam", 50000)
    assert repo_config["experiments"]["fig4"]["alphas"] == [0, 0.2, 0.4, 0.6, 0.8, 0.85, 0.9, 0.95, 1]
    assert repo_config["experiments"]["fig4"]["betas"] == [0, 0.2, 0.4, 0.6, 0.8, 1]


def test_every_figure_names_the_rule_that_draws_it(repo_config):
    """A figure's `plot` is the name of its rule in figures.smk (and of that rule's script)."""
    rules = set(re.findall(r"^rule (\w+):", (REPO / "workflow/rules/figures.smk").read_text(), flags=re.M))
    plots = {f.plot for f in exp.figures(repo_config).values()}
    plots |= {plot for k in exp.KINDS.values() for plot in k.figures.values()}
    assert plots and plots <= rules, plots - rules
    assert all((REPO / f"workflow/scripts/{plot}.py").is_file() for plot in plots)
