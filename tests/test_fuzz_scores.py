"""The ``scores`` fuzz target at a small size (issue 21, cases 2, 5, 7, 11): random melodies in odd metres,
grids, keys and titles are engraved, written as MusicXML and MIDI over files of every mode, and read back,
or refused by a ``JupymuseError`` before the work. On demand: ``python -m tests.fuzz scores --cases 2000``."""

from __future__ import annotations

import random

from fuzz import scores
from fuzz.harness import Case, details, run_target, table


def test_random_melodies_engrave_write_and_read_back_or_are_refused() -> None:
    report = run_target(scores, 24, seed=21, max_mb=1024)  # type: ignore[arg-type]
    assert report.tried == 24
    assert report.other == 0, f"{table([report])}\n{details(report)}"
    assert report.count("files") == 0
    assert report.kinds.get("accepted", 0) >= 4
    assert report.kinds.get("ScoreError", 0) + report.kinds.get("SettingError", 0) >= 3


def test_cases_are_replayable() -> None:
    a, b = (scores.make(random.Random("5:3")) for _ in range(2))
    assert isinstance(a, Case)
    assert (a.label, a.data, a.output) == (b.label, b.data, b.output)
