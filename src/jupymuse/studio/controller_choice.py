"""The Studio controller's choices: the model, the corpus the Markov chains fit on, and the settings.

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`). A Markov chain not fitted
yet is fitted in a worker thread when chosen; every choice ends by explaining again (the why-views
follow the model and settings in use).
"""

from __future__ import annotations

import threading

from ..errors import JupymuseError
from ..models.protocol import MelodyModel
from .controller_state import ControllerState
from .events import ModelsChanged
from .settings import Settings


class StudioChoice(ControllerState):
    """``configure``, ``choose``, ``use``, ``set_corpus`` and ``prepare``."""

    def configure(self, settings: Settings, *, explain: bool = True) -> None:
        """Use ``settings`` from now on (the why-views are redrawn when they change)."""
        with self._lock:
            old, self._settings = self._settings, settings
        if explain and settings.changes_explanation(old):
            self._refresh()

    def choose(self, label: str, *, background: bool = True) -> None:
        """Use the model labelled ``label`` (one of :attr:`labels`).

        A Markov chain not fitted yet is fitted in a worker thread (``background=False``: now); a
        Generate started meanwhile waits for that fit.
        """
        with self._lock:
            changed = self._choice.choose(label)
            if changed:
                self._emit(ModelsChanged(self.labels, label))
        if changed:
            self._refresh(background)

    def use(self, model: MelodyModel) -> str:
        """Offer ``model`` and choose it; returns its label."""
        with self._lock:
            label = self._choice.add(model)
            self._choice.choose(label)
            self._emit(ModelsChanged(self.labels, label))
        self.explain()
        return label

    def set_corpus(self, name: str, *, background: bool = True) -> None:
        """Fit the Markov chains on corpus ``name`` from now on (a chosen one at once, in a worker thread)."""
        with self._lock:
            self._choice.set_corpus(name)
        self._refresh(background)

    def prepare(self) -> threading.Thread:
        """Get the chosen model ready in a worker and fill the why-views, so they show from the start.

        The shipped GRU loads (a fraction of a second: the numpy engine compiles nothing), a Markov
        chain is fitted, any other model just explains; nothing blocks the caller, and a Generate
        started meanwhile waits for the same load (never a second one).
        """
        if self._choice.needs_fit():
            return self._workers.start("Fitting", self._fit, self._choice.chosen, busy=False)
        return self._workers.start("Explaining", self.explain, busy=False)

    def _refresh(self, background: bool = True) -> None:
        """Explain again; a Markov chain still to fit is fitted first, in a worker thread that then explains."""
        if background and self._choice.needs_fit():
            self._workers.start("Fitting", self._fit, self._choice.chosen, busy=False)
        else:
            self.explain()

    def _fit(self, label: str) -> None:
        if self._choice.chosen != label:  # chosen away meanwhile: fitted when next chosen
            return
        corpus = self._choice.corpus
        news = self._news(label, corpus)
        try:
            self._choice.get(label, on_fit=news, on_fitted=news)
        except JupymuseError as exc:  # a failed fit too is said only while its model is still chosen
            self._say_if_chosen(label, corpus, str(exc), error=True)
            return
        self.explain()
