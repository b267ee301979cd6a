"""The Studio's Python-made pictures and HTML take their text colours from JupyterLab's theme variables."""

from __future__ import annotations

import re

import numpy as np

from jupymuse.studio import svg, views


def _pictures() -> dict[str, str]:
    probs = np.zeros(129)
    probs[[60, 62, 64]] = [0.5, 0.3, 0.2]
    return {
        "strip": svg.probability_strip(probs, title="next", highlight=62),
        "heatmap": svg.heatmap(["C4", "D4"], ["C4", "D4"], np.array([[0.2, 0.8], [1.0, 0.0]]), highlight_row=0),
        "curve": svg.loss_curve([3.0, 2.5, 2.0], [(2, 2.6)]),
        "empty curve": svg.loss_curve([], []),
    }


def test_svg_text_inherits_the_theme_text_colour() -> None:
    for name, picture in _pictures().items():
        root = re.match(r"<svg [^>]*>", picture)
        assert root is not None, name
        assert "fill: var(--jp-ui-font-color1, #" in root.group(0), name
        # no text sets a colour of its own (it would be fixed, whatever the theme)
        assert not re.search(r"<text [^>]*fill=", picture), name
        assert "#333" not in picture, name


def test_heatmap_shades_by_opacity_over_the_page_background() -> None:
    picture = _pictures()["heatmap"]
    assert "fill-opacity=" in picture
    assert "rgb(" not in picture
    assert "jm-heatmap" in picture
    assert "jm-current-row" in picture


def test_status_and_table_use_theme_colours() -> None:
    assert "var(--jp-ui-font-color1" in views.status("ready")
    error = views.status("bad", error=True)
    assert "var(--jp-error-color1" in error
    assert "#b00020" not in error
    assert "var(--jp-ui-font-color1" in svg.bits_table([("markov-1", 3.0, 4.0)])


def test_studio_css_fades_disabled_buttons_inside_the_studio_only() -> None:
    css = views.studio_css()
    assert css.startswith("<style>")
    assert css.endswith("</style>")
    rules = css.removeprefix("<style>").removesuffix("</style>")
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", rules) for s in block.split(",")]
    assert selectors
    assert all(s.startswith(".jupymuse-studio ") for s in selectors)
    assert ".jupymuse-studio .jupyter-button:disabled" in selectors
    assert "opacity: 0.45" in css
    assert "not-allowed" in css
