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

import numpy as np

from .. import arguments
from ..corpus import Corpus
from ..errors import ArgumentTypeError
from ..music import Melody

TWIN_THRESHOLD = 0.3
"""Jaccard overlap of interval 4-grams from which two melodies count as the same tune."""
GRAM = 4
"""Intervals per n-gram (4 intervals: 5 notes)."""


def interval_grams(m: Melody, n: int = GRAM) -> set[tuple[int, ...]]:
    """The melody's n-grams of pitch intervals (independent of key)."""
    m, n = arguments.melody(m, "m"), arguments.whole(n, "n", 1)
    steps = [b - a for a, b in itertools.pairwise(m.pitches)]
    return {tuple(steps[i : i + n]) for i in range(len(steps) - n + 1)}


def jaccard(a: set[tuple[int, ...]], b: set[tuple[int, ...]]) -> float:
    """Shared over all: 0 (nothing shared, or both empty) to 1 (the same set)."""
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, set | frozenset):
            raise ArgumentTypeError(
                f"{name} must be a set of n-grams (from interval_grams), not {arguments.shown(value)}"
            )
    return len(a & b) / max(1, len(a | b))


def has_twin(melodies: Iterable[Melody], others: Iterable[Melody], threshold: float = TWIN_THRESHOLD) -> list[bool]:
    """For each of ``melodies``, whether some melody of ``others`` is its near-twin (Jaccard >= threshold)."""
    threshold = arguments.number(threshold, "threshold", 0, 1)
    other_grams = [interval_grams(o) for o in arguments.melodies(others, "others")]
    flags = []
    for m in arguments.melodies(melodies):
        g = interval_grams(m)
        flags.append(any(jaccard(g, o) >= threshold for o in other_grams))
    return flags


def twin_free(test: Sequence[Melody], train: Iterable[Melody], threshold: float = TWIN_THRESHOLD) -> list[Melody]:
    """The ``test`` melodies with no near-twin in ``train``."""
    test = arguments.melodies(test, "test")
    return [m for m, twin in zip(test, has_twin(test, train, threshold), strict=True) if not twin]


def without_tunes_of(corpus: Corpus, test: Iterable[Melody], threshold: float = TWIN_THRESHOLD) -> Corpus:
    """``corpus`` without any melody that is a near-twin of a ``test`` melody."""
    if not isinstance(corpus, Corpus):
        raise ArgumentTypeError(f"corpus must be a Corpus, not {arguments.shown(corpus)}")
    name = getattr(test, "name", "the test melodies")
    keep = [m for m, twin in zip(corpus, has_twin(corpus, test, threshold), strict=True) if not twin]
    return Corpus(keep, f"{corpus.name} (no tunes of {name})")


def twin_groups(melodies: Sequence[Melody], threshold: float = TWIN_THRESHOLD) -> list[int]:
    """A group number per melody: near-twins (Jaccard >= ``threshold``) share a group, and so do twins
    of twins, so a split that keeps each group on one side puts no tune on both sides.

    Exact, in numpy: an inverted index from each n-gram to the melodies holding it counts, for one
    melody at a time, the n-grams it shares with every other (a few seconds for 6,000 melodies).
    Groups are numbered by their first melody, in order.
    """
    melodies = arguments.melodies(melodies)
    threshold = arguments.number(threshold, "threshold", 0, 1)
    grams = [interval_grams(m) for m in melodies]
    ids: dict[tuple[int, ...], int] = {}
    rows = [np.array(sorted(ids.setdefault(g, len(ids)) for g in gs), dtype=np.int64) for gs in grams]
    sizes = np.array([len(r) for r in rows], dtype=np.int64)
    postings: list[list[int]] = [[] for _ in ids]
    for i, row in enumerate(rows):
        for g in row:
            postings[g].append(i)
    holders = [np.array(p, dtype=np.int64) for p in postings]
    parent = list(range(len(melodies)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, row in enumerate(rows):
        if not len(row):
            continue
        shared = np.bincount(np.concatenate([holders[g] for g in row]), minlength=len(melodies))
        union = sizes[i] + sizes - shared
        twins = np.flatnonzero((shared / np.maximum(union, 1) >= threshold) & (shared > 0))  # as jaccard()
        for j in twins[twins > i]:
            a, b = root(i), root(int(j))
            if a != b:
                parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(len(melodies))]
