"""The plan of a run: one place turns config and scale into paths, recipes and resources."""

import re
from copy import deepcopy
from pathlib import Path

import pytest

from invariance import dataset_kinds, plan


def _plan(config, scale):
    return plan.build(dict(deepcopy(config), scale=scale))


def test_every_dataset_id_matches_its_own_kind_and_no_other(repo_config):
    reg = _plan(repo_config, "smoke").registry
    seen = set()
    for (seed, dataset), spec in reg.datasets.items():
        kind = dataset_kinds.of(spec)
        seen.add(kind.name)
        assert re.fullmatch(kind.id_pattern, dataset) and re.fullmatch(dataset_kinds.any_id_pattern(), dataset)
        others = [k for k in dataset_kinds.KINDS.values() if k is not kind]
        assert not any(re.fullmatch(k.id_pattern, dataset) for k in others)
        assert dataset_kinds.num_classes(spec) >= 2
    assert seen == set(dataset_kinds.KINDS)  # the default config renders every kind


def test_cifar_based_models_get_cifar_epochs_and_at_paper_scale_the_augmentation(repo_config):
    for scale in ("smoke", "paper"):
        p = _plan(repo_config, scale)
        s = repo_config["scales"][scale]
        by_kind = {}
        for seed, dataset, arch in p.registry.models:
            by_kind.setdefault(p.registry.kind(seed, dataset).cifar_based, p.train_config(seed, dataset, arch))
        cifar, synthetic = by_kind[True], by_kind[False]
        assert cifar.epochs == s["cifar_pretrain_epochs"] and synthetic.epochs == s["pretrain_epochs"]
        assert cifar.augment == s["cifar_augment"] and not synthetic.augment
        assert cifar.width == synthetic.width == s["width"]
    assert (
        _plan(repo_config, "paper").train_config(*next(iter(_plan(repo_config, "paper").registry.models))).batch_size
        == 512
    )


def test_the_probe_config_comes_from_the_scale_and_the_probe_block(repo_config):
    p = _plan(repo_config, "quick")
    c = p.probe_config(3)
    assert (c.solver, c.train_size, c.epochs) == tuple(
        repo_config["scales"]["quick"][k] for k in ("probe_solver", "probe_train_size", "probe_epochs")
    )
    assert (c.lr, c.batch_size, c.seed) == (repo_config["probe"]["lr"], repo_config["probe"]["batch_size"], 3)


def test_paths_are_relative_and_per_scale_and_assets(repo_config):
    a = _plan(repo_config, "smoke").paths
    b = plan.build(dict(deepcopy(repo_config), scale="quick", assets="paper")).paths
    for name in ("dataset", "model", "probe", "run_info", "checkpoint", "l2_job"):
        pa, pb = getattr(a, name), getattr(b, name)
        assert not pa.startswith("/") and pa != pb
        assert pa.startswith("results/smoke/offline/") and pb.startswith("results/quick/paper/")
    assert a.table("probes") == "results/smoke/offline/tables/{experiment}_probes.parquet"
    with pytest.raises(ValueError, match="unknown table 'probe'; the tables are probes, training"):
        a.table("probe")


def test_each_dataset_kind_has_its_render_rule_constrained_to_its_ids():
    rules = (Path(__file__).parents[1] / "workflow/rules/datasets.smk").read_text()
    for name, kind in dataset_kinds.KINDS.items():
        body = rules.split(f"rule {kind.render_rule}:", 1)
        assert len(body) == 2, f"datasets.smk has no rule {kind.render_rule}"
        assert f'dataset=dataset_kinds.KINDS["{name}"].id_pattern' in body[1].split("\nrule ", 1)[0]


def test_an_experiments_own_seed_count_is_what_its_figures_say(repo_config):
    """Fig 2 plans its own looks at quick (3, 6, 10), the scale's count (3) elsewhere; the captions read the plan's."""
    p = _plan(repo_config, "quick")
    own = repo_config["experiments"]["fig2"]["seeds"]["quick"]
    assert own != repo_config["scales"]["quick"]["seeds"]
    assert p.looks("fig2") == tuple(own) and p.seeds("fig2") == list(range(own[-1]))  # every seed it may need
    assert p.looks("order") == p.looks("fig2") and p.seeds("order") == p.seeds("fig2")  # its models are fig 2's
    assert p.looks("fig3") == (repo_config["scales"]["quick"]["seeds"],)
    assert p.seeds("fig3") == list(range(repo_config["scales"]["quick"]["seeds"]))
    assert {r["seed"] for r in p.registry.rows["fig2"]} == set(p.seeds("fig2"))
    captions = Path(__file__).parents[1] / "workflow" / "report"
    for caption in captions.glob("*.rst"):
        assert '["seeds"]' not in caption.read_text(), caption.name  # a scale's count, not the experiment's


def test_a_figures_footnote_names_the_recipe_keys_of_its_own_datasets_and_seeds(repo_config):
    p = _plan(repo_config, "quick")
    fig2, fig3 = p.recipe_note(["fig2"]), p.recipe_note(["fig3"])
    verdict = p.recipe_note([e for e in repo_config["experiments"]])
    # fig 2 is synthetic and plans looks at 3 to 10 seeds at quick (the paper: 10): no CIFAR key.
    assert "cifar" not in fig2 and "seeds 3-10 (paper 10)" in fig2 and "pretrain_epochs 4 (paper 50)" in fig2
    # fig 3 is CIFAR-based: the sizes it is drawn at against the authors' split, and its 3 seeds.
    assert "cifar_sizes.train 10000 (paper 45000)" in fig3 and "seeds 3 (paper 10)" in fig3
    assert not re.search(r"(?<!cifar_)sizes\.train", fig3) and "cifar_augment False (paper True)" in fig3
    # The verdict covers every experiment: both kinds' keys, and the range of their seed counts.
    assert "seeds 3-10 (paper 10)" in verdict and "cifar_sizes.train" in verdict
    assert re.search(r"(?<!cifar_)sizes\.train", verdict)
    paper = _plan(repo_config, "paper")
    assert paper.recipe_note(["fig3"]).startswith("the paper's recipe")
    fewer = deepcopy(repo_config)
    fewer["scales"]["paper_s2"] = {"base": "paper", "seeds": 2}
    from invariance import config as cfg

    checked = cfg.resolve(dict(fewer, scale="paper_s2"))  # merges `base:`
    assert "seeds 2 (paper 10)" in plan.build(checked).recipe_note(list(fewer["experiments"]))
