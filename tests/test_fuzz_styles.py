"""The ``styles`` fuzz target at a small size (issue 21, cases 6-8): the shipped GRU (numpy engine) and a
Markov chain compose with random styles, weights, bars, endings and metres, or refuse with a ``JupymuseError``,
and leave the model as it was. On demand: ``python -m tests.fuzz styles --cases 2000``."""

from __future__ import annotations

import random

from fuzz import styles
from fuzz.harness import Case, details, run_target, table


def test_styles_bars_and_endings_compose_as_asked_or_are_refused() -> None:
    report = run_target(styles, 150, seed=21, max_mb=1024)  # type: ignore[arg-type]
    assert report.tried == 150
    assert report.other == 0, f"{table([report])}\n{details(report)}"
    assert report.kinds.get("accepted", 0) >= 30
    assert report.kinds.get("ModelError", 0) >= 30


def test_cases_are_replayable() -> None:
    a, b = (styles.make(random.Random("5:3")) for _ in range(2))
    assert isinstance(a, Case)
    assert (a.label, repr(a.data)) == (b.label, repr(b.data))
