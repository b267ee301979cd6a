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

It costs one scoring of the melody per earlier note; the GRU shares the work between them
(:mod:`jupymuse.models.gru_attribution`), a few tens of milliseconds for 64 notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..errors import ArgumentTypeError, ModelError, SettingError
from ..music import Melody
from ..music.notation import pitch_name
from .protocol import LN2, NoteLogProbs

if TYPE_CHECKING:
    from .gru_styles import StyleArg

__all__ = ["MAX_EXPLAINED_NOTES", "Attribution", "attribute", "explained_note", "relied_on"]

MAX_EXPLAINED_NOTES = 4096
"""Most notes a melody may have to be explained (each earlier note costs one more scoring)."""


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


def _note_scores(model: Scores, melody: Melody, score: Callable[[Melody], NoteLogProbs]) -> tuple[float, float]:
    """ln P(pitch) and ln P(pitch and length) of ``melody``'s last note."""
    lp = score(melody)
    notes = ~lp.is_rest
    return float(lp.pitch[notes][-1]), float(lp.note[notes][-1])


def attribute(
    model: Scores,
    melody: Melody,
    index: int | None = None,
    *,
    step: int | None = None,
    style: StyleArg = None,
    fast: Callable[[Melody, StyleArg], tuple[np.ndarray, np.ndarray] | None] | None = None,
) -> Attribution:
    """Each earlier note's contribution to ``model``'s chance of note ``index`` of ``melody`` (or of the
    note sounding at ``step``), by occlusion.

    ``style`` (a model with styles) scores as that style. ``fast``, when given, returns the removed
    scores (ln P(pitch), ln P(note) of the last note, one per earlier note) the quick way; it must
    agree with removing the notes one melody at a time, which is what runs without it.
    """
    i = explained_note(melody, index, step=step)
    cut = melody[: i + 1]
    kwargs: dict[str, Any] = {} if style is None else {"style": style}

    def score(m: Melody) -> NoteLogProbs:
        return model.log_prob(m, **kwargs)

    pitch0, note0 = _note_scores(model, cut, score)
    quick = fast(cut, style) if fast is not None and i else None
    if quick is not None:
        pitch_lp, note_lp = quick
    else:
        rows = [_note_scores(model, cut.replace(notes=_without(cut.notes, j)), score) for j in range(i)]
        pitch_lp = np.array([r[0] for r in rows])
        note_lp = np.array([r[1] for r in rows])
    pitch_bits = (pitch0 - pitch_lp) / LN2
    rhythm_bits = ((note0 - pitch0) - (note_lp - pitch_lp)) / LN2
    return Attribution(
        melody=cut,
        index=i,
        model=model.name,
        pitch=np.asarray(pitch_bits, dtype=float).reshape(i),
        rhythm=np.asarray(rhythm_bits, dtype=float).reshape(i),
        surprise=-note0 / LN2,
        pitch_surprise=-pitch0 / LN2,
    )


def _without(notes: Sequence[Any], j: int) -> list[Any]:
    return [*notes[:j], *notes[j + 1 :]]


class Attributes(Protocol):
    """A model with ``attribution`` (every built-in model)."""

    def attribution(self, melody: Melody, index: int | None = None, *, style: StyleArg = None) -> Attribution: ...


def relied_on(
    model: Attributes, melody: Melody, index: int, k: int = 3, *, style: StyleArg = None
) -> list[tuple[int, float]]:
    """The ``k`` earlier notes note ``index`` relies on *together*, found one at a time: the note whose
    removal costs most, then, with that one gone, the note whose removal now costs most, and so on.

    Two notes that say the same thing (a motif heard twice) each look important alone, but removing one
    leaves the other; this asks the model again after each removal, so the second pick is a note that
    still matters. Returns (note index in ``melody``, bits it cost when removed) pairs; it costs ``k``
    attributions.
    """
    i = explained_note(melody, index)
    k = _count(k, "k")
    current, kept, chosen = melody[: i + 1], list(range(i)), []
    for _ in range(min(k, i)):
        a = model.attribution(current, len(current.notes) - 1, style=style)
        j = int(np.argmax(a.bits))
        chosen.append((kept.pop(j), float(a.bits[j])))
        current = current.replace(notes=_without(current.notes, j))
    return chosen
