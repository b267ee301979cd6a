"""``SamplingSettings``: how a model composes, defined once for ``generate``, the command line and the Studio.

One frozen value holds every setting that shapes a continuation (temperature, top-k, top-p, the
duration settings, the key and range locks, style, ending, length) and checks each field when it is
made, with one message per bad field that names the field and its limit. A model carries its
recommended settings (``model.sampling``, stored in its file: the shipped GRU's are the ones chosen on
validation melodies); ``generate`` starts from them and applies only what it is told, the CLI builds
its flags from these fields (:data:`FIELD_HELP`, :func:`parse_text`), and the Studio's controls start
from the chosen model's. So one seed gives one melody in Python, the CLI and the Studio.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from ..errors import ModelError
from ..music.key import Key
from ..music.note import MAX_PITCH, MIN_PITCH
from .endings import ENDINGS, MAX_BARS
from .sampling import SCALE_WANTED, scale_key

MAX_GENERATE_STEPS = 8192
"""Most events one candidate gets (``length``): 32 of the GRU sampler's 256-step buffers, over an hour
of music; both models refuse more before any work."""
MAX_TEMPERATURE = 100.0
"""The highest temperature: far past it every distribution is flat already."""
MAX_TOP_K = 129
"""The largest top-k: the 128 MIDI pitches and the rest (more keeps everything anyway)."""
RANGE_MARGIN = 2
"""Semitones ``range_lock`` allows beyond the primer's lowest and highest notes."""
MAX_STYLE_STRENGTH = 8.0
"""The strongest style: past it the style's own quirks drown the music."""

Ending = Literal["cut", "model", "cadence"]
Style = str | Mapping[str, float] | None


@dataclass(frozen=True)
class SamplingSettings:
    """Every setting of a continuation, checked (``ModelError`` naming the field and its limit).

    ``SamplingSettings()`` is the model as trained (temperature 1, nothing cut off); a model's own
    recommendation is ``model.sampling``. ``settings.replace(top_p=0.9)`` gives a changed copy.
    """

    temperature: float = 1.0
    top_k: int | None = None
    top_p: float | None = None
    duration_temperature: float | None = None
    duration_top_p: float | None = None
    pitch_range: tuple[int, int] | None = None
    scale: Key | tuple[int, ...] | None = None
    key_lock: bool = False
    range_lock: bool = False
    style: Style = None
    style_strength: float = 1.0
    ending: Ending = "cut"
    length: int = 32
    bars: int | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = _CHECKS[f.name](getattr(self, f.name))
            object.__setattr__(self, f.name, value)  # normalised: tuples for lists, floats for numbers

    def replace(self, **changes: Any) -> SamplingSettings:
        """A copy with ``changes`` (field names) applied and checked.

        Raises:
            ModelError: an unknown setting (with the closest name) or a value out of its range.
        """
        for name in changes:
            if name not in _CHECKS:
                close = difflib.get_close_matches(name, list(_CHECKS), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; the settings are: {', '.join(_CHECKS)}"
                raise ModelError(f"there is no sampling setting {name!r}{hint}")
        return dataclasses.replace(self, **changes)

    @property
    def pitch_settings(self) -> tuple[float, int | None, float | None]:
        """(temperature, top-k, top-p) of the pitch choice."""
        return self.temperature, self.top_k, self.top_p

    @property
    def duration_settings(self) -> tuple[float, float | None]:
        """(temperature, top-p) of the duration choice: its own, else the pitch's."""
        t = self.temperature if self.duration_temperature is None else self.duration_temperature
        return t, self.top_p if self.duration_top_p is None else self.duration_top_p

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: what a model file stores (tuples as lists, a style mix as an object)."""
        out = dataclasses.asdict(self)
        for key in ("pitch_range", "scale"):
            if isinstance(out[key], tuple):
                out[key] = list(out[key])
        if isinstance(self.scale, Key):
            out["scale"] = str(self.scale)
        if isinstance(self.style, Mapping):
            out["style"] = dict(self.style)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SamplingSettings:
        """Settings from :meth:`to_dict` data (a model file's); every field checked (``ModelError``)."""
        return cls().replace(**data)


# ---------------------------------------------------------------------- the checks, one per field
def _fail(name: str, want: str, value: object) -> ModelError:
    text = repr(value)
    return ModelError(f"{name} must be {want}, not {text if len(text) <= 40 else text[:37] + '...'}")


def _number(name: str, lo: float, hi: float, *, open_lo: bool = False, optional: bool = False) -> Any:
    span = f"{'more than' if open_lo else 'from'} {lo:g} {'and at most' if open_lo else 'to'} {hi:g}"
    want = f"a number {span}" + (" (or None for no limit)" if optional else "")

    def check(value: object) -> float | None:
        if value is None and optional:
            return None
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or not ((value > lo) if open_lo else (value >= lo)) or value > hi:  # type: ignore[operator]
            raise _fail(name, want, value)
        return float(value)  # type: ignore[arg-type]

    return check


def _whole(name: str, lo: int, hi: int, *, optional: bool = False) -> Any:
    want = f"a whole number from {lo:,} to {hi:,}" + (" (or None)" if optional else "")

    def check(value: object) -> int | None:
        if value is None and optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise _fail(name, want, value)
        return value

    return check


def _flag(name: str) -> Any:
    def check(value: object) -> bool:
        if not isinstance(value, bool):
            raise _fail(name, "True or False", value)
        return value

    return check


def _pitch_range(value: object) -> tuple[int, int] | None:
    if value is None:
        return None
    want = f"two MIDI numbers (low, high) with {MIN_PITCH} <= low <= high <= {MAX_PITCH}"
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise _fail("pitch_range", want, value)
    lo, hi = value
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi))
    if not whole or not MIN_PITCH <= lo <= hi <= MAX_PITCH:
        raise _fail("pitch_range", want, value)
    return lo, hi


