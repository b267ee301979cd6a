"""What a jupymuse model file says about itself, and the checks every field of it goes through.

Every model file carries a JSON header ``{"format": name, "version": n, ...}``: the Markov chain's
file is that JSON, the GRU's ``.keras`` archive holds it as ``jupymuse.json``. ``check_header``
refuses a header of another kind or from a newer jupymuse with a clear ``ModelFileError``.

The rest of a file is read as a schema with limits, before anything is built from it:
:func:`read_json` bounds the size, the nesting and the numbers of the JSON itself, and :class:`Fields`
reads each field with its type and range, so every refusal names the file, the field and the limit.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from ..errors import ModelError, ModelFileError

if TYPE_CHECKING:
    from .sampling_settings import SamplingSettings

MAX_JSON_DEPTH = 32
"""Deepest nesting of lists and objects a model file's JSON may have (ours need 5)."""
MAX_INT_DIGITS = 18
"""Longest integer (in digits) a model file's JSON may hold; every limit below fits in it."""
MB = 1024 * 1024
MAX_MARKOV_BYTES = 256 * MB
"""The largest Markov model file read (or written): its JSON takes about 20 times as much memory."""


@dataclass(frozen=True)
class FileFormat:
    """One kind of model file: its ``format`` name and the newest version this jupymuse reads (and writes)."""

    name: str
    version: int
    label: str
    """How an error message names the kind of file: ``"model"``, ``"GRU model"``."""

    def header(self) -> dict[str, Any]:
        """The header fields a file of this format starts with."""
        return {"format": self.name, "version": self.version}


MARKOV_FILE = FileFormat("jupymuse.markov", 2, "model")
GRU_FILE = FileFormat("jupymuse.gru", 2, "GRU model")
"""Version 2 adds ``sampling``, the model's recommended settings; version 1 files still load."""


def check_header(p: Path, data: object, expected: FileFormat) -> dict[str, Any]:
    """``data`` (the JSON read from ``p``) if its header names format ``expected`` at a version we read.

    Raises:
        ModelFileError: not a header of that format, or one written by a newer jupymuse.
    """
    if not isinstance(data, dict) or data.get("format") != expected.name:
        raise ModelFileError(f"'{p}' is not a jupymuse {expected.label} file")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        want = f"a whole number from 1 to {expected.version}"
        raise ModelFileError(f"'{p}' is damaged: its 'version' must be {want}, not {show(version)}")
    if version > expected.version:
        raise ModelFileError(f"'{p}' was written by a newer jupymuse (format {version}); upgrade jupymuse to load it")
    return data


# ---------------------------------------------------------------------- JSON with limits
class Oversized:
    """Stands in for an integer too long to convert (see :data:`MAX_INT_DIGITS`); no field accepts it."""

    def __init__(self, text: str) -> None:
        self.digits = len(text.lstrip("-"))

    def __repr__(self) -> str:
        return f"a {self.digits:,}-digit number"


def _parse_int(text: str) -> int | Oversized:
    return Oversized(text) if len(text) > MAX_INT_DIGITS + 1 else int(text)


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEPS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")


