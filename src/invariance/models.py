"""CIFAR variants of ResNet-18/34/50, VGG-11 and DenseNet-121 (kuangliu/pytorch-cifar) and the authors'
small ViT (torchvision's VisionTransformer), with a width multiplier.

Every model is ``head(penultimate(x))``: ``penultimate`` is a module returning the
flattened representation the paper probes, ``head`` the last linear layer.
``width`` scales every channel count (and DenseNet's growth rate) so the quick scale
can train narrow versions of the same architectures.

An architecture is one builder and one entry in ``ARCHITECTURES``; the config schema,
the scheduler's resource estimates and the tests read their lists from there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Callable

import torch
from torch import nn


def _ch(c: int, width: float) -> int:
    return max(4, int(round(c * width)))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin: int, planes: int, stride: int):
        super().__init__()
        cout = planes
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


class ResBottleneck(nn.Module):
    """ResNet-50's block: 1x1 down, 3x3 (with the stride), 1x1 up to 4x the planes."""

    expansion = 4

    def __init__(self, cin: int, planes: int, stride: int):
        super().__init__()
        cout = self.expansion * planes
        self.conv1 = nn.Conv2d(cin, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = torch.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return torch.relu(out + self.shortcut(x))


def _resnet_body(width: float, block: type, blocks: tuple[int, ...]) -> tuple[nn.Module, int]:
    planes = [_ch(c, width) for c in (64, 128, 256, 512)]
    layers: list[nn.Module] = [nn.Conv2d(3, planes[0], 3, 1, 1, bias=False), nn.BatchNorm2d(planes[0]), nn.ReLU()]
    cin = planes[0]
    for i, (p, n) in enumerate(zip(planes, blocks)):
        for j in range(n):
            layers.append(block(cin, p, 2 if (i > 0 and j == 0) else 1))
            cin = p * block.expansion
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers), cin


def _vgg11_body(width: float) -> tuple[nn.Module, int]:
    layers: list[nn.Module] = []
    cin = 3
    for v in (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"):
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            cout = _ch(v, width)
            layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]
            cin = cout
    layers += [nn.AvgPool2d(1, 1), nn.Flatten()]
    return nn.Sequential(*layers), cin


class DenseLayer(nn.Module):
    def __init__(self, cin: int, growth: int):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, 4 * growth, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(4 * growth)
        self.conv2 = nn.Conv2d(4 * growth, growth, 3, padding=1, bias=False)

    def forward(self, x):
        out = self.conv1(torch.relu(self.bn1(x)))
        out = self.conv2(torch.relu(self.bn2(out)))
        return torch.cat([out, x], 1)


class Transition(nn.Module):
    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.bn = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return nn.functional.avg_pool2d(self.conv(torch.relu(self.bn(x))), 2)


def _densenet121_body(width: float, growth: int) -> tuple[nn.Module, int]:
    growth = _ch(growth, width)
    c = 2 * growth
    layers: list[nn.Module] = [nn.Conv2d(3, c, 3, padding=1, bias=False)]
    for i, n in enumerate((6, 12, 24, 16)):
        for _ in range(n):
            layers.append(DenseLayer(c, growth))
            c += growth
        if i < 3:
            cout = int(math.floor(c * 0.5))
            layers.append(Transition(c, cout))
            c = cout
    layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.AvgPool2d(4), nn.Flatten()]
    return nn.Sequential(*layers), c


def _vit_body(width: float) -> tuple[nn.Module, int]:
    """The authors' ViT for 32x32 images: 4x4 patches, 7 layers, hidden 384, 8 heads, MLP 4x; class token."""
    from torchvision.models import VisionTransformer  # here: importing torchvision.models costs seconds per job

    heads = 8
    hidden = heads * max(1, int(round(384 * width / heads)))  # a multiple of the head count
    vit = VisionTransformer(
        image_size=32, patch_size=4, num_layers=7, num_heads=heads, hidden_dim=hidden, mlp_dim=4 * hidden
    )
    vit.heads = nn.Identity()  # the class token after the final LayerNorm is the representation
    return vit, hidden


@dataclass(frozen=True)
class Architecture:
    body: Callable[[float], tuple[nn.Module, int]]  # width -> (penultimate module, feature dim)
    label: str  # how figures and the README name it
    gpu_images_per_s: int  # estimated training throughput on one datacenter GPU at width 1 (scheduler budgets)


ARCHITECTURES: dict[str, Architecture] = {
    "resnet18": Architecture(partial(_resnet_body, block=BasicBlock, blocks=(2, 2, 2, 2)), "ResNet-18", 8000),
    "resnet34": Architecture(partial(_resnet_body, block=BasicBlock, blocks=(3, 4, 6, 3)), "ResNet-34", 4500),
    "resnet50": Architecture(partial(_resnet_body, block=ResBottleneck, blocks=(3, 4, 6, 3)), "ResNet-50", 2500),
    "vgg11": Architecture(_vgg11_body, "VGG-11", 20000),
    # What the authors ran under the name densenet-121: kuangliu's densenet_cifar (growth 12, 384-d features).
    "densenet121": Architecture(
        partial(_densenet121_body, growth=12), "DenseNet-121 (growth 12, the authors' densenet_cifar)", 6000
    ),
    # The DenseNet-121 of the DenseNet paper (growth 32, 1024-d features).
    "densenet121_k32": Architecture(partial(_densenet121_body, growth=32), "DenseNet-121 (growth 32)", 3000),
    "vit": Architecture(_vit_body, "ViT (7 layers, hidden 384, 4x4 patches)", 6000),
}


class Classifier(nn.Module):
    def __init__(self, penultimate: nn.Module, feature_dim: int, num_classes: int):
        super().__init__()
        self.penultimate = penultimate
        self.feature_dim = feature_dim
        self.head = nn.Linear(feature_dim, num_classes)

    def forward(self, x):
        return self.head(self.penultimate(x))


def build_model(arch: str, num_classes: int, width: float = 1.0) -> Classifier:
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {arch!r}; allowed: {', '.join(ARCHITECTURES)}")
    body, dim = ARCHITECTURES[arch].body(width)
    return Classifier(body, dim, num_classes)
