"""Near-twins: melodies that are the same tune (another harmonisation, a transposition, a variant).

Bach's chorales set many hymn tunes more than once, so a test chorale often has a twin among the
training chorales, and a model that remembers the twin predicts it far better than new music. Two
melodies are twins here when their sets of pitch-interval 4-grams (key-independent) overlap by at
least ``TWIN_THRESHOLD`` (Jaccard: shared / all). The twin-free figure scores only the test melodies
that have no twin in their fold's training melodies.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from ..corpus import Corpus
from ..music import Melody

TWIN_THRESHOLD = 0.3
"""Jaccard overlap of interval 4-grams from which two melodies count as the same tune."""
GRAM = 4
"""Intervals per n-gram (4 intervals: 5 notes)."""


def interval_grams(m: Melody, n: int = GRAM) -> set[tuple[int, ...]]:
    """The melody's n-grams of pitch intervals (independent of key)."""
    steps = [b - a for a, b in itertools.pairwise(m.pitches)]
    return {tuple(steps[i : i + n]) for i in range(len(steps) - n + 1)}


def jaccard(a: set[tuple[int, ...]], b: set[tuple[int, ...]]) -> float:
    """Shared over all: 0 (nothing shared, or both empty) to 1 (the same set)."""
    return len(a & b) / max(1, len(a | b))


def has_twin(melodies: Iterable[Melody], others: Iterable[Melody], threshold: float = TWIN_THRESHOLD) -> list[bool]:
    """For each of ``melodies``, whether some melody of ``others`` is its near-twin (Jaccard >= threshold)."""
    other_grams = [interval_grams(o) for o in others]
    flags = []
    for m in melodies:
        g = interval_grams(m)
        flags.append(any(jaccard(g, o) >= threshold for o in other_grams))
    return flags


def twin_free(test: Sequence[Melody], train: Iterable[Melody], threshold: float = TWIN_THRESHOLD) -> list[Melody]:
    """The ``test`` melodies with no near-twin in ``train``."""
    return [m for m, twin in zip(test, has_twin(test, train, threshold), strict=True) if not twin]


def without_tunes_of(corpus: Corpus, test: Iterable[Melody], threshold: float = TWIN_THRESHOLD) -> Corpus:
    """``corpus`` without any melody that is a near-twin of a ``test`` melody."""
    name = getattr(test, "name", "the test melodies")
    keep = [m for m, twin in zip(corpus, has_twin(corpus, test, threshold), strict=True) if not twin]
    return Corpus(keep, f"{corpus.name} (no tunes of {name})")