def json_depth(raw: bytes) -> int:
    """How deeply the lists and objects of the JSON text ``raw`` nest (strings do not count)."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS).translate(_STEPS)
    depth, deepest = 0, 0
    for start in range(0, len(brackets), 1 << 20):
        steps = np.cumsum(np.frombuffer(brackets, np.int8, min(1 << 20, len(brackets) - start), start), dtype=np.int64)
        deepest = max(deepest, depth + int(steps.max()))
        depth += int(steps[-1])
    return deepest


def read_json(raw: bytes, source: str, max_bytes: int) -> Any:
    """The JSON in ``raw``, read within limits: size, nesting, and integer length.

    ``NaN``/``Infinity`` and out-of-range floats come back as floats (the field checks refuse them),
    and over-long integers as :class:`Oversized`, so the error can name the field.

    Raises:
        ModelFileError: too large, nested too deeply, or not JSON.
    """
    if len(raw) > max_bytes:
        raise ModelFileError(f"{source} is too large: {len(raw) / MB:.1f} MB, over the limit of {max_bytes // MB} MB")
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise ModelFileError(f"{source} is damaged: its JSON nests deeper than the limit of {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(raw.decode("utf-8"), parse_int=_parse_int)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ModelFileError(f"{source} is damaged or is not a jupymuse model file (it is not valid JSON)") from None


# ---------------------------------------------------------------------- fields
def show(value: object) -> str:
    """``repr(value)``, cut to 40 characters for a message."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Fields:
    """Typed reads of one JSON object (or list) of a model file; a refusal names the file, field and limit.

    Args:
        data: the object or list (anything else is refused as soon as a field is read).
        source: the file as messages name it, e.g. ``"'model.json'"``.
        path: where ``data`` sits in the file, e.g. ``"config.tokens"`` (``""`` at the top).
    """

    def __init__(self, data: Any, source: str, path: str = "") -> None:
        self.data, self.source, self.path = data, source, path

    def name(self, key: str | int) -> str:
        """The full name of field ``key``: ``config.layers``, ``pitches[3]``."""
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str | int, want: str, value: object) -> NoReturn:
        """Refuse field ``key``: it must be ``want``, and is ``value``."""
        raise ModelFileError(f"{self.source} is damaged: '{self.name(key)}' must be {want}, not {show(value)}")

    def get(self, key: str | int) -> Any:
        """The raw value of field ``key`` (refused when missing)."""
        if isinstance(key, str) and isinstance(self.data, dict) and key in self.data:
            return self.data[key]
        if isinstance(key, int) and isinstance(self.data, list) and 0 <= key < len(self.data):
            return self.data[key]
        where = f"'{self.path}'" if self.path else "it"
        raise ModelFileError(f"{self.source} is damaged: {where} has no field '{self.name(key)}'")

    def only(self, allowed: Iterable[str]) -> None:
        """Refuse an object with fields other than ``allowed`` (or not an object at all)."""
        if not isinstance(self.data, dict):
            raise ModelFileError(f"{self.source} is damaged: '{self.path or 'the file'}' must be an object")
        extra = sorted(set(self.data) - set(allowed), key=str)
        if extra:
            raise ModelFileError(f"{self.source} is damaged: '{self.path}' has an unknown field {show(extra[0])}")

    def integer(self, key: str | int, lo: int, hi: int) -> int:
        """Field ``key`` as a whole number in ``lo..hi``."""
        value = self.get(key)
        if not _is_int(value) or not lo <= value <= hi:
            self.fail(key, f"a whole number from {lo:,} to {hi:,}", value)
        return int(value)

    def number(self, key: str | int, lo: float, hi: float, *, below_hi: bool = False) -> float:
        """Field ``key`` as a finite number in ``[lo, hi]`` (``[lo, hi)`` with ``below_hi``)."""
        value = self.get(key)
        ok = (_is_int(value) or isinstance(value, float)) and math.isfinite(value) and lo <= value <= hi
        if not ok or (below_hi and value == hi):
            self.fail(key, f"a number from {lo} to {hi}{' (not included)' if below_hi else ''}", value)
        return float(value)

    def choice(self, key: str | int, options: tuple[str, ...]) -> str:
        """Field ``key`` as one of the strings ``options``."""
        value = self.get(key)
        if value not in options or not isinstance(value, str):
            self.fail(key, " or ".join(repr(o) for o in options), value)
        return value

    def boolean(self, key: str | int) -> bool:
        """Field ``key`` as true or false."""
        value = self.get(key)
        if not isinstance(value, bool):
            self.fail(key, "true or false", value)
        return value

    def text(self, key: str | int, max_len: int) -> str:
        """Field ``key`` as a string of 1 to ``max_len`` printable characters."""
        value = self.get(key)
        if not isinstance(value, str) or not 1 <= len(value) <= max_len or not value.isprintable():
            self.fail(key, f"a name of 1 to {max_len} printable characters", value)
        return value

    def array(self, key: str | int, lo: int, hi: int) -> Fields:
        """Field ``key`` as a list of ``lo..hi`` items, to read further."""
        value = self.get(key)
        if not isinstance(value, list) or not lo <= len(value) <= hi:
            n = f"{len(value):,} items" if isinstance(value, list) else show(value)
            raise ModelFileError(
                f"{self.source} is damaged: '{self.name(key)}' must be a list of {lo:,} to {hi:,} items, not {n}"
            )
        return Fields(value, self.source, self.name(key))

    def record(self, key: str | int, allowed: Iterable[str]) -> Fields:
        """Field ``key`` as an object with no fields but ``allowed``, to read further."""
        sub = Fields(self.get(key), self.source, self.name(key))
        sub.only(allowed)
        return sub

    def integers(self, key: str | int, lo: int, hi: int, *, max_len: int, ascending: bool = False) -> list[int]:
        """Field ``key`` as a list of at most ``max_len`` whole numbers in ``lo..hi`` (strictly rising)."""
        items = self.array(key, 1, max_len)
        values = [items.integer(i, lo, hi) for i in range(len(items.data))]
        if ascending and any(a >= b for a, b in itertools.pairwise(values)):
            self.fail(key, "strictly rising (ascending, no repeats)", values)
        return values


