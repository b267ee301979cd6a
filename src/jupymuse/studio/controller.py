"""``StudioController``: the studio without a screen. Melody, model, candidates, history, workers.

It imports no ipywidgets: it reads a plain ``Settings`` and reports every change to its listeners
as events (``studio/events.py``), so it runs and is tested without any front end. Background work
runs in a worker thread; the controller's own state (melody, candidates, history) changes only
under its lock, and events are sent under that lock too, so listeners see them in the order of
the changes. Listeners hear events on the thread that caused them (see ``studio/app.py`` for how
the widgets get them on the kernel's main thread).

The controller is put together from one mixin per concern, each a ``ControllerState`` (the shared
state, listeners and status line, ``controller_state.py``): ``StudioChoice`` (model, corpus,
settings), ``StudioHistory`` (edits, Undo, Redo), ``StudioGeneration`` (Generate and its
candidates), ``StudioRevision`` (Fill, Vary and New from selection, on the selected span; its
candidates are Generate's kind), ``StudioTraining`` and ``StudioWhy`` (the why-views).
"""

from __future__ import annotations

from .controller_choice import StudioChoice
from .controller_history import StudioHistory
from .controller_revision import StudioRevision
from .controller_training import StudioTraining
from .controller_why import StudioWhy


class StudioController(StudioWhy, StudioTraining, StudioRevision, StudioHistory, StudioChoice):
    """Compose with a model: Generate after a primer, Fill or Vary a span, browse candidates, Accept,
    Undo/Redo, train, explain.

    Args:
        model: ``"default"`` (the shipped GRU), ``"markov-1"``/``"markov-2"``/``"markov-3"``
            (fitted on ``corpus`` when first used), or any model object.
        melody: the starting melody (a ``Melody`` or text notation).
        corpus: the corpus the Markov choices are fitted on.
        settings: sampling and view settings (change them with :meth:`configure`); by default the
            chosen model's recommended sampling settings (``model.sampling``), 4 candidates, seed 0.
    """
