"""``jupymuse.Score(melody)`` / ``melody.show()``: the melody engraved as a plain SVG score by verovio.

The score is SVG in the cell's output, so it shows with no widget and no kernel, in dark ink on its own
white paper (it reads the same in light and dark themes). The bundle holds it twice. ``text/html`` is an
``<img>`` with the SVG as a data URL: JupyterLab and Notebook 7 show it even in an untrusted notebook (a
fresh clone's lessons), as their HTML sanitizer keeps ``<img src="data:...">`` while their SVG renderer
is not "safe" and is not used there; nbconvert and VS Code show it too. ``image/svg+xml`` is for GitHub's
preview and viewers that take no HTML. A line of ``text/plain`` names it.

The MusicXML comes from :mod:`jupymuse.music.musicxml`; verovio (imported on first use, its log
silenced) engraves it. Every drawn note is a ``<g class="note">`` whose ``id`` verovio keeps from the
MusicXML: ``{prefix}n{index}`` for melody note ``index`` and ``{prefix}n{index}-{part}`` for the notes
tied to it across bar lines and beats; rests are ``{prefix}r{number}``. :attr:`Score.note_ids` maps
each id to its note's index. The prefix (``jm`` and a hash of what is drawn) keeps scores on one page apart.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import threading
from collections.abc import Iterable, Mapping
from numbers import Integral
from types import MappingProxyType
from typing import Any

from ..errors import ScoreError, SettingError
from .engrave import Layout, bar_count, fewest_pieces, layout
from .keys import guess_key
from .melody import Melody, as_melody
from .musicxml import piece_id, write_musicxml

MAX_SCORE_NOTES = 4000
"""Most notes a score engraves (about 100 lines of music); a longer melody is refused before any work."""
MAX_SCORE_BARS = 2000
"""Most bars a score engraves (long notes in a short meter fill many bars with few notes)."""
MAX_SCORE_PIECES = 4000
"""Most written values (notes, rests and tied pieces) a score engraves: verovio takes 1-1.5 ms a value
(4,000 quarter notes: 3 s; 5,000 values of one long note in 255/128 bars: 6-8 s), so a melody that
needs more is refused: by a lower bound before laying anything out (one note 160,000 steps long is at
least 13,334 tied dotted breves), else by the layout's own count before engraving."""
DEFAULT_WIDTH = 720
MIN_WIDTH, MAX_WIDTH = 200, 4000
"""Limits of a score's width in pixels."""
SCALE = 40
"""verovio's zoom in percent: a staff about 30 px high."""
PAPER = "#ffffff"
INK = "#1f1f1f"
ACCENT = "#d6781e"
"""Generated notes: the roll's accent colour (``ACCENT`` in ``jupymuse/widget/picture.py``)."""
HIGHLIGHT = "#e91e63"
"""The colour of notes highlighted by index alone."""
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_PAPER_SIZE = re.compile(r'class="jupymuse-score" width="(\d+)px" height="(\d+(?:\.\d+)?)px"')
_SVG_TAG = re.compile(r'<svg width="(\d+(?:\.\d+)?)px" height="(\d+(?:\.\d+)?)px"')
_LOCK = threading.Lock()
_TOOLKIT: Any = None


