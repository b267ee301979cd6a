"""Fixtures for the browser tests: a real JupyterLab and kernel, driven by Playwright in Debian's Chromium.

``lab`` (the server, once per session), ``context`` (pytest-playwright's, with the widget's test
hooks switched on for every page), ``notebook`` (opens a notebook with given cells and runs
them), ``kernel`` (runs Python in that notebook's kernel and returns what it printed). Any page
error fails the test; a failing test leaves a screenshot in its tmp dir. See ``lab.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .lab import CHROMIUM, CHROMIUM_ARGS, Lab, enable_test_hooks, execute, open_notebook, running_lab


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium), see .ci/run")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def context(context: Any) -> Any:
    """pytest-playwright's browser context; its pages ask the widget for its test hooks before loading."""
    enable_test_hooks(context)
    return context


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="session")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A Notebook 7 server (the same widgets must work there)."""
    with running_lab(tmp_path_factory.mktemp("nb7"), app="notebook") as server:
        yield server


@pytest.fixture(params=["lab", "notebook7"])
def frontend(request: pytest.FixtureRequest) -> Lab:
    """Each front end in turn: JupyterLab 4 and Notebook 7."""
    return request.getfixturevalue("lab" if request.param == "lab" else "notebook7")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
        tmp = item.funcargs.get("tmp_path") if hasattr(item, "funcargs") else None
        if page is not None and tmp is not None:
            shot = Path(tmp) / "failure.png"
            page.screenshot(path=str(shot), full_page=True)
            report.sections.append(("screenshot", str(shot)))


@pytest.fixture
def page_errors(page: Any) -> Iterator[list[str]]:
    """Errors the page reports (uncaught exceptions and console errors); the test fails on any."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} at {exc.stack}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    yield errors
    assert not [e for e in errors if "favicon" not in e and not _known_frontend_bug(e)], errors


def _known_frontend_bug(error: str) -> bool:
    """Notebook 7.6's own shortcuts plugin throws on start-up here, with any notebook (even ``1+1``)."""
    return "reading 'schema'" in error and "/static/notebook/notebook_core." in error


def _opener(server: Lab, page: Any, request: pytest.FixtureRequest) -> Callable[[list[str]], Any]:
    def open_it(cells: list[str]) -> Any:
        name = f"{request.node.name[:40]}.ipynb".replace("[", "_").replace("]", "_")
        page.set_default_timeout(60_000)
        open_notebook(page, server, name, cells)
        return page

    return open_it


@pytest.fixture
def notebook(lab: Lab, page: Any, page_errors: list[str], request: pytest.FixtureRequest) -> Callable[[list[str]], Any]:
    """Open a new notebook made of ``cells`` (code) in JupyterLab and run it; returns the page."""
    return _opener(lab, page, request)


@pytest.fixture
def any_notebook(
    frontend: Lab, page: Any, page_errors: list[str], request: pytest.FixtureRequest
) -> Callable[[list[str]], Any]:
    """Like ``notebook``, once in JupyterLab 4 and once in Notebook 7."""
    return _opener(frontend, page, request)


@pytest.fixture
def kernel(page: Any) -> Callable[[str], str]:
    """Run ``code`` in the open notebook's kernel and return what it printed (errors raise)."""
    return lambda code: execute(page, code)
