"""Run the lessons and save them so they open without a widget error anywhere (issue 11).

A saved widget output names a model that only a running kernel (or saved widget state) has; without
it JupyterLab and Notebook 7 show "Error displaying widget: model not found". Saving widget state is
no fix for jupymuse: it would commit the widget's built JavaScript. So each lesson is executed as
nbval runs it (a fresh kernel in ``notebooks/``), and every output that carries a static picture of
the roll (``PianoRoll``/``Studio`` add one) keeps the picture and loses its widget view; volatile
execution metadata (timestamps, widget state) is dropped. Running the notebook shows the live widget.

    python scripts/save_lessons.py                    # every lesson in notebooks/
    python scripts/save_lessons.py 00_quickstart      # only these (names with or without .ipynb)
    python scripts/save_lessons.py --check            # list saved widget outputs without a picture
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from jupymuse.freeze import freeze, unpictured

LESSONS = Path(__file__).resolve().parent.parent / "notebooks"


def strip_widget_views(nb: Any) -> int:
    """``jupymuse.freeze.freeze`` (pictures stay, widget views and widget state go), and nbclient's
    execution timestamps (noise in every diff); how many widget views were dropped."""
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    return freeze(nb)


def execute(nb: Any, folder: Path, *, timeout: int = 600) -> None:
    """Run ``nb`` in a fresh python3 kernel whose working directory is ``folder`` (as nbval does)."""
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()


def save_lesson(path: Path, *, timeout: int = 600) -> int:
    """Execute the notebook at ``path``, strip it and write it back; how many widget views were dropped."""
    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    execute(nb, path.parent, timeout=timeout)
    dropped = strip_widget_views(nb)
    nbformat.write(nb, path)  # type: ignore[no-untyped-call]
    return dropped


def _paths(folder: Path, names: list[str]) -> list[Path]:
    if not names:
        return sorted(folder.glob("*.ipynb"))
    paths = [folder / (n if n.endswith(".ipynb") else f"{n}.ipynb") for n in names]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"no such lesson: {', '.join(missing)}")
    return paths


def main(argv: list[str] | None = None) -> int:
    """Save the lessons named on the command line (all by default), or only check them with ``--check``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="lessons to save (default: all)")
    parser.add_argument("--dir", type=Path, default=LESSONS, help="folder of the lessons (default: notebooks/)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds a cell may run")
    parser.add_argument("--check", action="store_true", help="only list widget outputs saved without a picture")
    args = parser.parse_args(argv)
    bad = 0
    for path in _paths(args.dir, args.names):
        if args.check:
            cells = unpictured(nbformat.read(path, as_version=4))  # type: ignore[no-untyped-call]
            bad += len(cells)
            print(f"{path.name}: {'widget outputs without a picture in cells ' + str(cells) if cells else 'ok'}")
            continue
        start = time.perf_counter()
        dropped = save_lesson(path, timeout=args.timeout)
        print(f"{path.name}: saved in {time.perf_counter() - start:.1f} s, {dropped} widget view(s) replaced")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
