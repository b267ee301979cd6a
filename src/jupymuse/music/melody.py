"""``Melody``: the one in-memory type for a monophonic line on a step grid.

Everything in jupymuse speaks ``Melody``: corpora yield them, models read and write them, the piano
roll shows them, and they convert to and from MIDI files, NoteSequence, PrettyMIDI and music21.

Monophony rule (applied on creation, so every melody obeys it; see :mod:`jupymuse.music.extract`):
notes are sorted by start; of notes starting on the same step only the highest is kept; a note still
sounding when the next one starts is cut to end there. Gaps between notes are rests.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from ..errors import InvalidNoteError
from ..files import write_file
from .extract import monophonic
from .key import Key, as_key
from .notation import format_notation, parse_notation
from .note import DEFAULT_VELOCITY, MAX_PITCH, MIN_PITCH, Note, as_int

if TYPE_CHECKING:
    import music21
    import pretty_midi
    from note_seq import NoteSequence

    from .score import Score

MIN_TEMPO = 1.0
"""Slowest tempo a melody may have, in quarter notes per minute."""
MAX_TEMPO = 1000.0
"""Fastest tempo a melody may have, in quarter notes per minute."""
MAX_STEPS_PER_QUARTER = 960
"""Finest grid a melody may use, in steps per quarter note."""
MAX_NUMERATOR = 255
"""Most beats in a bar of a time signature (what a MIDI file can hold)."""
MAX_DENOMINATOR = 128
"""Shortest beat of a time signature: a 128th note (denominators are powers of two)."""
MetaValue = str | int | float


def check_steps_per_quarter(value: object) -> int:
    """``value`` as a grid resolution (1-960 steps per quarter note).

    Raises:
        InvalidNoteError: not a whole number in range.
    """
    spq = as_int(value, "steps_per_quarter")
    if not 1 <= spq <= MAX_STEPS_PER_QUARTER:
        raise InvalidNoteError(f"steps_per_quarter must be between 1 and {MAX_STEPS_PER_QUARTER}, not {spq}")
    return spq


def check_tempo(value: object) -> float:
    """``value`` as a tempo in quarter notes per minute (1-1000).

    Raises:
        InvalidNoteError: not a finite number in range.
    """
    try:
        tempo = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise InvalidNoteError(f"tempo must be a number of beats per minute, not {value!r}") from None
    if not (math.isfinite(tempo) and MIN_TEMPO <= tempo <= MAX_TEMPO):
        raise InvalidNoteError(f"tempo {value!r} BPM is outside {MIN_TEMPO:g}-{MAX_TEMPO:g} BPM")
    return tempo


def check_time_signature(value: object) -> tuple[int, int]:
    """``value`` as ``(numerator, denominator)``: 1-255 beats of a power-of-two note value up to 1/128.

    Raises:
        InvalidNoteError: not a pair of whole numbers, or one out of range.
    """
    try:
        num, den = (as_int(v, "time signature") for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise InvalidNoteError(f"time_signature must be (numerator, denominator), not {value!r}") from None
    if not (1 <= num <= MAX_NUMERATOR and 1 <= den <= MAX_DENOMINATOR) or den & (den - 1):
        raise InvalidNoteError(
            f"time signature {num}/{den} is not valid (numerator 1-{MAX_NUMERATOR}, "
            f"denominator a power of 2 up to {MAX_DENOMINATOR})"
        )
    return num, den


def _text(value: MetaValue) -> MetaValue:
    """A meta value that every writer can encode: a file name's undecodable bytes (``os.fsdecode``'s lone
    surrogates, e.g. ``b"\\xdcbung.mid"``) become U+FFFD; anything else is kept as it is."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        try:
            raw = value.encode("utf-8", "surrogateescape")  # the file name's own bytes back
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "surrogatepass")  # another lone surrogate
        return raw.decode("utf-8", "replace")