def read_sampling(
    f: Fields, key: str = "sampling", *, styles: tuple[str, ...] = (), can_end: bool = False
) -> SamplingSettings:
    """The recommended ``SamplingSettings`` in field ``key``, every field checked; as trained when absent.

    They must also suit the model the file holds, which knows ``styles`` and ends melodies when
    ``can_end``: a model that loads composes with its own settings (a style it does not know, or
    ``ending="model"`` for a model that never learned endings, would fail every ``generate``).

    Raises:
        ModelFileError: not an object, an unknown setting, a value out of its range, or a style or
            ending the model cannot compose with (named).
    """
    from .endings import check_ending
    from .generation import style_weights
    from .sampling_settings import SamplingSettings

    if not isinstance(f.data, dict) or key not in f.data:
        return SamplingSettings()  # a file written before models stored their settings
    sub = f.record(key, [field.name for field in dataclasses.fields(SamplingSettings)])
    try:
        settings = SamplingSettings.from_dict(sub.data)
        style_weights(styles, settings.style, "the model")
        check_ending(settings.ending, can_end, "the model")
    except ModelError as exc:
        raise ModelFileError(f"{f.source} is damaged: in '{f.name(key)}', {exc}") from None
    return settings


# ---------------------------------------------------------------------- Markov count tables
MAX_ORDER = 12
"""The highest order a Markov model may have."""
MAX_COUNT = 10**12
"""The largest count (and number of events) a Markov model file may hold."""
MAX_DURATIONS = 65536
"""The most distinct durations a Markov model file may list."""
MAX_CONTEXTS = 10**8
"""The most contexts a table of a Markov model file may hold."""
MAX_STEPS_PER_QUARTER = 960
"""The finest grid a model file may use (as ``Melody``)."""
ElementCheck = Callable[[Hashable], bool]


def pair_check(pitches: set[int], durations: set[int], begin: Hashable) -> ElementCheck:
    """Whether a context element is ``begin`` or a (pitch, duration) pair of those seen in training."""

    def ok(e: Hashable) -> bool:
        return e == begin or (isinstance(e, tuple) and e[0] in pitches and e[1] in durations)

    return ok


def _element(e: object) -> Hashable:
    """A context element as a model holds it: an int, or a (pitch, duration) pair; None if neither."""
    if type(e) is int:
        return e
    if type(e) is list and len(e) == 2 and type(e[0]) is int and type(e[1]) is int:
        return (e[0], e[1])
    return None


def read_counts(
    f: Fields, key: str, longest: int, element_ok: ElementCheck, last: set[int] | None, symbols: set[int]
) -> dict[tuple[Hashable, ...], dict[int, int]]:
    """The count table in field ``key``: ``[[context, [[symbol, count], ...]], ...]``, every item checked.

    A context has at most ``longest`` elements, each passing ``element_ok``, except that with ``last``
    a context that is not empty ends in one of those pitches; symbols must be among ``symbols``,
    each once per context, with counts from 1 to ``MAX_COUNT``. Contexts may not repeat.
    """
    rows = f.array(key, 0, MAX_CONTEXTS)
    table: dict[tuple[Hashable, ...], dict[int, int]] = {}
    for i, entry in enumerate(rows.data):
        if type(entry) is not list or len(entry) != 2 or type(entry[0]) is not list or type(entry[1]) is not list:
            rows.fail(i, "a pair [context, counts]", entry)
        ctx = tuple(_element(e) for e in entry[0])
        inner = ctx if last is None else ctx[:-1]
        ok = len(ctx) <= longest and all(element_ok(e) for e in inner)
        if not ok or (last is not None and ctx and (type(ctx[-1]) is not int or ctx[-1] not in last)):
            rows.fail(i, f"a context of at most {longest} events seen in training", entry[0])
        if ctx in table:
            rows.fail(i, "a context not listed before", entry[0])
        row: dict[int, int] = {}
        for pair in entry[1]:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not int or type(pair[1]) is not int:
                rows.fail(i, "counts as [symbol, count] pairs of whole numbers", pair)
            if pair[0] not in symbols or pair[0] in row or not 1 <= pair[1] <= MAX_COUNT:
                rows.fail(i, f"counts of symbols seen in training, once each, from 1 to {MAX_COUNT:,}", pair)
            row[pair[0]] = pair[1]
        if not row:
            rows.fail(i, "a context with at least one count", entry)
        table[ctx] = row
    return table
