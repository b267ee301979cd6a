"""Style guidance: how hard a style leads, by mixing the model's predictions with and without it.

The network learnt each style and, from the windows shown without their style (``STYLE_DROPOUT``), the
music of no style in particular. A primer from one style pulls the state towards that style, so a
continuation asked for in another often follows the primer instead. Guidance (as classifier-free
guidance in image and audio models, Ho & Salimans 2022) samples from

    ln P_w(x) = ln P(x | no style) + w (ln P(x | style) - ln P(x | no style)) + const,

a distribution that leans from "no style" through the style (w = 1, the model as trained) and past
it (w > 1): what the style makes likelier than usual becomes likelier still, whatever the primer.
w = 0 is no style at all. It costs a second set of GRU rows (the same events, read without the style).

Guidance shapes the pitch and the end of the melody (the pitch head); the duration of each note is
drawn from the model with the style, as trained. Guided durations pushed the rarest lengths, which
the style makes a little likelier than no style does, far past their real share: at w = 2 a Chinese
continuation came out as three notes of seven, five and four beats.
"""

from __future__ import annotations

import numpy as np

from .sampling import log_softmax


def guide(styled: np.ndarray, free: np.ndarray, strength: float) -> np.ndarray:
    """ln P_w: the log-probabilities ``styled`` (with the style) pushed ``strength`` times as far from
    ``free`` (without it), normalised over the last axis. ``strength`` 1 gives ``styled`` back."""
    return log_softmax(free + strength * (styled - free))


def is_guided(style: np.ndarray | None, strength: float) -> bool:
    """Whether a request needs the second, style-free rows: a style, at a strength other than 1."""
    return style is not None and strength != 1.0
