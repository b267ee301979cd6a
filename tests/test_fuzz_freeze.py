"""The ``freeze`` fuzz target at a small size (issue 21, cases 1 and 4): mutated lessons frozen in place
(``freeze_file`` and ``jupymuse freeze``) become strict JSON with their views dropped, or are refused and
left as they were, with their mode, owner and link. On demand: ``python -m tests.fuzz freeze --cases 2000``."""

from __future__ import annotations

import random

from fuzz import freeze
from fuzz.harness import Case, details, run_target, table


def test_mutated_lessons_freeze_to_strict_json_or_are_left_as_they_were() -> None:
    report = run_target(freeze, 150, seed=21, max_mb=1024)  # type: ignore[arg-type]
    assert report.tried == 150
    assert report.other == 0, f"{table([report])}\n{details(report)}"
    assert report.count("files") == 0
    assert report.kinds.get("accepted", 0) >= 30
    assert report.kinds.get("JupymuseError", 0) + report.kinds.get("CommandRefused", 0) >= 20


def test_cases_are_replayable() -> None:
    a, b = (freeze.make(random.Random("5:3")) for _ in range(2))
    assert isinstance(a, Case)
    assert (a.label, a.data, a.output) == (b.label, b.data, b.output)
