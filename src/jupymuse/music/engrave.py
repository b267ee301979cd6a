"""A melody's rhythm as notation: bars, written note values, ties, tuplets and beams.

The plan, all in exact fractions of a quarter note:

1. Notes and the rests between them become events. A melody whose first note starts inside the first
   bar begins with a pickup (an incomplete bar holding only that upbeat); one that starts later keeps
   its rests. The last bar is filled with a rest.
2. Events are cut at bar lines (the pieces tied), then each bar into quarter-note windows. A window
   whose positions are not on a binary grid (a 1/8-triplet grid: ``steps_per_quarter`` 6 or 12) is a
   tuplet window: 3 in the time of 2 (5:4, 7:4, ... for other grids); notes are cut at its edges.
3. Every piece's length becomes written values (whole, half, ... 1024th, at most one dot), largest
   first, tied together; a rest filling a whole bar is one bar rest.
4. Beams join the eighths and shorter notes of one beat (a dotted quarter in 6/8, 9/8, 12/8, 3/8).

Pieces remember the melody note (or rest) they come from, so a drawn note element maps back to it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise
from math import ceil, floor, lcm

from ..errors import ScoreError
from .melody import Melody

_NAMES = ("breve", "whole", "half", "quarter", "eighth", "16th", "32nd", "64th", "128th", "256th", "512th", "1024th")
_BASES = [(Fraction(8) / 2**i, name) for i, name in enumerate(_NAMES)]
_VALUES = sorted(
    [(v, name, 0) for v, name in _BASES] + [(v * 3 / 2, name, 1) for v, name in _BASES[:-1]],
    key=lambda x: x[0],
    reverse=True,
)
"""Written values (quarters, MusicXML type, dots), longest first."""
MAX_BARS = 50_000
"""Most bars a melody may fill to be written out (a 4/4 corpus melody has under 500)."""
BEAMS = {name: i + 1 for i, name in enumerate(_NAMES[4:])}
"""Beams of each value short enough to be beamed."""


@dataclass(slots=True)
class Piece:
    """One written note or rest: the whole or a tied part of one melody note or rest."""

    index: int
    """The melody note's index, or for a rest its number among the rests (counted from 0)."""
    pitch: int | None
    """MIDI pitch; None for a rest."""
    start: Fraction
    """Quarter notes from the melody's step 0."""
    duration: Fraction
    """Sounding length in quarter notes."""
    type: str
    """MusicXML value ("quarter", "16th", ...); "" for a rest filling its whole bar."""
    dots: int = 0
    part: int = 0
    """Which piece of its note or rest (0 the first; later ones are tied to it)."""
    tuplet: tuple[int, int] | None = None
    """``(3, 2)``: three in the time of two; None outside tuplets."""
    tie_start: bool = False
    tie_stop: bool = False
    tuplet_start: bool = False
    tuplet_stop: bool = False
    beams: tuple[str, ...] = ()
    """MusicXML beam values by level ("begin", "continue", "end", "forward hook", "backward hook")."""

    @property
    def is_rest(self) -> bool:
        return self.pitch is None


@dataclass(slots=True)
class Bar:
    """One measure: ``number`` counts from 1 (0 for a pickup), ``start`` in quarter notes."""

    number: int
    start: Fraction
    implicit: bool
    pieces: list[Piece] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Layout:
    """The bars of a melody and the MusicXML ``divisions`` (per quarter) that write every length whole."""

    bars: list[Bar]
    divisions: int
    bar_length: Fraction


@dataclass(frozen=True, slots=True)
class _Event:
    start: Fraction
    end: Fraction
    pitch: int | None
    index: int


def fewest_pieces(melody: Melody) -> int:
    """The fewest written values the notes need (each lasts at most a dotted breve, 12 quarters), found
    without laying anything out: one long note in a long bar is written as a chain of tied values."""
    longest = _VALUES[0][0] * melody.steps_per_quarter  # in grid steps
    return sum(ceil(Fraction(n.duration) / longest) for n in melody.notes)


