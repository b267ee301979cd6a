"""MusicXML export costs the same per note in a long bar as in 4/4 (issue 21, case 2): a bar of 255/1
has 1,020 quarter-note windows, and finding the notes in each one by scanning the whole bar made a
20,000-note export take 53 CPU-s (1 s in 4/4)."""

from __future__ import annotations

import time

import pytest

from jupymuse import Melody, Note

pytestmark = pytest.mark.slow


def _cost(time_signature: tuple[int, int], steps_per_quarter: int) -> float:
    """CPU seconds of one export, the best of three (the first call of a run also pays for imports)."""
    notes = [Note(60 + i % 12, 3 * i, 2) for i in range(3000)]
    melody = Melody(notes, steps_per_quarter=steps_per_quarter, time_signature=time_signature)
    costs = []
    for _ in range(3):
        started = time.process_time()
        melody.to_musicxml()
        costs.append(time.process_time() - started)
    return min(costs)


@pytest.mark.parametrize("steps_per_quarter", [4, 6])  # 6: a triplet grid, every window a tuplet
def test_a_long_bar_costs_no_more_per_note_than_four_four(steps_per_quarter: int) -> None:
    assert _cost((255, 1), steps_per_quarter) < 3 * _cost((4, 4), steps_per_quarter) + 0.1
