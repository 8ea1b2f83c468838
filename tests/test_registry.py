"""Sharing: a dataset or model that several figures use is one entry, hence one file and one job."""

from invariance import experiments as exp
from invariance import registry


def _id(config, name, dataset, seed=0):
    return registry.dataset_id(exp.design(config, "quick", name, seed).datasets[dataset])


def test_datasets_two_figures_share_get_one_id(repo_config):
    c_o = _id(repo_config, "fig3", "X=C+O,Y=C")
    assert _id(repo_config, "fig4", "alpha=0") == _id(repo_config, "fig4", "beta=1") == c_o
    assert _id(repo_config, "fig4", "beta=0") == _id(repo_config, "fig3", "X=C,Y=C")
    first = exp.design(repo_config, "quick", "fig8", 0).datasets["T1"]["groups"][0]["transforms"][0]
    assert _id(repo_config, "fig8", "T1") == _id(repo_config, "fig6", first)


def test_different_content_gets_different_ids(repo_config):
    ids = [_id(repo_config, "fig4", f"alpha={a:g}") for a in repo_config["experiments"]["fig4"]["alphas"]]
    assert len(set(ids)) == len(ids)
    assert _id(repo_config, "fig3", "X=C+O,Y=C") != _id(repo_config, "fig3", "X=C+O,Y=O")  # labels differ
    assert _id(repo_config, "fig3", "X=C+O,Y=C", seed=0) != _id(repo_config, "fig3", "X=C+O,Y=C", seed=1)


def test_the_registry_holds_each_model_once_and_probes_it_on_every_figures_targets(repo_config):
    reg = registry.build(repo_config, "quick")
    uses = sum(len(rows) for rows in reg.trained.values())
    assert len(reg.models) < uses  # shared models counted once
    # fig 3's X=C+O,Y=C model: probed on fig 3's four targets, which include fig 4's two.
    model = (0, _id(repo_config, "fig3", "X=C+O,Y=C"), "resnet18")
    assert len(reg.probes[model]) == 4
    for name, rows in reg.rows.items():
        for r in rows:
            key = (r["seed"], r["pretrain_id"], r["architecture"])
            assert key in reg.models and r["target_id"] in reg.probes[key], name
            assert (r["seed"], r["target_id"]) in reg.datasets


def test_fig6b_measures_the_matching_models_and_references(repo_config):
    reg = registry.build(repo_config, "quick")
    job = reg.l2[("fig6", 1, "resnet18")]
    assert set(job["models"]) == {"translate", "scale", "color", "none"}
    assert set(job["datasets"]) == {"translate", "scale", "color"}
    assert all((1, d, "resnet18") in reg.models for d in job["models"].values())


def test_rows_carry_what_each_seed_drew_as_columns(repo_config):
    reg = registry.build(repo_config, "quick")
    for seed in exp.seeds(repo_config, "quick"):
        d = exp.design(repo_config, "quick", "fig2", seed)
        t1, t2 = (d.datasets[k]["groups"][0]["transforms"] for k in ("all", "objects"))
        rows = {r["target"]: r for r in reg.rows["fig2"] if r["seed"] == seed and r["architecture"] == "resnet18"}
        assert rows["transforms"]["pretrain_categories"] == rows["transforms"]["target_categories"] == t1
        assert rows["none"]["target_categories"] == t2 and not set(t1) & set(t2)
        assert rows["objects"]["target_objects"] == rows["all"]["pretrain_objects"]
    cifar = reg.rows["fig3"][0]
    assert cifar["pretrain_categories"] == [] and len(cifar["pretrain_objects"]) == 10


def test_a_dataset_takes_the_priority_of_the_highest_ranked_experiment_that_uses_it(repo_config):
    reg = registry.build(repo_config, "quick")
    ranks = {"fig2": 3, "fig6": 2, "fig8": 1}
    p = registry.priorities(reg, ranks)
    assert p[(0, _id(repo_config, "fig2", "all"))] == 3
    assert p[(0, _id(repo_config, "fig8", "T2"))] == 1
    assert p[(0, _id(repo_config, "fig8", "T1"))] == 2  # T1 is one of fig 6's datasets: fig 6's rank
    assert (0, _id(repo_config, "fig3", "X=C,Y=C")) not in p  # an unranked experiment's: 0
