"""The ``styles`` fuzz target at a small size (issue 21, cases 6-8): the shipped GRU (numpy engine) and a
Markov chain compose with random styles, weights, bars, endings and metres, or refuse with a ``JupymuseError``,
and leave the model as it was. On demand: ``python -m tests.fuzz styles --cases 2000``."""

from __future__ import annotations

from fuzz import styles
from fuzz.harness import assert_replayable, run_clean


def test_styles_bars_and_endings_compose_as_asked_or_are_refused() -> None:
    report = run_clean(styles, 150, seed=21, max_mb=1024)
    assert report.kinds.get("accepted", 0) >= 30
    assert report.kinds.get("ModelError", 0) >= 30


def test_cases_are_replayable() -> None:
    assert_replayable(styles, "5:3")
