"""The Studio controller's why-views: the explanation of the selected note and the bits-per-note table.

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`): the same lock, state and
events (``controller_state.py``); kept apart so each file holds one concern.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import JupymuseError
from ..music import Melody
from .controller_state import ControllerState
from .events import Explained, Explanation, TableChanged
from .explain import explain
from .training import bits_rows


class StudioWhy(ControllerState):
    """``explain`` and ``bits_table``."""

    def explain(self) -> Explanation | None:
        """Recompute the why-views' data and report it (nothing while a training runs).

        A model's refusal (a ``JupymuseError``) is reported as a status, not raised.
        """
        with self._lock:
            if self._training is not None:
                return None
            asked = (self._doc.melody, self._selected, self._settings, self._choice.chosen)
        try:
            explanation = explain(self.model, *asked[:3])
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

    def bits_table(self, melodies: Iterable[Melody]) -> list[tuple[str, float, float]]:
        """Bits per note on ``melodies`` of every model made so far: (label, pitch, note) rows, reported."""
        rows = bits_rows(self.models(), melodies)
        self._emit(TableChanged(tuple(rows)))
        return rows
