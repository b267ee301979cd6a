"""The fast tier's module check (``module_coverage.py``) names a module whose code never ran here."""

from __future__ import annotations

import sys

import pytest

import jupymuse.freeze
from module_coverage import SOURCE, module_name, unexercised


def test_a_module_counts_once_imported_or_run_and_is_named_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    path = SOURCE / "freeze.py"
    assert module_name(path) == "jupymuse.freeze" == jupymuse.freeze.__name__
    assert module_name(SOURCE / "music" / "__init__.py") == "jupymuse.music"
    assert "jupymuse.freeze" not in unexercised(set())
    monkeypatch.delitem(sys.modules, "jupymuse.freeze")
    assert "jupymuse.freeze" in unexercised(set())
    assert "jupymuse.freeze" not in unexercised({str(path)})  # run as a program: its code ran here
