"""The checks every synced trait of ``PianoRoll`` goes through, whoever writes it: Python or the page.

The page can write any synced trait (ipywidgets applies its state updates with ``set_state``), so
each one the page could change is checked here with the same rules as the ``set-notes`` message
(``codec.canonical_rows``) and ``Melody`` (grid, tempo, time signature, key). The ``key`` trait is the
key's name (the page shows it): text read by the music layer's ``Key.parse`` and kept as ``Key`` writes
it (``"g major"`` becomes ``"G major"``); a ``Key`` given from Python is taken as its name. A refused
value raises :class:`RollSettingError`, which is both ipywidgets' usual ``TraitError`` and a ``JupymuseError``.
Two are corrected instead: a ``selected`` index past the notes (a page a step behind) becomes -1,
and a long ``error``/``audio_status`` is cut; an empty ``selection`` span is kept as ``(0, 0)``.
``listened`` (the arcs of "what the model listened to") goes through :func:`.listened.listened`, the one
gate the roll and the score share, and is kept in its plain form; ``shading_scale`` names the colour
scale of ``shading``.
"""

from __future__ import annotations

from typing import Any, Final

import traitlets

from ..errors import InvalidNoteError, NotationError, SettingError
from ..music.key import Key
from ..music.melody import MAX_TEMPO, MIN_TEMPO, check_steps_per_quarter, check_time_signature
from ..music.note import MAX_STEPS
from .codec import canonical_rows
from .listened import listened

RANGES: Final[dict[str, tuple[float, float, str]]] = {
    "program": (0, 127, "(a General MIDI program)"),
    "velocity": (1, 127, "(MIDI velocity)"),
    "tempo": (MIN_TEMPO, MAX_TEMPO, "quarter notes per minute"),
    "snap": (0, 64, "sixteenths (0 = free)"),
    "height": (80, 4000, "pixels"),
    "accent_from": (-1, MAX_STEPS, "(a step, or -1 for none)"),
    "accent_to": (-1, MAX_STEPS, "(a step, or -1 for the melody's end)"),
}
"""Numeric traits and their inclusive ranges."""
TEXT_LIMITS: Final[dict[str, int]] = {"key": 100, "audio_status": 300, "error": 2000}
"""Longest text of each text trait, in characters (longer ``audio_status``/``error`` is cut)."""
MAX_NOTE_LENGTH: Final = 64.0
"""Longest note a click draws, in sixteenth notes (four whole notes); the shortest is anything above 0."""
CHECKED: Final = (
    *RANGES,
    *TEXT_LIMITS,
    "notes",
    "shading",
    "selected",
    "steps_per_quarter",
    "time_signature",
    "note_length",
    "shading_scale",
    "listened",
    "selection",
)
"""Every synced trait with a check beyond its type (the booleans need none)."""
SHADING_SCALES: Final = ("surprise", "evidence")
"""The colour scales of ``shading``: surprise (0-8 bits, green to red) or style evidence (diverging at 0)."""


class RollSettingError(SettingError, traitlets.TraitError):
    """A value a piano roll refuses (from Python or the page): a ``TraitError`` and a ``JupymuseError``."""


class _Refusing:
    """A trait whose type check raises :class:`RollSettingError` (traitlets' own raises a bare TraitError)."""

    def validate(self, obj: Any, value: Any) -> Any:
        try:
            return super().validate(obj, value)  # type: ignore[misc]
        except RollSettingError:
            raise
        except traitlets.TraitError as exc:
            raise RollSettingError(str(exc)) from None


class Int(_Refusing, traitlets.Int):  # type: ignore[type-arg]
    """``traitlets.Int`` refusing with a RollSettingError."""


class Float(_Refusing, traitlets.Float):  # type: ignore[type-arg]
    """``traitlets.Float`` refusing with a RollSettingError."""


class Bool(_Refusing, traitlets.Bool):  # type: ignore[type-arg]
    """``traitlets.Bool`` refusing with a RollSettingError."""


class Unicode(_Refusing, traitlets.Unicode):  # type: ignore[type-arg]
    """``traitlets.Unicode`` refusing with a RollSettingError."""


class Bytes(_Refusing, traitlets.Bytes):
    """``traitlets.Bytes`` refusing with a RollSettingError."""


class Tuple(_Refusing, traitlets.Tuple):
    """``traitlets.Tuple`` refusing with a RollSettingError."""


