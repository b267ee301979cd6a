"""Bits per note and k-fold cross-validation.

Bits per note is the average surprise ``-log2 P`` of each note given the notes before it: lower is
better (the model predicts the music better). ``pitch`` is the figure IDyOM reports (the pitch of
each note); ``note`` includes the duration and the rests, the model's own figure. Figures are
pooled over notes; ``pitch_melody_mean`` is the mean over melodies of each melody's own figure
(IDyOM's way of averaging). The twin-free figure scores only the test melodies with no near-twin
(:mod:`.twins`) in their fold's training melodies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .. import arguments
from ..corpus import Corpus
from ..errors import ArgumentTypeError, SettingError
from ..models.protocol import LN2, MelodyModel, NoteLogProbs
from ..music import Melody
from .twins import TWIN_THRESHOLD, has_twin


class ScoresMelodies(Protocol):
    """What scoring needs of a model: ``log_prob`` (every ``MelodyModel`` has it, and so do combinations)."""

    def log_prob(self, melody: Melody) -> NoteLogProbs: ...


@dataclass(frozen=True)
class MelodyScore:
    """One melody's total surprise: bits over its notes (pitch) and over its events (pitch and duration)."""

    pitch_bits: float
    note_bits: float
    notes: int
    events: int


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
    melodies: tuple[MelodyScore, ...] = field(default=(), repr=False)
    """Each melody's score, in the order given (empty melodies score 0 bits over 0 notes)."""

    @classmethod
    def pooled(cls, scores: Iterable[MelodyScore]) -> BitsPerNote:
        """The figures over all notes of ``scores``."""
        scores = tuple(_scores(scores))
        notes = sum(s.notes for s in scores)
        if notes == 0:
            raise SettingError("there are no notes to score")
        events = sum(s.events for s in scores)
        pitch, note = sum(s.pitch_bits for s in scores), sum(s.note_bits for s in scores)
        return cls(pitch / notes, note / events, notes, events, scores)

    @property
    def pitch_melody_mean(self) -> float:
        """Mean over melodies of each melody's pitch bits per note (each melody weighs the same)."""
        return melody_mean(self.melodies)

    def subset(self, keep: Sequence[bool]) -> BitsPerNote:
        """The figures over the melodies where ``keep`` is true (aligned with ``melodies``)."""
        keep = arguments.items(keep, "keep")
        if len(keep) != len(self.melodies):
            raise SettingError(f"keep has {len(keep)} flags for {len(self.melodies)} melodies: give one per melody")
        return BitsPerNote.pooled(s for s, k in zip(self.melodies, keep, strict=True) if k)


def _scores(values: object) -> list[MelodyScore]:
    """``values`` as a list of :class:`MelodyScore` (what ``BitsPerNote.melodies`` holds)."""
    out = arguments.items(values, "scores")
    for s in out:
        if not isinstance(s, MelodyScore):
            raise ArgumentTypeError(f"scores must hold MelodyScores, not {arguments.shown(s)}")
    return out


def melody_mean(scores: Iterable[MelodyScore]) -> float:
    """Mean over the melodies with notes of their pitch bits per note."""
    per_melody = [s.pitch_bits / s.notes for s in _scores(scores) if s.notes]
    if not per_melody:
        raise SettingError("there are no notes to score")
    return float(np.mean(per_melody))


def melody_score(model: ScoresMelodies, melody: Melody) -> MelodyScore:
    """``melody``'s total surprise under ``model``."""
    if not len(melody):
        return MelodyScore(0.0, 0.0, 0, 0)
    lp = model.log_prob(melody)
    notes = ~lp.is_rest
    pitch = -float(lp.pitch[notes].sum()) / LN2
    return MelodyScore(pitch, -float(lp.note.sum()) / LN2, int(notes.sum()), len(lp.events))


def bits_per_note(model: ScoresMelodies, melodies: Iterable[Melody]) -> BitsPerNote:
    """Average surprise of ``model`` on ``melodies``, pooled over all their notes."""
    if not callable(getattr(model, "log_prob", None)):
        raise ArgumentTypeError(f"model must have log_prob (a MelodyModel), not {arguments.shown(model)}")
    return BitsPerNote.pooled(melody_score(model, m) for m in arguments.melodies(melodies))


