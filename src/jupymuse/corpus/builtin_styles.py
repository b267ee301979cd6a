"""The built-in styles: which built-in corpora each one is made of, and its fixed held-out split.

A style here is a name for a group of real melodies (the chorales, German folk songs, ...), the data
side of styles; how a model learns, mixes and composes in a style is mapped in
:mod:`jupymuse.models.gru_styles`. These names are the styles of the shipped model and of
``scripts/train_default.py``. The held-out split is a fixed list, so the training script and
``benchmarks/generation_quality.py`` agree on which melodies the model never saw.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import arguments
from ..errors import CorpusError
from ..music import Melody
from .builtin import load_corpus

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
SPLIT_FILE = Path(__file__).resolve().parent.parent / "data" / "style_split.json"
"""The fixed split: for each style, the keys (:func:`melody_key`) of its training, validation and
held-out melodies, drawn by ``scripts/make_style_split.py``.

Near-twins (the same tune harmonised twice, transposed or varied: ``jupymuse.evaluate.twin_groups``)
fall on one side together, so the held-out and validation melodies have no twin among the training
melodies. Whole twin groups were drawn in a seeded order (``SPLIT_SEED``) until ``HELD_OUT`` melodies,
then ``VALIDATION`` of the rest. The lists are kept, never redrawn: a music21 version that converts
more or fewer files cannot move a melody from one side to another; a melody listed nowhere (a tune a
newer music21 converts) is used nowhere.
"""


@dataclass(frozen=True)
class StyleData:
    """One style's melodies: to train on, to validate on (never trained on), and held out (the test set)."""

    name: str
    train: list[Melody]
    validation: list[Melody]
    held_out: list[Melody]
    unlisted: int = 0
    """Melodies of the style's corpora that the split does not list (used nowhere)."""
    missing: int = 0
    """Listed melodies the installed corpora lack (a file this music21 cannot convert)."""


def melody_key(melody: Melody) -> str:
    """Which built-in corpus melody this is: its music21 file and place in it (``source#index``), or for
    O'Neill's tunes, which the corpus deduplicates by number across files, the number."""
    source = str(melody.meta.get("source", ""))
    if source.startswith("music21:oneills1850/") and "number" in melody.meta:
        return f"music21:oneills1850#no.{melody.meta['number']}"
    return f"{source}#{melody.meta.get('index', 0)}"


def style_melodies(name: str, *, progress: bool = False) -> list[Melody]:
    """Every melody with notes of the built-in style ``name``, in a fixed order.

    Raises:
        CorpusError: ``name`` is not a built-in style.
    """
    if not isinstance(name, str) or name not in STYLE_CORPORA:
        raise CorpusError(
            f"there is no built-in style called {arguments.shown(name)}; the styles are: {', '.join(STYLE_CORPORA)}"
        )
    out: list[Melody] = []
    for corpus in STYLE_CORPORA[name]:
        out.extend(m for m in load_corpus(corpus, progress=progress) if len(m))
    return out


@cache
def _fixed_split() -> dict[str, dict[str, list[str]]]:
    with SPLIT_FILE.open(encoding="utf-8") as fh:
        data: dict[str, dict[str, list[str]]] = json.load(fh)
    return data


def split_style(name: str, *, progress: bool = False) -> StyleData:
    """The melodies of style ``name`` split into training, validation and held-out (test) melodies, as
    :data:`SPLIT_FILE` lists them: validation in its listed order, the others in corpus order.

    Raises:
        CorpusError: ``name`` is not a built-in style.
    """
    melodies = style_melodies(name, progress=progress)
    fixed = _fixed_split()[name]
    sides = {side: set(fixed[side]) for side in ("train", "validation", "held_out")}
    by_key = {melody_key(m): m for m in melodies}
    listed = set().union(*sides.values())
    return StyleData(
        name,
        train=[m for m in melodies if melody_key(m) in sides["train"]],
        validation=[by_key[k] for k in fixed["validation"] if k in by_key],
        held_out=[m for m in melodies if melody_key(m) in sides["held_out"]],
        unlisted=sum(k not in listed for k in by_key),
        missing=len(listed - by_key.keys()),
    )
