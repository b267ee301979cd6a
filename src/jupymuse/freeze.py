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
    """(cell index, output) for every output of every code cell; anything not shaped so is left alone."""
    cells = nb.get("cells")
    found = []
    for i, cell in enumerate(cells if isinstance(cells, list) else []):
        outputs = cell.get("outputs") if isinstance(cell, dict) and cell.get("cell_type") == "code" else None
        for out in outputs if isinstance(outputs, list) else []:
            if isinstance(out, dict) and isinstance(out.get("data"), dict):
                found.append((i, out))
    return found


def _metadata(nb: dict[str, Any]) -> dict[str, Any]:
    metadata = nb.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _finite(text: str) -> float:
    """A JSON number that a float holds (``1e400`` would be written back as ``Infinity``, not JSON)."""
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is beyond what can be written back")
    return value


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def freeze(nb: dict[str, Any]) -> int:
    """Drop the widget view of every output that also holds a picture, and saved widget state (in place).

    Returns how many widget views were dropped; an output without a picture keeps its view (see
    :func:`unpictured`).
    """
    dropped = 0
    for _, out in _outputs(nb):
        data = out["data"]
        if WIDGET_VIEW in data and any(p in data for p in PICTURES):
            del data[WIDGET_VIEW]
            dropped += 1
    _metadata(nb).pop("widgets", None)
    return dropped


def unpictured(nb: dict[str, Any]) -> list[int]:
    """Indices of the cells whose saved output is a widget view with no picture to fall back on."""
    return [i for i, out in _outputs(nb) if WIDGET_VIEW in out["data"] and not any(p in out["data"] for p in PICTURES)]


def freeze_file(path: str | os.PathLike[str]) -> int:
    """Freeze the notebook file at ``path`` in place (written whole or not at all); views dropped.

    Raises:
        JupymuseError: ``path`` is not a readable notebook.
        OutputError: it cannot be written back.
    """
    source = Path(path)
    try:
        nb = json.loads(source.read_text(encoding="utf-8"), parse_float=_finite, parse_constant=_constant)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        why = "it nests too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise JupymuseError(f"{str(source)!r} is not a notebook jupymuse can read ({why}); nothing changed") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise JupymuseError(f"{str(source)!r} is not a notebook: it has no list of cells")
    had_state = "widgets" in _metadata(nb)
    dropped = freeze(nb)
    if dropped or had_state:
        try:
            text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (an escape in the file): written escaped again
            data = (json.dumps(nb, indent=1) + "\n").encode("utf-8")
        write_file(source, data)
    return dropped
