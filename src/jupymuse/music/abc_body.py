"""The ABC tune body read into written events: each note or rest with its exact length, in written order.

What counts (ABC 2.1): notes with accidentals (``^ ^^ _ __ =``; an accidental lasts to the end of the bar
for that letter and octave, the key signature otherwise), octaves (``C, C c c'``), lengths (``A2 A/2 A/
A// A3/2``), broken rhythm (``A>B A<B A>>B``), rests (``z x``, ``Z4``/``X`` whole bars), ties (``-``),
tuplets (``(3abc``, ``(3:2:3``, ``(5``), chords (``[CEG]2``: the top note is kept, as jupymuse keeps the
top of any chord, for the length of the chord's first note), bar lines (``| || |] [| |: :| ::``) and
inline fields (``[K:D]``, ``[L:1/16]``, ``[M:3/4]``), field lines inside the body (``K:``, ``L:``, ``M:``,
``V:``), comments (``%``) and line continuations (``\\``).

What is skipped: grace notes (``{g}``), decorations (``. ~ H L M O P S T u v``, ``!trill!``, ``+fermata+``,
the letters h-w and H-W once ``U:`` defines them), chord symbols and annotations (``"Am"``), slurs, spacers
(``y``), beams' spacing and the characters ABC reserves (``# * ; ? @ $ \\```). Repeats and first and second
endings are read in written order, every ending kept and nothing repeated, as music21 reads them for the
corpora. Only the first voice (``V:``) is read; a voice overlay (``&``) is refused.

Anything else is a :class:`~jupymuse.errors.NotationError` naming the line, the column and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Final

from ..errors import NotationError
from .abc_fields import ACCIDENTALS, AbcKey, field_value, read_key, read_meter, read_unit
from .key import NATURAL
from .note import MAX_PITCH, MIN_PITCH

MAX_LENGTH_NUMBER: Final = 9999
"""Largest number a note length may use (``A9999``, ``A/9999``)."""
MAX_TIME_DENOMINATOR: Final = 1 << 20
"""Finest fraction of a quarter note a note may start on; ABC from a person never comes close."""
PROPAGATION: Final = ("not", "octave", "pitch")
"""How far an accidental lasts in its bar (``%%propagate-accidentals``): its note, its letter and octave
(ABC 2.1), its letter."""
TUPLET_Q: Final = {2: 3, 3: 2, 4: 3, 6: 2, 8: 3}
"""ABC 2.1's default "in the time of" for ``(p`` (5, 7 and 9 take 3 in compound meters, else 2)."""
MAX_TUPLET: Final = 99
"""Most notes a tuplet may group."""
DECORATIONS: Final = frozenset(".~HLMOPSTuv")
"""The decorations ABC 2.1 predefines; ``U:`` may define more among the letters h-w and H-W."""
_DEFINABLE: Final = frozenset("hijklmnopqrstuvwHIJKLMNOPQRSTUVW")
_ONE: Final = Fraction(1)
_IGNORED: Final = frozenset(" \t`\\#*;?@$)")
_NOTE_RE: Final = re.compile(r"(\^\^|\^|__|_|=)?([A-Ga-g])([,']*)")
_LENGTH_RE: Final = re.compile(r"(\d*)(/*)(\d*)")
_TUPLET_RE: Final = re.compile(r"\((\d+)(?::(\d*))?(?::(\d*))?")
_BAR_RE: Final = re.compile(r"\[\||[:|]+\]?")
_ENDING_RE: Final = re.compile(r"\[?\d+(?:[-,]\d+)*")
_FIELD_RE: Final = re.compile(r"([A-Za-z+]):(.*)")
_INLINE_RE: Final = re.compile(r"[A-Za-z]:")
_BROKEN_RE: Final = re.compile(r">+|<+")
_EXPECTED: Final = "a note (A-G, a-g), a rest (z), a bar line (|), a chord ([CEG]) or a decoration"


@dataclass(slots=True)
class Written:
    """One note, chord (its top note) or rest as written: its pitch (None for a rest), its length in
    quarter notes, the letter and octave it is written on (what a tie joins) and whether a tie leaves it."""

    pitch: int | None
    length: Fraction
    written: tuple[str, int] | None = None
    tie: bool = False


@dataclass
class Body:
    """The events of a tune body and how many of them stand before its first bar line (None: no bar line)."""

    events: list[Written] = field(default_factory=list)
    first_bar: int | None = None