def bar_count(melody: Melody) -> int:
    """How many bars the melody fills (a pickup counts as one), found without laying anything out."""
    num, den = melody.time_signature
    return max(1, ceil(Fraction(melody.end, melody.steps_per_quarter) / Fraction(4 * num, den)))


def layout(melody: Melody, *, max_bars: int = MAX_BARS) -> Layout:
    """The bars, written values, ties, tuplets and beams of ``melody``.

    Raises:
        ScoreError: more than ``max_bars`` bars, or a note length that no value down to a 1024th (in a
            tuplet, if needed) can write.
    """
    bars_needed = bar_count(melody)
    if bars_needed > max_bars:
        raise ScoreError(
            f"the melody fills {bars_needed:,} bars of {melody.time_signature[0]}/{melody.time_signature[1]}; "
            f"at most {max_bars:,} can be written out"
        )
    num, den = melody.time_signature
    bar_length = Fraction(4 * num, den)
    events, pickup = _events(melody, bar_length)
    segments: dict[int, list[tuple[Fraction, Fraction, _Event]]] = {}
    for ev in events:
        s = ev.start
        while s < ev.end:
            b = floor(s / bar_length)
            e = min(ev.end, (b + 1) * bar_length)
            segments.setdefault(b, []).append((s, e, ev))
            s = e
    group = beam_group(num, den)
    bars: list[Bar] = []
    parts: dict[tuple[bool, int], int] = {}
    for b in sorted(segments):
        bar = Bar(b + (0 if pickup else 1), b * bar_length, pickup and b == 0)
        _fill_bar(bar, segments[b], bar_length, parts)
        _beam(bar, group)
        bars.append(bar)
    _tie(bars)
    divisions = lcm(*(p.duration.denominator for bar in bars for p in bar.pieces))
    return Layout(bars, divisions, bar_length)


def _events(melody: Melody, bar_length: Fraction) -> tuple[list[_Event], bool]:
    """Notes and rests back to back from the first bar line (or the pickup) to the end of the last bar."""
    spq = melody.steps_per_quarter
    notes = melody.notes
    first = Fraction(notes[0].start, spq) if notes else Fraction(0)
    pickup = 0 < first < bar_length
    pos = first if pickup else Fraction(0)
    events: list[_Event] = []
    rests = 0
    for i, n in enumerate(notes):
        start = Fraction(n.start, spq)
        if start > pos:
            events.append(_Event(pos, start, None, rests))
            rests += 1
        pos = Fraction(n.end, spq)
        events.append(_Event(start, pos, n.pitch, i))
    end = max(ceil(pos / bar_length), 1) * bar_length
    if end > pos:
        events.append(_Event(pos, end, None, rests))
    return events, pickup


def beam_group(num: int, den: int) -> Fraction:
    """Quarter notes in one beamed group: a dotted quarter in compound meters (6/8, 9/8, 3/8...), else a quarter."""
    if den >= 8 and num % 3 == 0:
        return Fraction(3 * 4, den)
    return Fraction(1)


def _windows(bar_start: Fraction, bar_length: Fraction, points: set[Fraction]) -> list[tuple[int, int] | None]:
    """Each quarter-note window of a bar: its tuplet ratio (actual, normal), or None on a binary grid.

    One pass over the points: each lies inside one window (or on an edge between two, which says nothing).
    """
    odd = [1] * ceil(bar_length)
    for p in points:
        offset = p - bar_start
        k = floor(offset)
        if offset != k and 0 <= k < len(odd):
            odd[k] = lcm(odd[k], offset.denominator)
    ratios: list[tuple[int, int] | None] = []
    for q in odd:
        while q % 2 == 0:
            q //= 2
        ratios.append(None if q == 1 else (q, 1 << (q.bit_length() - 1)))
    return ratios