@dataclass(frozen=True)
class CrossValidation:
    """Result of k-fold cross-validation: one ``BitsPerNote`` per fold and their means."""

    folds: list[BitsPerNote]
    seed: int
    twins: list[tuple[bool, ...]] = field(default_factory=list)
    """Per fold, whether each test melody has a near-twin in the fold's training melodies."""
    twin_threshold: float = TWIN_THRESHOLD

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

    @property
    def pitch_melody_mean(self) -> float:
        """Mean over all test melodies of each melody's pitch bits per note (as IDyOM reports)."""
        return melody_mean(s for f in self.folds for s in f.melodies)

    @property
    def twin_free(self) -> BitsPerNote | None:
        """The test melodies with no near-twin in their fold's training melodies, pooled over folds."""
        pairs = list(zip(self.folds, self.twins, strict=False))
        if len(pairs) != len(self.folds) or any(len(f.melodies) != len(t) for f, t in pairs):
            return None
        kept = [s for f, t in pairs for s, twin in zip(f.melodies, t, strict=True) if not twin]
        return BitsPerNote.pooled(kept) if any(s.notes for s in kept) else None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        free = self.twin_free
        return {
            "folds": len(self.folds),
            "seed": self.seed,
            "pitch_bits_per_note": self.pitch_bits_per_note,
            "pitch_bits_std": self.pitch_std,
            "note_bits_per_note": self.note_bits_per_note,
            "notes": sum(f.notes for f in self.folds),
            "per_fold_pitch_bits": [f.pitch for f in self.folds],
            "pitch_bits_per_melody": self.pitch_melody_mean,
            "twin_threshold": self.twin_threshold,
            "twin_free_pitch_bits_per_note": free.pitch if free else None,
            "twin_free_melodies": sum(not t for f in self.twins for t in f),
            "twin_free_notes": free.notes if free else 0,
        }


def cross_validate(
    model_factory: Callable[[], MelodyModel],
    corpus: Corpus | Sequence[Melody],
    folds: int = 10,
    seed: int = 0,
    *,
    fit: Callable[[MelodyModel, Corpus, int], object] | None = None,
    on_fold: Callable[[int, BitsPerNote], None] | None = None,
    twin_threshold: float = TWIN_THRESHOLD,
) -> CrossValidation:
    """k-fold cross-validation: for each fold train a fresh model on the rest and score the fold.

    ``model_factory()`` must return a new untrained model, e.g. ``lambda: MarkovModel(order=2)``.
    Folds are fixed by ``seed`` (see ``Corpus.kfold``), so two models compared with the same seed
    see exactly the same train/test melodies. ``fit(model, train, fold)`` replaces the plain
    ``model.fit(train)`` (to pass training settings); ``on_fold(fold, result)`` reports progress.
    Each fold also records which test melodies have a near-twin in its training melodies
    (``twin_threshold``, see :mod:`jupymuse.evaluate.twins`) for the twin-free figure.
    """
    data = corpus if isinstance(corpus, Corpus) else Corpus(arguments.melodies(corpus, "corpus"))
    arguments.function(model_factory, "model_factory")
    for name, value in (("fit", fit), ("on_fold", on_fold)):
        if value is not None:
            arguments.function(value, name)
    twin_threshold = arguments.number(twin_threshold, "twin_threshold", 0, 1)
    results, twins = [], []
    for i, (train, test) in enumerate(data.kfold(folds, seed)):
        model = model_factory()
        if not callable(getattr(model, "fit", None)):
            raise ArgumentTypeError(f"model_factory must return a new model, not {arguments.shown(model)}")
        if fit is None:
            model.fit(train)
        else:
            fit(model, train, i)
        results.append(bits_per_note(model, test))
        twins.append(tuple(has_twin(test, train, twin_threshold)))
        if on_fold is not None:
            on_fold(i, results[-1])
    return CrossValidation(results, seed, twins, twin_threshold)
