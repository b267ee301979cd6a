"""Lesson notebooks run under nbval: print how long each lesson took (each must stay under 3 minutes)."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import pytest

_seconds: dict[str, float] = defaultdict(float)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    start = time.perf_counter()
    yield
    if str(item.fspath).endswith(".ipynb"):
        _seconds[item.fspath.basename] += time.perf_counter() - start


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _seconds:
        terminalreporter.section("lesson run times (limit 180 s each)")
        for name, seconds in sorted(_seconds.items()):
            terminalreporter.write_line(f"{name}: {seconds:.1f} s")
