"""The Markov heatmap is readable (issue 20, point 8): pitch order, axis titles, a legend in percent, labels of
11 px or more that have room, and cells and text that keep their contrast in JupyterLab's Light and Dark
themes (the themes' own colours, read from the installed JupyterLab). The page measures it too:
``tests/e2e/test_studio_views_browser.py``."""

from __future__ import annotations

import itertools
import re
import sys
from html import unescape
from pathlib import Path

import numpy as np
import pytest

from jupymuse.models.markov import MarkovModel, TransitionMatrix
from jupymuse.music import Melody
from jupymuse.music.notation import parse_pitch
from jupymuse.studio import svg, views

TUNES = [
    "C4:4 D4:4 E4:4 r:4 G4:4 A#4:2 C5:2 B3:4 A4:4 C4:8 E4:2 D#4:2 E4:4 G4:4 C4:4 A4:4 C4:4",
    "E5:2 D#5:2 E5:4 r:4 F#3:4 C#4:4 G4:4 A4:4 C4:4 G4:4 A#4:4 C4:4 B3:4 C4:8",
    "G4:4 A4:4 C4:4 E4:4 C4:4 D4:4 C4:4 A#4:2 A4:2 C4:4 G#4:4 C4:4 A4:4 C4:4",
]
THEMES = Path(sys.prefix) / "share/jupyter/lab/themes/@jupyterlab"


def _attrs(tag: str) -> dict[str, str]:
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def _texts(picture: str) -> list[tuple[dict[str, str], str]]:
    return [(_attrs(a), unescape(t)) for a, t in re.findall(r"<text ([^>]*)>([^<]*)</text>", picture)]


@pytest.fixture(scope="module", params=[1, 2, 3])
def picture(request: pytest.FixtureRequest) -> tuple[int, str]:
    order = int(request.param)
    model = MarkovModel(order).fit([Melody.from_notation(t) for t in TUNES])
    history = Melody.from_notation("G4:4 A4:4 C4:4")
    return order, views.heatmap(model, [(n.pitch, n.duration) for n in history.notes])


def test_rows_go_in_pitch_order_by_midi_number_then_context(picture: tuple[int, str]) -> None:
    order, html = picture
    rows = [t for a, t in _texts(html) if a.get("class") == "jm-row-label"]
    assert len(rows) > 1
    assert all(len(r.split(" ")) == order for r in rows)

    def midi(row: str) -> list[tuple[int, int]]:  # (kind, MIDI) of each element: start, pitch, rest
        out = []
        for e in row.split(" "):
            name = e.partition(":")[0]
            out.append((0, 0) if name == "start" else (2, 0) if name == "r" else (1, parse_pitch(name)))
        return out

    keys = [(midi(r)[-1], midi(r)) for r in rows]
    assert keys == sorted(keys)
    cols = [t for a, t in _texts(html) if a.get("class") == "jm-col-label"]
    col_keys = [midi(c)[0] for c in cols]
    assert col_keys == sorted(col_keys)  # next pitches low to high, the rest last
    assert "A#4" not in cols or "A4" not in cols or cols.index("A4") < cols.index("A#4")


def test_axis_titles_and_a_legend_in_percent(picture: tuple[int, str]) -> None:
    order, html = picture
    titles = [t for a, t in _texts(html) if a.get("class") == "jm-axis-title"]
    want = "previous note" if order == 1 else f"previous {order} notes"
    assert titles == ["next note \u2192", f"{want} \u2193"]
    legend = " ".join(t for a, t in _texts(html) if a.get("class") == "jm-legend-text")
    assert "chance of the next note" in legend
    swatch_labels = [t for a, t in _texts(html) if a.get("class") == "jm-legend-text" and t.endswith("%")]
    assert swatch_labels == [f"{100 * p:g}%" for p in svg.HEAT_LEGEND]
    assert "r = a rest" in legend
    swatches = [_attrs(s) for s in re.findall(r"<rect (class=\"jm-swatch\"[^>]*)/>", html)]
    assert [float(s["fill-opacity"]) for s in swatches] == [round(svg.heat_opacity(p), 3) for p in svg.HEAT_LEGEND]


