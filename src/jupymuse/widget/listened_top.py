"""Which of a note's contributions the roll draws as arcs (and the score marks): the strongest few.

A model's attribution gives every earlier note a figure in bits, most of them near zero; drawn all,
a long melody would be a fan of hairlines. The roll shows ``TOP_SOURCES`` earlier notes worth at least
``LEAST_BITS``: first the notes the explained note relies on together (``Attribution.together``, the
set whose removal costs most), then the largest other whole contributions (pitch + rhythm).
Notes that made the explained note *less* expected (a negative whole contribution) are never drawn;
the Studio's text names contributions with their signs. Within a drawn source, a pitch or rhythm part
that is negative is drawn as nothing (its arc is left out), so a drawn arc always means "this note
helped the model expect that one", as thick as the bits it gave.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from ..errors import SettingError
from .listened import Listened, Source

TOP_SOURCES: Final = 8
"""Most earlier notes drawn for one explained note."""
LEAST_BITS: Final = 0.05
"""Smallest whole contribution drawn, in bits (a twentieth of a bit: less is noise to the eye)."""


def strongest(attribution: Any, *, top: int = TOP_SOURCES, least: float = LEAST_BITS, offset: int = 0) -> Listened:
    """``top`` positive contributions of at least ``least`` bits of ``attribution`` (an object with
    ``index``, per-earlier-note ``pitch`` and ``rhythm`` arrays in bits and optionally ``together``, as
    ``model.attribution`` returns): the notes relied on together first, then the largest. ``offset`` is
    added to every index (an attribution of a window that starts at note ``offset`` of the roll's melody).

    Raises:
        SettingError: ``top`` below 1, or ``least`` not a finite number of at least 0.
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise SettingError(f"top must be a whole number of at least 1, not {top!r}"[:200])
    if isinstance(least, bool) or not isinstance(least, int | float) or not 0 <= least < float("inf"):
        raise SettingError(f"least must be a number of bits of at least 0, not {least!r}"[:200])
    try:
        index = int(attribution.index)
        pitch = np.asarray(attribution.pitch, dtype=float).ravel()
        rhythm = np.asarray(attribution.rhythm, dtype=float).ravel()
    except (AttributeError, TypeError, ValueError):
        raise SettingError(
            f"show_listened takes a model's attribution (index, pitch, rhythm), not {type(attribution).__name__}"
        ) from None
    bits = pitch + rhythm
    drawable = [int(j) for j in np.argsort(-bits, kind="stable") if bits[j] >= least and bits[j] > 0]
    together = [int(j) for j, _ in getattr(attribution, "together", ()) if int(j) in drawable]
    order = [*together, *(j for j in drawable if j not in together)][:top]
    sources = tuple(Source(j + offset, float(pitch[j]), float(rhythm[j])) for j in order)
    return Listened(index + offset, sources)
