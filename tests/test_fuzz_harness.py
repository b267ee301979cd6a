"""The fuzz runner's own promises (issue 21): hangs past the limit and output files that lost their mode,
owner or link are counted, each in its column, and a writer that keeps them (``jupymuse.files``) is clean."""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

import pytest

from fuzz import _outputs
from fuzz.harness import MAX_SECONDS, WALL_FACTOR, Case, run_target, table
from jupymuse.errors import OutputError
from jupymuse.files import write_file


class Writer:
    """A target whose cases write bytes to a random output, with ``write``."""

    NAME = "writer"
    EXPECTED = (OutputError,)

    def __init__(self, write: object) -> None:
        self.write = write

    @staticmethod
    def make(rng: random.Random) -> Case:
        return Case("write", rng.randbytes(8), _outputs.draw(rng, ".mid"))

    def run(self, case: Case) -> None:
        self.write(case.output_path(), case.data)  # type: ignore[operator]


def careless(path: Path, data: bytes) -> None:
    """What ``write_file`` did before issue 21: a temporary file with a new file's mode replaces the path."""
    fd, tmp = tempfile.mkstemp(dir=path.parent)
    os.write(fd, data)
    os.close(fd)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def test_a_writer_that_keeps_mode_owner_and_link_is_clean() -> None:
    report = run_target(Writer(write_file), 60, seed=1)  # type: ignore[arg-type]
    assert report.other == 0, [o.problem for o in report.others]
    assert report.kinds.get("OutputError", 0) >= 5  # read-only files refused (and, for a user, read-only folders)
    assert report.kinds.get("accepted", 0) >= 20


def test_a_writer_that_resets_modes_and_replaces_links_is_counted() -> None:
    report = run_target(Writer(careless), 60, seed=1)  # type: ignore[arg-type]
    problems = " ".join(o.problem for o in report.others)
    assert report.count("files") >= 20
    assert report.count("files") + report.count("raised") == report.other  # raised: a read-only folder, for a user
    for what in ("became a plain file", "mode 600 became 644", "a read-only file was rewritten"):
        assert what in problems
    assert "files" in table([report]).splitlines()[0]


def test_outputs_are_made_fresh_and_removed() -> None:
    seen: list[Path] = []

    def remember(path: Path, data: bytes) -> None:
        seen.append(path)
        assert path.parent.is_dir()

    run_target(Writer(remember), 10, seed=2)  # type: ignore[arg-type]
    assert len({p.parent for p in seen}) == 10  # a fresh folder each time
    assert not any(p.parent.exists() for p in seen)  # and removed afterwards, read-only ones too


@pytest.mark.slow
def test_a_case_past_the_time_limit_is_a_hang() -> None:
    class Slow:
        NAME = "slow"
        EXPECTED = ()

        @staticmethod
        def make(rng: random.Random) -> Case:
            return Case("slow", rng.choice(["quick", "busy", "blocked"]))

        @staticmethod
        def run(case: Case) -> None:
            if case.data == "busy":  # CPU time: stopped at the limit
                while True:
                    pass
            if case.data == "blocked":  # no CPU time: stopped at WALL_FACTOR times the limit
                time.sleep(60)

    report = run_target(Slow(), 6, seed=0, max_seconds=0.2)  # type: ignore[arg-type]
    drawn = [Slow.make(random.Random(f"0:{i}")).data for i in range(6)]
    assert report.count("hang") == sum(d != "quick" for d in drawn) > 0
    assert report.seconds < 0.2 * drawn.count("busy") * 2 + 0.2 * WALL_FACTOR * drawn.count("blocked") + 2
    assert MAX_SECONDS == 10.0
