"""Saved outputs that show (and sound) in an untrusted notebook: a fresh clone's lessons (issue 21, case 14).

JupyterLab 4 and Notebook 7 render an untrusted output only with a "safe" renderer (``image/svg+xml``
is not one; ``text/html`` is, through their HTML sanitizer). The rules are read here from the
installed front ends' own JavaScript, so these tests follow the JupyterLab and Notebook that run the
lessons: which MIME type each one picks from our bundles, and what its sanitizer keeps of our HTML.
``tests/e2e/test_saved_notebook_browser.py`` opens real lessons untrusted in both.
"""

from __future__ import annotations

import base64
import functools
import re
import wave
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

import pytest
from IPython.display import Audio

import jupymuse
from jupymuse.music import Melody
from jupymuse.widget.audio import Player
from jupymuse.widget.picture import Roll, picture_bundle

TUNE = "C4:4 D4:4 E4:4 C4:4 E4:4 F4:4 G4:8"


class Rules(NamedTuple):
    """A front end's rendermime and sanitizer rules, as its built JavaScript holds them."""

    ranks: dict[str, tuple[int, bool]]  # MIME type -> (rank, safe)
    tags: frozenset[str]  # the HTML tags its sanitizer keeps
    attributes: dict[str, frozenset[str]]  # tag ("*": any) -> the attributes kept
    schemes_checked_on: frozenset[str]  # attributes whose URL scheme is checked (data: is refused there)


def _static(front_end: str) -> Path:
    if front_end == "lab":
        from jupyterlab.commands import get_app_dir  # type: ignore[import-untyped]

        return Path(get_app_dir()) / "static"
    import notebook

    return Path(notebook.__file__).parent / "static"


def _strings(text: str) -> frozenset[str]:
    return frozenset(re.findall(r'"([\w:+/.-]+)"', text))


@functools.cache
def rules(front_end: str) -> Rules:
    """The rules of the installed JupyterLab (``"lab"``) or Notebook 7 (``"notebook"``): its ``*_core`` bundle."""
    [core_file] = _static(front_end).glob("*_core.*.js")
    core = core_file.read_text(encoding="utf-8")
    ranks: dict[str, tuple[int, bool]] = {}
    for safe, types, rank in re.findall(r"\{safe:!([01]),mimeTypes:\[([^\]]*)\],defaultRank:(\d+)", core):
        for mime in _strings(types):
            ranks[mime] = (int(rank), safe == "0")  # minified: !0 is true, !1 false
    tags = re.search(r"allowedTags:\[([^\]]*)\],allowedAttributes:\{", core)
    checked = re.search(r"allowedSchemesAppliedToAttributes:\[([^\]]*)\]", core)
    assert tags, f"{core_file}: no HTML sanitizer rules found"
    assert checked, f"{core_file}: no URL scheme rules found"
    table = core[tags.end() : core.index("allowedStyles:", tags.end())]
    attributes = {
        tag.strip('"'): _strings(body)  # a list may hold ...cond?["name"]:[]: "name" is kept, harmless here
        for tag, body in re.findall(r'(?:^|,)("\*"|[a-z0-9]+):\[(.*?)\](?=,(?:"\*"|[a-z0-9]+):|\}|$)', table)
    }
    assert {"text/html", "image/svg+xml", "image/png"} <= set(ranks), core_file
    assert {"*", "img", "audio"} <= set(attributes), core_file
    return Rules(ranks, _strings(tags.group(1)), attributes, _strings(checked.group(1)))


def shown_untrusted(rules: Rules, bundle: dict[str, str]) -> str | None:
    """The MIME type an untrusted output shows (rendermime's ``preferredMimeType(bundle, "ensure")``)."""
    safe = [(rank, mime) for mime, (rank, is_safe) in rules.ranks.items() if is_safe and mime in bundle]
    return min(safe)[1] if safe else None


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def sanitized(rules: Rules, html: str) -> list[tuple[str, dict[str, str]]]:
    """The elements of ``html`` and the attributes the sanitizer keeps (sanitize-html with the front end's rules)."""
    parser = _Elements()
    parser.feed(html)
    kept = []
    for tag, attrs in parser.found:
        if tag not in rules.tags:
            continue
        allowed = rules.attributes.get(tag, frozenset()) | rules.attributes["*"]
        kept.append((tag, {k: v for k, v in attrs.items() if k in allowed}))
        for name in rules.schemes_checked_on & set(kept[-1][1]):
            if kept[-1][1][name].startswith("data:"):
                del kept[-1][1][name]
    return kept


FRONT_ENDS = ["lab", "notebook"]


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_the_front_ends_rules_are_what_the_bundles_rely_on(front_end: str) -> None:
    """SVG is not safe, HTML and PNG are; ``<img>`` and ``<audio>`` keep ``src`` (data URLs too), ``<source>`` not."""
    r = rules(front_end)
    assert r.ranks["image/svg+xml"][1] is False
    assert r.ranks["text/html"] == (50, True)
    assert r.ranks["image/png"][1] is True
    assert {"img", "audio", "source"} <= r.tags
    assert {"src", "width", "height", "alt"} <= r.attributes["img"]
    assert {"src", "controls"} <= r.attributes["audio"]
    assert "src" not in r.attributes["source"]  # why IPython's own player is silent untrusted
    assert "src" not in r.schemes_checked_on


