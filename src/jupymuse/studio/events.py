"""What the studio's controller tells its listeners, as small immutable events.

A listener is any ``Callable[[StudioEvent], None]`` given to ``StudioController.subscribe``. Events
come from the thread that caused them (a worker thread for background work), in the order of the
state changes they report; the ipywidgets layout moves them onto the kernel's main thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..models.protocol import HasTransitionTable
from ..music import Melody
from ..music.events import Event


@dataclass(frozen=True, eq=False)
class NextPitch:
    """What the model expected at one step: P(pitch) shaped by the sampling settings."""

    probs: np.ndarray
    """Over 129 symbols (MIDI pitches and the rest), after temperature, top-k and top-p."""
    title: str
    actual: int | None
    """The pitch (or rest) the melody has at that step; None after its end."""


@dataclass(frozen=True, eq=False)
class Explanation:
    """The data of the "why" views for the melody, the selected note (or the next one) and the model."""

    model_name: str
    surprise: np.ndarray | None
    """Surprise in bits of each note when shading is on (None: no shading)."""
    next_pitch: NextPitch | None
    """None when the model cannot say (it offers no ``pitch_distributions``)."""
    table: HasTransitionTable | None
    """The model itself when it is a table of counts (a Markov chain of order 1 or more)."""
    history: tuple[Event, ...]
    """The events before the explained step (the table's current context ends here)."""
    key: str | None = None
    """The melody's key, given or guessed: the views name pitches in it (``Bb4`` in F major)."""


@dataclass(frozen=True)
class StatusChanged:
    """A line for the student: progress, a result, or what went wrong (``error``)."""

    text: str
    error: bool = False


@dataclass(frozen=True)
class BusyChanged:
    """A Generate started (True) or ended (False)."""

    busy: bool


@dataclass(frozen=True)
class SeedChanged:
    """Regenerate drew a new seed: the settings' seed is now ``seed`` (type it back to get the result again)."""

    seed: int


@dataclass(frozen=True)
class MelodyChanged:
    """The melody is now ``melody`` (a candidate after its primer, the melody before Generate, an edit)."""

    melody: Melody


@dataclass(frozen=True)
class CandidatesChanged:
    """Candidates to browse (``count`` 0: none, after Accept, an edit, or Undo of their Generate)."""

    count: int
    index: int
    """The one shown (-1: none)."""
    accent_from: int
    """The step where the shown candidate starts (-1: none)."""


@dataclass(frozen=True)
class HistoryChanged:
    """What Undo and Redo would take back or make again ("Generate", "Edit"...; "": nothing)."""

    undo: str
    redo: str


@dataclass(frozen=True)
class PlayRequested:
    """A Generate in the background finished: play the result at once."""


@dataclass(frozen=True)
class Explained:
    """New data for the "why" views."""

    explanation: Explanation


@dataclass(frozen=True)
class ModelsChanged:
    """The models to choose from, and the one chosen."""

    labels: tuple[str, ...]
    chosen: str


@dataclass(frozen=True)
class TrainingChanged:
    """A training started (True) or ended (False)."""

    running: bool


@dataclass(frozen=True)
class CurveChanged:
    """The live training curve: bits per batch, validation (step, bits) per epoch, progress 0-1."""

    batches: tuple[float, ...]
    vals: tuple[tuple[int, float], ...]
    progress: float | None
    """Fraction of the epochs done (None: unchanged)."""


@dataclass(frozen=True)
class TableChanged:
    """Bits per note on held-out melodies: (model label, pitch bits/note, note bits/event) rows."""

    rows: tuple[tuple[str, float, float], ...]


StudioEvent = (
    StatusChanged
    | BusyChanged
    | SeedChanged
    | MelodyChanged
    | CandidatesChanged
    | HistoryChanged
    | PlayRequested
    | Explained
    | ModelsChanged
    | TrainingChanged
    | CurveChanged
    | TableChanged
)
Listener = Callable[[StudioEvent], None]
