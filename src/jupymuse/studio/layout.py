"""Small layout helpers for the studio's ipywidgets controls: widths that shrink with the page, rows that wrap."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

STYLE = {"description_width": "initial"}
"""Labels as wide as their text."""


def sized(width: str) -> Any:
    """A control ``width`` wide, narrower only when the studio is (its row wraps first)."""
    return w.Layout(width=width, max_width="100%")


def fits(min_width: str = "72px") -> Any:
    """A button or checkbox as wide as its text (never cut short), at least ``min_width``."""
    return w.Layout(width="auto", min_width=min_width, flex="0 0 auto")


def slider(kind: Any, description: str, width: str, value: float, lo: float, hi: float, step: float = 1) -> Any:
    """A labelled slider from ``lo`` to ``hi`` starting at ``value`` (kept inside the range)."""
    inside = min(max(value, lo), hi)
    return kind(value=inside, min=lo, max=hi, step=step, description=description, style=STYLE, layout=sized(width))


def row(children: list[Any], align: str = "center") -> Any:
    """A row of controls that wraps onto more lines when the studio is narrow (nothing scrolls sideways)."""
    return w.HBox(children, layout=w.Layout(flex_flow="row wrap", align_items=align, width="100%"))


def labelled(control: Any, text: str, width: str) -> Any:
    """``control`` (without a description of its own) after the label ``text``, ``width`` wide in all.

    Both the label and the control show the control's tooltip: ipywidgets shows a described dropdown's
    or text box's tooltip nowhere, and an undescribed one's on the control alone.
    """
    tip = html.escape(str(control.tooltip or ""), quote=True)
    label = w.HTML(f'<span class="jm-label" title="{tip}">{html.escape(text)}</span>', layout=fits("0px"))
    label.layout.margin = "0 6px 0 0"
    control.layout = w.Layout(flex="1 1 auto", width="auto", min_width="0")
    box = w.Layout(width=width, max_width="100%", align_items="center", margin="0 0 0 8px")
    return w.HBox([label, control], layout=box)
