"""The ``models`` fuzz target at a small size: every mutated model file loads or raises ``JupymuseError``.

The on-demand run is ``python -m tests.fuzz models --cases 5000 --seed 0`` (see tests/fuzz/harness.py).
"""

from __future__ import annotations

import random

from fuzz import models
from fuzz.harness import Case, assert_replayable, run_clean, run_target, table


def test_mutated_model_files_load_or_raise_jupymuse_errors() -> None:
    report = run_clean(models, 60, seed=12, max_seconds=60, max_mb=1024)
    assert report.clean == 60
    assert report.kinds.get("accepted", 0) >= 3  # some mutations keep a usable file
    assert report.kinds.get("ModelFileError", 0) >= 30


def test_cases_are_replayable_from_seed_and_index() -> None:
    assert_replayable(models, "3:17")


def test_the_harness_counts_other_errors_with_their_traceback() -> None:
    class Broken:
        NAME = "broken"
        EXPECTED = (ValueError,)

        @staticmethod
        def make(rng: random.Random) -> Case:
            return Case("n", rng.randrange(3))

        @staticmethod
        def run(case: Case) -> None:
            if case.data == 1:
                raise ValueError("documented")
            if case.data == 2:
                raise KeyError("undocumented")

    report = run_target(Broken(), 30, seed=0, keep=2)
    assert report.tried == 30
    assert report.clean + report.other == 30
    assert report.other == sum(1 for i in range(30) if random.Random(f"0:{i}").randrange(3) == 2) > 0
    assert "KeyError" in report.others[0].problem
    assert "undocumented" in report.others[0].trace
    assert report.others[-1].trace == "" or report.other <= 2
    assert "broken" in table([report])
