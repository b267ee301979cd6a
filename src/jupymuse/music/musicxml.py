"""MusicXML 4.0 (partwise) text of a melody, written directly from its notation layout.

Clef (treble, or bass for a low melody), key signature (the melody's key, else the guessed one), time
signature, tempo, title (``meta["title"]``), a pickup bar, rests, ties across bar lines, tuplets from a
triplet grid and beams come from :mod:`jupymuse.music.engrave`; pitch spelling and accidentals from
:mod:`jupymuse.music.spelling`. No music21: a few hundred notes take milliseconds.

MusicXML writes octaves 0-9 only, so a melody that reaches below C0 (MIDI 0-11) is written as a transposing
part, as a double bass is: every note an octave higher than it sounds, ``<transpose>`` with
``<octave-change>`` saying so (a reader that follows it, as music21's ``toSoundingPitch`` does, gets the
exact pitches back) and the words "sounds an octave lower" above the first bar for the eye. A melody that
also reaches above B8 cannot be written (:class:`ScoreError`). A spelling that would leave the ten octaves
(B#-1, Cb10) is written on the next letter (C0, B9).

Work is bounded before any of it is done: a melody whose notes and rests need more than
``MAX_MUSICXML_PIECES`` written values (a long note in a long bar is many tied ones) is refused.

Every ``<note>`` carries an ``id``: ``n{index}`` for the first written piece of melody note ``index``
and ``n{index}-{part}`` for the pieces tied to it; rests are ``r{number}`` and ``r{number}-{part}``
(rests counted from 0). A prefix keeps ids apart when several scores share a page.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from math import ceil
from xml.sax.saxutils import escape, quoteattr

from ..errors import ScoreError
from .engrave import Bar, Layout, Piece, fewest_pieces, layout
from .keys import guess_key
from .melody import Melody
from .notation import pitch_name
from .spelling import Speller

MUSICXML_SUFFIXES = (".musicxml", ".xml")
"""File suffixes of uncompressed MusicXML."""
MAX_MUSICXML_PIECES = 50_000
"""Most written values (tied pieces and rests included) a MusicXML export writes, so that a page's export
answers within seconds: a 20,000-note tune with rests needs about 25,000; one note 1,000,000 steps long in
255/1 needs 83,334."""
LONGEST_VALUE = 12
"""The longest written value, a dotted breve, in quarter notes (as :mod:`jupymuse.music.engrave` writes)."""
OCTAVES = range(10)
"""The octaves MusicXML's ``<octave>`` can say (4 holds middle C)."""
BASS_CLEF_BELOW = 55
"""A melody whose median pitch is below G3 is written in the bass clef."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (a title is text from anywhere: a MIDI file, a user)."""
_ACCIDENTALS = {-2: "flat-flat", -1: "flat", 0: "natural", 1: "sharp", 2: "double-sharp"}
_HEADER = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" \
"http://www.musicxml.org/dtds/partwise.dtd">
<score-partwise version="4.0">
"""


@dataclass
class _Pitches:
    """How a score writes its pitches, and the accidentals it has drawn so far (carried from bar to bar)."""

    speller: Speller
    """Spells each pitch in the melody's key."""
    shift: int
    """Octaves every note is written above its sound (:func:`octave_shift`)."""
    hidden: bool
    """Repeat a tied note's accidental, not printed, on its tied parts in later bars."""
    shown: dict[int, str] = field(default_factory=dict)
    """The accidental drawn on each note (melody index -> MusicXML name), for its tied parts."""


def piece_id(piece: Piece, prefix: str = "") -> str:
    """The ``id`` of a written note or rest (see the module's docstring)."""
    name = f"{prefix}{'r' if piece.is_rest else 'n'}{piece.index}"
    return name if piece.part == 0 else f"{name}-{piece.part}"