class Listened(_Refusing, traitlets.Dict):
    """The ``listened`` trait: ``{}`` or ``{"note": i, "sources": [[j, pitch bits, rhythm bits], ...]}``
    (the page reads it as ``Listened``, ``js/src/protocol.ts``)."""


class KeyName(Unicode):
    """The ``key`` trait: text, the key's name; a :class:`~jupymuse.music.key.Key` is taken as its name."""

    def validate(self, obj: Any, value: Any) -> Any:
        return super().validate(obj, str(value) if isinstance(value, Key) else value)


def bytes_from_page(value: Any, _widget: Any) -> Any:
    """ipywidgets' ``from_json`` for byte traits: buffers arrive as ``memoryview``."""
    return bytes(value) if isinstance(value, memoryview | bytearray) else value


def key_name(text: str) -> str:
    """Key text as the roll keeps it: "" (no key) or the name of the key it reads as (``"G major"``).

    Raises:
        RollSettingError: text past its limit, or that ``Key.parse`` does not read (its words, naming the text).
    """
    limit = TEXT_LIMITS["key"]
    if len(text) > limit:
        raise RollSettingError(f"key must be a key name such as 'G major' (at most {limit} characters)")
    if not text:
        return ""
    try:
        return str(Key.parse(text))
    except NotationError as exc:
        raise RollSettingError(f"key: {exc}") from None


def check_trait(name: str, value: Any, n_notes: int) -> Any:
    """``value`` for trait ``name`` as the roll keeps it, for a roll holding ``n_notes`` notes.

    Raises:
        RollSettingError: the value is out of range; the message names the trait and the limit.
    """
    try:
        return _check(name, value, n_notes)
    except InvalidNoteError as exc:
        reason = str(exc)
        raise RollSettingError(reason if reason.startswith(name) else f"{name}: {reason}") from None


def _check(name: str, value: Any, n_notes: int) -> Any:
    if name == "notes":
        return canonical_rows(value)
    if name == "steps_per_quarter":
        return check_steps_per_quarter(value)
    if name == "time_signature":
        return check_time_signature(value)
    if (name in RANGES or name == "selected") and isinstance(value, bool):  # an Int trait takes True as 1
        raise RollSettingError(f"{name} must be a number, not {value}")
    if name == "note_length":
        if not 0 < value <= MAX_NOTE_LENGTH:  # NaN fails too
            raise RollSettingError(
                f"note_length must be more than 0 and at most {MAX_NOTE_LENGTH:g} sixteenth notes, not {value}"
            )
        return value
    if name in RANGES:
        low, high, unit = RANGES[name]
        if not low <= value <= high:  # NaN fails too
            raise RollSettingError(f"{name} must be {low:g}-{high:g} {unit}, not {value}")
        return value
    if name == "key":
        return key_name(value)
    if name in TEXT_LIMITS:
        return value[: TEXT_LIMITS[name]]
    if name == "selected":  # an index from a page a step behind (the notes just changed) selects nothing
        return value if 0 <= value < n_notes else -1
    if name == "selection":
        return _selection(value)
    if name == "shading_scale":
        if value not in SHADING_SCALES:
            raise RollSettingError(f"shading_scale must be one of {', '.join(SHADING_SCALES)}, not {value!r}"[:200])
        return value
    if name == "listened":
        return _listened(value, n_notes)
    if name == "shading":
        count, rest = divmod(len(value), 4)
        if rest or count not in (0, n_notes):
            raise RollSettingError(
                f"shading must be one float32 per note ({4 * n_notes} bytes for {n_notes} notes), not {len(value)}"
            )
        return value
    raise KeyError(name)


def _selection(value: Any) -> tuple[int, int]:
    """The ``selection`` span ``(start, end)`` as the roll keeps it: ``(0, 0)`` when empty.

    Raises:
        RollSettingError: not two whole steps with ``0 <= start <= end <= MAX_STEPS``.
    """
    start, end = value
    if any(isinstance(v, bool) for v in value) or not 0 <= start <= end <= MAX_STEPS:
        raise RollSettingError(
            f"selection must be a span of steps (start, end) with 0 <= start <= end <= {MAX_STEPS:,}, "
            f"not {tuple(value)!r}"[:200]
        )
    return (start, end) if start < end else (0, 0)


def _listened(value: Any, n_notes: int) -> dict[str, Any]:
    """The ``listened`` value as the roll keeps it (its plain form), checked against ``n_notes`` notes."""
    try:
        checked = listened(value, n_notes)
    except SettingError as exc:
        raise RollSettingError(str(exc)) from None
    return {} if checked is None else checked.to_state()
