import pytest
import torch

from invariance.models import ARCHITECTURES, build_model


@pytest.mark.parametrize("arch,dim", [("resnet18", 512), ("vgg11", 512), ("densenet121", 384),
                                      ("densenet121_k32", 1024)])
def test_full_width_models_have_the_papers_feature_sizes(arch, dim):
    # densenet121 is what the authors ran under that name (kuangliu's densenet_cifar, growth 12).
    assert build_model(arch, 10).feature_dim == dim


def test_densenet_variants_differ_only_in_growth_rate():
    k12, k32 = build_model("densenet121", 10), build_model("densenet121_k32", 10)
    assert k12.penultimate[1].conv2.out_channels == 12 and k32.penultimate[1].conv2.out_channels == 32
    assert len(k12.penultimate) == len(k32.penultimate)  # the same [6, 12, 24, 16] blocks


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_narrow_models_expose_penultimate_features_by_name(arch):
    model = build_model(arch, 7, width=0.125).eval()
    x = torch.randn(3, 3, 32, 32)
    feats = dict(model.named_children())["penultimate"](x)
    assert feats.shape == (3, model.feature_dim)
    assert torch.allclose(model(x), model.head(feats), atol=1e-6)
    assert model(x).shape == (3, 7)


def test_width_scales_parameter_count():
    small = sum(p.numel() for p in build_model("resnet18", 10, 0.25).parameters())
    full = sum(p.numel() for p in build_model("resnet18", 10, 1.0).parameters())
    assert 10 < full / small < 20  # about width^-2


def test_unknown_architecture_names_the_allowed_ones():
    with pytest.raises(ValueError, match="unknown architecture 'alexnet'; allowed: " + ", ".join(ARCHITECTURES)):
        build_model("alexnet", 10)