class Score:
    """A melody engraved as a score: clef, key (given or guessed), meter, tempo, title, ties, triplets, beams.

    Args:
        melody: a ``Melody`` or text notation (``"G4:4 A4"``).
        highlight: ``{note index: "#rrggbb"}``: notes drawn in these colours; or note indices
            (``[0, 3]``), drawn in ``HIGHLIGHT``.
        accent_from: notes starting at this step or later are drawn in the roll's accent colour (as a
            Studio marks a generated continuation); -1 for none.
        width: the score's width in pixels; long melodies wrap onto more lines.

    Raises:
        ScoreError: more than ``MAX_SCORE_NOTES`` notes, ``MAX_SCORE_BARS`` bars or ``MAX_SCORE_PIECES``
            written values, or a note length no note value can write.
        SettingError: a width out of range, or a bad highlight index or colour.
    """

    def __init__(
        self,
        melody: Melody | str,
        *,
        highlight: Mapping[int, str] | Iterable[int] | None = None,
        accent_from: int = -1,
        width: int = DEFAULT_WIDTH,
    ) -> None:
        melody = as_melody(melody)
        if len(melody) > MAX_SCORE_NOTES:
            raise ScoreError(
                f"a score engraves at most {MAX_SCORE_NOTES:,} notes (MAX_SCORE_NOTES) and this melody has "
                f"{len(melody):,}: show a part of it, e.g. melody[:{MAX_SCORE_NOTES}]"
            )
        bars = bar_count(melody)
        if bars > MAX_SCORE_BARS:
            num, den = melody.time_signature
            raise ScoreError(
                f"a score engraves at most {MAX_SCORE_BARS:,} bars (MAX_SCORE_BARS) and this melody fills "
                f"{bars:,} bars of {num}/{den}: show a part of it"
            )
        pieces = fewest_pieces(melody)
        if pieces > MAX_SCORE_PIECES:
            longest = max(n.duration for n in melody.notes)
            raise ScoreError(
                f"a score engraves at most {MAX_SCORE_PIECES:,} written notes (MAX_SCORE_PIECES) and this melody's "
                f"notes need at least {pieces:,} tied values (its longest lasts {longest:,} steps): show a part of "
                "it, or shorten its long notes"
            )
        width = _checked_width(width)
        colours = _colours(melody, highlight, accent_from)
        self._melody = melody
        self._width = width
        self._layout: Layout = layout(melody)
        written = sum(len(bar.pieces) for bar in self._layout.bars)
        if written > MAX_SCORE_PIECES:
            raise ScoreError(
                f"a score engraves at most {MAX_SCORE_PIECES:,} written notes and rests (MAX_SCORE_PIECES) and this "
                f"melody is written with {written:,} in {len(self._layout.bars):,} bars of {melody.time_signature[0]}/"
                f"{melody.time_signature[1]} (tied values included): show a part of it, or shorten its long notes"
            )
        self._prefix = _prefix(melody, colours, width)
        self._musicxml = write_musicxml(
            melody, self._layout, colours=colours, id_prefix=self._prefix, hidden_accidentals=False
        )
        ids = [(piece_id(p, self._prefix), p) for bar in self._layout.bars for p in bar.pieces]
        self._note_ids = MappingProxyType({i: p.index for i, p in ids if not p.is_rest})
        self._rest_ids = tuple(i for i, p in ids if p.is_rest)
        self._svg = engrave(self._musicxml, width, seed=int(self._prefix[2:-1], 16) % (1 << 30) + 1)

    @property
    def melody(self) -> Melody:
        return self._melody

    @property
    def svg(self) -> str:
        """The score as one SVG document."""
        return self._svg

    @property
    def musicxml(self) -> str:
        """The MusicXML that was engraved (with the score's ids and colours)."""
        return self._musicxml

    @property
    def note_ids(self) -> Mapping[str, int]:
        """Each drawn note's SVG ``id`` -> the index of its melody note (tied notes share an index)."""
        return self._note_ids

    @property
    def rest_ids(self) -> tuple[str, ...]:
        """The SVG ``id`` of each drawn rest, in order."""
        return self._rest_ids

    @property
    def bars(self) -> int:
        return len(self._layout.bars)

    def __repr__(self) -> str:
        m = self._melody
        title = f" {m.meta['title']!r}" if "title" in m.meta else ""
        key = m.key or f"{guess_key(m) or 'C major'} (guessed)"
        num, den = m.time_signature
        return f"<Score{title}: {len(m)} notes, {self.bars} bars of {num}/{den}, {key}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """What a notebook shows: the SVG as an image in HTML and as SVG, and a line of text where neither shows."""
        text = repr(self)
        return {"text/html": image_html(self._svg, text), "image/svg+xml": self._svg, "text/plain": text}


def image_html(svg: str, alt: str) -> str:
    """``svg`` (one of :func:`engrave`'s) as an HTML ``<img>`` with a data URL, at its own size.

    Only tags and attributes that JupyterLab's sanitizer keeps for an untrusted notebook (``img`` with
    ``src``, ``width``, ``height``, ``alt``, ``class``): the image is the same there as when trusted.
    """
    size = _PAPER_SIZE.search(svg)
    sized = f' width="{size.group(1)}" height="{size.group(2)}"' if size else ""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img class="jupymuse-score" src="data:image/svg+xml;base64,{encoded}"{sized} '
        f'alt="{html.escape(alt.strip("<>"), quote=True)}"/>'
    )


def _checked_width(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not MIN_WIDTH <= int(value) <= MAX_WIDTH:
        raise SettingError(f"width must be a whole number of pixels from {MIN_WIDTH} to {MAX_WIDTH}, not {value!r}")
    return int(value)


def _colours(melody: Melody, highlight: Mapping[int, str] | Iterable[int] | None, accent_from: int) -> dict[int, str]:
    if isinstance(accent_from, bool) or not isinstance(accent_from, int):
        raise SettingError(f"accent_from must be a step (a whole number, -1 for none), not {accent_from!r}")
    colours = {i: ACCENT for i, n in enumerate(melody.notes) if 0 <= accent_from <= n.start}
    if highlight is None:
        highlight = {}
    elif isinstance(highlight, (list, tuple, set, frozenset, range)):  # note indices: the usual colour
        highlight = dict.fromkeys(highlight, HIGHLIGHT)
    elif not isinstance(highlight, Mapping):
        raise SettingError(
            f"highlight must be note indices ([0, 3]) or colours by index ({{0: '#e91e63'}}), not {highlight!r:.60}"
        )
    for index, colour in highlight.items():
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(melody):
            raise SettingError(f"highlight: {index!r} is not a note index of this melody (0-{len(melody) - 1})")
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            raise SettingError(f"highlight: the colour of note {index} must look like '#e91e63', not {colour!r}")
        colours[index] = colour
    return colours


def _prefix(melody: Melody, colours: Mapping[int, str], width: int) -> str:
    """``jm`` and a hash of what is drawn: the same score gets the same ids, different ones differ."""
    h = hashlib.blake2b(digest_size=4)
    for array in melody.to_arrays().values():
        h.update(array.tobytes())
    key = str(melody.key) if melody.key is not None else None  # the key's name, as the ids were always made
    h.update(repr((melody.steps_per_quarter, melody.time_signature, key, melody.tempo)).encode())
    h.update(repr((melody.meta.get("title"), sorted(colours.items()), width)).encode())
    return f"jm{h.hexdigest()}-"


def _toolkit() -> Any:
    """verovio's toolkit, made once (loading its fonts takes a while), with its log off."""
    global _TOOLKIT
    if _TOOLKIT is None:
        import verovio

        verovio.enableLog(verovio.LOG_OFF)
        _TOOLKIT = verovio.toolkit()
    return _TOOLKIT


