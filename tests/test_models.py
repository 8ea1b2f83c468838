import pytest
import torch

from invariance.models import ARCHITECTURES, build_model


@pytest.mark.parametrize(
    "arch,dim",
    [
        ("resnet18", 512),
        ("resnet34", 512),
        ("resnet50", 2048),
        ("vgg11", 512),
        ("densenet121", 384),
        ("densenet121_k32", 1024),
        ("vit", 384),
    ],
)
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


@pytest.mark.parametrize("arch,millions", [("resnet18", 11.2), ("resnet34", 21.3), ("resnet50", 23.5), ("vit", 12.5)])
def test_full_width_models_have_the_reference_parameter_counts(arch, millions):
    # kuangliu's CIFAR ResNets with 10 classes; the ViT: 7 encoder layers of 1.77M (hidden 384, MLP 1536).
    n = sum(p.numel() for p in build_model(arch, 10).parameters()) / 1e6
    assert n == pytest.approx(millions, rel=0.03)


def test_the_vit_cuts_32x32_images_into_64_patches_of_4x4():
    vit = build_model("vit", 10).penultimate
    assert (vit.patch_size, vit.seq_length, len(vit.encoder.layers)) == (4, 65, 7)  # 64 patches + class token
    assert vit.encoder.layers[0].self_attention.num_heads == 8
