import torch

from invariance.data import Split
from invariance.device import Accelerator
from invariance.models import build_model
from invariance.probing import features, linear_probe, train_linear_head, accuracy

CPU = Accelerator(torch.device("cpu"), bf16=False, channels_last=False)


def test_linear_head_separates_linearly_separable_features():
    g = torch.Generator().manual_seed(0)
    y = torch.arange(600) % 3
    centers = torch.randn(3, 16, generator=g) * 4
    x = centers[y] + torch.randn(600, 16, generator=g)
    head = train_linear_head(x[:400], y[:400], 3, epochs=25, lr=1e-2, batch_size=64, seed=0)
    assert accuracy(head, x[400:], y[400:]) > 0.95


def test_probe_freezes_the_backbone_and_uses_eval_mode():
    model = build_model("resnet18", 5, 0.125)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    g = torch.Generator().manual_seed(1)
    split = Split(torch.randint(0, 255, (64, 3, 32, 32), generator=g, dtype=torch.uint8), torch.arange(64) % 5)
    res = linear_probe(model, split, split, 5, epochs=2, lr=1e-3, batch_size=32, seed=0, acc=CPU)
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # BN running stats untouched too
    assert not model.training
    assert 0.0 <= res["accuracy"] <= 1.0
    # Features do not depend on the batch they are computed in (eval-mode BatchNorm).
    f_all = features(model, split, CPU, batch_size=64)
    f_small = features(model, split, CPU, batch_size=5)
    assert torch.allclose(f_all, f_small, atol=1e-5)