def _scale(value: object) -> Key | tuple[int, ...] | None:
    """A key (its name read by :meth:`Key.parse`) or pitch classes; a ``ModelError`` naming the field otherwise."""
    if value is None:
        return None
    if isinstance(value, Key | str):
        return scale_key(value)
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        classes = tuple(value)
        ok = classes and all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= 11 for c in classes)
        if ok:
            return tuple(sorted(set(classes)))
    raise _fail("scale", f"a {SCALE_WANTED}", value)


def _style(value: object) -> Style:
    """A style name or a mix of names with weights; whether the model knows them is checked when it composes."""
    if value is None or (isinstance(value, str) and value):
        return value
    if isinstance(value, Mapping) and value:
        from .generation import style_weight

        if not all(isinstance(name, str) for name in value):
            raise _fail("style", "a style name or a dict of names and weights of 0 or more", value)
        weights = {name: style_weight(name, w) for name, w in value.items()}
        if max(weights.values()) <= 0:
            raise ModelError("a style mix needs at least one weight above 0")
        return weights
    raise _fail("style", "a style name or a dict of names and weights of 0 or more", value)


def _ending(value: object) -> Ending:
    if value not in ENDINGS:
        raise _fail("ending", f"one of {', '.join(map(repr, ENDINGS))}", value)
    return value  # type: ignore[return-value]


_CHECKS: dict[str, Any] = {
    "temperature": _number("temperature", 0, MAX_TEMPERATURE),
    "top_k": _whole("top_k", 1, MAX_TOP_K, optional=True),
    "top_p": _number("top_p", 0, 1, open_lo=True, optional=True),
    "duration_temperature": _number("duration_temperature", 0, MAX_TEMPERATURE, optional=True),
    "duration_top_p": _number("duration_top_p", 0, 1, open_lo=True, optional=True),
    "pitch_range": _pitch_range,
    "scale": _scale,
    "key_lock": _flag("key_lock"),
    "range_lock": _flag("range_lock"),
    "style": _style,
    "style_strength": _number("style_strength", 0, MAX_STYLE_STRENGTH),
    "ending": _ending,
    "length": _whole("length", 0, MAX_GENERATE_STEPS),
    "bars": _whole("bars", 1, MAX_BARS, optional=True),
}
"""The check of each field: returns the value normalised, or raises a ``ModelError`` naming the field."""

FIELD_HELP: dict[str, str] = {
    "temperature": "randomness from 0 (always the likeliest) to 100; 1 = as learned",
    "top_k": f"sample only among the k likeliest (1 to {MAX_TOP_K})",
    "top_p": "sample only among the likeliest covering p of the probability, 0 < p <= 1",
    "duration_temperature": "randomness of the rhythm alone (none: as the temperature)",
    "duration_top_p": "top-p of the rhythm alone (none: as the top-p)",
    "pitch_range": "allow only MIDI pitches LOW..HIGH",
    "scale": 'allow only the notes of a key, e.g. "G major" or "E minor"',
    "key_lock": "stay in the primer's key (its own, else the key that holds most of its notes)",
    "range_lock": f"stay within the primer's range, give or take {RANGE_MARGIN} semitones",
    "style": "compose in one of the model's styles, or a mix such as chorale=1,irish=1",
    "style_strength": f"how hard the style leads, 0 (no style) to {MAX_STYLE_STRENGTH:g}; 1 = as learned, more "
    "lets the style outweigh a primer from another style",
    "ending": "cut after the length/bars, let the model end the melody on its final, or end on the final "
    "with a cadence (the key's tonic; in a style with modes, the model's final)",
    "length": f"events (notes or rests) to generate, 0 to {MAX_GENERATE_STEPS}",
    "bars": f"generate this many bars instead of a number of events (1 to {MAX_BARS})",
}
"""What each field means, in a line (the CLI's help and the Studio's tooltips)."""

assert set(FIELD_HELP) == set(_CHECKS) == {f.name for f in fields(SamplingSettings)}


def parse_text(name: str, text: str) -> Any:
    """The value of field ``name`` written as command-line text (``pitch_range``: one of its two numbers).

    Raises:
        ValueError: text that is not of the field's kind (the range is checked by the settings).
    """
    if name in ("temperature", "top_p", "duration_temperature", "duration_top_p", "style_strength"):
        return float(text)
    if name in ("top_k", "length", "bars", "pitch_range"):
        return int(text)
    if name == "style":
        return _style_text(text)
    return text


def _style_text(text: str) -> str | dict[str, float]:
    """A style name (``irish``) or a mix with weights (``chorale=1,irish=2``)."""
    if "=" not in text:
        if not text.strip():
            raise ValueError("must name a style, e.g. 'irish', or a mix, e.g. 'chorale=1,irish=1'")
        return text.strip()
    mix: dict[str, float] = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        try:
            value = float(weight)
        except ValueError:
            value = math.nan
        if not name.strip() or not (math.isfinite(value) and value >= 0):
            raise ValueError(f"a style mix is NAME=WEIGHT,... with weights of 0 or more, not '{text}'")
        mix[name.strip()] = value
    return mix
