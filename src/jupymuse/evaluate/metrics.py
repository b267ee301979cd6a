"""Descriptive metrics of a set of melodies, to compare generated music with a corpus."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .. import arguments
from ..errors import SettingError
from ..music import Melody
from ..music.events import REST, melody_events
from ..music.key import SCALES


@dataclass(frozen=True)
class MelodyMetrics:
    """Descriptive statistics of a set of melodies (means over melodies), to compare generated music
    with a corpus. None of them says "good"; they say "similar" or "different"."""

    melodies: int
    pitch_range: float
    """Highest minus lowest pitch, in semitones."""
    pitch_class_entropy: float
    """Entropy of the 12 pitch classes, in bits (0 = one pitch class, 3.58 = all equally)."""
    scale_consistency: float
    """Fraction of notes in the best-fitting major or harmonic minor scale (1 = all in key)."""
    mean_abs_interval: float
    """Mean size of the step from one note to the next, in semitones."""
    repetition: float
    """Fraction of 4-note interval patterns that occur earlier in the same melody (motif reuse)."""
    rest_fraction: float
    """Fraction of events that are rests."""
    pitch_class_histogram: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary (without the histogram)."""
        return {k: v for k, v in self.__dict__.items() if k != "pitch_class_histogram"}


def _scale_consistency(pcs: Counter[int]) -> float:
    total = sum(pcs.values())
    best = 0
    for tonic in range(12):
        for scale in (SCALES["major"], SCALES["minor"]):
            best = max(best, sum(pcs[(tonic + s) % 12] for s in scale))
    return best / total


def _repetition(pitches: list[int], n: int = 4) -> float:
    intervals = tuple(b - a for a, b in itertools.pairwise(pitches))
    grams = [intervals[i : i + n - 1] for i in range(len(intervals) - n + 2)]
    if not grams:
        return 0.0
    seen: set[tuple[int, ...]] = set()
    repeats = 0
    for g in grams:
        repeats += g in seen
        seen.add(g)
    return repeats / len(grams)


def describe(melodies: Iterable[Melody]) -> MelodyMetrics:
    """Descriptive metrics averaged over ``melodies`` (each melody weighs the same)."""
    rows = []
    all_pcs: Counter[int] = Counter()
    for m in arguments.melodies(melodies):
        pitches = m.pitches
        if not pitches:
            continue
        pcs = Counter(p % 12 for p in pitches)
        all_pcs.update(pcs)
        probs = np.array([c / len(pitches) for c in pcs.values()])
        intervals = np.abs(np.diff(pitches)) if len(pitches) > 1 else np.zeros(1)
        events = melody_events(m)
        rows.append(
            (
                max(pitches) - min(pitches),
                float(-(probs * np.log2(probs)).sum()),
                _scale_consistency(pcs),
                float(intervals.mean()),
                _repetition(pitches),
                sum(p == REST for p, _ in events) / len(events),
            )
        )
    if not rows:
        raise SettingError("there are no melodies with notes to describe")
    means = np.mean(np.array(rows, dtype=float), axis=0)
    total = sum(all_pcs.values())
    return MelodyMetrics(
        melodies=len(rows),
        pitch_range=float(means[0]),
        pitch_class_entropy=float(means[1]),
        scale_consistency=float(means[2]),
        mean_abs_interval=float(means[3]),
        repetition=float(means[4]),
        rest_fraction=float(means[5]),
        pitch_class_histogram=[all_pcs[i] / total for i in range(12)],
    )
