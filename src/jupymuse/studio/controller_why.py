"""The Studio controller's why-views: the explanation of the selected note, what the model listened
to for it, and the bits-per-note table.

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`): the same lock, state and
events (``controller_state.py``); kept apart so each file holds one concern. What the model listened
to (``listening.py``: one scoring per earlier note, up to half a second for 512) is worked out in a
worker thread, started before the why-views so both run at once; a result whose melody, selected
note, style or model changed meanwhile is dropped, and so is a refusal (a current one is said in the
status line).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import JupymuseError
from ..models.protocol import MelodyModel
from ..music import Melody
from .controller_state import ControllerState
from .events import Explained, Explanation, Heard, TableChanged
from .explain import explain
from .listening import hear
from .settings import Settings
from .training import bits_rows

NOTHING_HEARD = Heard(None)
"""What is shown while no note is selected (no arcs, no words)."""


class StudioWhy(ControllerState):
    """``explain``, ``heard`` and ``bits_table``."""

    def explain(self) -> Explanation | None:
        """Recompute the why-views' data and report it (nothing while a training runs); start working out
        what the model listened to for the selected note, when that changed.

        A model's refusal (a ``JupymuseError``) is reported as a status, not raised.
        """
        with self._lock:
            if self._training is not None:
                return None
            asked = (self._doc.melody, self._selected, self._settings, self._choice.chosen)
        try:
            model = self.model
            self._listen(model, *asked)
            explanation = explain(model, *asked[:3])
        except JupymuseError as exc:
            self.say(str(exc), error=True)
            return None
        with self._lock:
            melody, selected, settings, chosen = asked
            if (
                self._doc.melody.notes != melody.notes
                or self._selected != selected
                or settings.changes_explanation(self._settings)
                or self._choice.chosen != chosen
            ):
                return None  # out of date: the change that made it so explains again
            self._emit(Explained(explanation))
        return explanation

    @property
    def heard(self) -> Heard:
        """What the model listened to for the selected note, as last reported (nothing while none is selected)."""
        return self._heard

    def _listen(self, model: MelodyModel, melody: Melody, selected: int, settings: Settings, chosen: str) -> None:
        """Clear the arcs and start a worker for the selected note's, unless they are shown or on their way."""
        style = settings.for_model(model).style
        key = (melody.notes, selected, repr(style), chosen, id(model))
        with self._lock:
            if key == self._heard_key:
                return
            self._heard_key = key
            self._heard_ticket += 1
            ticket = self._heard_ticket
            if self._heard.attribution is not None:
                self._heard = NOTHING_HEARD
                self._emit(NOTHING_HEARD)
        if 0 <= selected < len(melody.notes):
            self._workers.start("Listening", self._hear, ticket, model, melody, selected, style, busy=False)

    def _hear(self, ticket: int, model: MelodyModel, melody: Melody, selected: int, style: object) -> None:
        """In a worker: what ``model`` listened to; reported only while it is still the one asked for."""
        if ticket != self._heard_ticket:
            return  # asked again before it started
        try:
            heard = hear(model, melody, selected, style)
        except JupymuseError as exc:
            with self._lock:
                if ticket == self._heard_ticket:
                    self.say(f"What the model listened to: {exc}", error=True)
            return
        with self._lock:
            if ticket == self._heard_ticket:
                self._heard = heard
                self._emit(heard)

    def bits_table(self, melodies: Iterable[Melody]) -> list[tuple[str, float, float]]:
        """Bits per note on ``melodies`` of every model made so far: (label, pitch, note) rows, reported."""
        rows = bits_rows(self.models(), melodies)
        self._emit(TableChanged(tuple(rows)))
        return rows