def test_every_label_is_at_least_11px_and_has_its_room(picture: tuple[int, str]) -> None:
    _, html = picture
    texts = _texts(html)
    assert all(float(a["font-size"]) >= 11 for a, _ in texts)
    assert "max-width: 100%; height: auto" not in html.split("<svg")[1].split(">")[0]  # never drawn smaller
    grid = _attrs(re.search(r"<rect (class=\"jm-grid\"[^>]*)/>", html).group(1))  # type: ignore[union-attr]
    left, top = float(grid["x"]), float(grid["y"])
    rows = [(a, t) for a, t in texts if a.get("class") == "jm-row-label"]
    for a, t in rows:  # right-aligned before the grid, all of it inside the picture
        assert a["text-anchor"] == "end"
        assert float(a["x"]) < left
        assert float(a["x"]) - svg.text_width(t, float(a["font-size"])) >= 0
    ys = [float(a["y"]) for a, _ in rows]
    assert all(b - a >= svg.CELL >= 1.2 * svg.LABEL for a, b in itertools.pairwise(ys))
    cols = [(a, t) for a, t in texts if a.get("class") == "jm-col-label"]
    xs = [float(a["x"]) for a, _ in cols]
    assert all(b - a >= svg.CELL for a, b in itertools.pairwise(xs))  # upright: a line of text apart
    for a, t in cols:  # above the grid, below the axis title
        assert float(a["y"]) < top
        assert float(a["y"]) - svg.text_width(t, float(a["font-size"])) > svg.TITLE + 8
    width = float(re.search(r'<svg [^>]*width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    for a, t in texts:
        if a.get("text-anchor") != "end" and "transform" not in a:
            assert float(a["x"]) + svg.text_width(t, float(a["font-size"])) <= width, t


def _theme(name: str) -> dict[str, str]:
    css = "".join(p.read_text() for p in (THEMES / name).glob("*.css"))
    found = dict(re.findall(r"(--jp-[\w-]+):([^;}]+)", css))
    return {k: v.split(",", 1)[-1].rstrip(")") if v.startswith("var(") else v for k, v in found.items()}


def _rgba(css: str) -> tuple[float, float, float, float]:
    css = css.strip()
    if css == "white":
        return (255, 255, 255, 1)
    if css.startswith("#"):
        h = css[1:]
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1)
    v = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (v[0], v[1], v[2], v[3] if len(v) > 3 else 1)


def _over(top: tuple[float, ...], alpha: float, below: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(top[i] * alpha + below[i] * (1 - alpha) for i in range(3))


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def lum(c: tuple[float, ...]) -> float:
        ch = [v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c[:3]]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", ["theme-light-extension", "theme-dark-extension"])
def test_cells_read_at_3_to_1_and_text_at_4_5_to_1_in_jupyterlabs_themes(theme: str) -> None:
    colours = _theme(theme)
    ink = _rgba(colours["--jp-ui-font-color1"])
    for page in ("--jp-layout-color0", "--jp-layout-color1"):  # the notebook and the panels around it
        bg = _rgba(colours[page])
        assert _contrast(_over(ink, ink[3], bg), bg) >= 4.5  # every label and title is this colour
        for p in (svg.HEAT_FLOOR, 0.01, 0.1, 0.5, 1.0):
            cell = _over(ink, ink[3] * svg.heat_opacity(p), bg)
            assert _contrast(cell, bg) >= 3, (theme, page, p)
    model = MarkovModel(1).fit([Melody.from_notation(t) for t in TUNES])
    html = views.heatmap(model, [(60, 4)])
    drawn = [float(x) for x in re.findall(r'class="jm-cell" [^>]*fill-opacity="([\d.]+)"', html)]
    assert drawn
    assert min(drawn) >= svg.HEAT_LEAST  # so each drawn cell is at least the faintest checked above
    assert not re.search(r'class="jm-cell" [^>]*fill=', html)  # the theme's ink, never a fixed colour


class _Table:
    """A hand-made order-1 table whose A#4 column no row is likely to go to (as a big corpus's far pitches)."""

    order = 1
    context = "pitch"

    def transition_matrix(self, feature: str = "note") -> TransitionMatrix:
        probs = np.array([[0.6, 0.0005, 0.3995, 0.0], [0.2, 0.001, 0.0, 0.799], [1.0, 0.0, 0.0, 0.0]])
        return TransitionMatrix(["C4", "A#4", "r"], ["C4", "A#4", "C5", "r"], probs, probs * 10)


def test_only_columns_with_a_drawn_cell_and_likelier_is_stronger() -> None:
    html = views.heatmap(_Table(), [(60, 4)])  # type: ignore[arg-type]
    assert [t for a, t in _texts(html) if a.get("class") == "jm-col-label"] == ["C4", "C5", "r"]
    assert [t for a, t in _texts(html) if a.get("class") == "jm-row-label"] == ["C4", "A#4", "r"]
    grid = _attrs(re.search(r"<rect (class=\"jm-grid\"[^>]*)/>", html).group(1))  # type: ignore[union-attr]
    cells = [_attrs(c) for c in re.findall(r"<rect (class=\"jm-cell\"[^>]*)/>", html)]
    at = {
        (
            round((float(c["y"]) - float(grid["y"])) / svg.CELL),
            round((float(c["x"]) - float(grid["x"])) / svg.CELL),
        ): float(c["fill-opacity"])
        for c in cells
    }
    assert set(at) == {(0, 0), (0, 1), (1, 0), (1, 2), (2, 0)}  # blank below 0.2%
    assert at[(2, 0)] == 1 > at[(1, 2)] > at[(0, 0)] > at[(0, 1)] > at[(1, 0)] >= svg.HEAT_LEAST
    ps = np.linspace(svg.HEAT_FLOOR, 1, 20)
    opacities = [svg.heat_opacity(float(p)) for p in ps]
    assert opacities == sorted(opacities)
    assert opacities[0] >= svg.HEAT_LEAST
    assert opacities[-1] == 1
