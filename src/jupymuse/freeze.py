"""Freeze a saved notebook: keep the pictures of its rolls, drop their live widget views.

A widget output names a widget model that only a running kernel (or saved widget state) has; once
the kernel is gone JupyterLab and Notebook 7 show "Error displaying widget: model not found" in its
place, whatever else the output holds. Every ``PianoRoll`` and ``Studio`` output also carries a
picture of the roll (SVG and PNG), so freezing drops the widget view wherever a picture stands
beside it: the notebook then shows the picture in JupyterLab, Notebook 7, nbconvert and GitHub, and
running the cell again brings the live widget back. Saved widget state is dropped too (it would hold
the widget's whole JavaScript bundle). The notebook is read and written as plain JSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import JupymuseError
from .files import write_file

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PICTURES = ("image/png", "image/svg+xml")


def _outputs(nb: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(cell index, output) for every output of every code cell."""
    cells = nb.get("cells", [])
    return [
        (i, out) for i, cell in enumerate(cells) if cell.get("cell_type") == "code" for out in cell.get("outputs", [])
    ]


def freeze(nb: dict[str, Any]) -> int:
    """Drop the widget view of every output that also holds a picture, and saved widget state (in place).

    Returns how many widget views were dropped; an output without a picture keeps its view (see
    :func:`unpictured`).
    """
    dropped = 0
    for _, out in _outputs(nb):
        data = out.get("data", {})
        if WIDGET_VIEW in data and any(p in data for p in PICTURES):
            del data[WIDGET_VIEW]
            dropped += 1
    nb.get("metadata", {}).pop("widgets", None)
    return dropped


def unpictured(nb: dict[str, Any]) -> list[int]:
    """Indices of the cells whose saved output is a widget view with no picture to fall back on."""
    return [
        i
        for i, out in _outputs(nb)
        if WIDGET_VIEW in out.get("data", {}) and not any(p in out["data"] for p in PICTURES)
    ]


def freeze_file(path: str | os.PathLike[str]) -> int:
    """Freeze the notebook file at ``path`` in place (written whole or not at all); views dropped.

    Raises:
        JupymuseError: ``path`` is not a readable notebook.
        OutputError: it cannot be written back.
    """
    source = Path(path)
    try:
        nb = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise JupymuseError(f"{str(source)!r} is not a notebook jupymuse can read ({exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise JupymuseError(f"{str(source)!r} is not a notebook: it has no list of cells")
    had_state = "widgets" in nb.get("metadata", {})
    dropped = freeze(nb)
    if dropped or had_state:
        write_file(source, (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return dropped
