import copy

import pytest

from invariance.config import ConfigError, resolve, validate


def test_the_shipped_config_is_valid(repo_config):
    given = copy.deepcopy(repo_config)
    assert validate(given) is None and given == repo_config  # checks, changes nothing


def _broken(cfg, path, value):
    cfg = copy.deepcopy(cfg)
    node = cfg
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return cfg


@pytest.mark.parametrize(
    "path,value,message",
    [
        (
            ("scale",),
            "huge",
            r"'scale': 'huge' is not a scale of this config; defined: smoke, quick, paper \(add your own",
        ),
        (("assets",), "web", r"'assets': 'web' is not allowed; allowed values: offline, paper"),
        (
            ("experiments", "fig3", "architectures"),
            ["resnet18", "alexnet"],
            r"'experiments.fig3.architectures.1': 'alexnet' is not allowed; allowed values: resnet18, resnet34",
        ),
        (
            ("scales", "quick", "lr_schedule"),
            "cosine",
            r"'scales.quick.lr_schedule': 'cosine' is not allowed; allowed values: constant, onecycle",
        ),
        (
            ("scales", "quick", "probe_solver"),
            "sgd",
            r"'scales.quick.probe_solver': 'sgd' is not allowed; allowed values: lbfgs, adam",
        ),
        (("experiments", "fig4", "alphas"), [0, 1.5], r"'experiments.fig4.alphas.1': 1.5 is invalid"),
        (("experiments", "fig4", "betas"), [-0.1], r"'experiments.fig4.betas.0': -0.1 is invalid"),
        (("experiments", "fig5", "objects_per_set"), 40, r"'experiments.fig5.objects_per_set': 40 objects per set"),
        (("experiments", "fig6", "objects"), 62, r"'experiments.fig6.objects': 62 objects from a pool of 61"),
        (("asset_sources", "paper", "cifar10_md5"), "xyz", r"'asset_sources.paper.cifar10_md5': 'xyz' is invalid"),
        (("scales", "quick", "seeds"), 0, r"'scales.quick.seeds': 0 is invalid: 0 is less than the minimum of 1"),
        (("scales", "quick", "width"), -1, r"'scales.quick.width': -1 is invalid"),
        (
            ("experiments", "fig2", "objects_per_set"),
            31,
            r"'experiments.fig2.objects_per_set': 31 objects per set cannot make two disjoint sets from a pool of 61; "
            r"allowed: at most 30",
        ),
        (
            ("experiments", "fig2", "transforms_per_set"),
            5,
            r"'experiments.fig2.transforms_per_set': 5 categories per set cannot make two disjoint sets",
        ),
        (("asset_sources", "paper", "url"), "ftp://x", r"'asset_sources.paper.url': 'ftp://x' is invalid"),
        (  # the issue-23 case: accepted and silently capped to 40000/10000 before
            ("scales", "quick", "sizes"),
            {"train": 45000, "val": 20000, "test": 1000},
            r"'scales.quick.sizes': fig3, fig4 draw train and val from CIFAR-10's 50000 training images .*"
            r"asked train 45000 \+ val 20000 and test 1000\. Set `scales.quick.cifar_sizes`",
        ),
        (
            ("scales", "paper", "cifar_sizes"),
            {"train": 45000, "val": 5000, "test": 12000},
            r"'scales.paper.cifar_sizes': .*test from its 10000 test images; asked .* and test 12000",
        ),
    ],
)
def test_bad_values_are_refused_with_key_value_and_allowed(repo_config, path, value, message):
    with pytest.raises(ConfigError, match=message):
        validate(_broken(repo_config, path, value))


def test_a_typo_in_a_key_names_the_allowed_keys(repo_config):
    cfg = copy.deepcopy(repo_config)
    cfg["traning"] = cfg.pop("training")
    with pytest.raises(ConfigError) as e:
        validate(cfg)
    assert "'traning' was unexpected" in str(e.value) and "allowed keys:" in str(e.value)
    assert "'training' is a required property" in str(e.value)


def test_a_malformed_config_is_refused():
    with pytest.raises(ConfigError, match="must be a mapping"):
        validate(["not", "a", "mapping"])


def test_yaml_syntax_errors_name_the_file_and_line(tmp_path):
    from invariance.config import check_yaml

    bad = tmp_path / "config.yaml"
    bad.write_text("scale: quick\nscales: [unclosed\n")
    with pytest.raises(ConfigError, match=r"config.yaml is not valid YAML at line 3"):
        check_yaml(str(bad))
    check_yaml(str(tmp_path / "absent.yaml"))  # left to Snakemake


def test_a_template_that_would_run_code_is_refused(tmp_path):
    from invariance.config import check_yaml

    given = tmp_path / "mine.yaml"
    given.write_text("__use_yte__: true\nscale: ?'smo' + 'ke'\n")
    with pytest.raises(ConfigError, match="sets __use_yte__.*nothing in it was run"):
        check_yaml(str(given))
    with pytest.raises(ConfigError, match="had already evaluated it"):
        check_yaml(str(given), evaluated=True)


