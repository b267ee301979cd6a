"""The ``midi`` and ``page`` fuzz targets at a small size (issue 12, cases 4-7, as classes).

``midi``: mutated real MIDI files read, round-trip, open in a roll and download, or raise
``JupymuseError``. ``page``: a hostile page's state updates and messages (exports and SoundFont requests
too) never corrupt the roll's melody and are always answered on the page. On demand:
``python -m tests.fuzz midi page --cases 5000``.
"""

from __future__ import annotations

import random

import pytest

from fuzz import midi, page
from fuzz.harness import Case, run_clean


def test_mutated_midi_files_read_or_raise_jupymuse_errors() -> None:
    report = run_clean(midi, 100, seed=7, max_seconds=30, max_mb=1024)
    assert report.kinds.get("accepted", 0) >= 5  # some mutations keep a readable file
    assert report.kinds.get("MidiReadError", 0) >= 30


@pytest.mark.slow
def test_a_hostile_page_never_corrupts_the_roll() -> None:
    """60 cases (a sixth export a large melody, up to 100,000 notes, which takes seconds), within 10 CPU-s each."""
    run_clean(page, 60, seed=7, max_mb=1024)


def test_cases_are_replayable() -> None:
    for target in (midi, page):
        a, b = (target.make(random.Random("5:3")) for _ in range(2))
        assert isinstance(a, Case)
        assert a.label == b.label
        assert repr(a.data) == repr(b.data) or a.data == b.data
