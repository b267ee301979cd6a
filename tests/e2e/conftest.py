"""A real JupyterLab with a real kernel, driven by Playwright in Debian's Chromium (no downloads).

Fixtures: ``lab`` (the server, once per session), ``notebook`` (opens a notebook with given cells
and runs them), ``kernel`` (runs Python in that notebook's kernel and returns what it printed).
Any page error fails the test; a failing test leaves a screenshot in its tmp dir.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("JUPYMUSE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium), see .ci/run")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--autoplay-policy=no-user-gesture-required",
        ],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lab:
    def __init__(self, url: str, token: str, root: Path) -> None:
        self.url, self.token, self.root = url, token, root

    def page_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}"


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("lab")
    root, config, runtime, settings = (base / d for d in ("root", "config", "runtime", "settings"))
    for d in (root, config / "labconfig", runtime, settings):
        d.mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(runtime)}
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={settings}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    log = (base / "lab.log").open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start; see {base / 'lab.log'}") from None
            time.sleep(0.25)
    yield Lab(url, token, root)
    for _ in range(2):
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.3)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


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
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    yield errors
    assert not [e for e in errors if "favicon" not in e], errors


OPEN_AND_RUN = """
async (name) => {
  const app = window.jupyterapp;
  await app.restored;
  let panel = null;
  for (let i = 0; i < 600 && !panel; i++) {
    panel = [...app.shell.widgets('main')].find((w) => w.context?.path === name) ?? null;
    if (!panel) await new Promise((r) => setTimeout(r, 100));
  }
  window.__jmPanel = panel;
  app.shell.activateById(panel.id);
  await panel.context.ready;
  await panel.sessionContext.ready;
  for (let i = 0; i < 600 && panel.sessionContext.session?.kernel?.status !== 'idle'; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await app.commands.execute('notebook:run-all-cells');
  // wait until every cell has run (run-all returns when the requests are sent)
  const cells = () => [...panel.content.widgets];
  for (let i = 0; i < 1200; i++) {
    const done = cells().every((c) => c.model.type !== 'code' || c.model.executionCount !== null);
    if (done && panel.sessionContext.session?.kernel?.status === 'idle') break;
    await new Promise((r) => setTimeout(r, 100));
  }
}
"""

EXECUTE = """
async (code) => {
  const kernel = window.__jmPanel.sessionContext.session.kernel;
  const future = kernel.requestExecute({ code, silent: false, store_history: false });
  let out = '';
  let err = '';
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') out += msg.content.text;
    if (msg.header.msg_type === 'error') err += msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  return { out, err };
}
"""


@pytest.fixture
def notebook(lab: Lab, page: Any, page_errors: list[str], request: pytest.FixtureRequest) -> Callable[[list[str]], Any]:
    """Open a new notebook made of ``cells`` (code) in JupyterLab and run it; returns the page."""

    def open_notebook(cells: list[str]) -> Any:
        name = f"{request.node.name[:40]}.ipynb".replace("[", "_").replace("]", "_")
        nb = {
            "cells": [
                {"cell_type": "code", "metadata": {}, "source": src, "outputs": [], "execution_count": None}
                for src in cells
            ],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        (lab.root / name).write_text(json.dumps(nb))
        page.set_default_timeout(60_000)
        page.goto(lab.page_url(name).replace("?token=", "?reset&token="))
        page.wait_for_function("window.jupyterapp !== undefined")
        page.wait_for_selector(".jp-NotebookPanel")
        page.evaluate(OPEN_AND_RUN, name)
        return page

    return open_notebook


@pytest.fixture
def kernel(page: Any) -> Callable[[str], str]:
    """Run ``code`` in the open notebook's kernel and return what it printed (errors raise)."""

    def run(code: str) -> str:
        result = page.evaluate(EXECUTE, code)
        if result["err"]:
            raise AssertionError(f"kernel error: {result['err']}")
        return str(result["out"])

    return run
