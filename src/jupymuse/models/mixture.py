"""IDyOM's entropy-weighted combination of models' predictions (Pearce 2005, ch. 6).

Each model m gives a distribution P_m over the same symbols; a model that is sure of itself (low
entropy) weighs more. With the relative entropy H_rel(P_m) = H(P_m) / H_max (H_max = log2 of the
number of symbols) and the bias b >= 0, the weight is w_m = H_rel(P_m) ** (-b): b = 0 is a plain
average, a large b trusts the surest model almost alone. An optional prior weight per model
multiplies w_m (IDyOM has none: all 1; a prior of 0 leaves a model out). Two rules combine them:

- arithmetic: P(s) = sum_m w_m P_m(s) / sum_m w_m
- geometric:  P(s) = (1/R) prod_m P_m(s) ** (w_m / sum_m w_m), R normalising

Every input row is first normalised and floored (``floor`` spread uniformly), so no combined
probability is ever 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from .. import arguments
from ..errors import SettingError

Combination = Literal["arithmetic", "geometric"]
METHODS: tuple[Combination, ...] = ("arithmetic", "geometric")
"""The combination rules."""
FLOOR = 1e-4
"""Probability spread uniformly over the symbols in every model's row before combining."""
MIN_RELATIVE_ENTROPY = 1e-6
"""Relative entropy below this counts as this (a certain model gets a large, finite weight)."""


def floored(rows: np.ndarray, floor: float = FLOOR) -> np.ndarray:
    """``rows`` (..., symbols) normalised to sum to 1, then mixed with ``floor`` of the uniform distribution."""
    floor = arguments.number(floor, "floor", 0, 1)
    rows = probabilities(rows, "rows")
    total = rows.sum(axis=-1, keepdims=True)
    uniform = 1.0 / rows.shape[-1]
    normal = np.divide(rows, total, out=np.full_like(rows, uniform), where=total > 0)
    return np.asarray((1 - floor) * normal + floor * uniform)


def probabilities(rows: object, name: str) -> np.ndarray:
    """``rows`` as a float array (..., symbols) of at least one dimension, finite and not negative."""
    out = arguments.array(rows, name, range(1, 33))
    if out.shape[-1] < 1:
        raise SettingError(f"{name} must be an array (..., symbols) with at least one symbol, not shape {out.shape}")
    if np.any(out < 0):
        raise SettingError(f"{name}: probabilities must not be negative")
    return out


def relative_entropy(rows: np.ndarray) -> np.ndarray:
    """H(P) / log2(symbols) of each row of ``rows`` (..., symbols): 0 (certain) to 1 (uniform)."""
    rows = probabilities(rows, "rows")
    logs = np.log2(rows, out=np.zeros_like(rows), where=rows > 0)
    h = -(rows * logs).sum(axis=-1)
    return np.asarray(np.clip(h / np.log2(rows.shape[-1]), MIN_RELATIVE_ENTROPY, 1.0))


def entropy_weights(models: Sequence[np.ndarray], bias: float, prior: Sequence[float] | None = None) -> np.ndarray:
    """The weights prior_m * H_rel(P_m) ** (-bias), normalised to sum to 1: shape (models, ...)."""
    return weights_of([relative_entropy(m) for m in arguments.items(models, "models")], bias, prior)


def weights_of(h_rel: Sequence[np.ndarray], bias: float, prior: Sequence[float] | None = None) -> np.ndarray:
    """:func:`entropy_weights` from the models' relative entropies (each in (0, 1], one shape)."""
    rows = [arguments.array(h, "h_rel", range(0, 33)) for h in arguments.items(h_rel, "h_rel")]
    if not rows or any(h.shape != rows[0].shape or np.any(h <= 0) for h in rows):
        raise SettingError("h_rel must hold one array of relative entropies per model (above 0, one shape)")
    return _weights(rows, bias, prior)


def _weights(h_rel: Sequence[np.ndarray], bias: object, prior: Sequence[float] | None) -> np.ndarray:
    """:func:`weights_of` with the relative entropies already checked."""
    bias = arguments.number(bias, "bias", 0)
    if prior is None:
        prior = [1.0] * len(h_rel)
    else:
        prior = [arguments.number(p, "prior weight", 0) for p in arguments.items(prior, "prior")]
    if len(prior) != len(h_rel) or not sum(prior) > 0:
        raise SettingError(f"prior needs one weight >= 0 per model ({len(h_rel)}), not all 0, not {prior}")
    w = np.stack([p * h ** (-bias) for h, p in zip(h_rel, prior, strict=True)])
    return np.asarray(w / w.sum(axis=0, keepdims=True))


class Floored:
    """Models' rows floored once, with their relative entropies and logs: many mixes, quickly."""

    def __init__(self, models: Sequence[np.ndarray], floor: float = FLOOR) -> None:
        models = arguments.items(models, "models")
        if not models:
            raise SettingError("combine needs at least one model's distributions")
        self.rows = [floored(m, floor) for m in models]
        if any(r.shape != self.rows[0].shape for r in self.rows):
            raise SettingError(f"the models' distributions differ in shape: {[r.shape for r in self.rows]}")
        self.h_rel = [relative_entropy(r) for r in self.rows]
        self._logs: list[np.ndarray] | None = None

    def mix(self, bias: float, method: Combination, prior: Sequence[float] | None = None) -> np.ndarray:
        """The combined rows (see :func:`combine`)."""
        method = arguments.choice(method, "method", METHODS)  # type: ignore[assignment]
        w = _weights(self.h_rel, bias, prior)[..., None]
        if method == "arithmetic":
            out = sum(wm * r for wm, r in zip(w, self.rows, strict=True))
        else:  # geometric
            if self._logs is None:
                self._logs = [np.log(r) for r in self.rows]
            log_mix = sum(wm * lg for wm, lg in zip(w, self._logs, strict=True))
            out = np.exp(log_mix - np.max(log_mix, axis=-1, keepdims=True))
        out = np.asarray(out)
        return np.asarray(out / out.sum(axis=-1, keepdims=True))


def combine(
    models: Sequence[np.ndarray],
    bias: float = 1.0,
    method: Combination = "arithmetic",
    *,
    prior: Sequence[float] | None = None,
    floor: float = FLOOR,
) -> np.ndarray:
    """The entropy-weighted combination of the models' rows (each (..., symbols), same shape)."""
    return Floored(models, floor).mix(bias, method, prior)
