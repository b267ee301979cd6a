"""Measuring models and melodies: bits per note, cross-validation, descriptive metrics.

Bits per note is the average surprise ``-log2 P`` of each note given the notes before it: lower is
better (the model predicts the music better). ``pitch`` is the figure IDyOM reports (the pitch of
each note); ``note`` includes the duration and the rests, the model's own figure.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .corpus import Corpus
from .models.protocol import LN2, MelodyModel
from .music import Melody
from .music.events import REST, melody_events
from .music.melody import HARMONIC_MINOR_SCALE, MAJOR_SCALE


@dataclass(frozen=True)
class BitsPerNote:
    """Cross-entropy of a model on some melodies."""

    pitch: float
    """Mean -log2 P(pitch | context) over the notes (rests left out): IDyOM's figure."""
    note: float
    """Mean -log2 P(pitch and duration | context) over all events (rests included)."""
    notes: int
    """Number of notes scored."""
    events: int
    """Number of events scored (notes and rests)."""


def bits_per_note(model: MelodyModel, melodies: Iterable[Melody]) -> BitsPerNote:
    """Average surprise of ``model`` on ``melodies``, pooled over all their notes."""
    pitch_bits = 0.0
    note_bits = 0.0
    n_notes = n_events = 0
    for m in melodies:
        if not len(m):
            continue
        lp = model.log_prob(m)
        notes = ~lp.is_rest
        pitch_bits -= float(lp.pitch[notes].sum()) / LN2
        note_bits -= float(lp.note.sum()) / LN2
        n_notes += int(notes.sum())
        n_events += len(lp.events)
    if n_notes == 0:
        raise ValueError("there are no notes to score")
    return BitsPerNote(pitch_bits / n_notes, note_bits / n_events, n_notes, n_events)


@dataclass(frozen=True)
class CrossValidation:
    """Result of k-fold cross-validation: one ``BitsPerNote`` per fold and their means."""

    folds: list[BitsPerNote]
    seed: int

    @property
    def pitch_bits_per_note(self) -> float:
        """Mean over folds of the pitch bits per note (the IDyOM-comparable figure)."""
        return float(np.mean([f.pitch for f in self.folds]))

    @property
    def note_bits_per_note(self) -> float:
        """Mean over folds of the whole-note bits per event."""
        return float(np.mean([f.note for f in self.folds]))

    @property
    def pitch_std(self) -> float:
        """Standard deviation of the pitch figure across folds."""
        return float(np.std([f.pitch for f in self.folds]))

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "folds": len(self.folds),
            "seed": self.seed,
            "pitch_bits_per_note": self.pitch_bits_per_note,
            "pitch_bits_std": self.pitch_std,
            "note_bits_per_note": self.note_bits_per_note,
            "notes": sum(f.notes for f in self.folds),
            "per_fold_pitch_bits": [f.pitch for f in self.folds],
        }


def cross_validate(
    model_factory: Callable[[], MelodyModel],
    corpus: Corpus | Sequence[Melody],
    folds: int = 10,
    seed: int = 0,
    *,
    fit: Callable[[MelodyModel, Corpus, int], object] | None = None,
    on_fold: Callable[[int, BitsPerNote], None] | None = None,
) -> CrossValidation:
    """k-fold cross-validation: for each fold train a fresh model on the rest and score the fold.

    ``model_factory()`` must return a new untrained model, e.g. ``lambda: MarkovModel(order=2)``.
    Folds are fixed by ``seed`` (see ``Corpus.kfold``), so two models compared with the same seed
    see exactly the same train/test melodies. ``fit(model, train, fold)`` replaces the plain
    ``model.fit(train)`` (to pass training settings); ``on_fold(fold, result)`` reports progress.
    """
    data = corpus if isinstance(corpus, Corpus) else Corpus(corpus)
    results = []
    for i, (train, test) in enumerate(data.kfold(folds, seed)):
        model = model_factory()
        if fit is None:
            model.fit(train)
        else:
            fit(model, train, i)
        results.append(bits_per_note(model, test))
        if on_fold is not None:
            on_fold(i, results[-1])
    return CrossValidation(results, seed)


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
        for scale in (MAJOR_SCALE, HARMONIC_MINOR_SCALE):
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
    for m in melodies:
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
        raise ValueError("there are no melodies with notes to describe")
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
