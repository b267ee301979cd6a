"""What the studio's controller tells its listeners, as small immutable events.

A listener is any ``Callable[[StudioEvent], None]`` given to ``StudioController.subscribe``. Events
come from the thread that caused them (a worker thread for background work), in the order of the
state changes they report; the ipywidgets layout moves them onto the kernel's main thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..models.protocol import HasTransitionTable
from ..music import Melody
from ..music.events import Event
from ..music.key import Key

if TYPE_CHECKING:
    from ..models.attribution import Attribution


@dataclass(frozen=True)
class NoteSurprise:
    """How surprised the model is by the explained note: the one surprise the roll's shading shows too."""

    index: int
    """The note's index in ``melody.notes``."""
    bits: float
    """-log2 P(pitch and length | notes before), the figure shaded (and printed) on the roll."""
    pitch_bits: float
    """Its pitch part, -log2 P(pitch | notes before): the explained note's bar in the strip."""

    @property
    def length_bits(self) -> float:
        """Its length part, -log2 P(length | pitch, notes before)."""
        return self.bits - self.pitch_bits


@dataclass(frozen=True, eq=False)
class NextPitch:
    """What the model expected at one step: its own P(pitch), and the chance Generate gives each pitch."""

    probs: np.ndarray
    """Over 129 symbols (MIDI pitches and the rest): the model's own, before temperature, top-k and top-p,
    so the explained note's bar is 2 ** -``surprise.pitch_bits``."""
    title: str
    actual: int | None
    """The pitch (or rest) the melody has at that step; None after its end."""
    sampled: np.ndarray | None = None
    """``probs`` after temperature, top-k and top-p (what Generate draws from); None when they change nothing."""
    surprise: NoteSurprise | None = None
    """The explained note's surprise; None after the melody's end."""


@dataclass(frozen=True, eq=False)
class StyleShading:
    """Style evidence shaded on the roll: each note's bits for ``style`` and every style's total."""

    style: str
    bits: np.ndarray
    """log2 P(note | style) - log2 P(note | no style), one per note (``model.style_evidence``)."""
    totals: tuple[tuple[str, float], ...]
    """Each style's evidence summed over the melody, largest first (the style it sounds most like first)."""
    chosen: bool
    """Whether ``style`` is the Studio's style setting (False: none is set, so the likeliest is shown)."""


@dataclass(frozen=True, eq=False)
class Explanation:
    """The data of the "why" views for the melody, the selected note (or the next one) and the model."""

    model_name: str
    surprise: np.ndarray | None
    """Surprise in bits of each note, -log2 P(pitch and length), when shading is on (None: no shading);
    the model's own, before temperature (the why-view's ``NextPitch.surprise`` is the same figure)."""
    next_pitch: NextPitch | None
    """None when the model cannot say (it offers no ``pitch_distributions``)."""
    table: HasTransitionTable | None
    """The model itself when it is a table of counts (a Markov chain of order 1 or more)."""
    history: tuple[Event, ...]
    """The events before the explained step (the table's current context ends here)."""
    key: Key | None = None
    """The melody's key, given or guessed: the views name pitches in it (``Bb4`` in F major)."""
    evidence: StyleShading | None = None
    """Style evidence per note when that shading is on and the model knows styles (None: not shown)."""


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
    accent_to: int = -1
    """The step where a Fill's or Vary's span ends (-1: a continuation, accented to the end)."""


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


@dataclass(frozen=True, eq=False)
class Heard:
    """What the model listened to for the selected note (None: no note, or not worked out yet).

    The Studio draws its strongest contributions as arcs and says them in words (``listened_views.py``).
    """

    attribution: Attribution | None
    """The model's attribution of the note, over the notes it read (a window ending with the note)."""
    offset: int = 0
    """The melody's index of the window's first note: window note ``j`` is melody note ``j + offset``."""


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
    """Fraction of all the epochs' batches done (None: unchanged)."""


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
    | Heard
    | ModelsChanged
    | TrainingChanged
    | CurveChanged
    | TableChanged
)
Listener = Callable[[StudioEvent], None]