def melody_to_musicxml(melody: Melody, *, colours: Mapping[int, str] | None = None, id_prefix: str = "") -> str:
    """The MusicXML text of ``melody``; notes whose index is in ``colours`` drawn in that colour ("#rrggbb").

    Raises:
        ScoreError: more than ``MAX_MUSICXML_PIECES`` written values or 50,000 bars (before any work), a
            note length that no note value can write (a grid finer than 1024th notes), or a melody spanning
            more than MusicXML's ten octaves.
    """
    needed = fewest_values(melody)
    if needed > MAX_MUSICXML_PIECES:
        raise ScoreError(
            f"a MusicXML export writes at most {MAX_MUSICXML_PIECES:,} notes and rests (MAX_MUSICXML_PIECES) and "
            f"this melody needs at least {needed:,} tied values: export a part of it, shorten its long notes, "
            "or save it as MIDI"
        )
    octave_shift(melody)  # a melody MusicXML cannot hold is refused before the layout
    return write_musicxml(melody, layout(melody), colours=colours, id_prefix=id_prefix)


def fewest_values(melody: Melody) -> int:
    """The fewest written values the melody's notes and the rests between them need, found without laying
    anything out (each value lasts at most a dotted breve, so a long note or rest is a chain of tied ones)."""
    longest = LONGEST_VALUE * melody.steps_per_quarter  # in grid steps
    notes = melody.notes
    gaps = sum(ceil((b.start - a.end) / longest) for a, b in pairwise(notes))
    return fewest_pieces(melody) + gaps


def write_musicxml(
    melody: Melody,
    plan: Layout,
    *,
    colours: Mapping[int, str] | None = None,
    id_prefix: str = "",
    hidden_accidentals: bool = True,
) -> str:
    """The MusicXML text of ``melody`` as laid out in ``plan``.

    ``hidden_accidentals``: repeat a tied note's accidental, not printed, on its tied parts in later bars
    (music21 ties only equal pitches, and a natural sign counts); verovio draws them, so a score leaves them out.
    """
    pitches = _Pitches(Speller(guess_key(melody)), octave_shift(melody), hidden_accidentals)
    title = _NOT_XML.sub("", str(melody.meta.get("title", "")))
    out = [_HEADER]
    if title:
        out.append(f"  <work><work-title>{escape(title)}</work-title></work>\n")
        out.append(f"  <movement-title>{escape(title)}</movement-title>\n")
    out.append("  <identification><encoding><software>jupymuse</software></encoding></identification>\n")
    out.append('  <part-list><score-part id="P1"><part-name print-object="no">Melody</part-name></score-part>')
    out.append('</part-list>\n  <part id="P1">\n')
    for i, bar in enumerate(plan.bars):
        implicit = ' implicit="yes"' if bar.implicit else ""
        out.append(f'    <measure number="{bar.number}"{implicit}>\n')
        if i == 0:
            out.append(_attributes(melody, plan, pitches))
        out.extend(_bar_notes(bar, plan, pitches, colours or {}, id_prefix))
        if i == len(plan.bars) - 1:
            out.append('      <barline location="right"><bar-style>light-heavy</bar-style></barline>\n')
        out.append("    </measure>\n")
    out.append("  </part>\n</score-partwise>\n")
    return "".join(out)


def octave_shift(melody: Melody) -> int:
    """Octaves the notes are written above their sound, so that every written octave is 0-9: 1 for a melody
    that reaches below C0 (MIDI 0-11), else 0.

    Raises:
        ScoreError: the melody reaches below C0 and above B8 (MIDI 120-127) both: more than ten octaves.
    """
    pitches = melody.pitches
    if not pitches or min(pitches) >= 12:
        return 0
    if max(pitches) >= 120:
        low, high = min(pitches), max(pitches)
        raise ScoreError(
            f"MusicXML writes octaves {OCTAVES[0]}-{OCTAVES[-1]}, ten in all, and this melody reaches from MIDI "
            f"{low} ({pitch_name(low)}) to {high} ({pitch_name(high)}), below C0 and above B8: transpose it into "
            "ten octaves, or save it as MIDI"
        )
    return 1