class Scanner:
    """Reads body lines one at a time into :class:`Body`, keeping the key, unit, bar accidentals, pending
    tuplet and broken rhythm from line to line."""

    def __init__(self, key: AbcKey, unit: Fraction, meter: tuple[int, int] | None) -> None:
        self.key = key
        self.unit = unit * 4  # in quarter notes
        self.meter = meter
        self.body = Body()
        self.bar: dict[tuple[str, int], int] = {}  # accidentals said in this bar
        self.tuplet: tuple[int, Fraction] = (0, Fraction(1))  # notes left, factor
        self.broken: Fraction | None = None  # the factor the next note's length takes
        self.decorations = set(DECORATIONS)
        self.propagate = "octave"  # how far an accidental lasts in its bar (PROPAGATION)
        self.voice: str | None = None
        self.muted = False  # inside a voice after the first
        self.line = 0
        self.text = ""

    # ------------------------------------------------------------------ lines and fields
    def feed(self, number: int, text: str) -> None:
        """Read one body line (``number`` counts from 1 in the whole text, for messages)."""
        self.line, self.text = number, text
        if text.startswith("%%"):
            try:
                self.directive(text[2:])
            except NotationError as exc:
                raise self.error(2, str(exc)) from None
        if text.startswith("%"):
            return
        match = _FIELD_RE.match(text)
        if match is not None:
            self.field(match.group(1), field_value(match.group(2)), 0)
            return
        i = 0
        while i < len(text):
            if self.muted:
                found = text.find("[V:", i)
                if found < 0:
                    return
                i = found
            i = self.token(i)

    def field(self, name: str, value: str, column: int) -> None:
        """Apply a field met in the body: K, L, M and V count; the others (lyrics, titles...) are skipped."""
        try:
            if name == "K":
                self.key = read_key(value)
            elif name == "L":
                self.unit = read_unit(value) * 4
            elif name == "M":
                self.meter = read_meter(value)
            elif name == "U":
                letter = value.partition("=")[0].strip()
                if letter in _DEFINABLE:
                    self.decorations.add(letter)
            elif name == "I":
                self.directive(value)
            elif name == "V":
                voice = (value.split() or [""])[0]
                self.voice = voice if self.voice is None else self.voice
                self.muted = voice != self.voice
        except NotationError as exc:
            raise self.error(column, str(exc)) from None

    def directive(self, text: str) -> None:
        """An instruction (``I:`` or ``%%``); ``propagate-accidentals not|octave|pitch`` counts (ABC 2.2):
        an accidental applies to its note alone, to the bar's notes on its letter and octave (ABC 2.1,
        the default) or on its letter in every octave.

        Raises:
            NotationError: another value of ``propagate-accidentals`` (the caller adds the line).
        """
        words = text.split()
        if not words or words[0] != "propagate-accidentals":
            return
        if len(words) < 2 or words[1] not in PROPAGATION:
            raise NotationError(f"propagate-accidentals takes one of {', '.join(PROPAGATION)}, not {text!r}")
        self.propagate = words[1]

    def error(self, column: int, message: str) -> NotationError:
        """An error at ``column`` (from 0) of the current line."""
        return NotationError(f"ABC line {self.line}, column {column + 1}: {message}")

    def finish(self) -> Body:
        """The body read, once every line is fed.

        Raises:
            NotationError: a broken rhythm (``>``) with no note after it.
        """
        if self.broken is not None:
            raise NotationError(
                f"ABC line {self.line}: the tune ends after a broken rhythm ('>' or '<'): a note must follow it"
            )
        return self.body

    # ------------------------------------------------------------------ tokens
    def token(self, i: int) -> int:
        """Read the token at ``i``; return where the next one starts."""
        text, c = self.text, self.text[i]
        if c in _IGNORED or c.isspace():
            return i + 1
        if c == "%":
            return len(text)
        if c in '"!+{':
            close = text.find("}" if c == "{" else c, i + 1)
            if close < 0 and c == "!":
                return i + 1  # ABC 1.x's line break, kept in old tunes (ABC 2.1, section 12)
            if close < 0:
                what = {'"': "a chord symbol or annotation", "{": "grace notes"}.get(c, "a decoration")
                raise self.error(i, f"{what} opened with {c!r} is not closed on its line")
            return close + 1
        if c in "^_=" or c.upper() in NATURAL:
            return self.note(i)
        if c in "zx":
            return self.rest(i)
        if c in "ZX":
            return self.bar_rest(i)
        if c == "[":
            return self.bracket(i)
        if c in "|:":
            return self.bar_line(i)
        if c == "(":
            return self.open_paren(i)
        if c in "<>":
            return self.broken_rhythm(i)
        if c == "-":
            return self.tie(i)
        if c == "y":
            return _LENGTH_RE.match(text, i + 1).end()  # type: ignore[union-attr]
        if c in self.decorations:
            return i + 1
        if c in _DEFINABLE:
            raise self.error(i, f"{c!r} is no decoration here: define it first (U:{c} = !trill!), or write {_EXPECTED}")
        if c == "&":
            raise self.error(i, "a voice overlay ('&') puts two voices in one bar; jupymuse reads one melody line")
        if c.isdigit() or c == "/":
            raise self.error(i, f"a length ({c!r}) must follow a note or rest directly")
        raise self.error(i, f"{c!r} is not ABC here: expected {_EXPECTED}")

    def note(self, i: int) -> int:
        """A note: its pitch in the key and bar, its length; then it is added."""
        pitch, written, end = self.pitch(i)
        length, end = self.length(end, i)
        self.add(Written(pitch, length, written), i)
        return end

    def pitch(self, i: int) -> tuple[int, tuple[str, int], int]:
        """The pitch, written letter and octave of the note at ``i``, and where its length starts."""
        match = _NOTE_RE.match(self.text, i)
        if match is None:
            raise self.error(i, "an accidental (^ _ =) must be followed by a note letter A-G or a-g")
        sign, letter, marks = match.group(1), match.group(2), match.group(3)
        octave = (4 if letter.isupper() else 5) + marks.count("'") - marks.count(",")
        letter = letter.upper()
        said = (letter, octave if self.propagate == "octave" else 0)
        if sign is not None and self.propagate != "not":
            self.bar[said] = ACCIDENTALS[sign]
        alter = ACCIDENTALS[sign] if sign is not None else self.bar.get(said, self.key.signature[letter])
        pitch = 12 * (octave + 1) + NATURAL[letter] + alter + self.key.shift
        if not MIN_PITCH <= pitch <= MAX_PITCH:
            raise self.error(i, f"this note is MIDI pitch {pitch}, outside the MIDI range {MIN_PITCH}-{MAX_PITCH}")
        return pitch, (letter, octave), match.end(3)

    def length(self, i: int, where: int, *, unit: bool = True) -> tuple[Fraction, int]:
        """The length written at ``i`` (``2``, ``/``, ``3/2``, ``//``) in quarter notes (as a multiplier when
        not ``unit``) and where it ends."""
        match = _LENGTH_RE.match(self.text, i)
        assert match is not None  # every part of the pattern may be empty
        try:
            return _length(match.group(0), self.unit if unit else _ONE), match.end()
        except ValueError as exc:
            raise self.error(where, str(exc)) from None

    def rest(self, i: int) -> int:
        length, end = self.length(i + 1, i)
        self.add(Written(None, length), i)
        return end

    def bar_rest(self, i: int) -> int:
        """``Z`` or ``X``: whole bars of rest (``Z4`` four), of the meter in force (4/4 when free)."""
        match = _LENGTH_RE.match(self.text, i + 1)
        assert match is not None
        if match.group(2) or len(match.group(1)) > 4:
            raise self.error(i, f"{self.text[i]} counts whole bars of rest: write e.g. {self.text[i]}4")
        bars = int(match.group(1) or 1)
        num, den = self.meter or (4, 4)
        self.add(Written(None, Fraction(4 * num * bars, den)), i)
        return match.end()

    def bracket(self, i: int) -> int:
        """``[`` opens an inline field (``[K:G]``), a numbered ending (``[1``), a bar line (``[|``) or a chord."""
        text = self.text
        if _INLINE_RE.match(text, i + 1):
            close = text.find("]", i)
            if close < 0:
                raise self.error(i, f"the inline field {text[i : i + 3]!r} has no closing ']'")
            self.field(text[i + 1], text[i + 3 : close], i)
            return close + 1
        if text[i + 1 : i + 2].isdigit():
            return _ENDING_RE.match(text, i).end()  # type: ignore[union-attr]
        if text[i + 1 : i + 2] == "|":
            return self.bar_line(i)
        return self.chord(i)

    def chord(self, i: int) -> int:
        """``[CEG]2``: the top note, for the length of the first note written times the one after ``]``."""
        notes: list[tuple[int, tuple[str, int], Fraction]] = []
        j, tie = i + 1, False
        while j < len(self.text) and self.text[j] != "]":
            c = self.text[j]
            if c in "^_=" or c.upper() in NATURAL:
                pitch, written, end = self.pitch(j)
                length, j = self.length(end, j)
                notes.append((pitch, written, length))
            elif c == "-":
                tie, j = True, j + 1
            elif c in '"!+':
                close = self.text.find(c, j + 1)
                j = close + 1 if close > 0 else len(self.text)
            elif c in self.decorations or c.isspace():
                j += 1
            else:
                raise self.error(j, f"{c!r} cannot stand in a chord: write notes, e.g. [CEG]")
        if j >= len(self.text):
            raise self.error(i, "the chord opened with '[' is not closed with ']' on its line")
        if not notes:
            raise self.error(i, "a chord ('[]') must hold at least one note")
        times, end = self.length(j + 1, i, unit=False)
        pitch, written, _ = max(notes, key=lambda n: n[0])
        self.add(Written(pitch, notes[0][2] * times, written, tie), i)
        return end

    def bar_line(self, i: int) -> int:
        """A bar line: accidentals end; the first one (after a note) closes the first bar."""
        match = _BAR_RE.match(self.text, i)
        assert match is not None
        if "|" not in match.group(0) and match.group(0) != "::" and len(match.group(0)) < 2:
            raise self.error(i, "':' must belong to a bar line (':|', '|:' or '::')")
        self.bar.clear()
        if self.body.events and self.body.first_bar is None:
            self.body.first_bar = len(self.body.events)
        end = match.end()
        ending = _ENDING_RE.match(self.text, end)
        return ending.end() if ending is not None and self.text[end : end + 1].isdigit() else end

    def open_paren(self, i: int) -> int:
        """``(`` opens a slur (skipped) or, followed by a number, a tuplet: ``(p:q:r``."""
        match = _TUPLET_RE.match(self.text, i)
        if match is None:
            return i + 1
        p, q, r = (int(g) if g and len(g) <= 3 else None if not g else MAX_TUPLET + 1 for g in match.groups())
        compound = self.meter is not None and self.meter[0] % 3 == 0 and self.meter[0] > 3
        q = q if q is not None else TUPLET_Q.get(p or 0, 3 if compound else 2)
        r = r if r is not None else p
        if p is None or not (2 <= p <= MAX_TUPLET and 1 <= q <= MAX_TUPLET and 1 <= (r or 0) <= MAX_TUPLET):
            raise self.error(
                i,
                f"the tuplet {match.group(0)!r} cannot be read: write (p:q:r: p notes (2 to {MAX_TUPLET}) in "
                "the time of q, for the next r notes, e.g. (3 or (3:2:3",
            )
        self.tuplet = (r or p, Fraction(q, p))
        return match.end()

    def broken_rhythm(self, i: int) -> int:
        """``>`` (``>>``, ``>>>``) lengthens the note before by half (three quarters...) and shortens the next."""
        c = self.text[i]
        n = _BROKEN_RE.match(self.text, i).end() - i  # type: ignore[union-attr]
        previous = self.body.events[-1] if self.body.events else None
        if previous is None or self.broken is not None or n > 3:
            raise self.error(i, f"a broken rhythm ({c * n!r}, at most three) must stand between two notes")
        short, long = Fraction(1, 2**n), 2 - Fraction(1, 2**n)
        previous.length *= long if c == ">" else short
        self.broken = short if c == ">" else long
        return i + n

    def tie(self, i: int) -> int:
        """``-`` ties the note before to the next (a rest tied to a rest, as old tunes write, changes nothing)."""
        previous = self.body.events[-1] if self.body.events else None
        if previous is None:
            raise self.error(i, "a tie ('-') must follow a note")
        previous.tie = previous.pitch is not None
        return i + 1

    def add(self, event: Written, column: int) -> None:
        """Add ``event`` with the pending tuplet and broken rhythm applied."""
        left, factor = self.tuplet
        if left:
            event.length *= factor
            self.tuplet = (left - 1, factor)
        if self.broken is not None:
            event.length *= self.broken
            self.broken = None
        if event.length.denominator > MAX_TIME_DENOMINATOR:
            raise self.error(
                column,
                f"a length of {event.length} quarter notes is finer than any grid "
                f"(1/{MAX_TIME_DENOMINATOR} of a quarter note)",
            )
        self.body.events.append(event)


@lru_cache(maxsize=4096)
def _length(text: str, unit: Fraction) -> Fraction:
    """``unit`` times the length ``text`` writes (``""``, ``2``, ``/``, ``3/2``, ``//``); tunes repeat a few
    lengths thousands of times, so each is worked out once.

    Raises:
        ValueError: a length that cannot be read or is zero (the message says so).
    """
    match = _LENGTH_RE.fullmatch(text)
    assert match is not None
    digits, slashes, per = match.groups()
    if len(digits) > 4 or len(per) > 4 or (per and len(slashes) != 1) or len(slashes) > 10:
        raise ValueError(
            f"the length {text!r} cannot be read: write e.g. 2, /, /4 or 3/2 (numbers up to {MAX_LENGTH_NUMBER})"
        )
    num = int(digits) if digits else 1
    den = (int(per) if per else 2 ** len(slashes)) if slashes else 1
    if num == 0 or den == 0:
        raise ValueError(f"the length {text!r} is zero")
    return unit * num / den
