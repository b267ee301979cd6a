"""Building from source (scripts/build_widget.py, run by pip through hatch_build.py): one clear sentence
when Node.js is missing or too old, never a traceback; the bundle comes from js/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import script

ROOT = Path(__file__).resolve().parent.parent


def test_no_node_on_path_is_one_sentence(tmp_path: Path) -> None:
    builder = script("build_widget")
    with pytest.raises(SystemExit) as exc:
        builder.build(ROOT, env={"PATH": str(tmp_path)})
    message = str(exc.value)
    assert message.startswith("jupymuse: building from source needs Node.js >= 20 with npm")
    assert "\n" not in message


def test_an_old_node_is_named(tmp_path: Path) -> None:
    for name, text in (("node", "v18.19.0"), ("npm", "10.0.0")):
        tool = tmp_path / name
        tool.write_text(f"#!/bin/sh\necho {text}\n")
        tool.chmod(0o755)
    with pytest.raises(SystemExit, match=r"needs Node.js >= 20 to bundle the widget, found v18.19.0"):
        script("build_widget").build(ROOT, env={"PATH": str(tmp_path)})


def test_a_script_run_by_hand_builds_the_bundle_and_keeps_the_lockfile() -> None:
    lock = ROOT / "js" / "package-lock.json"
    before = lock.read_bytes()
    out = subprocess.run([sys.executable, "scripts/build_widget.py"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    bundle = Path(out.stdout.strip())
    assert bundle == ROOT / "src" / "jupymuse" / "static" / "widget.js"
    assert bundle.stat().st_size > 100_000
    assert lock.read_bytes() == before
    assert os.access(bundle, os.R_OK)


def test_the_build_writes_the_notebook_extension_jupyterlab_finds(tmp_path: Path) -> None:
    from jupyterlab_server.config import get_federated_extensions

    script("build_widget").build(ROOT)
    built = ROOT / "src" / "jupymuse" / "static" / "labextension"
    shutil.copytree(built, tmp_path / "jupymuse")  # where the wheel's shared-data puts it
    found = get_federated_extensions([str(tmp_path)])
    assert list(found) == ["jupymuse"]
    build = found["jupymuse"]["jupyterlab"]["_build"]
    assert build["extension"] == "./extension"
    entry = (built / build["load"]).read_text()
    assert "_JUPYTERLAB" in entry
    assert "@jupyterlab/notebook" in entry
    assert len(list((built / "static").iterdir())) == 1  # a rebuild leaves no stale entry beside it
