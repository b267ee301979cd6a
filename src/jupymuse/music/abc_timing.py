"""ABC's written events placed in time: the pickup, ties joined, every onset and end on a step grid.

Positions are counted exactly, as whole numbers of the finest fraction of a quarter note the tune has used
so far (integers, not fractions: a long tune reads in a fraction of the time). Then:

- **Pickup**: a first bar (the events before the first bar line) shorter than the meter's bar is a
  pickup, moved to end on that bar line, as jupymuse's corpora place music21's pickups. A tune without bar
  lines (a fragment) or in free meter has none.
- **Ties** join a note to the next event when that is a note written on the same letter and octave (a tie
  to another note is a slur); the joined note keeps the first one's pitch (an accidental carries through a
  tie), as jupymuse's music21 reading joins them.
- **Grid**: by default the coarsest multiple of 4 steps per quarter that holds every onset and end exactly
  (12 for eighth-note triplets). A given grid rounds each onset, end and the pickup to the nearest step
  (halves to even), as the corpora's conversion rounds music21's offsets; a note keeps at least one step
  and the top line is kept where rounding makes notes meet.
"""

from __future__ import annotations

from math import gcd
from typing import Final

from ..errors import NotationError
from .abc_body import MAX_TIME_DENOMINATOR, Body
from .extract import highest_line
from .melody import MAX_STEPS_PER_QUARTER
from .note import MAX_STEPS, Note

BASE_GRID: Final = 4
"""The grid every chosen one is a multiple of: sixteenth notes, the corpora's grid."""
MAX_QUARTERS: Final = MAX_STEPS // BASE_GRID
"""Latest quarter note a tune may reach (a melody ends by step ``MAX_STEPS`` on the coarsest grid)."""


def place(body: Body, meter: tuple[int, int] | None, steps_per_quarter: int | None) -> tuple[int, list[Note]]:
    """The grid (``steps_per_quarter``, or the coarsest exact one when None) and the notes of ``body`` on it.

    Raises:
        NotationError: a tune past ``MAX_QUARTERS`` quarter notes or the last step a melody holds, or one
            whose notes no grid of at most 960 steps per quarter holds exactly (when none is given).
    """
    den, notes, first_bar = _timeline(body)
    bar = None
    if meter is not None:  # count in units that hold the bar too
        scale = meter[1] // gcd(4 * meter[0] * den, meter[1])
        den, first_bar = den * scale, first_bar * scale
        notes = [(p, s * scale, e * scale) for p, s, e in notes] if scale > 1 else notes
        bar = 4 * meter[0] * den // meter[1]
    closed = body.first_bar is not None
    pickup = bar - first_bar if bar is not None and closed and 0 < first_bar < bar else 0
    spq = steps_per_quarter if steps_per_quarter is not None else _exact_grid(den, pickup, notes)
    last = _round((notes[-1][2] + pickup) * spq, den) if notes else 0
    if last > MAX_STEPS:
        raise NotationError(
            f"the tune lasts {(notes[-1][2] + pickup) / den:g} quarter notes, {last:,} steps of 1/{spq} quarter: "
            f"a melody ends by step {MAX_STEPS:,}"
        )
    shift = _round(pickup * spq, den)
    steps = []
    for pitch, start, end in notes:
        s, e = _round(start * spq, den), _round(end * spq, den)
        steps.append(Note(pitch, s + shift, max(1, e - s)))
    return spq, highest_line(steps)


def _timeline(body: Body) -> tuple[int, list[tuple[int, int, int]], int]:
    """``(den, notes, first_bar)``: notes as (pitch, start, end) and the first bar's length, in 1/den quarter
    notes; ties joined."""
    den, time = 1, 0
    stamped: list[tuple[int, int, int, int]] = []  # pitch, start, end, and the den they are counted in
    first = body.first_bar if body.first_bar is not None else len(body.events)
    first_bar = (0, 1)  # the first bar's length and its den
    for index, event in enumerate(body.events):
        if index == first:
            first_bar = (time, den)
        n, d = event.length.numerator, event.length.denominator
        if den % d:
            grow = d // gcd(den, d)
            den, time = den * grow, time * grow
            if den > MAX_TIME_DENOMINATOR:
                raise NotationError(
                    f"the tune's note lengths need a grid finer than 1/{MAX_TIME_DENOMINATOR} of a quarter note"
                )
        end = time + n * (den // d)
        if end > MAX_QUARTERS * den:
            raise NotationError(f"the tune passes {MAX_QUARTERS:,} quarter notes: a melody ends by step {MAX_STEPS:,}")
        previous = body.events[index - 1] if index else None
        if event.pitch is not None and previous is not None and previous.tie and previous.written == event.written:
            pitch, start, _, counted = stamped[-1]
            stamped[-1] = (pitch, start * (den // counted), end, den)
        elif event.pitch is not None:
            stamped.append((event.pitch, time, end, den))
        time = end
    if first >= len(body.events):
        first_bar = (time, den)
    notes = [(p, s * (den // d), e * (den // d)) for p, s, e, d in stamped]
    return den, notes, first_bar[0] * (den // first_bar[1])


def _exact_grid(den: int, pickup: int, notes: list[tuple[int, int, int]]) -> int:
    """The coarsest multiple of ``BASE_GRID`` steps per quarter that holds every onset and end exactly.

    Raises:
        NotationError: no grid of at most 960 steps per quarter does.
    """
    common = gcd(den, pickup)
    for _, start, end in notes:
        common = gcd(common, start, end)
        if common == 1:
            break
    needed = den // common
    grid = BASE_GRID * needed // gcd(BASE_GRID, needed)
    if grid > MAX_STEPS_PER_QUARTER:
        raise NotationError(
            f"the tune's note lengths need {grid} steps per quarter note to be exact; a melody has at most "
            f"{MAX_STEPS_PER_QUARTER}: pass steps_per_quarter (e.g. 12 or 48) to round them onto a grid"
        )
    return grid


def _round(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest whole number, halves to even (as ``round`` does)."""
    whole, rest = divmod(numerator, denominator)
    twice = 2 * rest
    return whole + (1 if twice > denominator or (twice == denominator and whole % 2) else 0)
