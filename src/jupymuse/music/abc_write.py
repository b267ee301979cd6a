"""``Melody`` to ABC text, written from its notation layout as a folk musician writes a tune.

The header: ``X:1``, ``T:`` (``meta["title"]``), ``M:`` (the melody's meter), ``L:`` (1/8, or 1/4 for
meters in halves or wholes, so lengths stay short numbers), ``Q:1/4=`` the tempo and ``K:`` the key with
its mode (the melody's, else the guessed one, as scores spell it). The body comes from
:mod:`jupymuse.music.engrave`: bars of the meter, a pickup bar when the first note starts inside the first
bar, notes spelled in the key (:mod:`jupymuse.music.spelling`), notes crossing a bar line (or a value no
single length writes) tied, rests, tuplets where the grid needs them (``(3`` for eighth-note triplets,
``(5:4:5`` and so on), beamed notes written together and four bars to a line. The last bar is not padded
with rests, as a tune that opens with a pickup ends short (unless it is also the first: its rests tell
readers whether it is a pickup).

Accidentals are written wherever a note differs from the key signature, and a natural where a note returns
to it after an accidental in the same bar: readers that carry an accidental to the end of the bar (ABC 2.1)
and readers that do not (music21) read the same pitches.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from ..errors import ScoreError
from .abc_fields import field_value, key_text, read_key
from .engrave import Bar, Piece, layout
from .keys import guess_key
from .melody import Melody
from .musicxml import MAX_MUSICXML_PIECES, fewest_values
from .spelling import Speller

MAX_ABC_PIECES: Final = MAX_MUSICXML_PIECES
"""Most written values (tied pieces and rests included) an ABC export writes, as MusicXML's."""
BARS_PER_LINE: Final = 4
"""Bars on each line of the tune body."""
_SIGNS: Final = {-2: "__", -1: "_", 0: "=", 1: "^", 2: "^^"}


def melody_to_abc(melody: Melody) -> str:
    """The ABC text of ``melody`` (see the module docstring).

    Raises:
        ScoreError: more than ``MAX_ABC_PIECES`` written values or 50,000 bars (before any work), or a note
            length no note value can write (a grid finer than 1024th notes).
    """
    needed = fewest_values(melody)
    if needed > MAX_ABC_PIECES:
        raise ScoreError(
            f"an ABC export writes at most {MAX_ABC_PIECES:,} notes and rests (MAX_ABC_PIECES) and this melody "
            f"needs at least {needed:,} tied values: export a part of it, shorten its long notes, or save it as MIDI"
        )
    key = guess_key(melody)
    num, den = melody.time_signature
    unit = Fraction(1, 4) if den <= 2 else Fraction(1, 8)
    k_text = key_text(key) if key is not None else "none"
    title = " ".join(str(melody.meta.get("title", "")).split()).replace("%", "\\%")
    head = [
        "X:1",
        f"T:{title}",
        f"M:{num}/{den}",
        f"L:{unit.numerator}/{unit.denominator}",
        f"Q:1/4={melody.tempo:.10g}",
        f"K:{k_text}",
    ]
    plan = layout(melody)
    writer = _BarWriter(Speller(key), read_key(field_value(k_text)).signature, unit * 4)
    lines, line, full = [], [], 0
    for i, bar in enumerate(plan.bars):
        last = i == len(plan.bars) - 1
        trim = last and i > 0  # a first bar keeps its rests: it tells a pickup from a bar begun on the beat
        line.append(writer.bar(bar, plan.bar_length, trim) + (" |]" if last else " |"))
        full += 0 if bar.implicit else 1
        if last or (full and full % BARS_PER_LINE == 0 and not bar.implicit):
            lines.append(" ".join(line))
            line = []
    return "\n".join(head + lines) + "\n"


class _BarWriter:
    """Writes bars one after another: pitches spelled in the key, accidentals as both kinds of reader need."""

    def __init__(self, speller: Speller, signature: dict[str, int], unit: Fraction) -> None:
        self.speller = speller
        self.signature = signature
        self.unit = unit  # quarter notes

    def bar(self, bar: Bar, bar_length: Fraction, last: bool) -> str:
        """The notes and rests of ``bar`` (a last bar without its closing rests)."""
        pieces = bar.pieces
        if last and any(not p.is_rest for p in pieces):
            while pieces[-1].is_rest:
                pieces = pieces[:-1]
        said: dict[tuple[str, int], int] = {}
        out: list[str] = []
        for i, piece in enumerate(pieces):
            if piece.tuplet_start and piece.tuplet is not None:
                out.append(_tuplet(piece.tuplet, _tuplet_size(pieces, i)))
            out.append(self.piece(piece, bar_length, said))
            joined = piece.beams and piece.beams[0] in ("begin", "continue")
            out.append("" if joined else " ")
        return "".join(out).rstrip()

    def piece(self, piece: Piece, bar_length: Fraction, said: dict[tuple[str, int], int]) -> str:
        """One written note or rest: accidental, letter and octave, length, tie."""
        written = piece.duration if piece.tuplet is None else piece.duration * piece.tuplet[0] / piece.tuplet[1]
        if piece.pitch is None:
            return "z" + _length((bar_length if not piece.type else written) / self.unit)
        letter, alter, octave = self.speller.spell(piece.pitch)
        sign = ""
        if alter != self.signature[letter] or said.get((letter, octave), alter) != alter:
            sign = _SIGNS[alter]
            said[letter, octave] = alter
        name = letter + "," * (4 - octave) if octave <= 4 else letter.lower() + "'" * (octave - 5)
        return f"{sign}{name}{_length(written / self.unit)}{'-' if piece.tie_start else ''}"


def _length(times: Fraction) -> str:
    """A length in unit notes as ABC writes it: ``""`` (one), ``2``, ``3/2``, ``/`` (a half), ``/4``."""
    if times == 1:
        return ""
    if times.denominator == 1:
        return str(times.numerator)
    top = "" if times.numerator == 1 else str(times.numerator)
    return f"{top}/" if times.denominator == 2 else f"{top}/{times.denominator}"


def _tuplet_size(pieces: list[Piece], start: int) -> int:
    """How many pieces the tuplet starting at ``start`` holds (to its ``tuplet_stop``)."""
    for j in range(start, len(pieces)):
        if pieces[j].tuplet_stop:
            return j - start + 1
    return len(pieces) - start


def _tuplet(ratio: tuple[int, int], size: int) -> str:
    """``(3`` for three in the time of two, else ``(p:q:r`` in full."""
    actual, normal = ratio
    return "(3" if (actual, normal, size) == (3, 2, 3) else f"({actual}:{normal}:{size}"
