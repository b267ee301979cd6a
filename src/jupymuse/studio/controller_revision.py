"""The Studio controller's revisions of a selected span: Fill, Vary, and New from selection.

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`). The roll tells the selected
span of steps ``[start, end)`` (the notes selected, or the steps dragged on the ruler) to
:meth:`StudioRevision.select_span`. Fill writes new notes for the span that lead from what comes before
into what comes after (``model.infill``); Vary keeps the phrase's rhythm or its pitches and writes the
rest anew (``model.vary``). Both are checked first (a span edge inside a note is refused, naming it,
and nothing changes), then run as a Generate does (``controller_generation.py``): in the worker,
cancellable, their candidates browsed and accepted, one step of the history, Regenerate with a new
seed. New from selection makes the span's notes the whole melody, moved by whole bars to the start.
"""

from __future__ import annotations

from typing import Any, Literal

from .. import arguments
from ..errors import JupymuseError, SettingError
from ..models.gaps import Gap, find_gap
from ..music import Melody
from ..music.note import MAX_STEPS
from .controller_generation import StudioGeneration
from .controller_history import StudioHistory
from .revision import KEEPS, Revision, span_text


class StudioRevision(StudioGeneration, StudioHistory):
    """``select_span``, ``span``, ``fill``, ``vary`` and ``new_from_selection``."""

    def select_span(self, start: int, end: int) -> None:
        """The student selected the steps ``[start, end)`` (``start >= end``: nothing)."""
        s, e = arguments.whole(start, "start", 0, MAX_STEPS), arguments.whole(end, "end", 0, MAX_STEPS)
        with self._lock:
            self._span = (s, e) if s < e else None

    @property
    def span(self) -> tuple[int, int] | None:
        """The selected span of steps ``[start, end)`` Fill, Vary and New from selection use (None: none)."""
        return self._span

    def fill(
        self, start: int | None = None, end: int | None = None, *, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """New notes for the steps ``[start, end)`` (default: the selected span) that fit what comes before
        and after: candidates to browse, each the whole melody with the span filled (its new notes in the
        accent colour). ``overrides`` replace settings for this call (``temperature=0.5``, ``seed=3``...).

        Raises:
            JupymuseError: no span, or a span the model refuses (an edge inside a note, past the end;
                in a worker: said in the status line, nothing changes).
        """
        return self._revision("fill", start, end, "rhythm", False, background, overrides)

    def vary(
        self,
        start: int | None = None,
        end: int | None = None,
        *,
        keep: Literal["rhythm", "pitches"] = "rhythm",
        contour: bool = False,
        background: bool = False,
        **overrides: Any,
    ) -> list[Melody]:
        """Variations of the phrase in ``[start, end)`` (default: the selected span): new pitches on its
        rhythm (``keep="rhythm"``; with ``contour``, moving up and down as before) or a new rhythm on its
        pitches (``keep="pitches"``). As :meth:`fill` otherwise.

        Raises:
            JupymuseError: as :meth:`fill`, a span without notes, or ``keep``/``contour`` out of their choices.
        """
        kept = arguments.choice(keep, "keep", tuple(KEEPS))
        if not isinstance(contour, bool):
            raise SettingError(f"contour must be True or False, not {arguments.shown(contour)}")
        return self._revision("vary", start, end, kept, contour, background, overrides)

    def new_from_selection(self, start: int | None = None, end: int | None = None) -> None:
        """Make the notes starting in ``[start, end)`` (default: the selected span) the whole melody,
        moved earlier by whole bars so the first keeps its place in the bar: "start from a phrase".
        One step of the history (Undo brings the whole melody back).

        Raises:
            JupymuseError: no span, or no note starts in it.
        """
        with self._lock:
            melody = self._doc.melody
            s, e = self._chosen_span(start, end)
            notes = [n for n in melody.notes if s <= n.start < e]
        where = span_text(s, e, melody.steps_per_bar)
        if not notes:
            raise SettingError(f"no note starts in {where}: select notes to start a new melody from")
        bar = melody.steps_per_bar
        phrase = melody.replace(notes=notes).shift(-(notes[0].start // bar) * bar)
        self.edit(phrase, label=f"New from {where}")
        with self._lock:
            self._span = None
        count = len(notes)
        self.say(f"A new melody from {where}: {count} note{'s' if count != 1 else ''} (Undo brings the rest back).")

    # ------------------------------------------------------------------ checks, then the job
    def _chosen_span(self, start: int | None, end: int | None) -> tuple[int, int]:
        """``[start, end)`` as given, or the selected span's ends for those not given."""
        if (start is None or end is None) and self._span is None:
            raise SettingError("select notes (or drag on the ruler) first: there is no span to work on")
        s0, e0 = self._span or (0, 0)
        s = s0 if start is None else arguments.whole(start, "start")
        e = e0 if end is None else arguments.whole(end, "end")
        return s, e

    def _revision(
        self,
        kind: Literal["fill", "vary"],
        start: int | None,
        end: int | None,
        keep: str,
        contour: bool,
        background: bool,
        overrides: dict[str, Any],
    ) -> list[Melody]:
        if background and self._refuse_busy():
            return []
        try:
            revision, base = self._asked(kind, start, end, keep, contour)
        except JupymuseError as exc:
            if not background:
                raise
            self.say(str(exc), error=True)
            return []
        return self._start(revision.label, None, base, background, overrides, f"{revision.label}: ", revision)

    def _asked(
        self, kind: Literal["fill", "vary"], start: int | None, end: int | None, keep: str, contour: bool
    ) -> tuple[Revision, Melody]:
        """The checked revision and the melody it rewrites: the one shown, or while a Fill or Vary of the same
        span is browsed the melody it rewrote (a new batch replaces it, as Generate's do).

        Raises:
            SettingError: no span, an edge inside a note, a span past the end, nothing to vary (named).
        """
        with self._lock:
            s, e = self._chosen_span(start, end)
            shown = self._doc.candidates
            same = shown.revision is not None and (shown.revision.start, shown.revision.end) == (s, e)
            base = shown.primer if same and shown.primer is not None else self._doc.melody
        verb = "fill" if kind == "fill" else "vary"
        where = span_text(s, e, base.steps_per_bar) if e > s >= 0 else f"[{s}, {e})"
        try:
            gap: Gap = find_gap(base, s, e, base.steps_per_quarter)
        except JupymuseError as exc:
            raise SettingError(f"Cannot {verb} {where}: {exc}") from None
        if kind == "vary" and not gap.inside:
            raise SettingError(f"Cannot vary {where}: no note starts there (Fill writes notes into an empty span)")
        keeping: Literal["rhythm", "pitches"] = "pitches" if keep == "pitches" else "rhythm"
        return Revision(kind, s, e, base.steps_per_bar, keeping, contour), base
