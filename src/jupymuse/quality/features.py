"""Per-melody features: the descriptive figures and the three histograms MGEval compares.

Intervals are between consecutive *notes* (a rest between two notes does not break the pair), in
semitones, and fall in four classes by size ``|i|``: **repeat** 0, **step** 1-2, **skip** 3-4,
**leap** 5 or more. Durations are classed by their length in quarter notes, whatever the grid
(with 4 steps per quarter the grid lengths 1, 2, 3, 4, 6, 8 and more than 8):

    sixteenth 1/4, eighth 1/2, dotted eighth 3/4, quarter 1, dotted quarter 3/2, half 2,
    longer (more than a half), other (any other length up to a half: triplets, 5/16, ...)

The duration histogram counts the *notes* only; rests are counted by ``rest_share`` (rests among
all events, see :mod:`jupymuse.music.events`). A histogram with nothing to count (a melody of one
note has no interval) is all zeros, as is every share of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np

from .. import arguments
from ..errors import ArgumentTypeError
from ..music import Melody
from ..music.events import REST, melody_events

INTERVAL_CLASSES: tuple[str, ...] = ("repeat", "step", "skip", "leap")
"""Interval size classes: 0, 1-2, 3-4 and 5 or more semitones."""
DURATION_CLASSES: tuple[str, ...] = (
    "sixteenth",
    "eighth",
    "dotted eighth",
    "quarter",
    "dotted quarter",
    "half",
    "longer",
    "other",
)
"""Note-length classes, the bins of the duration histogram."""
_QUARTERS = {
    Fraction(1, 4): 0,
    Fraction(1, 2): 1,
    Fraction(3, 4): 2,
    Fraction(1): 3,
    Fraction(3, 2): 4,
    Fraction(2): 5,
}
MAX_INTERVAL = 12
"""Intervals are clipped to -12..+12 semitones for the interval histogram (25 bins)."""
HISTOGRAMS: tuple[str, ...] = ("pitch_class", "interval", "duration")
"""The histogram features, in the order of the feature vector."""
SCALARS: tuple[str, ...] = (*INTERVAL_CLASSES, "pc_entropy", "range", "rest_share")
"""The scalar features, in the order of the feature vector."""


@dataclass(frozen=True)
class MelodyFeatures:
    """The features of one melody (see the module docstring for the definitions)."""

    interval_shares: np.ndarray
    """Shares of repeats, steps, skips and leaps among the intervals (``INTERVAL_CLASSES``)."""
    pc_entropy: float
    """Shannon entropy of the pitch-class histogram, in bits (0 to log2 12 = 3.585)."""
    range: float
    """Highest minus lowest pitch, in semitones (0 for no notes)."""
    rest_share: float
    """Rests among all events (notes and rests)."""
    pitch_class: np.ndarray
    """Pitch-class histogram: 12 shares of the notes, C first."""
    interval: np.ndarray
    """Interval histogram: 25 shares, intervals -12..+12 (clipped) in order."""
    duration: np.ndarray
    """Duration histogram: shares of the notes in each of ``DURATION_CLASSES``."""

    @property
    def duration_shares(self) -> dict[str, float]:
        """The duration histogram by class name."""
        return dict(zip(DURATION_CLASSES, self.duration.tolist(), strict=True))

    def scalars(self) -> dict[str, float]:
        """The descriptive figures by name: interval classes, entropy, range, rest share."""
        shares = dict(zip(INTERVAL_CLASSES, self.interval_shares.tolist(), strict=True))
        return {**shares, "pc_entropy": self.pc_entropy, "range": self.range, "rest_share": self.rest_share}

    def histogram(self, name: str) -> np.ndarray:
        """One of the histograms in ``HISTOGRAMS`` by name."""
        return np.asarray(getattr(self, arguments.choice(name, "the histogram name", HISTOGRAMS)))

    def vector(self) -> np.ndarray:
        """Every feature in one vector: the scalars (``SCALARS``), then the three histograms."""
        return np.concatenate([list(self.scalars().values()), self.pitch_class, self.interval, self.duration])


def normalised(counts: np.ndarray) -> np.ndarray:
    """``counts`` divided by their sum; all zeros when there is nothing counted."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    return counts / total if total > 0 else np.zeros_like(counts)


