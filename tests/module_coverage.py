"""The fast tier's promise, checked on every run of it: the tests load every module of jupymuse.

When the suite runs as the README's fast tier (``python -m pytest -m "not slow"``: the default test
paths, no ``-k``, no ``-n``), each module under ``src/jupymuse`` must have run its code in the test process:
imported (directly, or by the modules a test uses) or run as a program (``runpy``, as
``python -m jupymuse`` does). A module that did not fails the run, named in the summary. Python's
audit hook sees each module body run (the ``exec`` event), so this costs nothing measurable.

Why not coverage of functions: any trace function (coverage.py's too) puts Python 3.11's interpreter
on its slow path, and the fast tier took 175-195 s instead of 112 s. Subprocesses (the CLI's,
conversion workers) do not count: a module that only a child process loads needs a test that loads
it here too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "jupymuse"
FAST_TIER = "not slow"
"""The ``-m`` expression of the fast tier, as the README writes it."""

_RAN = pytest.StashKey[set[str]]()
_MISSING = pytest.StashKey[list[str]]()


def module_name(path: Path) -> str:
    """``src/jupymuse/music/melody.py`` -> ``jupymuse.music.melody`` (a package is its ``__init__``)."""
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_fast_tier(config: pytest.Config) -> bool:
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and " ".join(str(config.option.markexpr).split()) == FAST_TIER
        and not config.option.keyword
        and not getattr(config.option, "numprocesses", None)  # under pytest-xdist no test runs here
    )


def pytest_configure(config: pytest.Config) -> None:
    """Start noting the files whose code runs (modules imported before now are in ``sys.modules``)."""
    if not _is_fast_tier(config):
        return
    ran: set[str] = set()
    config.stash[_RAN] = ran

    def note(event: str, args: tuple[Any, ...]) -> None:  # an audit hook stays for the process: cheap
        if event == "exec" and args and isinstance(args[0], CodeType):
            ran.add(args[0].co_filename)

    sys.addaudithook(note)


def unexercised(ran: set[str]) -> list[str]:
    """Modules of jupymuse whose code did not run here: neither imported nor run as a program."""
    return [
        module_name(path)
        for path in sorted(SOURCE.rglob("*.py"))
        if module_name(path) not in sys.modules and str(path) not in ran
    ]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Fail the run if a module of jupymuse did not run."""
    ran = session.config.stash.get(_RAN, None)
    if ran is None:
        return
    missing = unexercised(ran)
    session.config.stash[_MISSING] = missing
    if missing and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    missing = config.stash.get(_MISSING, None)
    if missing is None:
        return
    terminalreporter.section("fast tier: modules of jupymuse")
    if missing:
        terminalreporter.write_line(
            f"FAILED: {len(missing)} modules of jupymuse never ran in the fast tier (give each a fast test "
            f"that loads it in this process): {', '.join(missing)}",
            red=True,
        )
    else:
        terminalreporter.write_line("every module of jupymuse ran in the fast tier")
