"""The ``freeze`` fuzz target at a small size (issue 21, cases 1 and 4): mutated lessons frozen in place
(``freeze_file`` and ``jupymuse freeze``) become strict JSON with their views dropped, or are refused and
left as they were, with their mode, owner and link. On demand: ``python -m tests.fuzz freeze --cases 2000``."""

from __future__ import annotations

from fuzz import freeze
from fuzz.harness import assert_replayable, run_clean


def test_mutated_lessons_freeze_to_strict_json_or_are_left_as_they_were() -> None:
    report = run_clean(freeze, 150, seed=21, max_mb=1024)
    assert report.count("files") == 0
    assert report.kinds.get("accepted", 0) >= 30
    assert report.kinds.get("JupymuseError", 0) + report.kinds.get("CommandRefused", 0) >= 20


def test_cases_are_replayable() -> None:
    assert_replayable(freeze, "5:3")
