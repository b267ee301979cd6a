"""Checks of the arguments users pass to jupymuse's functions, in one place.

Each check returns the value as jupymuse keeps it (an ``int``, a ``float``, a list of melodies, a
float array) or raises a :class:`~jupymuse.errors.SettingError` naming the argument, the bad value
and the limit; a value of the wrong kind (text where a number goes) raises its subclass
:class:`~jupymuse.errors.ArgumentTypeError`, which is a ``TypeError`` too. A note's values are
checked by ``music/note.py``, a model file's fields by ``models/formats.py``.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .errors import ArgumentTypeError, SettingError
from .music.melody import Melody

MAX_SHOWN = 60
"""Longest text of a bad value a message quotes."""


def shown(value: object) -> str:
    """``repr(value)``, cut to ``MAX_SHOWN`` characters, for a message."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _limits(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"


def whole(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an ``int`` (a whole number, 4.0 too), from ``low`` to ``high`` where given."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        out = int(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        out = int(float(value))
    else:  # text, a fraction, NaN, an infinity, True/False, ...
        raise ArgumentTypeError(f"{name} must be a whole number, not {shown(value)}")
    if (low is not None and out < low) or (high is not None and out > high):
        raise SettingError(f"{name} must be {_limits(low, high)}, not {out}")
    return out


def number(value: object, name: str, low: float | None = None, high: float | None = None) -> float:
    """``value`` as a finite ``float`` from ``low`` to ``high`` where given (NaN and infinities refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(f"{name} must be a number, not {shown(value)}")
    out = float(value)
    if not math.isfinite(out) or (low is not None and out < low) or (high is not None and out > high):
        limits = _limits(low, high) if low is not None or high is not None else "a finite number"
        raise SettingError(f"{name} must be {limits}, not {shown(value)}")
    return out


def choice(value: object, name: str, options: Sequence[str]) -> str:
    """``value`` if it is one of ``options`` (text)."""
    if not isinstance(value, str) or value not in options:
        raise SettingError(f"{name} must be one of {', '.join(repr(o) for o in options)}, not {shown(value)}")
    return value


def items(value: object, name: str) -> list[Any]:
    """``value``'s items as a list: any iterable but text, bytes or a mapping."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ArgumentTypeError(f"{name} must be a list (or other iterable), not {shown(value)}")
    return list(value)


def melody(value: object, name: str = "melody") -> Melody:
    """``value`` if it is a :class:`~jupymuse.music.melody.Melody`."""
    if not isinstance(value, Melody):
        raise ArgumentTypeError(f"{name} must be a Melody, not {shown(value)}")
    return value


def melodies(value: object, name: str = "melodies") -> list[Melody]:
    """``value``'s items as a list of melodies (a Corpus, a list, a generator...)."""
    out = items(value, name)
    for i, m in enumerate(out):
        if not isinstance(m, Melody):
            raise ArgumentTypeError(f"{name} must hold melodies, but item {i} is {shown(m)}")
    return out


def array(value: object, name: str, ndim: int | tuple[int, ...] | range) -> np.ndarray:
    """``value`` as a float array of ``ndim`` dimensions (or one of them), every number finite."""
    if isinstance(ndim, range):
        shapes = f"{ndim.start}-D to {ndim.stop - 1}-D"
    else:
        shapes = " or ".join(f"{d}-D" for d in ((ndim,) if isinstance(ndim, int) else ndim))
    if isinstance(value, str | bytes | Mapping) or value is None:
        raise ArgumentTypeError(f"{name} must be a {shapes} array of numbers, not {shown(value)}")
    try:
        out = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{name} must be a {shapes} array of numbers, not {shown(value)}") from None
    if out.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        raise SettingError(f"{name} must be a {shapes} array of numbers, not one of shape {out.shape}")
    if not np.all(np.isfinite(out)):
        raise SettingError(f"{name} must hold finite numbers (no NaN or infinity)")
    return out


def function(value: object, name: str) -> Callable[..., Any]:
    """``value`` if it can be called."""
    if not callable(value):
        raise ArgumentTypeError(f"{name} must be a function, not {shown(value)}")
    return value


def path(value: object, name: str = "path") -> str | os.PathLike[str]:
    """``value`` if it names a file: text or a path object, not empty."""
    if not isinstance(value, str | os.PathLike) or (isinstance(value, str) and not value):
        raise ArgumentTypeError(f"{name} must be a file path (text or pathlib.Path), not {shown(value)}")
    return value


def whole_numbers(value: object, name: str, low: int | None = None) -> np.ndarray:
    """``value`` as a 1-D ``int`` array of whole numbers (each at least ``low`` where given)."""
    out = array(value, name, 1)
    if not np.all(out == np.round(out)) or (low is not None and len(out) and out.min() < low):
        limit = f" of {low} or more" if low is not None else ""
        raise SettingError(f"{name} must be whole numbers{limit}")
    return out.astype(int)
