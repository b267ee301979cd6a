"""``ScoreView``: an engraved score on the page that marks notes and reports clicks (an anywidget).

The score itself is drawn in the kernel (:class:`jupymuse.music.score.Score`, plain SVG); this widget
carries it to the page with what the page needs to make it live: each note's span in steps (so the
page can mark the note under a roll's playhead with no kernel round trip, see ``js/src/link.ts``) and
the selected note. A click on a note comes back as a ``select-note`` message to :meth:`on_select`'s
callback. Front end: ``js/src/score/`` (bundled as ``static/score.js``); traits mirrored by its
``ScoreModel``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..music.score import Score
from .protocol import SCORE_TO_PYTHON

STATIC = Path(__file__).resolve().parent.parent / "static"


class ScoreView(anywidget.AnyWidget):
    """A score on the page: the selected note and the note being played marked, notes clickable.

    Use :meth:`show` for a score and :meth:`say` for a line of text instead (a refusal, a hint).
    """

    _esm = STATIC / "score.js"

    svg = traitlets.Unicode("").tag(sync=True)  # the engraved score ("" while none)
    message = traitlets.Unicode("").tag(sync=True)  # shown instead of the score ("" when the score shows)
    spans = traitlets.List(traitlets.Int()).tag(sync=True)  # flat [start, end] in steps of each note
    selected = traitlets.Int(-1).tag(sync=True)  # the selected note's index (-1: none)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._select: Callable[[int], None] | None = None
        self.on_msg(self._on_page_message)

    @property
    def notes(self) -> int:
        """How many notes the score shown has (0 while none shows)."""
        return len(self.spans) // 2

    def show(self, score: Score) -> None:
        """Show ``score`` (its notes' spans go with it, for the playhead)."""
        spans = [v for n in score.melody.notes for v in (n.start, n.start + n.duration)]
        with self.hold_sync():
            self.spans = spans
            self.svg = score.svg
            self.message = ""

    def say(self, text: str) -> None:
        """Show ``text`` instead of a score (the score is dropped: its notes are no longer the melody's)."""
        with self.hold_sync():
            self.svg = ""
            self.spans = []
            self.message = text

    def on_select(self, callback: Callable[[int], None] | None) -> None:
        """Call ``callback(index)`` when a note of the score is clicked (None: stop)."""
        self._select = callback

    def _on_page_message(self, _widget: Any, content: Any, _buffers: list[Any]) -> None:
        """A click on note ``index``: a message that is not one, or an index out of range, is ignored."""
        if not isinstance(content, dict) or content.get("type") not in SCORE_TO_PYTHON:
            self.log.warning("ScoreView ignored a message from the page: %r", content)
            return
        index = content.get("index")
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < self.notes and self._select:
            self._select(index)
