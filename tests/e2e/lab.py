"""A JupyterLab server and the page scripts that drive it: shared by the browser tests and benchmarks."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("JUPYMUSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
]
TEST_HOOKS = "globalThis.__jupymuseTestHooks = true"
"""Run before any page script: the widget then installs its test hooks (js/src/testhooks.ts)."""


def enable_test_hooks(target: Any) -> None:
    """Ask the widget in every page of ``target`` (a Playwright page or browser context) for its test hooks."""
    target.add_init_script(TEST_HOOKS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lab:
    """A running JupyterLab or Notebook 7 server: its URL, token, notebook folder and front end."""

    def __init__(self, url: str, token: str, root: Path, app: str = "lab") -> None:
        self.url, self.token, self.root, self.app = url, token, root, app

    def page_url(self, name: str) -> str:
        """The URL that opens notebook ``name`` alone (a fresh workspace in JupyterLab)."""
        if self.app == "notebook":
            return f"{self.url}/notebooks/{name}?token={self.token}"
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"

    def write_notebook(self, name: str, cells: list[str]) -> None:
        nb = {
            "cells": [
                {"cell_type": "code", "metadata": {}, "source": src, "outputs": [], "execution_count": None}
                for src in cells
            ],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        (self.root / name).write_text(json.dumps(nb))


@contextlib.contextmanager
def running_lab(base: Path, app: str = "lab") -> Iterator[Lab]:
    """Start JupyterLab (``app="lab"``) or Notebook 7 (``"notebook"``) offline in ``base``; stop it after."""
    root, config, runtime, settings = (base / d for d in ("root", "config", "runtime", "settings"))
    for d in (root, config / "labconfig", runtime, settings):
        d.mkdir(parents=True, exist_ok=True)
    # save widget state with the notebook, as a user who wants drawings to survive would set it
    manager = settings / "@jupyter-widgets" / "jupyterlab-manager"
    manager.mkdir(parents=True, exist_ok=True)
    (manager / "plugin.jupyterlab-settings").write_text(json.dumps({"saveState": True}))
    if app == "lab":  # the news toast would cover widgets (Notebook 7 fails on this setting: not needed there)
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
        )
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(runtime)}
    if app == "notebook":
        cmd = [
            sys.executable, "-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
            "--JupyterNotebookApp.expose_app_in_browser=True",
        ]  # fmt: skip
    else:
        cmd = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={settings}", "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly",
        ]  # fmt: skip
    log = (base / "lab.log").open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {base / 'lab.log'}") from None
                time.sleep(0.25)
        yield Lab(url, token, root, app)
    finally:
        for _ in range(2):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.3)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def open_notebook(page: Any, lab: Lab, name: str, cells: list[str]) -> None:
    """Write notebook ``name`` with ``cells``, open it in ``page`` and run every cell to the end."""
    lab.write_notebook(name, cells)
    page.goto(lab.page_url(name))
    page.wait_for_function("window.jupyterapp !== undefined")
    page.wait_for_selector(".jp-NotebookPanel")
    page.evaluate(OPEN_AND_RUN, name)


def execute(page: Any, code: str) -> str:
    """Run ``code`` in the open notebook's kernel; what it printed (a kernel error raises)."""
    result = page.evaluate(EXECUTE, code)
    if result["err"]:
        raise AssertionError(f"kernel error: {result['err']}")
    return str(result["out"])


FIND_PANEL = """
  const app = window.jupyterapp;
  await app.restored;
  let panel = null;
  for (let i = 0; i < 600 && !panel; i++) {
    panel = [...app.shell.widgets('main')].find((w) => w.context?.path === name) ?? null;
    if (!panel) await new Promise((r) => setTimeout(r, 100));
  }
  window.__jmPanel = panel;
"""
"""The body that finds notebook ``name``'s panel (``app``, ``panel``; also ``window.__jmPanel``)."""

OPEN = f"""
async (name) => {{
{FIND_PANEL}
  await panel.context.ready;
  await panel.revealed;
}}
"""
"""Wait until notebook ``name`` is open and shown (nothing runs)."""

OPEN_AND_RUN = (
    """
async (name) => {
"""
    + FIND_PANEL
    + """
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
)

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
