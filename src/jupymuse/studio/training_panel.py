"""The Studio's Training tab as ipywidgets: Train, Epochs, the bar and its words, Stop, the live curve,
the end-of-training offer (Use the new model / Keep the current model) and the bits table.

The ``Studio`` makes one and hands it the controller's training events on the kernel's main thread
(``draw``); the offer and where the last training ended are the controller's state, read when a
training, model or status event arrives (a choice is said in the status line after it is made).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as w

from ..errors import JupymuseError
from . import svg, views
from .events import CurveChanged, StudioEvent, TableChanged, TrainingChanged
from .layout import STYLE, fits, row, sized
from .training_view import offer_panel, progress_words

if TYPE_CHECKING:
    from .controller import StudioController


class TrainingPanel:
    """The Training tab's controls and views for ``controller``; Train trains on ``corpus()``."""

    def __init__(self, controller: StudioController, corpus: Callable[[], str]) -> None:
        self.controller = controller
        self._corpus = corpus
        self.running = False
        """The widgets show a training running (its end shows the offer)."""
        self.train_button = w.Button(
            description="Train a GRU",
            icon="graduation-cap",
            tooltip="Teach a new network the melodies of the chosen corpus; the model in use stays until you choose",
            layout=fits(),
        )
        self.epochs = w.IntSlider(value=5, min=1, max=50, description="Epochs", style=STYLE, layout=sized("300px"))
        self.progress = w.FloatProgress(
            value=0, min=0, max=1, description="Training", layout=w.Layout(visibility="hidden", max_width="100%")
        )
        self.percent = w.HTML("", layout=fits("40px"))  # "37% of all batches", "stopped at 37%"
        self.percent.add_class("jm-train-percent")
        self.stop_button = w.Button(
            description="Stop training",
            disabled=True,
            button_style="warning",
            tooltip="End training after this batch; the best version so far is offered, never swapped in unasked",
            layout=fits(),
        )
        self.curve = w.HTML(svg.loss_curve([], []), layout=w.Layout(max_width="100%"))
        self.offer_view = w.HTML("", layout=w.Layout(max_width="100%"))
        self.use_button = w.Button(
            description="Use the new model",
            button_style="success",
            tooltip="Swap the newly trained model in: Generate and the why-views use it from now on",
            layout=fits(),
        )
        self.keep_button = w.Button(
            description="Keep the current model",
            tooltip="Go on with the model in use; the newly trained one is set aside",
            layout=fits(),
        )
        self.offer = w.VBox([self.offer_view, row([self.use_button, self.keep_button])])
        self.offer.layout.display = "none"
        self.offer.add_class("jm-training-offer")
        self.table = w.HTML("")
        self.view = w.VBox(
            [
                row([self.train_button, self.epochs, self.progress, self.percent, self.stop_button]),
                self.curve,
                self.offer,
                self.table,
            ]
        )
        self.view.add_class("jm-training-tab")
        self.train_button.on_click(lambda _: self._train_clicked())
        self.stop_button.on_click(lambda _: self.stop())
        self.use_button.on_click(lambda _: controller.use_trained())
        self.keep_button.on_click(lambda _: controller.keep_current())

    def _train_clicked(self) -> None:
        with contextlib.suppress(JupymuseError):  # refused (one at a time): the status line says why
            self.controller.train(self._corpus(), epochs=int(self.epochs.value))

    def stop(self) -> None:
        """Stop training after this batch (the button is pressed once: a second press would change nothing)."""
        self.controller.stop_training()
        self.stop_button.disabled = True

    # ------------------------------------------------------------------ controller -> widgets
    def draw(self, event: StudioEvent) -> None:
        """Show a training event (``TrainingChanged``, ``CurveChanged``, ``TableChanged``); others redraw the offer."""
        match event:
            case TrainingChanged(running):
                self.running = running
                self.stop_button.disabled = not running
                self.train_button.disabled = running  # one training at a time
                if running:
                    self.progress.layout.visibility = "visible"
                self._draw_percent()
                self.draw_offer()
            case CurveChanged(batches, vals, progress):
                self.curve.value = svg.loss_curve(batches, vals)
                if progress is not None:  # batches done of all the epochs' batches: 100% only when all ran
                    self.progress.value = progress
                    self._draw_percent()
            case TableChanged(rows):
                self.table.value = svg.bits_table(rows)
            case _:
                self.draw_offer()

    def _draw_percent(self) -> None:
        """The words beside the bar: how far the running training is, or where the last one ended."""
        end = None if self.running else self.controller.last_end
        self.percent.value = views.status(progress_words(self.progress.value, self.running, end))

    def draw_offer(self) -> None:
        """The end-of-training panel from the controller's offer; its buttons only while it waits for a choice."""
        shown = None if self.running else self.controller.last_offer
        self.offer_view.value = offer_panel(shown)
        self.offer.layout.display = "none" if shown is None else ""
        waiting = shown is not None and not shown.chosen
        self.use_button.disabled = self.keep_button.disabled = not waiting
        self.use_button.layout.display = self.keep_button.layout.display = "" if waiting else "none"
