"""Fig 3 (section 3.2, read again in section 4.1): CIFAR-10 with and without pasted objects.

Each CIFAR class is tied to one object; the four datasets differ in what the image shows (C: the CIFAR
image, O: the object) and what the label is (Y=C: the class, Y=O: the object).
"""

from __future__ import annotations

import numpy as np

from invariance.assets import FOREGROUND_POOL_SIZE
from invariance.assets.cifar10 import CLASS_NAMES
from invariance.claims import CLOSE, INF, ONE_MODEL, POOR, SAME_SEED, Claim, acc, one, parts
from invariance.experiments.common import Design, ExperimentKind, pasted, sizes
from invariance.seeding import derive_seed

DATASETS = ("X=C,Y=C", "X=C+O,Y=C", "X=C+O,Y=O", "X=O,Y=O")


def datasets(config: dict, scale: str, seed: int) -> dict[str, dict]:
    """The four datasets, also fig 4's references."""
    n = len(CLASS_NAMES)  # one object tied to each CIFAR class
    objects = np.random.default_rng(derive_seed("pasted-objects", seed)).permutation(FOREGROUND_POOL_SIZE)[:n]
    shape = sizes(config, scale, "pasted")
    made = (
        pasted(objects, 0, 0, "class", "cifar", shape, seed),
        pasted(objects, 1, 0, "class", "cifar", shape, seed),
        pasted(objects, 1, 0, "object", "cifar", shape, seed),
        pasted(objects, 1, 0, "object", "black", shape, seed),
    )
    return dict(zip(DATASETS, made, strict=True))


def design(config: dict, scale: str, seed: int, experiment: str) -> Design:
    return Design(datasets(config, scale, seed), pretrain_on=DATASETS, probe_on=DATASETS)


# ---- claims --------------------------------------------------------------------------------------

_C, _CO_C, _CO_O, _O = DATASETS


def label_change_is_poor(t):
    return parts({"C+O,Y=C -> Y=O": acc(t, _CO_C, _CO_O), "C+O,Y=O -> Y=C": acc(t, _CO_O, _CO_C)})


def pasted_objects_hurt_object_transfer(t):
    return one(acc(t, _C, _CO_O) - acc(t, _CO_C, _CO_O))


def cifar_background_hurts_class_transfer(t):
    return one(acc(t, _O, _CO_C) - acc(t, _CO_O, _CO_C))


def surplus_invariance_hampers_severely(t):
    return parts(
        {
            "Y=O target: C,Y=C vs C+O,Y=C model": acc(t, _C, _CO_O) - acc(t, _CO_C, _CO_O),
            "Y=C target: O,Y=O vs C+O,Y=O model": acc(t, _O, _CO_C) - acc(t, _CO_O, _CO_C),
        }
    )


def relevance_decides_on_the_same_images(t):
    return parts(
        {
            "Y=C target": acc(t, _CO_C, _CO_C) - acc(t, _CO_O, _CO_C),
            "Y=O target": acc(t, _CO_O, _CO_O) - acc(t, _CO_C, _CO_O),
        }
    )


CLAIMS = (
    Claim(
        id="3a",
        kind="fig3",
        section="3.2",
        quote="both models trained on the augmented CIFAR images (X = C + O) perform quite poorly on the same "
        "augmented dataset when the prediction task Y changes",
        quantity="acc(C+O,Y=C -> C+O,Y=O) and acc(C+O,Y=O -> C+O,Y=C)",
        check=label_change_is_poor,
        bounds=(-INF, POOR),
        source="POOR",
        pairing=ONE_MODEL,
    ),
    Claim(
        id="3b",
        kind="fig3",
        section="3.2",
        quote="in fact considerably worse than their counterparts that were trained to predict the same Y, but "
        "not on the augmented CIFAR images [the Y=C model on Y=O]",
        quantity="acc(C,Y=C -> C+O,Y=O) - acc(C+O,Y=C -> C+O,Y=O)",
        check=pasted_objects_hurt_object_transfer,
        bounds=(0, INF),
        source="paper: 'worse' (0; the text gives 'considerably' no number, so it gets no margin)",
        pairing=SAME_SEED,
    ),
    Claim(
        id="3c",
        kind="fig3",
        section="3.2",
        quote="in fact considerably worse than their counterparts that were trained to predict the same Y, but "
        "not on the augmented CIFAR images [the Y=O model on Y=C]",
        quantity="acc(O,Y=O -> C+O,Y=C) - acc(C+O,Y=O -> C+O,Y=C)",
        check=cifar_background_hurts_class_transfer,
        bounds=(0, INF),
        source="paper: 'worse' (0; the text gives 'considerably' no number, so it gets no margin)",
        pairing=SAME_SEED,
    ),
    Claim(
        id="3d",
        kind="fig3",
        section="4.1",
        quote="the two models trained on CIFAR-10 images with objects pasted on them (X = C + O) perform very "
        "differently after fine-tuning at predicting CIFAR-10 classes (Y = C) and object categories (Y = O) "
        "respectively, depending on whether they were pre-trained to predict the CIFAR-10 classes or object categories",
        quantity="per target: acc(model trained on that Y) - acc(model trained on the other Y)",
        check=relevance_decides_on_the_same_images,
        bounds=(CLOSE, INF),
        source="CLOSE ('very differently')",
        pairing=SAME_SEED,
    ),
    Claim(
        id="3e",
        kind="fig3",
        section="3.2",
        quote="when representations exhibit an invariance to a feature that is needed in a downstream task, it "
        "severely hampers their utility for that task",
        quantity="per target: acc(model not trained on C+O) - acc(model trained on C+O for the other Y)",
        check=surplus_invariance_hampers_severely,
        bounds=(CLOSE, INF),
        source="CLOSE ('severely': more than a small effect)",
        pairing=SAME_SEED,
    ),
)


KIND = ExperimentKind(
    "fig3",
    design,
    figures={"": "heatmap"},
    title="Transfer between CIFAR-10 with and without pasted objects, labelled by class (Y=C) or object (Y=O)",
)
