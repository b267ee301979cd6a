"""``python -m jupymuse`` is the command line: the entry module runs ``jupymuse.cli.main`` with the
program's arguments and exits with its status (run here in this process, where the fast tier's
module check sees it; ``test_cli.py`` runs it as a program)."""

from __future__ import annotations

import runpy
import sys

import pytest


def test_python_dash_m_jupymuse_runs_the_command_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["jupymuse", "--help"])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("jupymuse", run_name="__main__")
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("usage: jupymuse")