def test_a_scale_of_your_own_starts_from_its_base_and_keeps_its_seeds(repo_config):
    from invariance import experiments as exp
    from invariance.footnotes import recipe_note

    config = copy.deepcopy(repo_config)
    config["scales"]["quick_w4"] = {
        "base": "quick",
        "width": 0.25,
        "sizes": {"train": 20000},
        "cifar_sizes": {"train": 9000, "val": 500, "test": 1000},  # a block quick does not have
    }
    config["scales"]["quick_w4_e8"] = {"base": "quick_w4", "pretrain_epochs": 8}
    config["scale"] = "quick_w4_e8"
    given = copy.deepcopy(config)
    config = resolve(config)
    assert given["scales"]["quick_w4_e8"] == {"base": "quick_w4", "pretrain_epochs": 8}  # a new config, not an edit
    mine, quick = config["scales"]["quick_w4_e8"], config["scales"]["quick"]
    assert mine["width"] == 0.25 and mine["pretrain_epochs"] == 8 and mine["lr"] == quick["lr"]
    assert mine["sizes"] == {**quick["sizes"], "train": 20000}  # nested blocks merge key by key
    assert exp.seeds(config, "quick_w4_e8", "fig2") == exp.seeds(config, "quick", "fig2")  # fig 2's own count
    assert mine["cifar_sizes"] == {"train": 9000, "val": 500, "test": 1000}
    assert quick["width"] == 0.125 and "cifar_sizes" not in quick  # the built-in scale keeps its meaning
    note = recipe_note("quick_w4_e8", mine, config["scales"]["paper"])  # the footnote of such a run
    assert "width 0.25 (paper 1)" in note and "pretrain_epochs 8 (paper 50)" in note and "base" not in note
    config["scales"]["loop"] = {"base": "loop", "width": 1}
    with pytest.raises(ConfigError, match=r"'scales.loop.base': 'loop' leads back to this scale"):
        validate(config)
    del config["scales"]["loop"]
    config["scales"]["typo"] = {"base": "quik"}
    with pytest.raises(ConfigError, match=r"'scales.typo.base': 'quik' is not a scale of this config; defined: smoke"):
        validate(config)


def test_every_paper_scale_key_names_its_source(repo_config):
    from invariance.footnotes import PAPER_SOURCES, recipe_note

    paper = repo_config["scales"]["paper"]
    labelled = [k for keys in PAPER_SOURCES.values() for k in keys]
    assert sorted(labelled) == sorted(paper), "a paper-scale key without a source, or a source without a key"
    note = recipe_note("paper", paper, paper)
    assert "the paper's text: sizes, seeds" in note and "the authors' code: cifar_sizes, width, batch_size" in note


TRANSFER = {
    "kind": "transfer_matrix",
    "object_sets": {"A": 5},
    "category_sets": {"R": ["rotate"]},
    "datasets": {"rotated": {"objects": "A", "categories": "R"}},
    "pretrain_on": ["rotated"],
    "probe_on": ["rotated"],
    "architectures": ["resnet18"],
}


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda c: c["experiments"].update(fig1={**TRANSFER}), r"fig1\.pdf would be both the asset figure fig1 and"),
        (lambda c: c["experiments"].update(fig2_curves={**TRANSFER}), r"fig2_curves\.pdf would be both the curves"),
        (lambda c: c.update(verdict="fig3"), r"'verdict': 'fig3' is also the heatmap figure of experiment 'fig3'"),
        (lambda c: c.update(verdict="logs"), r"'verdict': results/logs/ is shared by every run"),
        (lambda c: c["scales"].update(assets={"base": "smoke"}), r"'scales\.assets': results/assets/ is already"),
        (lambda c: c["scales"].update(claims={"base": "smoke"}), r"'scales\.claims': .* the verdict's folder"),
        (lambda c: c["figures"]["fig2"].update(palette="rainbowz"), r"'figures\.fig2\.palette': seaborn has no"),
        (
            lambda c: c["experiments"].update(mine={**TRANSFER, "title": r"costs $\frac{$ each"}),
            r"'experiments\.mine\.title': matplotlib cannot draw",
        ),
        (
            lambda c: c["experiments"].update(mine={k: v for k, v in TRANSFER.items() if k != "kind"}),
            r"'experiments\.mine': its kind 'mine' .* set `kind:`",
        ),
    ],
)
def test_names_and_late_values_that_would_fail_or_overwrite_are_refused_before_any_job(repo_config, change, message):
    cfg = copy.deepcopy(repo_config)
    change(cfg)
    with pytest.raises(ConfigError, match=message):
        validate(cfg)


def test_a_title_with_dollars_that_are_not_math_is_accepted(repo_config):
    cfg = copy.deepcopy(repo_config)
    cfg["experiments"]["mine"] = {**TRANSFER, "title": r"5\$ and $x^2$ per image"}
    validate(cfg)
