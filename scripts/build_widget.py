"""Bundle the widget's TypeScript (js/) into src/jupymuse/static/widget.js: run by ``pip install``.

``hatch_build.py`` calls :func:`build` during every wheel or editable build. It needs node >= 20 and
npm only when building from source; without them it stops with one sentence saying so (not a
traceback). The tracked ``js/package-lock.json`` is never rewritten by the install (a registry mirror
that omits other platforms' optional packages would otherwise prune it).

    python scripts/build_widget.py        # the same by hand
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MAJOR = 20
"""The oldest Node.js the bundler (esbuild, TypeScript 5) is tested with."""


class BuildError(SystemExit):
    """The widget cannot be built: exits with one sentence (pip shows it as the build's error)."""


def _tool(name: str, env: dict[str, str]) -> str:
    found = shutil.which(name, path=env.get("PATH"))
    if found is None:
        raise BuildError(
            f"jupymuse: building from source needs Node.js >= {NODE_MAJOR} with npm to bundle the piano-roll "
            f"widget, and `{name}` is not on PATH: install Node.js (https://nodejs.org), or install a built "
            "wheel instead of the source tree."
        )
    return found


def _check_node(node: str, env: dict[str, str]) -> None:
    out = subprocess.run([node, "--version"], capture_output=True, text=True, env=env, check=False).stdout
    match = re.match(r"v(\d+)\.", out.strip())
    if match is None or int(match.group(1)) < NODE_MAJOR:
        raise BuildError(
            f"jupymuse: building from source needs Node.js >= {NODE_MAJOR} to bundle the widget, "
            f"found {out.strip() or 'no version'}: install a newer Node.js (https://nodejs.org)."
        )


def _run(args: list[str], js: Path, env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=js, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-15:]
        print("\n".join(tail), file=sys.stderr)
        raise BuildError(
            f"jupymuse: `{' '.join(args[1:])}` in js/ failed (exit {done.returncode}); its last lines are above."
        )


def build(root: Path = ROOT, env: dict[str, str] | None = None) -> Path:
    """Install js/'s packages (when package.json changed since) and bundle; the bundle's path.

    A tree without js/ (an sdist built before) keeps the bundle it carries.

    Raises:
        BuildError: no node/npm on PATH, node too old, or npm failed (one sentence each).
    """
    env = dict(os.environ if env is None else env)
    js, out = root / "js", root / "src" / "jupymuse" / "static" / "widget.js"
    if not (js / "package.json").exists():
        if out.exists():
            return out
        raise BuildError("jupymuse: this source tree has neither js/ nor a built widget: use a full checkout.")
    node, npm = _tool("node", env), _tool("npm", env)
    _check_node(node, env)
    lock = js / "package-lock.json"
    saved = lock.read_bytes() if lock.exists() else None
    installed = js / "node_modules" / ".package-lock.json"
    try:
        if not installed.exists() or installed.stat().st_mtime < (js / "package.json").stat().st_mtime:
            _run([npm, "install", "--no-audit", "--no-fund"], js, env)
        _run([npm, "run", "build"], js, env)
    finally:
        if saved is not None and lock.read_bytes() != saved:
            lock.write_bytes(saved)  # the tracked lockfile stays as committed
    return out


if __name__ == "__main__":
    print(build())