@functools.cache
def _score() -> jupymuse.Score:
    return Melody.from_notation(TUNE, meta={"title": "Saved <tune> & co"}).show()


def _data_url(src: str, kind: str) -> bytes:
    prefix = f"data:{kind};base64,"
    assert src.startswith(prefix), src[:40]
    return base64.b64decode(src.removeprefix(prefix), validate=True)


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_a_score_shows_as_the_engraved_image_untrusted(front_end: str) -> None:
    """Before: only the SVG and a line of text, so an untrusted notebook showed ``<Score: 7 notes ...>``."""
    r = rules(front_end)
    score = _score()
    bundle = score._repr_mimebundle_()
    assert shown_untrusted(r, {"image/svg+xml": score.svg, "text/plain": repr(score)}) == "text/plain"
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    assert bundle["image/svg+xml"] == score.svg  # GitHub's preview and viewers without HTML
    assert shown_untrusted(r, bundle) == "text/html"
    [(tag, attrs)] = sanitized(r, bundle["text/html"])
    assert tag == "img"
    assert _data_url(attrs["src"], "image/svg+xml").decode("utf-8") == score.svg
    size = re.search(r'width="(\d+)px" height="(\d+)px"', score.svg)
    assert size is not None
    assert (attrs["width"], attrs["height"]) == size.groups()
    alt = "Score 'Saved <tune> & co': 7 notes, 2 bars of 4/4, C major (guessed)"
    assert attrs["alt"] == alt  # escaped in the HTML, read back whole
    assert attrs["class"] == "jupymuse-score"


def test_the_score_image_costs_a_third_more_than_its_svg() -> None:
    """The price of the untrusted image: the SVG again, base64-encoded (4/3), plus one tag."""
    score = _score()
    html = score._repr_mimebundle_()["text/html"]
    assert len(html) - len(score.svg) * 4 / 3 < 400


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_a_roll_picture_shows_as_png_untrusted(front_end: str) -> None:
    data, _ = picture_bundle(Roll.of_melody(Melody.from_notation(TUNE)))
    assert shown_untrusted(rules(front_end), data) == "image/png"


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_the_audio_player_keeps_its_sound_through_the_sanitizer(front_end: str) -> None:
    """IPython's player puts the sound on ``<source src>``, which the sanitizer drops; ours is on ``<audio src>``."""
    r = rules(front_end)
    player = jupymuse.audio(TUNE, rate=8000)
    assert isinstance(player, Player)  # an IPython Audio
    ipython_html = str(Audio(data=player.data)._repr_html_())  # type: ignore[no-untyped-call]
    assert shown_untrusted(r, {"text/html": ipython_html, "text/plain": ""}) == "text/html"
    assert not [attrs for _, attrs in sanitized(r, ipython_html) if "src" in attrs]  # silent
    html = player._repr_html_()
    [(tag, attrs)] = sanitized(r, html)
    assert tag == "audio"
    assert "controls" in attrs
    wav = _data_url(attrs["src"], "audio/wav")
    assert wav == player.data
    with wave.open(BytesIO(wav)) as sound:
        assert sound.getframerate() == 8000
        assert 4.0 <= sound.getnframes() / 8000 <= 6.0  # 8 quarter notes at 120 bpm, and the last one's release


def test_the_player_keeps_ipythons_options() -> None:
    player = Player(data=jupymuse.audio("C4:4", rate=8000).data, autoplay=True, element_id='a"b')  # type: ignore[no-untyped-call]
    assert repr(player) == "<audio: 1.5 s at 8000 Hz>"  # a quarter note (0.5 s) and its release
    html = player._repr_html_()
    assert ' autoplay="autoplay"' in html
    assert ' id="a&quot;b"' in html
    url = Player(url="https://example.org/x.wav")._repr_html_()  # type: ignore[no-untyped-call]
    assert 'src="https://example.org/x.wav"' in url
    assert repr(Player(url="https://example.org/x.wav")) == "<audio: https://example.org/x.wav>"  # type: ignore[no-untyped-call]


def test_nbconvert_html_shows_the_score_image_and_a_player_with_its_sound() -> None:
    """nbconvert takes ``text/html`` first: the same ``<img>`` and ``<audio src>`` (no kernel, no script)."""
    import nbformat
    from IPython.core.formatters import DisplayFormatter
    from nbconvert import HTMLExporter

    score, player = _score(), jupymuse.audio(TUNE, rate=8000)
    formatter = DisplayFormatter()
    outputs = [
        nbformat.v4.new_output("display_data", data=formatter.format(x)[0])  # type: ignore[no-untyped-call]
        for x in (score, player)
    ]
    cell = nbformat.v4.new_code_cell("", outputs=outputs)  # type: ignore[no-untyped-call]
    html, _ = HTMLExporter().from_notebook_node(nbformat.v4.new_notebook(cells=[cell]))  # type: ignore[no-untyped-call]
    parser = _Elements()
    parser.feed(html)  # nbconvert writes the HTML again (attributes sorted): read it as HTML
    [image] = [a for tag, a in parser.found if tag == "img" and a.get("class") == "jupymuse-score"]
    assert _data_url(image["src"], "image/svg+xml").decode("utf-8") == score.svg
    [sound] = [a for tag, a in parser.found if tag == "audio"]
    assert "controls" in sound
    assert _data_url(sound["src"], "audio/wav") == player.data
