"""``ScoreView``: an engraved score on the page that marks notes and reports clicks (an anywidget).

The score itself is drawn in the kernel (:class:`jupymuse.music.score.Score`, plain SVG); this widget
carries it to the page with what the page needs to make it live: each note's span in steps (so the
page can mark the note under a roll's playhead with no kernel round trip, see ``js/src/link.ts``) and
the selected note. A click on a note comes back as a ``select-note`` message to :meth:`on_select`'s
callback. Front end: ``js/src/score/`` (bundled as ``static/score.js``); traits mirrored by its
``ScoreModel``.

It also marks what a model listened to (:meth:`show_listened`, the ``listened`` trait: the value the
roll's arcs draw, :mod:`jupymuse.widget.listened`): the explained note in the selection's colour, a ring
round each earlier note's head for the bits it gave the explained note's pitch and a bar under the staff
for the bits it gave its rhythm, thicker for more bits. The marks belong to the notes they were computed
for: a score of the same notes keeps them, a score of other notes (or none) drops them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..errors import SettingError
from ..music import Melody
from ..music.score import Score
from .listened import NOTHING, Listened, listened
from .protocol import SCORE_TO_PYTHON

STATIC = Path(__file__).resolve().parent.parent / "static"

NoteKey = tuple[int, tuple[tuple[int, int, int], ...]]
"""What a melody's marks depend on: its grid and each note's (pitch, start, duration)."""


class ScoreSettingError(SettingError, traitlets.TraitError):
    """A value a score view refuses (from Python or the page): a ``TraitError`` and a ``JupymuseError``."""


class ListenedTrait(traitlets.Dict):
    """The ``listened`` trait: a dict checked by :func:`~jupymuse.widget.listened.listened` against the score's notes.

    Every refusal, the type's own included, is a :class:`ScoreSettingError` naming the limit. The page
    reads it as the TypeScript type ``ts_type`` (``Listened`` in ``js/src/protocol.ts``, the roll's too).
    """

    ts_type = "Listened"

    def validate(self, obj: Any, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ScoreSettingError(f"listened must be a dict (see jupymuse.widget.listened), not {value!r:.80}")
        try:
            checked = listened(value, obj.notes)
        except SettingError as exc:
            raise ScoreSettingError(f"{exc} (the score shows {obj.notes} notes)") from None
        return {} if checked is None else checked.to_state()


def note_key(melody: Melody) -> NoteKey:
    """The notes a model explains (velocity, tempo, key and title aside): equal keys, same marks."""
    return melody.steps_per_quarter, tuple((n.pitch, n.start, n.duration) for n in melody.notes)


class ScoreView(anywidget.AnyWidget):
    """A score on the page: the selected and the playing note marked, and what a model listened to; notes clickable.

    Use :meth:`show` for a score and :meth:`say` for a line of text instead (a refusal, a hint).
    """

    _esm = STATIC / "score.js"

    svg = traitlets.Unicode("").tag(sync=True)  # the engraved score ("" while none)
    message = traitlets.Unicode("").tag(sync=True)  # shown instead of the score ("" when the score shows)
    spans = traitlets.List(traitlets.Int()).tag(sync=True)  # flat [start, end] in steps of each note
    selected = traitlets.Int(-1).tag(sync=True)  # the selected note's index (-1: none)
    # what a model listened to: {"note": i, "sources": [[j, pitch bits, rhythm bits], ...]} ({}: nothing)
    listened = ListenedTrait().tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._select: Callable[[int], None] | None = None
        self._shown: NoteKey | None = None  # the notes of the score shown (None: no score)
        self.on_msg(self._on_page_message)

    @property
    def notes(self) -> int:
        """How many notes the score shown has (0 while none shows)."""
        return len(self.spans) // 2

    def shows(self, melody: Melody) -> bool:
        """Whether the score shown has ``melody``'s notes (what marks computed for ``melody`` belong to)."""
        return self._shown is not None and self._shown == note_key(melody)

    def show(self, score: Score) -> None:
        """Show ``score`` (its notes' spans go with it, for the playhead); marks stay only if its notes are the same."""
        spans = [v for n in score.melody.notes for v in (n.start, n.start + n.duration)]
        key = note_key(score.melody)
        with self.hold_sync():
            if key != self._shown:
                self.listened = NOTHING
            self._shown = key
            self.spans = spans
            self.svg = score.svg
            self.message = ""

    def say(self, text: str) -> None:
        """Show ``text`` instead of a score (the score is dropped: its notes are no longer the melody's)."""
        with self.hold_sync():
            self.listened = NOTHING
            self._shown = None
            self.svg = ""
            self.spans = []
            self.message = text

    def show_listened(self, value: Listened | Mapping[str, Any] | None) -> None:
        """Mark what a model listened to (a :class:`Listened` or its synced value; None or {}: no marks).

        Raises:
            ScoreSettingError: a note index past the score's notes, or a value :func:`listened` refuses.
        """
        self.listened = value.to_state() if isinstance(value, Listened) else dict(value or NOTHING)

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
