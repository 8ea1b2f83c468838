from invariance import experiments as exp


def test_fig2_sets_are_disjoint_and_sized_as_configured(repo_config):
    d = exp.design(repo_config, "fig2", 0)
    (o1, t1), = [(g.objects, g.transforms) for g in d.datasets["all"]]
    (o2, t1b), = [(g.objects, g.transforms) for g in d.datasets["transforms"]]
    (o1b, t2), = [(g.objects, g.transforms) for g in d.datasets["objects"]]
    assert o1 == o1b and t1 == t1b
    assert len(o1) == len(o2) == 30 and not set(o1) & set(o2)
    assert len(t1) == len(t2) == 3 and not set(t1) & set(t2)
    assert d.datasets["none"][0].objects == o2 and d.datasets["none"][0].transforms == t2
    assert d.pretrain_on == ("all",) and set(d.probe_on) == {"all", "transforms", "objects", "none"}


def test_the_seed_fixes_the_sets(repo_config):
    a, b = exp.design(repo_config, "fig2", 1), exp.design(repo_config, "fig2", 1)
    c = exp.design(repo_config, "fig2", 2)
    assert a == b and a.datasets != c.datasets


def test_dataset_specs_follow_the_scale(repo_config):
    for scale in ("smoke", "quick", "paper"):
        spec = exp.dataset_spec(repo_config, scale, "fig2", 0, "all")
        assert spec.sizes == repo_config["scales"][scale]["sizes"]
        assert spec.num_classes == 30


def test_paper_scale_is_the_papers_settings(repo_config):
    p = repo_config["scales"]["paper"]
    assert p["sizes"] == {"train": 50000, "val": 10000, "test": 10000}
    assert (p["seeds"], p["width"], p["pretrain_epochs"], p["probe_epochs"], p["batch_size"]) == (10, 1.0, 50, 25, 512)
    assert repo_config["training"]["lr"] == 1e-3
