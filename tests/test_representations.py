import itertools

import numpy as np
import torch

from invariance.data import Split
from invariance.device import Accelerator
from invariance.representations import l2_ratio, untrained_model
from invariance.training import TrainConfig, train


def _brute_force(x, y):
    between, within = [], []
    for i, j in itertools.permutations(range(len(x)), 2):
        (within if y[i] == y[j] else between).append(np.linalg.norm(x[i] - x[j]))
    return np.mean(between) / np.mean(within)


def test_l2_ratio_matches_the_definition_over_all_pairs():
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(37, 5, generator=g), torch.randint(0, 4, (37,), generator=g)
    assert abs(l2_ratio(x, y, chunk=8) - _brute_force(x.double().numpy(), y.numpy())) < 1e-9


def test_separated_classes_have_a_high_ratio_and_mixed_ones_about_one():
    g = torch.Generator().manual_seed(1)
    y = torch.arange(300) % 3
    noise = torch.randn(300, 8, generator=g)
    assert l2_ratio(noise + 10 * torch.eye(8)[y], y) > 3
    assert 0.9 < l2_ratio(noise, y) < 1.1


def test_the_untrained_model_is_the_start_of_that_seeds_training():
    cpu = Accelerator(torch.device("cpu"), bf16=False, channels_last=False)
    a, b = untrained_model("resnet18", 0.125, 3), untrained_model("resnet18", 0.125, 3)
    assert all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), b.state_dict().values()))
    split = Split(torch.zeros(4, 3, 32, 32, dtype=torch.uint8), torch.arange(4) % 10)
    cfg = TrainConfig("resnet18", 0.125, epochs=0, batch_size=4, lr=1e-3, seed=3)
    trained, _ = train(cfg, split, split, 10, checkpoint=__import__("pathlib").Path("/nonexistent/ckpt"), acc=cpu)
    assert all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), trained.state_dict().values()))
