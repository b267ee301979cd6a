"""IDyOM's short-term model: a PPM model that learns from the melody it is predicting, as it unfolds.

The long-term model (a Markov chain or the GRU) knows the corpus; the short-term model (STM) knows
only the notes of this melody heard so far, so it predicts a motif or phrase that comes back. It
starts empty for each melody and, before every event, gives a distribution over the 129 pitch
symbols (MIDI pitches 0-127 and ``REST``); after the event it counts it.

It is a variable-order (PPM) model with blending (Pearce 2005, ch. 6; Cleary & Witten 1984):
with the contexts of order 0..K that end the history and have been seen before,

    P_k(s) = (c_k(s) + E_k * P_{k-1}(s)) / (N_k + E_k),   P_{-1} = the base distribution

where ``c_k(s)`` is how often ``s`` followed the order-k context, ``N_k`` their sum and ``E_k`` the
escape count: the number of distinct symbols seen there (method C) or the number seen exactly once
plus one (method AX). With update exclusion a symbol is counted only in the contexts from the
highest order down to the one that already predicted it. The context is the previous pitches
(``context="pitch"``, IDyOM's cpitch) or the previous notes, pitch and duration together
(``context="note"``, like IDyOM's linked viewpoint cpitch x dur): a phrase that comes back with its
rhythm is then recognised sooner and more surely. The base is uniform over ``alphabet``
(the symbols the corpus uses), with ``BASE_FLOOR`` of it spread over all 129 symbols, so no
probability is ever 0. The defaults are IDyOM's short-term model (its ``*stm-params*``): unbounded
order (``order=None``), escape AX (IDyOM's ``:x``), update exclusion, blending.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .. import arguments
from ..errors import ArgumentTypeError, SettingError
from ..music import Melody
from ..music.events import N_PITCH_SYMBOLS, melody_events

Escape = Literal["C", "AX"]
Context = Literal["pitch", "note"]
ESCAPES: tuple[Escape, ...] = ("C", "AX")
CONTEXTS: tuple[Context, ...] = ("pitch", "note")
BASE_FLOOR = 1e-3
"""Share of the base distribution spread over all 129 symbols (the rest is uniform over the alphabet)."""


def base_distribution(alphabet: Iterable[int] | None = None) -> np.ndarray:
    """The order -1 distribution: uniform over ``alphabet`` (all 129 symbols when None), never 0."""
    uniform = np.full(N_PITCH_SYMBOLS, 1.0 / N_PITCH_SYMBOLS)
    symbols = pitch_symbols(alphabet, "alphabet") if alphabet is not None else []
    if not symbols:
        return uniform
    base = np.zeros(N_PITCH_SYMBOLS)
    base[symbols] = 1.0 / len(symbols)
    return (1 - BASE_FLOOR) * base + BASE_FLOOR * uniform


def pitch_symbols(values: object, name: str) -> list[int]:
    """``values`` as sorted distinct pitch symbols (0-127 and ``REST``, 128)."""
    return sorted(
        {arguments.whole(s, f"a symbol of {name}", 0, N_PITCH_SYMBOLS - 1) for s in arguments.items(values, name)}
    )


@dataclass(frozen=True)
class ShortTermSettings:
    """How the short-term model predicts: order bound (None: unbounded), escape method, update
    exclusion, and what a context remembers (previous pitches, or notes: pitch and duration)."""

    order: int | None = None
    escape: Escape = "AX"
    update_exclusion: bool = True
    context: Context = "pitch"

    def __post_init__(self) -> None:
        if self.order is not None:
            arguments.whole(self.order, "order (None: unbounded)", 0)
        arguments.choice(self.escape, "escape", ESCAPES)
        arguments.choice(self.context, "context", CONTEXTS)
        if not isinstance(self.update_exclusion, bool):
            raise ArgumentTypeError(
                f"update_exclusion must be True or False, not {arguments.shown(self.update_exclusion)}"
            )

    @property
    def label(self) -> str:
        """A short label such as ``PPM-AX* U`` (``*`` unbounded, ``U`` update exclusion, ``note`` context)."""
        order = "*" if self.order is None else str(self.order)
        flags = (" U" if self.update_exclusion else "") + (" note" if self.context == "note" else "")
        return f"PPM-{self.escape}{order}{flags}"


def short_term_settings(value: object) -> ShortTermSettings:
    """``value`` if it is a :class:`ShortTermSettings`; IDyOM's defaults for None."""
    if value is None:
        return ShortTermSettings()
    if not isinstance(value, ShortTermSettings):
        raise ArgumentTypeError(f"settings must be ShortTermSettings or None, not {arguments.shown(value)}")
    return value