def engrave(musicxml: str, width: int = DEFAULT_WIDTH, *, seed: int = 1) -> str:
    """MusicXML engraved by verovio as one SVG ``width`` pixels wide, on white paper.

    ``seed`` makes verovio's own ids (glyphs, bars, stems) the same for the same seed: a score drawn
    again is the same text, and scores with different seeds on one page do not share ids.

    Raises:
        ScoreError: verovio could not read the MusicXML.
    """
    options = {
        "inputFrom": "musicxml",
        "scale": SCALE,
        "pageWidth": width * 100 // SCALE,
        "pageHeight": 60000,
        "adjustPageHeight": True,
        "breaks": "auto",
        "header": "auto",
        "footer": "none",
        "pageMarginTop": 40,
        "pageMarginBottom": 40,
        "pageMarginLeft": 40,
        "pageMarginRight": 40,
        "svgViewBox": False,
        "svgFormatRaw": True,
        "xmlIdSeed": seed,
    }
    with _LOCK:
        tk = _toolkit()
        tk.resetOptions()
        tk.setOptions(options)
        if not tk.loadData(musicxml):
            raise ScoreError("verovio could not read the melody's MusicXML")
        pages = [tk.renderToSVG(page) for page in range(1, tk.getPageCount() + 1)]
    return _on_paper(pages, width)


def _on_paper(pages: list[str], width: int) -> str:
    """verovio's pages stacked into one SVG on white paper (the usual case is one page)."""
    placed = []
    top = 0.0
    for page in pages:
        page = page.replace('<?xml version="1.0"?>\n', "").strip()
        size = _SVG_TAG.search(page)
        height = float(size.group(2)) if size else 0.0
        placed.append(page.replace("<svg ", f'<svg x="0" y="{top:g}" ', 1))
        top += height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="jupymuse-score" '
        f'width="{width}px" height="{top:g}px" viewBox="0 0 {width} {top:g}" color="{INK}">'
        f'<rect width="100%" height="100%" fill="{PAPER}"/>{"".join(placed)}</svg>'
    )
