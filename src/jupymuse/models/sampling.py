"""Shaping and drawing from a next-note distribution: temperature, top-k, top-p (numpy).

The same rules serve every model so that a slider in the studio means the same thing for the Markov
chain and the GRU:

1. temperature ``T``: ``p_i ** (1/T)``, renormalised. ``T = 1`` leaves the model as it is, ``T < 1``
   sharpens toward the likeliest notes, ``T > 1`` flattens; ``T = 0`` always picks the likeliest
   (ties go to the first).
2. top-k: keep the ``k`` likeliest, zero the rest.
3. top-p (nucleus): keep the smallest set of likeliest notes whose probability reaches ``p``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ModelError, NotationError
from ..music.events import N_PITCH_SYMBOLS, REST
from ..music.key import Key

if TYPE_CHECKING:
    from .tokens import TokenScheme


@dataclass(frozen=True)
class GenerationProbs:
    """Next-pitch distributions met while generating, for the "why this note?" view.

    Both arrays have shape ``(n, steps, 129)``: candidate, step, then MIDI pitch (column 128 is the rest).
    """

    model: np.ndarray
    """What the model predicted before each generated event: no temperature, top-k/top-p, pitch range or
    scale applied, so each row sums to 1 (for every model)."""
    sampled: np.ndarray
    """The distribution the pitch was actually drawn from (after temperature, top-k, top-p, constraints)."""


def allowed_pitches(
    pitch_range: tuple[int, int] | None = None, scale: Key | str | Iterable[int] | None = None
) -> np.ndarray:
    """Boolean mask over the 129 symbols: pitches inside ``pitch_range`` and ``scale``; the rest always.

    ``scale`` is a key (a :class:`~jupymuse.music.key.Key` or its name: ``"G major"``, ``"E minor"`` as
    harmonic minor, ``"D dorian"``: its mode's scale) or pitch classes (0 = C).

    Raises:
        ModelError: a malformed range or scale.
    """
    mask = np.ones(N_PITCH_SYMBOLS, dtype=bool)
    if pitch_range is not None:
        try:
            lo, hi = (int(v) for v in pitch_range)
        except (TypeError, ValueError):
            raise ModelError(f"pitch_range must be two MIDI numbers (low, high), not {pitch_range!r}") from None
        if not 0 <= lo <= hi <= 127:
            raise ModelError(f"pitch_range must satisfy 0 <= low <= high <= 127, not {pitch_range!r}")
        mask[:lo] = False
        mask[hi + 1 : REST] = False
    if scale is not None:
        classes = scale_key(scale).pitch_classes if isinstance(scale, Key | str) else {int(c) % 12 for c in scale}
        in_scale = np.array([p % 12 in classes for p in range(REST)])
        mask[:REST] &= in_scale
    return mask


SCALE_WANTED = "key like 'G major', 'E minor' or 'D dorian', or pitch classes 0-11"
"""What ``scale=`` takes, as its error messages say."""


def scale_key(scale: Key | str) -> Key:
    """``scale`` as a key (text read by :meth:`Key.parse`), for ``scale=``.

    Raises:
        ModelError: text that is not a key (naming it and what a key is).
    """
    if isinstance(scale, Key):
        return scale
    try:
        return Key.parse(scale)
    except NotationError as exc:
        raise ModelError(f"scale must be a {SCALE_WANTED}; {exc}") from None


def check_sampling(temperature: float, top_k: int | None, top_p: float | None) -> None:
    """Raise a clear ``ModelError`` for :func:`shape`'s settings outside their range (``generate``'s are
    ``SamplingSettings``, checked once when made)."""
    if not (temperature >= 0 and np.isfinite(temperature)):
        raise ModelError(f"temperature must be 0 or more (1 = as trained), not {temperature}")
    if top_k is not None and top_k < 1:
        raise ModelError(f"top_k must be at least 1 (or None for no limit), not {top_k}")
    if top_p is not None and not 0 < top_p <= 1:
        raise ModelError(f"top_p must be in (0, 1] (or None for no limit), not {top_p}")


def shape(
    probs: np.ndarray, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None
) -> np.ndarray:
    """The distribution ``probs`` (last axis) after temperature, top-k and top-p, renormalised."""
    check_sampling(temperature, top_k, top_p)
    p = np.asarray(probs, dtype=np.float64)
    if temperature == 0:
        out = np.zeros_like(p)
        np.put_along_axis(out, np.argmax(p, axis=-1)[..., None], 1.0, axis=-1)
        return out
    if temperature != 1:
        with np.errstate(divide="ignore"):
            logp = np.log(p) / temperature
        logp -= np.max(logp, axis=-1, keepdims=True)
        p = np.exp(logp)
    if top_k is not None and top_k < p.shape[-1]:
        kth = -np.sort(-p, axis=-1)[..., top_k - 1 : top_k]
        p = np.where(p >= kth, p, 0.0)
        # ties at the k-th value could keep more than k: keep the first k by order
        keep = np.cumsum(p > 0, axis=-1) <= top_k
        p = np.where(keep, p, 0.0)
    p = p / p.sum(axis=-1, keepdims=True)
    if top_p is not None and top_p < 1:
        order = np.argsort(-p, axis=-1, kind="stable")
        sorted_p = np.take_along_axis(p, order, axis=-1)
        before = np.cumsum(sorted_p, axis=-1) - sorted_p  # mass of the strictly likelier ones
        keep_sorted = before < top_p
        keep = np.zeros_like(keep_sorted)
        np.put_along_axis(keep, order, keep_sorted, axis=-1)
        p = np.where(keep, p, 0.0)
        p = p / p.sum(axis=-1, keepdims=True)
    return np.asarray(p)


def draw(probs: np.ndarray, rng: np.random.Generator) -> int:
    """One index drawn from a 1-D distribution."""
    cdf = np.cumsum(probs)
    return int(min(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"), len(probs) - 1))


def draw_rows(probs: np.ndarray, rngs: list[np.random.Generator]) -> np.ndarray:
    """One index drawn from each row of ``probs`` (n, K), row ``i`` with ``rngs[i]``, as :func:`draw` draws."""
    cdf = np.cumsum(probs, axis=1)
    u = np.array([rng.random() for rng in rngs])[:, None] * cdf[:, -1:]
    return np.asarray(np.minimum((cdf <= u).sum(axis=1), probs.shape[1] - 1))


def to_symbols(ts: TokenScheme, dists: np.ndarray) -> np.ndarray:
    """Distributions over a token scheme's pitch indexes (last axis) as distributions over the 129 symbols."""
    out = np.zeros((*dists.shape[:-1], N_PITCH_SYMBOLS))
    out[..., ts.pitch_values] = dists
    return out


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """ln softmax over the last axis."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return np.asarray(shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True)))
