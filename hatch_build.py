"""Hatch build hook: bundle the widget from js/ during ``pip install`` (see scripts/build_widget.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class WidgetHook(BuildHookInterface):  # type: ignore[misc]
    """Runs ``scripts/build_widget.py``'s ``build`` before the wheel (or editable wheel) is made."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        script = Path(self.root) / "scripts" / "build_widget.py"
        spec = importlib.util.spec_from_file_location("jupymuse_build_widget", script)
        if spec is None or spec.loader is None:
            raise SystemExit(f"jupymuse: {script} is missing: use a full checkout to build from source")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.build(Path(self.root))