class Melody:
    """A monophonic melody: notes on a grid of ``steps_per_quarter`` steps per quarter note.

    Args:
        notes: ``Note`` objects or ``(pitch, start, duration[, velocity])`` tuples, in any order.
        steps_per_quarter: grid resolution; 4 means sixteenth-note steps.
        tempo: quarter notes per minute (1-1000).
        time_signature: ``(numerator, denominator)``, e.g. ``(3, 4)``.
        key: a :class:`~jupymuse.music.key.Key` or its name (``"G major"``, ``"E minor"``, ``"D dorian"``),
            or ``None`` if unknown; a name is read once, here.
        meta: source information (title, file, BWV number, ...): strings and numbers.

    Raises:
        InvalidNoteError: for any impossible note or setting.
        NotationError: a ``key`` that is not a key (the text is named).
    """

    __slots__ = ("_key", "_meta", "_notes", "_spq", "_tempo", "_ts")

    def __init__(
        self,
        notes: Iterable[Note | tuple[int, ...]] = (),
        *,
        steps_per_quarter: int = 4,
        tempo: float = 120.0,
        time_signature: tuple[int, int] = (4, 4),
        key: Key | str | None = None,
        meta: Mapping[str, MetaValue] | None = None,
    ) -> None:
        spq = check_steps_per_quarter(steps_per_quarter)
        tempo_f = check_tempo(tempo)
        num, den = check_time_signature(time_signature)
        checked = [n if isinstance(n, Note) else Note(*n) for n in notes]
        self._notes = monophonic(checked)
        self._spq = spq
        self._tempo = tempo_f
        self._ts = (num, den)
        self._key = as_key(key)
        self._meta: Mapping[str, MetaValue] = MappingProxyType({k: _text(v) for k, v in (meta or {}).items()})

    # ----------------------------------------------------------------- construction helpers
    @classmethod
    def from_notation(cls, text: str, **kwargs: Any) -> Melody:
        """Melody from the text notation, e.g. ``Melody.from_notation("C4:4 D4 E4:8 r:4 G4:16")``.

        See :mod:`jupymuse.music.notation` for the grammar. Keyword arguments go to ``Melody``.
        """
        spq = kwargs.get("steps_per_quarter", 4)
        return cls(parse_notation(text, steps_per_quarter=spq), **kwargs)

    @classmethod
    def from_arrays(
        cls,
        pitch: Iterable[int],
        start: Iterable[int],
        duration: Iterable[int],
        velocity: Iterable[int] | None = None,
        **kwargs: Any,
    ) -> Melody:
        """Melody from parallel columns (the compact form used by the cache and the widget)."""
        p, s, d = (np.asarray(list(a) if not isinstance(a, np.ndarray) else a) for a in (pitch, start, duration))
        if not (len(p) == len(s) == len(d)):
            raise InvalidNoteError("pitch, start and duration columns must have the same length")
        v = np.full(len(p), DEFAULT_VELOCITY) if velocity is None else np.asarray(list(velocity))
        if len(v) != len(p):
            raise InvalidNoteError("the velocity column must have as many entries as the notes")
        notes = [
            Note(int(a), int(b), int(c), int(e))
            for a, b, c, e in zip(p.tolist(), s.tolist(), d.tolist(), v.tolist(), strict=True)
        ]
        return cls(notes, **kwargs)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The notes as int32 columns ``pitch``, ``start``, ``duration``, ``velocity``."""
        cols = np.array([(n.pitch, n.start, n.duration, n.velocity) for n in self._notes], dtype=np.int32)
        cols = cols.reshape(-1, 4)
        return {name: cols[:, i].copy() for i, name in enumerate(("pitch", "start", "duration", "velocity"))}

    def replace(self, **changes: Any) -> Melody:
        """A copy with some settings (or ``notes``) replaced, like ``dataclasses.replace``."""
        args: dict[str, Any] = {
            "notes": self._notes,
            "steps_per_quarter": self._spq,
            "tempo": self._tempo,
            "time_signature": self._ts,
            "key": self._key,
            "meta": self._meta,
        }
        args.update(changes)
        notes = args.pop("notes")
        return Melody(notes, **args)

    # ----------------------------------------------------------------- properties
    @property
    def notes(self) -> tuple[Note, ...]:
        """The notes, sorted by start, never overlapping."""
        return self._notes

    @property
    def steps_per_quarter(self) -> int:
        """Grid resolution: steps per quarter note."""
        return self._spq

    @property
    def tempo(self) -> float:
        """Tempo in quarter notes per minute."""
        return self._tempo

    @property
    def time_signature(self) -> tuple[int, int]:
        """``(numerator, denominator)``."""
        return self._ts

    @property
    def key(self) -> Key | None:
        """The melody's key (``str(melody.key)`` is its name, ``"G major"``), or ``None``."""
        return self._key

    @property
    def meta(self) -> Mapping[str, MetaValue]:
        """Read-only source information (title, file, ...)."""
        return self._meta

    @property
    def pitches(self) -> list[int]:
        """The MIDI pitches in order."""
        return [n.pitch for n in self._notes]

    @property
    def end(self) -> int:
        """Step where the last note ends (0 for an empty melody)."""
        return self._notes[-1].end if self._notes else 0

    @property
    def seconds_per_step(self) -> float:
        """Length of one grid step in seconds at this tempo."""
        return 60.0 / (self._tempo * self._spq)

    @property
    def steps_per_bar(self) -> int:
        """Grid steps in one bar of the time signature (rounded down for odd meters)."""
        num, den = self._ts
        return max(1, (num * 4 * self._spq) // den)

    # ----------------------------------------------------------------- sequence protocol
    def __len__(self) -> int:
        return len(self._notes)

    def __iter__(self) -> Iterator[Note]:
        return iter(self._notes)

    @overload
    def __getitem__(self, index: int) -> Note: ...
    @overload
    def __getitem__(self, index: slice) -> Melody: ...
    def __getitem__(self, index: int | slice) -> Note | Melody:
        if isinstance(index, slice):
            return self.replace(notes=self._notes[index])
        return self._notes[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Melody):
            return NotImplemented
        return (
            self._notes == other._notes
            and self._spq == other._spq
            and math.isclose(self._tempo, other._tempo, rel_tol=1e-6)
            and self._ts == other._ts
            and self._key == other._key
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        text = self.to_notation()
        if len(text) > 60:
            text = text[:57] + "..."
        title = f" {self._meta['title']!r}" if "title" in self._meta else ""
        return f"<Melody{title}: {len(self)} notes, {text!r}>"

    # ----------------------------------------------------------------- transformations
    def to_notation(self) -> str:
        """The melody in the text notation (see :mod:`jupymuse.music.notation`), its pitches spelled in its
        key, given or guessed, as its score spells them: ``Bb4`` in F major, ``A#4`` in B major."""
        from .keys import guess_key

        return format_notation(self._notes, key=guess_key(self))

    def transpose(self, semitones: int) -> Melody:
        """The melody moved up (positive) or down (negative) by ``semitones``.

        Raises:
            InvalidNoteError: when a note would leave the MIDI range.
        """
        semitones = as_int(semitones, "semitones")
        if self._notes:
            lo, hi = min(self.pitches), max(self.pitches)
            if lo + semitones < MIN_PITCH or hi + semitones > MAX_PITCH:
                raise InvalidNoteError(
                    f"transposing by {semitones:+d} moves the notes ({lo}-{hi}) outside the MIDI range 0-127"
                )
        notes = [Note(n.pitch + semitones, n.start, n.duration, n.velocity) for n in self._notes]
        key = self._key.transpose(semitones) if self._key is not None else None
        return self.replace(notes=notes, key=key)

    def shift(self, steps: int) -> Melody:
        """The melody moved later (positive) or earlier (negative) in time by ``steps``."""
        steps = as_int(steps, "steps")
        return self.replace(notes=[Note(n.pitch, n.start + steps, n.duration, n.velocity) for n in self._notes])

    def extend(self, other: Melody | Iterable[Note]) -> Melody:
        """This melody with the notes of ``other`` added (at their own positions), monophony rule applied."""
        return self.replace(notes=self._notes + tuple(other))

    def then(self, other: Melody | Iterable[Note]) -> Melody:
        """This melody followed by ``other``: its notes moved to start at this melody's end.

        Joins a primer and a generated continuation (which starts at step 0).
        """
        at = self.end
        return self.extend(Note(n.pitch, n.start + at, n.duration, n.velocity) for n in other)

    def between(self, start: int, end: int) -> Melody:
        """The notes that start in ``[start, end)``, unchanged in position."""
        return self.replace(notes=[n for n in self._notes if start <= n.start < end])

    # ----------------------------------------------------------------- conversions (lazy imports)
    def to_midi(self, path: str | os.PathLike[str] | None = None, *, program: int = 0) -> bytes | Path:
        """Write a standard MIDI file; return its bytes when ``path`` is None, else the path written.

        ``program`` is the General MIDI instrument (0 = acoustic grand piano).

        Raises:
            OutputError: the file cannot be written (missing folder, a folder in its place...).
        """
        from .midi import melody_to_midi_bytes

        data = melody_to_midi_bytes(self, program=program)
        if path is None:
            return data
        return write_file(Path(path), data)

    def to_musicxml(self, path: str | os.PathLike[str] | None = None) -> str | Path:
        """MusicXML for notation programs (MuseScore...): the text when ``path`` is None, else the path written.

        Clef, key (given or guessed), meter, tempo, title, pickup, ties, triplets and beams are written out;
        see :mod:`jupymuse.music.musicxml`.

        Raises:
            ScoreError: a note length no note value can write (a grid finer than 1024th notes), more than
                50,000 bars or ``MAX_MUSICXML_PIECES`` (50,000) written values, or notes spanning more than
                MusicXML's ten octaves (MIDI 0-11 and 120-127 both).
            OutputError: the file cannot be written.
        """
        from .musicxml import melody_to_musicxml

        text = melody_to_musicxml(self)
        return text if path is None else write_file(Path(path), text.encode("utf-8"))

    @classmethod
    def from_abc(cls, text: str, *, number: int | None = None, steps_per_quarter: int | None = None) -> Melody:
        """The melody of an ABC tune (title, meter, key and mode, unit length, tempo, bars, ties, tuplets,
        rests); ``number`` picks a tune by its ``X:`` (the first when None). See :mod:`jupymuse.music.abc_read`
        for what is read and how (repeats in written order; a chord's top note; the grid, by default the
        coarsest multiple of 4 steps per quarter that holds every note exactly).

        Raises:
            NotationError: ABC that cannot be read (line and column named), text over 1 MiB, or no tune
                ``number`` (the tunes present are listed).
        """
        from .abc_read import melody_from_abc

        return melody_from_abc(text, number=number, steps_per_quarter=steps_per_quarter)

    def to_abc(self) -> str:
        """The melody as an ABC tune (``X:1``, title, meter, unit length, tempo, key and mode, bars, ties,
        tuplets, rests), which :meth:`from_abc` and music21 read back; see :mod:`jupymuse.music.abc_write`.

        Raises:
            ScoreError: more than 50,000 written values or bars, or a note length no note value can write.
        """
        from .abc_write import melody_to_abc

        return melody_to_abc(self)

    def show(
        self, *, highlight: Mapping[int, str] | Iterable[int] | None = None, accent_from: int = -1, width: int = 720
    ) -> Score:
        """The melody as an engraved score (SVG), shown when it ends a notebook cell; see :class:`~jupymuse.Score`.

        ``highlight`` colours notes by index (``{0: "#e91e63"}``, or ``[0, 3]``), ``accent_from`` colours
        the notes from that step on as a roll marks generated ones, ``width`` is in pixels.
        """
        from .score import Score

        return Score(self, highlight=highlight, accent_from=accent_from, width=width)

    def to_pretty_midi(self, *, program: int = 0) -> pretty_midi.PrettyMIDI:
        """A ``pretty_midi.PrettyMIDI`` with one instrument playing the melody."""
        from .midi import melody_to_pretty_midi

        return melody_to_pretty_midi(self, program=program)

    @classmethod
    def from_pretty_midi(cls, pm: pretty_midi.PrettyMIDI, **kwargs: Any) -> Melody:
        """Quantize a ``PrettyMIDI`` and take one line; see :func:`jupymuse.music.midi.melody_from_pretty_midi`."""
        from .midi import melody_from_pretty_midi

        return melody_from_pretty_midi(pm, **kwargs)

    def to_note_sequence(self) -> NoteSequence:
        """A quantized ``note_seq.NoteSequence`` (times in seconds and steps)."""
        from .noteseq import melody_to_note_sequence

        return melody_to_note_sequence(self)

    @classmethod
    def from_note_sequence(cls, sequence: NoteSequence, **kwargs: Any) -> Melody:
        """From a NoteSequence, quantized or not; see :func:`jupymuse.music.noteseq.melody_from_note_sequence`."""
        from .noteseq import melody_from_note_sequence

        return melody_from_note_sequence(sequence, **kwargs)

    def to_music21(self) -> music21.stream.Part:
        """A ``music21.stream.Part`` with notes and rests (for notation and analysis)."""
        from .m21 import melody_to_music21

        return melody_to_music21(self)

    @classmethod
    def from_music21(cls, stream: music21.stream.Stream[Any], **kwargs: Any) -> Melody:
        """From a music21 score or part; see :func:`jupymuse.music.m21.melody_from_music21`."""
        from .m21 import melody_from_music21

        return melody_from_music21(stream, **kwargs)


def as_melody(value: Melody | str | None) -> Melody:
    """A ``Melody`` from a melody, the text notation (``"G4:4 A4"``) or None (the empty melody).

    Raises:
        NotationError: unreadable text.
        InvalidNoteError: anything else that is not a melody.
    """
    if value is None:
        return Melody()
    if isinstance(value, str):
        return Melody.from_notation(value)
    if not isinstance(value, Melody):
        raise InvalidNoteError(f"expected a Melody or text notation such as 'G4:4 A4', not {type(value).__name__}")
    return value
