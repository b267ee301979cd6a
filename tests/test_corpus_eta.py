"""Issue 21, case 13: a cold conversion's time left is true from its first second (it counted files,
and the first file waited for music21 to load: 1:20:19 for a 40-second job)."""

from __future__ import annotations

import re

import pytest

from jupymuse.corpus import convert
from jupymuse.corpus.eta import PRIOR_BYTES_PER_S, WORKER_START_S, ConversionEta, cpu_share


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_first_estimate_is_the_prior_with_the_start_up() -> None:
    clock = Clock()
    sizes = [60_000] * 40  # 40 files of 60 kB of ABC
    eta = ConversionEta(sizes, [".abc"] * 40, workers=2, clock=clock, share=1.0)
    work = sum(sizes) / PRIOR_BYTES_PER_S[".abc"] / 2
    assert eta.seconds_left() == pytest.approx(WORKER_START_S + work)
    clock.now += 1.0  # a second in: one second of the start-up is gone, nothing is done
    assert eta.seconds_left() == pytest.approx(WORKER_START_S - 1.0 + work)


def test_a_slow_first_file_is_not_taken_for_the_rate() -> None:
    """The first file finishes late (start-up): the estimate stays near the prior, not 40x it."""
    clock = Clock()
    eta = ConversionEta([1000] * 400, [".mxl"] * 400, workers=2, clock=clock, share=1.0)
    before = eta.seconds_left()
    clock.now += 12.0
    eta.finished(1000)
    assert eta.seconds_left() < 2 * before


def test_the_measured_rate_takes_over() -> None:
    clock = Clock()
    eta = ConversionEta([10_000] * 100, [".abc"] * 100, workers=2, clock=clock, share=1.0)
    clock.now += 3.0
    eta.finished(10_000)
    for _ in range(50):  # then 10 kB every 0.2 s: 50 kB/s measured, far below the prior
        clock.now += 0.2
        eta.finished(10_000)
    assert eta.seconds_left() == pytest.approx(49 * 10_000 / 50_000, rel=0.01)
    assert eta.text() == "about 0:10 left"


def test_hours_show_only_when_there_are_some() -> None:
    eta = ConversionEta([int(PRIOR_BYTES_PER_S[".abc"] * 7200)], [".abc"], workers=1, clock=Clock(), share=1.0)
    assert re.fullmatch(r"about 2:00:0\d left", eta.text())


def test_a_busy_machine_slows_the_prior() -> None:
    """Other work on the cores (the load average) leaves the workers less: the prior says so."""
    quiet = ConversionEta([60_000] * 4, [".abc"] * 4, workers=2, clock=Clock(), share=1.0)
    busy = ConversionEta([60_000] * 4, [".abc"] * 4, workers=2, clock=Clock(), share=0.4)
    assert busy.seconds_left() == pytest.approx(quiet.seconds_left() / 0.4)
    assert 0 < cpu_share() <= 1


def test_the_bar_shows_files_and_time_left(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    """The bar the student sees (in this process: fewer than 4 files)."""
    from jupymuse.corpus.builtin import BUILTINS, select_sources

    paths = select_sources(BUILTINS["bach-chorales"], "bwv101")
    got: list[object] = []
    convert.convert_files("bach-chorales", paths, True, lambda p, o: got.append(o))
    err = capsys.readouterr().err
    assert "converting bach-chorales (once)" in err
    assert re.search(r"1/1 files \[\d\d:\d\d, about 0:\d\d left\]", err)
    assert len(got) == 1
