import pandas as pd

from invariance import regime


def _training():
    rows = []
    for name, acc in {"a": [0.5, 0.99], "b": [0.3, 0.6], "c": [0.8, 0.9]}.items():
        for epoch, a in enumerate(acc, 1):
            rows.append(
                {
                    "experiment": "fig6",
                    "seed": 0,
                    "architecture": "resnet18",
                    "pretrain_dataset": name,
                    "epoch": epoch,
                    "test_accuracy": a,
                }
            )
    return pd.DataFrame(rows)


def test_own_task_accuracy_is_read_at_the_last_epoch_and_weak_models_are_named():
    out = regime.own_task(_training()).iloc[0]
    assert (out.models, out["min"], out["median"], out["max"], out.below) == (3, 0.6, 0.9, 0.99, 1)
    assert out.weakest == ["b (seed 0) 0.60"]


def test_probe_convergence_compares_the_two_probes_on_the_same_rows():
    probes = pd.DataFrame(
        {
            "experiment": "fig2",
            "architecture": "vgg11",
            "lbfgs_accuracy": [0.8, 0.6],
            "adam_accuracy": [0.7, 0.6],
            "lbfgs_converged": [True, False],
            "lbfgs_iterations": [10, 30],
        }
    )
    out = regime.probe_convergence(probes).iloc[0]
    assert (out.probes, out.converged, out.iterations) == (2, 0.5, 20)
    assert abs(out.adam_minus_lbfgs + 0.05) < 1e-12
    md = regime.to_markdown(regime.own_task(_training()), regime.probe_convergence(probes))
    assert "| fig6 | resnet18 | 3 | 0.600 | 0.900 | 0.990 | 1 | b (seed 0) 0.60 |" in md and "| -0.050 | 50% |" in md
