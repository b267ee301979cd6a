"""What every melody model offers: the Markov chain, the GRU and the widget all rely on this.

A model predicts a melody one *event* at a time (a note, or a rest between notes; see
:mod:`jupymuse.music.events`) and can say how surprised it is by each event of a given melody.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, Self, TypedDict, Unpack, runtime_checkable

import numpy as np

from ..music import Melody
from ..music.events import REST, Event

if TYPE_CHECKING:
    from .markov import TransitionMatrix
    from .sampling_settings import SamplingSettings

LN2 = math.log(2)


@dataclass(frozen=True)
class NoteLogProbs:
    """Log-probabilities (natural log) of each event of a melody under a model.

    ``pitch[t]`` is ln P(pitch of event t | earlier events): the figure comparable to IDyOM.
    ``note[t]`` is ln P(pitch and duration of event t | earlier events). Rests are events too.
    """

    events: tuple[Event, ...]
    pitch: np.ndarray
    note: np.ndarray

    @property
    def is_rest(self) -> np.ndarray:
        """Boolean mask of the rest events."""
        return np.array([p == REST for p, _ in self.events], dtype=bool)

    @property
    def note_surprise(self) -> np.ndarray:
        """Surprise in bits (-log2 P) of each *note* (rests left out), aligned with ``melody.notes``."""
        return np.asarray(-self.note[~self.is_rest] / LN2)

    @property
    def pitch_surprise(self) -> np.ndarray:
        """Pitch surprise in bits of each note (rests left out), aligned with ``melody.notes``."""
        return np.asarray(-self.pitch[~self.is_rest] / LN2)

    @property
    def total_bits(self) -> float:
        """Information content of the whole melody (all events, pitch and duration), in bits."""
        return float(-self.note.sum() / LN2)


class SamplingOptions(TypedDict, total=False):
    """The fields of ``SamplingSettings`` as ``generate`` keywords (a test keeps the two the same)."""

    temperature: float
    top_k: int | None
    top_p: float | None
    duration_temperature: float | None
    duration_top_p: float | None
    pitch_range: tuple[int, int] | None
    scale: str | Iterable[int] | None
    key_lock: bool
    range_lock: bool
    style: str | Mapping[str, float] | None
    style_strength: float
    ending: Literal["cut", "model", "cadence"]
    length: int
    bars: int | None


@runtime_checkable
class MelodyModel(Protocol):
    """The interface of every model (``MarkovModel``, ``GRUModel``, and any user model)."""

    @property
    def name(self) -> str:
        """A short human label, e.g. ``"Markov (order 2, note context)"``."""
        ...

    def fit(self, melodies: Iterable[Melody]) -> Self:
        """Learn from melodies (a ``Corpus`` or any iterable); returns the model itself."""
        ...

    def generate(
        self,
        primer: Melody | str | None = None,
        steps: int | None = None,
        *,
        n: int = 1,
        seed: int | None = None,
        include_primer: bool = False,
        sampling: SamplingSettings | None = None,
        **options: Unpack[SamplingOptions],
    ) -> list[Melody]:
        """``n`` continuations of ``primer``, each of ``steps`` events (notes or rests).

        The settings start from ``sampling`` (default: the model's own, ``model.sampling``) with any
        ``SamplingSettings`` field given as a keyword replacing that one (``steps`` is its length).
        Each step draws a pitch (or rest), then its duration; temperature, top-k and top-p shape
        both (see :mod:`jupymuse.models.sampling`); ``pitch_range`` and ``scale`` forbid other
        pitches; ``duration_temperature``/``duration_top_p`` shape durations apart (None: as pitches).
        ``style`` picks one of ``model.styles`` (or a mix), ``bars`` a length in bars, and ``ending``
        cuts (``"cut"``), lets the model end (``"model"``) or ends on the tonic (``"cadence"``).
        A continuation starts at step 0 (where it starts sounding; a rest drawn first is
        kept as a gap) and ``primer.then(continuation)`` places it after the primer; the primer's
        notes are in the result only if ``include_primer`` is true.
        Models also accept ``return_probs=True`` and then return ``(melodies, GenerationProbs)``.
        """
        ...

    def log_prob(self, melody: Melody) -> NoteLogProbs:
        """Per-event log-probabilities of ``melody`` (its surprise, note by note)."""
        ...

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model to ``path``; ``jupymuse.load_model(path)`` reads it back."""
        ...


@runtime_checkable
class PredictsPitches(Protocol):
    """A model that can show what it expected before each note (the "why this note?" view)."""

    def pitch_distributions(self, melody: Melody) -> np.ndarray:
        """P(next pitch) before each event of ``melody`` and after its last: shape (events + 1, 129)."""
        ...


@runtime_checkable
class HasTransitionTable(Protocol):
    """A model whose knowledge is a table of counts per context (a Markov chain): it can be drawn."""

    order: int
    context: Literal["note", "pitch"]

    def transition_matrix(self, feature: Literal["note", "pitch"] = "note") -> TransitionMatrix:
        """The table P(next | context) with readable row and column labels."""
        ...
