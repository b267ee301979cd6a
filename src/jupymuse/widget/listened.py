"""What the roll and the score draw for "which earlier notes did the model listen to": the state both share.

A model's attribution of one note (``model.attribution``, in :mod:`jupymuse.models.attribution`) becomes
this plain value: the explained note's index and, for each earlier note shown, its index and its bits
toward the explained note's pitch and its rhythm (length). The roll draws arcs from those notes to the
explained one (thickness = bits), the score marks the same notes. It is synced as JSON, so the check
here is the one gate for both widgets, whether the value comes from Python or from a page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

from ..errors import SettingError

MAX_SOURCES = 4096
"""Most earlier notes one explanation may list (a melody may be explained up to this many notes)."""
MAX_BITS = 1000.0
"""Largest contribution, in bits, either way (a real one is a few bits; escape events reach ~30)."""


@dataclass(frozen=True)
class Source:
    """One earlier note and what it gave to the explained note, in bits."""

    index: int
    pitch: float
    rhythm: float

    @property
    def bits(self) -> float:
        """The whole contribution (pitch and rhythm)."""
        return self.pitch + self.rhythm


@dataclass(frozen=True)
class Listened:
    """The explained note and the earlier notes shown for it (largest contributions first)."""

    note: int
    sources: tuple[Source, ...]

    def to_state(self) -> dict[str, Any]:
        """The synced JSON value: ``{"note": i, "sources": [[j, pitch_bits, rhythm_bits], ...]}``."""
        return {"note": self.note, "sources": [[s.index, s.pitch, s.rhythm] for s in self.sources]}


NOTHING: dict[str, Any] = {}
"""The synced value when nothing is explained."""


def listened(value: object, n_notes: int) -> Listened | None:
    """``value`` (a synced state, or None/{} for nothing) checked against a melody of ``n_notes`` notes.

    Raises:
        SettingError: not the shape above, an index that is not an earlier note, a figure that is not a
            finite number within ``MAX_BITS``, or more than ``MAX_SOURCES`` sources; the message says which.
    """
    if value is None or (isinstance(value, Mapping) and not value):
        return None
    if not isinstance(value, Mapping) or set(value) != {"note", "sources"}:
        raise SettingError('listened must be {} or {"note": index, "sources": [[index, pitch bits, rhythm bits], ...]}')
    note = _index(value["note"], "listened note", n_notes)
    rows = value["sources"]
    if not isinstance(rows, Sequence) or isinstance(rows, str | bytes):
        raise SettingError("listened sources must be a list of [index, pitch bits, rhythm bits]")
    if len(rows) > MAX_SOURCES:
        raise SettingError(f"listened may list at most {MAX_SOURCES} earlier notes, not {len(rows)}")
    return Listened(note, tuple(_source(row, note) for row in rows))


def _index(value: object, what: str, limit: int) -> int:
    if not isinstance(value, Integral) or isinstance(value, bool) or not 0 <= int(value) < limit:
        raise SettingError(f"{what} must be a note index from 0 to {limit - 1}, not {value!r}"[:200])
    return int(value)


def _source(row: object, note: int) -> Source:
    if not isinstance(row, Sequence) or isinstance(row, str | bytes) or len(row) != 3:
        raise SettingError(f"each listened source must be [index, pitch bits, rhythm bits], not {row!r}"[:200])
    index = _index(row[0], "a listened source (an earlier note)", note)
    bits = []
    for figure in row[1:]:
        ok = isinstance(figure, Real) and not isinstance(figure, bool) and math.isfinite(float(figure))
        if not ok or abs(float(figure)) > MAX_BITS:
            raise SettingError(f"listened bits must be finite numbers within ±{MAX_BITS:g}, not {figure!r}"[:200])
        bits.append(float(figure))
    return Source(index, bits[0], bits[1])
