"""Where the GRU would end a melody: P(end) before each event and after the last, style strength applied.

``ending="model"`` and the cadence read these to choose where a continuation stops and on which pitch
class (see :mod:`jupymuse.models.ending_choice`). Always the numpy engine: one pass over the melody.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..music import Melody
from .guidance import guide, is_guided

if TYPE_CHECKING:
    from .gru import GRUModel


def end_hazards(model: GRUModel, melody: Melody, style: np.ndarray | None, strength: float) -> np.ndarray:
    """P(the melody ends) before each event of ``melody`` and after its last: shape (events + 1,).

    With a style at a strength other than 1, the end is guided like every other choice: its log
    probability among all next events (pitches and the end) is pushed from no style through the style.
    """
    net = model._numpy_engine()
    arrays = tuple(np.asarray(a, np.int64) for a in model._inputs_after(melody))

    def everything(weights: np.ndarray | None) -> np.ndarray:  # ln P over the pitches and the end
        pitch_lp, end_lp, _ = net.score(arrays[0], arrays[1], arrays[2], weights)
        going_on = np.log1p(-np.minimum(np.exp(end_lp), 1 - 1e-12))
        return np.concatenate([pitch_lp + going_on[:, None], end_lp[:, None]], axis=1)

    styled = everything(style)
    if is_guided(style, strength):
        styled = guide(styled, everything(None), strength)
    return np.asarray(np.exp(styled[:, -1]))
