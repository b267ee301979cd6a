"""How many batches a Studio training will run, told by Keras before the first batch.

The Studio's bar counts batches done out of all the epochs' batches (not epochs begun), so it needs
the epoch length from the start. Keras knows it (``GRUModel.fit`` gives its data a known length when
the melodies are in memory) and hands it to every callback in ``params``. Imported only to train
(it imports Keras), after ``GRUModel.fit``'s quiet TensorFlow import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras


class StepCount(keras.callbacks.Callback):  # type: ignore[misc]
    """Tells ``planned(batches_per_epoch, epochs)`` when training begins (batches None: not known)."""

    def __init__(self, planned: Callable[[int | None, int], None]) -> None:
        super().__init__()
        self._planned = planned

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        steps, epochs = self.params.get("steps"), self.params.get("epochs")
        self._planned(int(steps) if steps else None, int(epochs or 0))
