"""A seeded, bounded fuzz runner: a target makes inputs, the runner feeds them and sorts the outcomes.

A **target** is a module (see ``models.py``) with:

* ``NAME: str``: its name on the command line (``python -m tests.fuzz NAME``) and in the table;
* ``EXPECTED: tuple[type[BaseException], ...]``: the documented errors (``JupymuseError``, ...);
* ``make(rng: random.Random) -> Case``: one input, drawn from ``rng`` alone;
* ``run(case: Case) -> None``: feed it to jupymuse (and use what comes back).

Case ``i`` of seed ``s`` is made from ``random.Random(f"{s}:{i}")``, so any case can be replayed on
its own (``--first i --cases 1``). A case is **clean** when ``run`` returns or raises one of
``EXPECTED``; anything else is **other**, and so is a case that runs past ``max_seconds`` or raises
the process's peak memory by more than ``max_mb``. The first few others keep their tracebacks.
"""

from __future__ import annotations

import random
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class Case:
    """One fuzz input: what was done to make it (for the report) and the input itself."""

    label: str
    data: Any


class Target(Protocol):
    """What a fuzz target module provides (see the module docstring)."""

    NAME: str
    EXPECTED: tuple[type[BaseException], ...]

    def make(self, rng: random.Random) -> Case: ...

    def run(self, case: Case) -> None: ...


@dataclass
class Other:
    """A case that did not end cleanly."""

    index: int
    label: str
    problem: str
    trace: str = ""


@dataclass
class Report:
    """The outcome of one target's run."""

    name: str
    tried: int = 0
    clean: int = 0
    others: list[Other] = field(default_factory=list)
    seconds: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)
    """Clean outcomes by kind: ``"accepted"`` or the error class's name."""

    @property
    def other(self) -> int:
        """How many cases were not clean."""
        return len(self.others)


class CaseTimeout(BaseException):
    """Raised into a case that ran past its time limit (a BaseException: targets must not catch it)."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt Python code after ``seconds`` (main thread only; long C calls end first)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_target(
    target: Target,
    cases: int,
    *,
    seed: int = 0,
    first: int = 0,
    max_seconds: float | None = 60.0,
    max_mb: float | None = 2048.0,
    keep: int = 5,
    progress: Callable[[int, Report], None] | None = None,
) -> Report:
    """Run cases ``first .. first + cases - 1`` of ``target`` with ``seed``; see the module docstring."""
    report = Report(target.NAME)
    t0 = time.perf_counter()
    for i in range(first, first + cases):
        case = target.make(random.Random(f"{seed}:{i}"))
        problem, trace = "", ""
        before, start = _peak_mb(), time.perf_counter()
        try:
            with _time_limit(max_seconds):
                target.run(case)
            kind = "accepted"
        except target.EXPECTED as exc:
            kind = type(exc).__name__
        except CaseTimeout:
            problem = f"ran past the limit of {max_seconds} s"
        except Exception as exc:  # the point: anything undocumented is recorded, not raised
            problem = f"{type(exc).__name__}: {str(exc)[:300]}"
            trace = traceback.format_exc(limit=-12)
        took, grew = time.perf_counter() - start, _peak_mb() - before
        if not problem and max_mb is not None and grew > max_mb:
            problem = f"raised peak memory by {grew:,.0f} MB (limit {max_mb:,.0f} MB)"
        report.tried += 1
        if problem:
            if len(report.others) < keep:
                report.others.append(Other(i, case.label, f"{problem} [{took:.1f} s]", trace))
            else:
                report.others.append(Other(i, case.label, problem))
        else:
            report.clean += 1
            report.kinds[kind] = report.kinds.get(kind, 0) + 1
        if progress is not None:
            progress(i, report)
    report.seconds = time.perf_counter() - t0
    return report


def table(reports: list[Report]) -> str:
    """The summary table: ``target tried clean other seconds``."""
    rows = [("target", "tried", "clean", "other", "seconds")]
    rows += [(r.name, str(r.tried), str(r.clean), str(r.other), f"{r.seconds:.1f}") for r in reports]
    widths = [max(len(row[c]) for row in rows) for c in range(5)]

    def line(row: tuple[str, ...]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(cell.ljust(w) if c == 0 else cell.rjust(w) for c, (cell, w) in enumerate(cells))

    return "\n".join(line(row) for row in rows)


def details(report: Report, keep: int = 5) -> str:
    """The kinds of clean outcome, and the first ``keep`` other cases with their tracebacks."""
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.kinds.items(), key=lambda kv: -kv[1]))
    lines = [f"{report.name}: clean outcomes: {kinds or 'none'}"]
    for o in report.others[:keep]:
        lines += [f"  case {o.index} ({o.label}): {o.problem}", *("    " + t for t in o.trace.splitlines())]
    if report.other > keep:
        lines.append(f"  ... and {report.other - keep} more: cases {[o.index for o in report.others[keep:]][:50]}")
    return "\n".join(lines)