class PPM:
    """One melody's PPM model: ``distribution()`` before each symbol, ``update(symbol)`` after it.

    The history (what contexts are made of) holds the symbols themselves, or the ``element`` given
    with each (e.g. the pitch with its duration).
    """

    def __init__(self, settings: ShortTermSettings | None = None, base: np.ndarray | None = None) -> None:
        self.settings = short_term_settings(settings)
        self.base = base_distribution() if base is None else arguments.array(base, "base", 1)
        if self.base.shape != (N_PITCH_SYMBOLS,) or np.any(self.base < 0):
            raise SettingError(
                f"the base distribution needs {N_PITCH_SYMBOLS} entries of 0 or more, not shape {self.base.shape}"
            )
        self.history: list[Hashable] = []
        self._counts: dict[tuple[Hashable, ...], dict[int, int]] = {}

    def _contexts(self) -> list[tuple[Hashable, ...]]:
        """The contexts ending the history, order 0 first, up to the order bound."""
        h = self.history
        top = len(h) if self.settings.order is None else min(self.settings.order, len(h))
        return [tuple(h[len(h) - k :]) if k else () for k in range(top + 1)]

    def _escape(self, counts: dict[int, int]) -> float:
        if self.settings.escape == "C":
            return float(len(counts))
        return float(sum(1 for c in counts.values() if c == 1) + 1)

    def distribution(self) -> np.ndarray:
        """P(next symbol | the history): 129 probabilities summing to 1, none of them 0."""
        p = self.base.copy()
        for ctx in self._contexts():
            counts = self._counts.get(ctx)
            if not counts:  # a context never seen: no longer one has been seen either
                break
            n = float(sum(counts.values()))
            e = self._escape(counts)
            p *= e / (n + e)
            p[list(counts)] += np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) / (n + e)
        return p

    def update(self, symbol: int, element: Hashable | None = None) -> None:
        """Count ``symbol`` after the current history (update exclusion if set), then append
        ``element`` (``symbol`` if None) to the history."""
        symbol = arguments.whole(symbol, "symbol", 0, N_PITCH_SYMBOLS - 1)
        if element is not None and not isinstance(element, Hashable):
            raise ArgumentTypeError(
                f"element must be hashable (a number, text or tuple), not {arguments.shown(element)}"
            )
        contexts = self._contexts()
        lowest = 0
        if self.settings.update_exclusion:
            for k in range(len(contexts) - 1, -1, -1):
                if self._counts.get(contexts[k], {}).get(symbol, 0):
                    lowest = k
                    break
        for ctx in contexts[lowest:]:
            counts = self._counts.setdefault(ctx, {})
            counts[symbol] = counts.get(symbol, 0) + 1
        self.history.append(symbol if element is None else element)


def short_term_distributions(
    symbols: Sequence[int],
    settings: ShortTermSettings | None = None,
    base: np.ndarray | None = None,
    elements: Sequence[Hashable] | None = None,
) -> np.ndarray:
    """The short-term model's P(next symbol) before each of ``symbols`` and after the last: (len + 1, 129).

    ``elements`` (one per symbol) are what the contexts remember instead of the symbols.
    """
    ppm = PPM(settings, base)
    symbols = [arguments.whole(s, "a symbol", 0, N_PITCH_SYMBOLS - 1) for s in arguments.items(symbols, "symbols")]
    if elements is not None:
        elements = arguments.items(elements, "elements")
        if len(elements) != len(symbols):
            raise SettingError(f"{len(elements)} context elements for {len(symbols)} symbols: give one per symbol")
    rows = np.empty((len(symbols) + 1, N_PITCH_SYMBOLS))
    for t, s in enumerate(symbols):
        rows[t] = ppm.distribution()
        ppm.update(int(s), None if elements is None else elements[t])
    rows[len(symbols)] = ppm.distribution()
    return rows


class ShortTermModel:
    """The short-term model on melodies: it learns each melody from scratch as it reads it.

    ``pitch_distributions(melody)`` has the shape every model's has (events + 1, 129), so the
    why-views and :class:`~jupymuse.models.longshort.LongShortTermModel` can use it directly.
    """

    def __init__(self, settings: ShortTermSettings | None = None, *, alphabet: Iterable[int] | None = None) -> None:
        self.settings = short_term_settings(settings)
        self.alphabet = pitch_symbols(alphabet, "alphabet") if alphabet is not None else None
        self._base = base_distribution(self.alphabet)

    @property
    def name(self) -> str:
        """A short label, e.g. ``"short-term PPM-AX* U"``."""
        return f"short-term {self.settings.label}"

    def pitch_distributions(self, melody: Melody) -> np.ndarray:
        """P(next pitch) before each event of ``melody`` and after its last: shape (events + 1, 129)."""
        events = melody_events(arguments.melody(melody))
        elements = list(events) if self.settings.context == "note" else None
        return short_term_distributions([p for p, _ in events], self.settings, self._base, elements)