def _fill_bar(
    bar: Bar,
    segments: list[tuple[Fraction, Fraction, _Event]],
    bar_length: Fraction,
    parts: dict[tuple[bool, int], int],
) -> None:
    """The bar's pieces: segments cut at tuplet windows' edges and written as values."""
    points = {s for s, _, _ in segments} | {e for _, e, _ in segments}
    ratios = _windows(bar.start, bar_length, points)
    cuts = [bar.start + k for k in range(1, len(ratios)) if ratios[k - 1] or ratios[k]]
    for s, e, ev in segments:
        if ev.pitch is None and not bar.implicit and s == bar.start and e == bar.start + bar_length:
            bar.pieces.append(Piece(ev.index, None, s, e - s, "", part=_next_part(parts, ev)))
            continue
        edges = [s, *cuts[bisect_right(cuts, s) : bisect_left(cuts, e)], e]  # the cuts inside, found by halving
        for a, z in pairwise(edges):
            ratio = ratios[floor(a - bar.start)]
            for value, name, dots in _values(z - a, ratio, ev):
                actual = value if ratio is None else value * ratio[1] / ratio[0]
                bar.pieces.append(Piece(ev.index, ev.pitch, a, actual, name, dots, _next_part(parts, ev), ratio))
                a += actual
    _bracket(bar, ratios)


def _next_part(parts: dict[tuple[bool, int], int], ev: _Event) -> int:
    key = (ev.pitch is None, ev.index)
    parts[key] = parts.get(key, -1) + 1
    return parts[key]


def _values(length: Fraction, ratio: tuple[int, int] | None, ev: _Event) -> Iterator[tuple[Fraction, str, int]]:
    """Written values (longest first) adding up to ``length`` quarters (written length inside a tuplet)."""
    left = length if ratio is None else length * ratio[0] / ratio[1]
    while left > 0:
        choice = next((v for v in _VALUES if v[0] <= left), None)
        if choice is None:
            what = "a rest" if ev.pitch is None else f"note {ev.index}"
            raise ScoreError(
                f"{what} at quarter {float(ev.start):g} lasts {float(ev.end - ev.start):g} quarters, which no note "
                "value down to a 1024th can write: use a coarser grid (steps_per_quarter)"
            )
        yield choice
        value = choice[0]
        left -= value


def _bracket(bar: Bar, ratios: list[tuple[int, int] | None]) -> None:
    """Start and stop a tuplet bracket on the first and last piece of each tuplet window."""
    by_window: dict[int, list[Piece]] = {}
    for p in bar.pieces:
        if p.tuplet is not None:
            by_window.setdefault(floor(p.start - bar.start), []).append(p)
    for pieces in by_window.values():
        pieces[0].tuplet_start = True
        pieces[-1].tuplet_stop = True


def _beam(bar: Bar, group: Fraction) -> None:
    """Beam runs of two or more beamable notes inside one beat group."""
    run: list[Piece] = []
    run_group = -1
    for p in [*bar.pieces, None]:
        g = -1 if p is None else floor((p.start - bar.start) / group)
        fits = (
            p is not None and not p.is_rest and p.type in BEAMS and p.start + p.duration <= bar.start + (g + 1) * group
        )
        if fits and g == run_group and p is not None:
            run.append(p)
            continue
        if len(run) > 1:
            _beam_run(run)
        run, run_group = ([p], g) if fits and p is not None else ([], -1)


def _beam_run(run: list[Piece]) -> None:
    levels = [BEAMS[p.type] for p in run]
    beams: list[list[str]] = [[] for _ in run]
    for level in range(1, max(levels) + 1):
        for i, lv in enumerate(levels):
            if lv < level:
                continue
            before = i > 0 and levels[i - 1] >= level
            after = i + 1 < len(run) and levels[i + 1] >= level
            if before and after:
                beams[i].append("continue")
            elif before:
                beams[i].append("end")
            elif after:
                beams[i].append("begin")
            else:
                beams[i].append("forward hook" if i + 1 < len(run) else "backward hook")
    for p, b in zip(run, beams, strict=True):
        p.beams = tuple(b)


def _tie(bars: list[Bar]) -> None:
    """Tie every piece of a note to the next piece of the same note."""
    previous: Piece | None = None
    for bar in bars:
        for p in bar.pieces:
            if previous is not None and not p.is_rest and p.part > 0 and previous.index == p.index:
                previous.tie_start = True
                p.tie_stop = True
            previous = None if p.is_rest else p
