"""A seeded, bounded fuzz runner: a target makes inputs, the runner feeds them and sorts the outcomes.

A **target** is a module (see ``models.py``) with:

* ``NAME: str``: its name on the command line (``python -m tests.fuzz NAME``) and in the table;
* ``EXPECTED: tuple[type[BaseException], ...]``: the documented errors (``JupymuseError``, ...);
* ``make(rng: random.Random) -> Case``: one input, drawn from ``rng`` alone;
* ``run(case: Case) -> None``: feed it to jupymuse (and use what comes back).

Case ``i`` of seed ``s`` is made from ``random.Random(f"{s}:{i}")``, so any case can be replayed on
its own (``--first i --cases 1``). A case is **clean** when ``run`` returns or raises one of
``EXPECTED``; anything else is **other**: a raw exception (**raised**), a case that runs past
``max_seconds`` of CPU time (a **hang**; 10 s by default, the acceptance of issue 21; a case blocked
without using the CPU is stopped after ``WALL_FACTOR`` times as long), one that raises the
process's peak memory by more than ``max_mb``, or one whose output file broke the rules of
``jupymuse.files`` (**files**). A case that writes a file declares it (``Case.output``, see
``_outputs.py``): the runner makes it in a fresh folder, hands ``run`` its path (``Case.path``) and
checks it afterwards (mode, owner, link kept; a read-only file refused and unchanged; nothing changed
by a call that failed). The first few others keep their tracebacks.
"""

from __future__ import annotations

import random
import re
import resource
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from . import _outputs
from ._outputs import Output

MAX_SECONDS = 10.0
"""The default time limit of one case, in CPU seconds of the process (issue 21: no case may run past
10 s; CPU time, as the issue measured, so that other work on a shared machine does not make hangs)."""
WALL_FACTOR = 6
"""A case blocked without using the CPU (a FIFO read, a lock) is stopped after this many times the limit."""


@dataclass
class Case:
    """One fuzz input: what was done to make it (for the report) and the input itself."""

    label: str
    data: Any
    output: Output | None = None
    """A file the case writes over (see ``_outputs.py``), or None."""
    path: Path | None = None
    """Where ``output`` is: set by the runner before ``run``."""

    def output_path(self) -> Path:
        """The path ``run`` writes ``output`` to (made by the runner)."""
        if self.path is None:
            raise RuntimeError("this case writes a file: run it with run_target, which makes the file first")
        return self.path


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
    kind: str = "raised"
    """``"raised"`` (an undocumented exception), ``"hang"``, ``"memory"`` or ``"files"``."""


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

    def count(self, kind: str) -> int:
        """How many cases were not clean for this reason (see ``Other.kind``)."""
        return sum(1 for o in self.others if o.kind == kind)


