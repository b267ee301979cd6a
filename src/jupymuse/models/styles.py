"""The built-in styles: which corpora each one is, and the melodies held out to judge it.

A style-conditioned model (``GRUConfig(styles=...)``) learns one vector per style; these names are
the styles of the shipped model and of ``scripts/train_default.py``. The held-out split is fixed
(by seed), so the training script and ``benchmarks/generation_quality.py`` agree on which melodies
the model never saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import CorpusError
from ..music import Melody

STYLE_CORPORA: dict[str, tuple[str, ...]] = {
    "chorale": ("bach-chorales",),
    "german": tuple(f"essen:{p}" for p in ("altdeu", "ballad", "boehme", "dva", "erk", "fink", "kinder", "zuccal")),
    "chinese": ("essen:han",),
    "irish": ("oneills",),
}
"""Each built-in style and the built-in corpora (``load_corpus`` names) it is made of."""

STYLE_TITLES = {
    "chorale": "Bach chorales (soprano lines)",
    "german": "German folk songs (Essen collection)",
    "chinese": "Chinese folk songs (Essen han1/han2)",
    "irish": "Irish tunes (O'Neill's Music of Ireland)",
}
"""A line describing each built-in style."""

HELD_OUT = 100
"""Melodies of each built-in style the shipped model never trains on (the quality benchmark's test set)."""
VALIDATION = 0.05
"""Share of the rest of each style kept to pick the best epoch and to choose sampling defaults."""
SPLIT_SEED = 2026
VALIDATION_SEED = 0


@dataclass(frozen=True)
class StyleData:
    """One style's melodies: to train on, to validate on (never trained on), and held out (the test set)."""

    name: str
    train: list[Melody]
    validation: list[Melody]
    held_out: list[Melody]


def style_melodies(name: str, *, progress: bool = False) -> list[Melody]:
    """Every melody with notes of the built-in style ``name``, in a fixed order.

    Raises:
        CorpusError: ``name`` is not a built-in style.
    """
    from ..corpus import load_corpus

    if name not in STYLE_CORPORA:
        raise CorpusError(f"there is no built-in style called {name!r}; the styles are: {', '.join(STYLE_CORPORA)}")
    out: list[Melody] = []
    for corpus in STYLE_CORPORA[name]:
        out.extend(m for m in load_corpus(corpus, progress=progress) if len(m))
    return out


def split_style(name: str, *, held_out: int = HELD_OUT, progress: bool = False) -> StyleData:
    """The melodies of style ``name`` split into training, validation (``VALIDATION`` of the rest) and
    ``held_out`` test melodies, by fixed seeds."""
    melodies = style_melodies(name, progress=progress)
    index = list(STYLE_CORPORA).index(name)
    order = np.random.default_rng([SPLIT_SEED, index]).permutation(len(melodies))
    test = sorted(order[:held_out].tolist())
    chosen = set(test)
    rest = [m for i, m in enumerate(melodies) if i not in chosen]
    order = np.random.default_rng([VALIDATION_SEED, index]).permutation(len(rest))
    n_valid = max(1, round(len(rest) * VALIDATION))
    valid = [rest[j] for j in order[:n_valid]]
    train = [rest[j] for j in order[n_valid:]]
    return StyleData(name, train, valid, [melodies[i] for i in test])