def entropy_bits(shares: np.ndarray) -> float:
    """Shannon entropy in bits of a distribution (zero shares contribute nothing)."""
    p = np.asarray(shares, dtype=float)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum()) if p.size else 0.0


@lru_cache(maxsize=4096)
def duration_class(steps: int, steps_per_quarter: int) -> int:
    """The index in ``DURATION_CLASSES`` of a note lasting ``steps`` grid steps."""
    quarters = Fraction(steps, steps_per_quarter)
    if quarters in _QUARTERS:
        return _QUARTERS[quarters]
    return DURATION_CLASSES.index("longer" if quarters > 2 else "other")


def interval_class(semitones: int) -> int:
    """The index in ``INTERVAL_CLASSES`` of an interval: repeat 0, step 1-2, skip 3-4, leap >= 5."""
    size = abs(semitones)
    return 0 if size == 0 else 1 if size <= 2 else 2 if size <= 4 else 3


def melody_features(melody: Melody) -> MelodyFeatures:
    """The features of ``melody`` (see the module docstring)."""
    melody = arguments.melody(melody)
    pitches = np.array(melody.pitches, dtype=int)
    intervals = np.diff(pitches)
    events = melody_events(melody)
    n_rests = sum(p == REST for p, _ in events)
    classes = np.bincount([interval_class(int(i)) for i in intervals], minlength=len(INTERVAL_CLASSES))
    clipped = np.clip(intervals, -MAX_INTERVAL, MAX_INTERVAL) + MAX_INTERVAL
    spq = melody.steps_per_quarter
    durations = [duration_class(n.duration, spq) for n in melody.notes]
    pitch_class = normalised(np.bincount(pitches % 12, minlength=12))
    return MelodyFeatures(
        interval_shares=normalised(classes),
        pc_entropy=entropy_bits(pitch_class),
        range=float(pitches.max() - pitches.min()) if pitches.size else 0.0,
        rest_share=n_rests / len(events) if events else 0.0,
        pitch_class=pitch_class,
        interval=normalised(np.bincount(clipped, minlength=2 * MAX_INTERVAL + 1)),
        duration=normalised(np.bincount(np.array(durations, dtype=int), minlength=len(DURATION_CLASSES))),
    )


def feature_names() -> list[str]:
    """The name of each entry of ``MelodyFeatures.vector()``."""
    pcs = [f"pc {name}" for name in ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")]
    intervals = [f"interval {i:+d}" for i in range(-MAX_INTERVAL, MAX_INTERVAL + 1)]
    return [*SCALARS, *pcs, *intervals, *(f"duration {d}" for d in DURATION_CLASSES)]


def _features(values: object) -> list[MelodyFeatures]:
    """``values`` as a list of :class:`MelodyFeatures` (what :func:`melody_features` returns)."""
    out = arguments.items(values, "features")
    for f in out:
        if not isinstance(f, MelodyFeatures):
            raise ArgumentTypeError(
                f"features must hold MelodyFeatures (from melody_features), not {arguments.shown(f)}"
            )
    return out


def feature_matrix(features: Iterable[MelodyFeatures]) -> np.ndarray:
    """One row per melody: each melody's ``vector()`` (shape ``(melodies, len(feature_names()))``)."""
    rows = [f.vector() for f in _features(features)]
    return np.array(rows, dtype=float).reshape(len(rows), len(feature_names()))


def histogram_matrix(features: Iterable[MelodyFeatures], name: str) -> np.ndarray:
    """One row per melody: its histogram ``name`` (one of ``HISTOGRAMS``)."""
    widths = {"pitch_class": 12, "interval": 2 * MAX_INTERVAL + 1, "duration": len(DURATION_CLASSES)}
    name = arguments.choice(name, "the histogram name", HISTOGRAMS)
    rows = [f.histogram(name) for f in _features(features)]
    width = widths[name]
    return np.array(rows, dtype=float).reshape(len(rows), width)


def mean_scalars(features: Iterable[MelodyFeatures]) -> dict[str, float]:
    """The mean of each descriptive figure (``scalars()`` and the duration shares) over melodies."""
    items = _features(features)
    if not items:
        return {}
    keys = [*items[0].scalars(), *DURATION_CLASSES]
    table = np.array([[*f.scalars().values(), *f.duration.tolist()] for f in items])
    return {k: float(v) for k, v in zip(keys, table.mean(axis=0), strict=True)}