def _attributes(melody: Melody, plan: Layout, written: _Pitches) -> str:
    """The first bar's key, meter, clef (and transposition), and its tempo (and how the notes sound)."""
    speller, shift = written.speller, written.shift
    num, den = melody.time_signature
    pitches = melody.pitches
    bass = bool(pitches) and statistics.median(pitches) + 12 * shift < BASS_CLEF_BELOW
    clef = "<sign>F</sign><line>4</line>" if bass else "<sign>G</sign><line>2</line>"
    transpose = sounds = ""
    if shift:
        transpose = (
            f"<transpose><diatonic>0</diatonic><chromatic>0</chromatic><octave-change>{-shift}</octave-change>"
            "</transpose>"
        )
        sounds = (
            '      <direction placement="above"><direction-type><words>sounds an octave lower</words>'
            "</direction-type></direction>\n"
        )
    tempo = f"{melody.tempo:g}"
    return (
        f"      <attributes><divisions>{plan.divisions}</divisions>"
        f"<key><fifths>{speller.fifths}</fifths><mode>{speller.mode}</mode></key>"
        f"<time><beats>{num}</beats><beat-type>{den}</beat-type></time><clef>{clef}</clef>{transpose}</attributes>\n"
        '      <direction placement="above"><direction-type><metronome><beat-unit>quarter</beat-unit>'
        f'<per-minute>{tempo}</per-minute></metronome></direction-type><sound tempo="{tempo}"/></direction>\n'
        f"{sounds}"
    )


def _bar_notes(bar: Bar, plan: Layout, pitches: _Pitches, colours: Mapping[int, str], prefix: str) -> list[str]:
    """The ``<note>`` elements of one bar, accidentals shown where the bar or key has not said them yet
    (``pitches.shown`` gains the ones drawn, for the notes' tied parts in later bars)."""
    speller, shown = pitches.speller, pitches.shown
    said: dict[tuple[str, int], int] = {}
    out = []
    for p in bar.pieces:
        attrs = f"id={quoteattr(piece_id(p, prefix))}"
        if p.pitch is not None and p.index in colours:
            attrs += f" color={quoteattr(colours[p.index])}"
        accidental = ""
        if p.pitch is None:
            body = '<rest measure="yes"/>' if not p.type else "<rest/>"
        else:
            letter, alter, octave = speller.spell_within(p.pitch + 12 * pitches.shift, OCTAVES)
            body = f"<pitch><step>{letter}</step>{f'<alter>{alter}</alter>' if alter else ''}<octave>{octave}</octave>"
            body += "</pitch>"
            if p.tie_stop and p.index in shown:  # not drawn, but music21 then ties the same pitch
                accidental = f'<accidental print-object="no">{shown[p.index]}</accidental>' if pitches.hidden else ""
            elif not p.tie_stop and said.get((letter, octave), speller.signature[letter]) != alter:
                shown[p.index] = _ACCIDENTALS[alter]
                accidental = f"<accidental>{shown[p.index]}</accidental>"
                said[letter, octave] = alter
        out.append(f"      <note {attrs}>{body}{_rhythm(p, plan.divisions, accidental)}</note>\n")
    return out


def _rhythm(p: Piece, divisions: int, accidental: str) -> str:
    """Everything after a note's pitch, in the order MusicXML asks for."""
    parts = [f"<duration>{int(p.duration * divisions)}</duration>"]
    parts += ['<tie type="stop"/>'] if p.tie_stop else []
    parts += ['<tie type="start"/>'] if p.tie_start else []
    parts.append("<voice>1</voice>")
    parts += [f"<type>{p.type}</type>", "<dot/>" * p.dots] if p.type else []
    parts.append(accidental)
    if p.tuplet is not None:
        parts.append(
            f"<time-modification><actual-notes>{p.tuplet[0]}</actual-notes>"
            f"<normal-notes>{p.tuplet[1]}</normal-notes></time-modification>"
        )
    parts += [f'<beam number="{i + 1}">{b}</beam>' for i, b in enumerate(p.beams)]
    notations = ['<tied type="stop"/>'] if p.tie_stop else []
    notations += ['<tied type="start"/>'] if p.tie_start else []
    notations += ['<tuplet type="start"/>'] if p.tuplet_start else []
    notations += ['<tuplet type="stop"/>'] if p.tuplet_stop else []
    if notations:
        parts.append(f"<notations>{''.join(notations)}</notations>")
    return "".join(parts)
