"""The ``scores`` fuzz target at a small size (issue 21, cases 2, 5, 7, 11): random melodies in odd metres,
grids, keys and titles are engraved, written as MusicXML and MIDI over files of every mode, and read back,
or refused by a ``JupymuseError`` before the work. On demand: ``python -m tests.fuzz scores --cases 2000``."""

from __future__ import annotations

from fuzz import scores
from fuzz.harness import assert_replayable, run_clean


def test_random_melodies_engrave_write_and_read_back_or_are_refused() -> None:
    report = run_clean(scores, 24, seed=21, max_mb=1024)
    assert report.count("files") == 0
    assert report.kinds.get("accepted", 0) >= 4
    assert report.kinds.get("ScoreError", 0) + report.kinds.get("SettingError", 0) >= 3


def test_cases_are_replayable() -> None:
    assert_replayable(scores, "5:3")
