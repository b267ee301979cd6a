"""What the model listened to: how much each earlier note contributed to the model's chance of a note.

The method is *occlusion*, the simplest one a student can check by hand. To ask how much note ``j``
mattered for note ``i``, play the melody again without note ``j`` (a rest takes its place, so every
later note keeps its time and place in the bar) and ask the model again for note ``i``. The bits it
loses, log2 P(note i | the melody) - log2 P(note i | the melody without note j), are note ``j``'s
contribution: positive when the note made note ``i`` more expected, negative when it made it less.
Every model gives it the same way, from its own ``log_prob``; the models that say P(pitch) and then
P(length | pitch) split it into a pitch part and a rhythm (length) part. A Markov chain of order
``k`` looks only at its last ``k`` events, so only the last ``k`` notes ever get anything; a GRU can
give bits to a note bars back. Notes after ``i`` never count: the model reads left to right.

Two notes that say the same thing (a motif heard twice) each look important alone, yet removing one
leaves the other. So ``Attribution.together`` also names the notes a note relies on *together*: the
note whose removal costs most, then, asking the model again with that one gone, the note that now
costs most (searched among the ``SEARCH`` that cost most alone), and so on. Removing those three
together costs more than removing the three latest notes for 83-88% of held-out notes, against 57-69%
for the three largest single contributions (``benchmarks/attribution.py``).

It costs one scoring of the melody per earlier note, and ``SEARCH`` more per extra note relied on
together; the GRU shares the work between them (:mod:`jupymuse.models.gru_attribution`), a few tens
of milliseconds for 64 notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..errors import ArgumentTypeError, ModelError, SettingError
from ..music import Melody
from ..music.events import REST, Event
from ..music.notation import pitch_name
from .protocol import LN2, NoteLogProbs

if TYPE_CHECKING:
    from .gru_styles import StyleArg

__all__ = ["MAX_EXPLAINED_NOTES", "SEARCH", "TOGETHER", "Attribution", "attribute", "explained_note"]

MAX_EXPLAINED_NOTES = 4096
"""Most notes a melody may have to be explained (each earlier note costs one more scoring)."""


@dataclass(frozen=True)
class Removal:
    """Removing one note: the original events ``first..last`` become one rest (or vanish at the start)."""

    first: int
    last: int
    rest: int
    """Length in steps of the rest they become; 0 when the melody now starts later (no rest)."""


def removals(events: list[Event], note_events: list[int]) -> list[Removal]:
    """What removing each note (event indexes ``note_events``) does to ``events``."""
    out = []
    for e in note_events:
        first = e - 1 if e > 0 and events[e - 1][0] == REST else e
        last = e + 1 if e + 1 < len(events) and events[e + 1][0] == REST else e
        rest = 0 if e == 0 else sum(d for _, d in events[first : last + 1])
        out.append(Removal(first, last, rest))
    return out


class Scores(Protocol):
    """What occlusion needs of a model: its per-event log-probabilities."""

    @property
    def name(self) -> str: ...

    def log_prob(self, melody: Melody) -> NoteLogProbs: ...


@dataclass(frozen=True)
class Attribution:
    """Each earlier note's contribution, in bits, to the model's chance of note ``index``.

    ``pitch[j]`` and ``rhythm[j]`` are for note ``j`` (``j < index``): the bits note ``index``'s pitch,
    and its length given its pitch, lose when note ``j`` is removed; ``bits`` is their sum.
    """

    melody: Melody
    index: int
    model: str
    pitch: np.ndarray
    rhythm: np.ndarray
    surprise: float
    """-log2 P(note ``index`` | the notes before it): how unexpected the note is, in bits."""
    pitch_surprise: float
    together: tuple[tuple[int, float], ...] = ()
    """The notes it relies on *together*: (note index, bits it cost when removed, asked after the
    earlier picks were removed), the most important first (see the module docstring)."""

    @property
    def bits(self) -> np.ndarray:
        """The whole contribution of each earlier note (pitch and rhythm), in bits."""
        return np.asarray(self.pitch + self.rhythm)

    def top(self, k: int = 3) -> list[int]:
        """The ``k`` earlier notes that contributed most (largest bits first)."""
        k = _count(k, "k")
        order = np.argsort(-self.bits, kind="stable")
        return [int(j) for j in order[:k]]

    def distance(self, j: int) -> tuple[int, float]:
        """How far back note ``j`` is from the explained note: in notes, and in bars (onset to onset)."""
        notes = self.melody.notes
        return self.index - j, (notes[self.index].start - notes[j].start) / self.melody.steps_per_bar

    def to_text(self, k: int = 5) -> str:
        """The top ``k`` contributions as lines a person (or a screen reader) reads."""
        notes, key = self.melody.notes, self.melody.key
        name = pitch_name(notes[self.index].pitch, key)
        head = (
            f"Note {self.index + 1} ({name}) under {self.model}: {self.surprise:.2f} bits of surprise "
            f"({self.pitch_surprise:.2f} for its pitch)."
        )
        if not self.index:
            return head + " It is the first note: nothing comes before it."
        lines = [head, "The earlier notes it listened to most (bits its chance loses without them):"]
        for j in self.top(k):
            back, bars = self.distance(j)
            lines.append(
                f"  note {j + 1} ({pitch_name(notes[j].pitch, key)}), {back} note{'s' * (back != 1)} / "
                f"{bars:.2f} bars back: "
                f"{self.bits[j]:+.2f} bits (pitch {self.pitch[j]:+.2f}, rhythm {self.rhythm[j]:+.2f})"
            )
        if self.together:
            picks = ", then ".join(f"note {j + 1} ({b:+.2f})" for j, b in self.together)
            lines.append(
                f"Together it relies most on {picks}: each the costliest to remove once those before it are gone."
            )
        return "\n".join(lines)


def _count(value: object, name: str) -> int:
    value = _whole(value, name)
    if value < 1:
        raise SettingError(f"{name} must be at least 1, not {value}")
    return int(value)


def explained_note(melody: Melody, index: object = None, *, step: object = None) -> int:
    """The note to explain, checked before any work: note ``index`` (negative counts from the end), or
    the note sounding at ``step`` (one of the two).

    Raises:
        ModelError: an empty melody, or one of more than ``MAX_EXPLAINED_NOTES`` notes.
        ArgumentTypeError: ``index`` or ``step`` is not a whole number.
        SettingError: ``index`` is not one of the melody's notes, ``step`` falls in a rest or past
            the end, or both or neither are given.
    """
    n = len(melody.notes)
    if not n:
        raise ModelError("an empty melody has no note to explain: draw or load some notes first")
    if n > MAX_EXPLAINED_NOTES:
        raise ModelError(
            f"the melody has {n:,} notes; attribution explains melodies of at most {MAX_EXPLAINED_NOTES:,} "
            "(each earlier note costs one more scoring): pass a slice, e.g. melody[-500:]"
        )
    if (index is None) == (step is None):
        raise SettingError("name the note to explain by its index or by a step it sounds at (one of the two)")
    if step is not None:
        return _note_at(melody, _whole(step, "step"))
    i = _whole(index, "index")
    if not -n <= i < n:
        raise SettingError(
            f"index {i} is not a note of this melody: it has {n} notes, so index runs from 0 to {n - 1} "
            "(or -1 for the last); notes are counted, rests are not"
        )
    return i % n


def _whole(value: object, name: str) -> int:
    if not isinstance(value, Integral) or isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be a whole number, not {type(value).__name__}")
    return int(value)


def _note_at(melody: Melody, step: int) -> int:
    """The index of the note sounding at ``step``."""
    notes = melody.notes
    for i, note in enumerate(notes):
        if note.start <= step < note.end:
            return i
        if step < note.start:
            before = f"after note {i} ends at step {notes[i - 1].end}" if i else "before the first note"
            raise SettingError(
                f"step {step} falls in a rest ({before}, note {i + 1} starts at step {note.start}): "
                "only a note can be explained"
            )
    raise SettingError(f"step {step} is past the melody's end (step {melody.end}): only a note can be explained")


def _note_scores(melody: Melody, score: Callable[[Melody], NoteLogProbs]) -> tuple[float, float]:
    """ln P(pitch) and ln P(pitch and length) of ``melody``'s last note."""
    lp = score(melody)
    notes = ~lp.is_rest
    return float(lp.pitch[notes][-1]), float(lp.note[notes][-1])