class CaseTimeout(BaseException):
    """Raised into a case that ran past its time limit (a BaseException: targets must not catch it)."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt Python code after ``seconds`` of the process's CPU time, or ``WALL_FACTOR`` times as many
    seconds of wall time (a case blocked without using the CPU); main thread only, and long C calls end
    first (the runner then counts the case as a hang by its CPU time)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout

    old = {sig: signal.signal(sig, expire) for sig in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_target(
    target: Target,
    cases: int,
    *,
    seed: int = 0,
    first: int = 0,
    max_seconds: float | None = MAX_SECONDS,
    max_mb: float | None = 2048.0,
    keep: int = 5,
    progress: Callable[[int, Report], None] | None = None,
) -> Report:
    """Run cases ``first .. first + cases - 1`` of ``target`` with ``seed``; see the module docstring."""
    report = Report(target.NAME)
    t0 = time.perf_counter()
    for i in range(first, first + cases):
        case = target.make(random.Random(f"{seed}:{i}"))
        kind, problem, trace, took = _run_case(target, case, max_seconds, max_mb)
        report.tried += 1
        if problem:
            label = case.label if case.output is None else f"{case.label}; output: {case.output}"
            took_text = f" [{took:.1f} s]"
            other = Other(i, label, problem + took_text, trace if report.other < keep else "", kind)
            report.others.append(other)
        else:
            report.clean += 1
            report.kinds[kind] = report.kinds.get(kind, 0) + 1
        if progress is not None:
            progress(i, report)
    report.seconds = time.perf_counter() - t0
    return report


def _run_case(
    target: Target, case: Case, max_seconds: float | None, max_mb: float | None
) -> tuple[str, str, str, float]:
    """Run one case: (kind, problem, trace, seconds); ``problem`` is empty for a clean case, and
    ``kind`` is then the outcome (``"accepted"`` or the error's name), else the ``Other.kind``."""
    root = Path(tempfile.mkdtemp(prefix="jupymuse-fuzz-out-")) if case.output is not None else None
    try:
        made = None
        if root is not None and case.output is not None:
            made = _outputs.make(case.output, root)
            case.path = made.path
        kind, problem, trace, raised = "accepted", "", "", None
        before, start, cpu = _peak_mb(), time.perf_counter(), time.process_time()
        try:
            with _time_limit(max_seconds):
                target.run(case)
        except target.EXPECTED as exc:
            kind, raised = type(exc).__name__, exc
        except CaseTimeout as exc:
            kind, problem, raised = "hang", f"ran past the limit of {max_seconds} s", exc
        except Exception as exc:  # the point: anything undocumented is recorded, not raised
            kind, problem, raised = "raised", f"{type(exc).__name__}: {str(exc)[:300]}", exc
            trace = traceback.format_exc(limit=-12)
        took, cpu, grew = time.perf_counter() - start, time.process_time() - cpu, _peak_mb() - before
        if not problem and max_seconds is not None and cpu > max_seconds:  # a C call the alarm could not stop
            kind, problem = "hang", f"ran past the limit of {max_seconds} s ({cpu:.1f} CPU-s)"
        if not problem and max_mb is not None and grew > max_mb:
            kind, problem = "memory", f"raised peak memory by {grew:,.0f} MB (limit {max_mb:,.0f} MB)"
        if made is not None and not isinstance(raised, CaseTimeout):
            changed = _outputs.check(made, raised)
            if changed:
                outcome = "accepted" if raised is None else type(raised).__name__
                also = f"; {problem}" if problem else ""
                kind, problem = "files", f"output ({outcome}): {'; '.join(changed)}{also}"
        return kind, problem, trace, took
    finally:
        case.path = None
        if root is not None:
            _outputs.clean_up(root)


def table(reports: list[Report]) -> str:
    """The summary table: cases tried, clean and other, and of the others: raw exceptions (``raised``),
    hangs past the time limit, and outputs whose mode, owner, link or bytes broke the rules (``files``)."""
    rows = [("target", "tried", "clean", "other", "raised", "hangs", "files", "seconds")]
    rows += [
        (r.name, str(r.tried), str(r.clean), str(r.other), str(r.count("raised")), str(r.count("hang")),
         str(r.count("files")), f"{r.seconds:.1f}")
        for r in reports
    ]  # fmt: skip
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]

    def line(row: tuple[str, ...]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(cell.ljust(w) if c == 0 else cell.rjust(w) for c, (cell, w) in enumerate(cells))

    return "\n".join(line(row) for row in rows)


def details(report: Report, keep: int = 5) -> str:
    """The kinds of clean outcome, the other cases grouped by problem (how many, which cases), and the
    first ``keep`` other cases with their tracebacks."""
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.kinds.items(), key=lambda kv: -kv[1]))
    lines = [f"{report.name}: clean outcomes: {kinds or 'none'}"]
    groups: dict[str, list[int]] = {}
    for o in report.others:
        groups.setdefault(_problem_kind(o.problem), []).append(o.index)
    for problem, cases in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {len(cases)} x {problem}: cases {cases[:12]}{' ...' if len(cases) > 12 else ''}")
    for o in report.others[:keep]:
        lines += [f"  case {o.index} ({o.label}): {o.problem}", *("    " + t for t in o.trace.splitlines())]
    if report.other > keep:
        lines.append(f"  ... and {report.other - keep} more: cases {[o.index for o in report.others[keep:]][:50]}")
    return "\n".join(lines)


def _problem_kind(problem: str) -> str:
    """A problem without its figures (for grouping): ``"AssertionError: music21 reads note # back..."``."""
    text = re.sub(r"\[[0-9.]+ s\]$", "", problem)
    return re.sub(r"\d+", "#", text)[:90].strip()


def run_clean(target: Any, cases: int, **options: Any) -> Report:
    """Run ``cases`` of ``target`` (a target module or object) and assert that every one was clean: no raw
    exception, hang or broken output, with the table and the first tracebacks as the message. Returns the
    report for the target's own checks (which outcomes it expects at least how often)."""
    report = run_target(target, cases, **options)
    assert report.tried == cases
    assert report.other == 0, f"{table([report])}\n{details(report)}"
    return report


def assert_replayable(target: Any, key: str = "5:3") -> None:
    """Case ``key`` (``"seed:index"``) made twice from its own stream is the same case."""
    a, b = (target.make(random.Random(key)) for _ in range(2))
    assert isinstance(a, Case)
    assert (a.label, repr(a.data), a.output) == (b.label, repr(b.data), b.output)