Fast = Callable[[Melody, "StyleArg", Sequence[int]], tuple[np.ndarray, np.ndarray] | None]
"""A model's quick way to the removals: ln P(pitch) and ln P(note) of the last note of a melody without
each of the given earlier notes (or None: no quick way)."""


@dataclass(frozen=True)
class _Removals:
    """Removing earlier notes from one melody, the quick way if the model has one."""

    score: Callable[[Melody], NoteLogProbs]
    fast: Fast | None
    style: StyleArg

    def bits(self, melody: Melody, among: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Pitch and rhythm bits the last note of ``melody`` loses without each note of ``among``."""
        pitch0, note0 = _note_scores(melody, self.score)
        quick = self.fast(melody, self.style, among) if self.fast is not None and len(among) else None
        if quick is not None:
            pitch_lp, note_lp = quick
        else:
            rows = [_note_scores(melody.replace(notes=_without(melody.notes, j)), self.score) for j in among]
            pitch_lp = np.array([r[0] for r in rows]).reshape(len(among))
            note_lp = np.array([r[1] for r in rows]).reshape(len(among))
        return (pitch0 - pitch_lp) / LN2, ((note0 - pitch0) - (note_lp - pitch_lp)) / LN2

    def together(self, melody: Melody, bits: np.ndarray, k: int) -> tuple[tuple[int, float], ...]:
        """The ``k`` notes relied on together: the one costing most, then (asking again without it) the
        next among the ``SEARCH`` that cost most alone, and so on."""
        if not len(bits) or not k:
            return ()
        first = int(np.argmax(bits))
        picks = [(first, float(bits[first]))]
        candidates = [int(j) for j in np.argsort(-bits, kind="stable")[: max(SEARCH, k)] if j != first]
        while len(picks) < k and candidates:
            gone = {j for j, _ in picks}
            current = melody.replace(notes=[n for j, n in enumerate(melody.notes) if j not in gone])
            shifted = [j - sum(g < j for g in gone) for j in candidates]  # their places once the picks are gone
            pitch, rhythm = self.bits(current, shifted)
            best = int(np.argmax(pitch + rhythm))
            picks.append((candidates.pop(best), float(pitch[best] + rhythm[best])))
        return tuple(picks)


TOGETHER = 3
"""How many notes ``Attribution.together`` names by default."""
SEARCH = 64
"""After the first, the notes relied on together are searched among this many that cost most alone:
every earlier note up to 65 notes, so the search is exact there; for longer melodies a pick costs 64
removals, not one per earlier note (a search among 12 missed Irish tunes' picks: 78% against 83%
beating recency in ``benchmarks/attribution.py``)."""


def attribute(
    model: Scores,
    melody: Melody,
    index: int | None = None,
    *,
    step: int | None = None,
    style: StyleArg = None,
    together: int = TOGETHER,
    fast: Fast | None = None,
) -> Attribution:
    """Each earlier note's contribution to ``model``'s chance of note ``index`` of ``melody`` (or of the
    note sounding at ``step``), by occlusion, and the ``together`` notes it relies on together.

    ``style`` (a model with styles) scores as that style. ``fast``, when given, returns the removed
    scores the quick way; it must agree with removing the notes one melody at a time, which is what
    runs without it.
    """
    i = explained_note(melody, index, step=step)
    together = _whole(together, "together")
    if together < 0:
        raise SettingError(f"together must be 0 or more, not {together}")
    cut = melody[: i + 1]
    kwargs: dict[str, Any] = {} if style is None else {"style": style}

    def score(m: Melody) -> NoteLogProbs:
        return model.log_prob(m, **kwargs)

    removals = _Removals(score, fast, style)
    pitch0, note0 = _note_scores(cut, score)
    pitch_bits, rhythm_bits = removals.bits(cut, range(i))
    return Attribution(
        melody=cut,
        index=i,
        model=model.name,
        pitch=np.asarray(pitch_bits, dtype=float).reshape(i),
        rhythm=np.asarray(rhythm_bits, dtype=float).reshape(i),
        surprise=-note0 / LN2,
        pitch_surprise=-pitch0 / LN2,
        together=removals.together(cut, pitch_bits + rhythm_bits, together),
    )


def _without(notes: Sequence[Any], j: int) -> list[Any]:
    return [*notes[:j], *notes[j + 1 :]]
