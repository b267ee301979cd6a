"""ABC text to ``Melody``: a tune picked from a text or file, its header and body, on a step grid.

A text holds one or more tunes; each starts with its ``X:`` line and runs to the next one (empty lines
inside are skipped, as music21 reads the corpora). ``number=`` picks a tune by its ``X:`` number (the
first by default); :func:`abc_tunes` lists them. ``M:``, ``L:``, ``Q:``, ``I:``, ``U:`` and ``%%`` lines
before the first ``X:`` (the file header) apply to every tune. A text with no ``X:`` line is one tune, so
a pasted fragment (``K:G`` and a few bars, or bars alone) reads too.

The header gives the title (the first ``T:``, kept as ``meta["title"]``, the number as ``meta["number"]``),
the meter (``M:``; the melody keeps this one: a later ``M:`` or ``[M:]`` changes only what ``Z`` counts;
none, or ``M:none``, is free meter: a 4/4 melody without a pickup), the unit length (``L:``, by default
1/16 below 3/4 and 1/8 otherwise), the tempo (``Q:``, the first; 120 without one) and the key (``K:``, the
first; a later one changes the signature the notes are read in). The body is read by
:mod:`jupymuse.music.abc_body` and placed in time by :mod:`jupymuse.music.abc_timing` (the pickup, ties,
the grid: by default the coarsest multiple of 4 steps per quarter that holds every note exactly).

``read_abc`` reads a file of at most ``MAX_ABC_BYTES``, checked before reading.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Final

from ..errors import ArgumentTypeError, NotationError, SettingError
from .abc_body import Body, Scanner
from .abc_fields import AbcKey, default_unit, field_value, read_key, read_meter, read_tempo, read_unit
from .abc_timing import place
from .melody import Melody, MetaValue, check_steps_per_quarter

MAX_ABC_BYTES: Final = 1 << 20
"""Largest ABC text read (1 MiB, in characters for text and bytes for a file): O'Neill's 1850 tunes fill
under a megabyte, one tune a few hundred bytes; reading is linear, but a melody that long helps no one."""
_LINE_BREAK_RE: Final = re.compile(r"\r\n|\r|\n")
"""ABC's line breaks (not the others ``str.splitlines`` knows, such as U+0085 inside a title)."""
_SHARED: Final = ("M:", "L:", "Q:", "I:", "U:", "%%")
"""The file header's lines that apply to every tune (ABC 2.1): fields and instructions."""
_X_RE: Final = re.compile(r"X:(.*)")
_FIELD_LINE_RE: Final = re.compile(r"([A-Za-z]):(.*)")


@dataclass
class _Tune:
    """One tune's lines (numbered from 1 in the whole text) and its ``X:`` number as written."""

    number: str | None
    lines: list[tuple[int, str]]


@dataclass
class _Header:
    """What a tune's header says, with ABC's defaults for what it leaves out."""

    title: str | None = None
    meter: tuple[int, int] | None = None
    unit: Fraction | None = None
    tempo_text: str | None = None
    tempo_line: int = 0
    key: AbcKey | None = None
    directives: list[tuple[int, str]] = field(default_factory=list)


def melody_from_abc(text: str, *, number: int | None = None, steps_per_quarter: int | None = None) -> Melody:
    """The melody of tune ``number`` (its ``X:``; the first when None) of the ABC ``text``.

    Raises:
        NotationError: text over ``MAX_ABC_BYTES`` characters, no tune ``number`` (the numbers present are
            listed), or ABC that cannot be read (the line, column and what was expected are named).
        SettingError: ``number`` is not a whole number.
        InvalidNoteError: a ``steps_per_quarter`` outside 1-960, or notes past the latest step a melody holds.
    """
    _check_text(text)
    spq = None if steps_per_quarter is None else check_steps_per_quarter(steps_per_quarter)
    tune = _pick(_tunes(text), number)
    header, body_start = _header(tune)
    scanner = Scanner(header.key or read_key("none"), _unit(header), header.meter)
    for line_number, line in [*header.directives, *tune.lines[body_start:]]:
        scanner.feed(line_number, line)
    body = scanner.finish()
    meta: dict[str, MetaValue] = {}
    if header.title:
        meta["title"] = header.title
    if tune.number is not None:
        meta["number"] = tune.number
    return _melody(body, header, spq, meta)


@dataclass(frozen=True)
class AbcTune:
    """One tune of an ABC text: its ``X:`` number and first title (``T:``) as written, None when missing, and
    its own text (the file header's fields included), which :func:`melody_from_abc` reads."""

    number: str | None
    title: str | None
    text: str


def abc_tunes(text: str) -> list[AbcTune]:
    """The tunes of the ABC ``text`` in written order: a collection's index, to list or to read one by one
    (``number=`` picks the first of two tunes with one number).

    Raises:
        NotationError: text over ``MAX_ABC_BYTES`` characters.
        SettingError: ``text`` is not a str.
    """
    _check_text(text)
    tunes = []
    for tune in _tunes(text):
        titles = (field_value(line[2:]) for _, line in tune.lines if line.startswith("T:"))
        head = [] if tune.number is None else [f"X:{tune.number}"]
        tunes.append(AbcTune(tune.number, next(titles, None), "\n".join([*head, *(line for _, line in tune.lines)])))
    return tunes


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise ArgumentTypeError(f"ABC must be text (a str), not {type(text).__name__}; read a file with read_abc")
    if len(text) > MAX_ABC_BYTES:
        raise NotationError(
            f"the ABC text has {len(text):,} characters; at most {MAX_ABC_BYTES:,} (MAX_ABC_BYTES) are read"
        )


def _tunes(text: str) -> list[_Tune]:
    """The tunes of ``text``, each with the file header's field lines first."""
    lines = list(enumerate(_LINE_BREAK_RE.split(text.removeprefix("\ufeff")), start=1))
    starts = [i for i, (_, line) in enumerate(lines) if _X_RE.match(line)]
    if not starts:
        return [_Tune(None, lines)]
    shared = [(n, line) for n, line in lines[: starts[0]] if line[:2] in _SHARED]
    tunes = []
    for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
        x = _X_RE.match(lines[a][1])
        assert x is not None
        tunes.append(_Tune(field_value(x.group(1)), shared + lines[a + 1 : b]))
    return tunes


def _pick(tunes: list[_Tune], number: int | None) -> _Tune:
    """The tune whose ``X:`` is ``number``, or the first."""
    if number is None:
        return tunes[0]
    if isinstance(number, bool) or not isinstance(number, int):
        raise ArgumentTypeError(f"number picks a tune by its X: field: a whole number, not {number!r}")
    for tune in tunes:
        written = tune.number or ""
        if written.isascii() and written.isdigit() and len(written) <= 18 and int(written) == number:
            return tune
    present = [_shown(t.number or "(none)") for t in tunes]
    listed = ", ".join(present[:20]) + (f" ... ({len(present)} tunes)" if len(present) > 20 else "")
    raise NotationError(f"the ABC text has no tune X:{number}; its tunes are X: {listed}")


def _shown(number: str) -> str:
    return number if len(number) <= 12 else number[:9] + "..."


def _header(tune: _Tune) -> tuple[_Header, int]:
    """The header's fields and where the body starts (after ``K:``, or at the first line that is music)."""
    header = _Header()
    for index, (line_number, line) in enumerate(tune.lines):
        stripped = line.strip()
        if stripped.startswith("%%"):
            header.directives.append((line_number, stripped))
        if not stripped or stripped.startswith("%"):
            continue
        match = _FIELD_LINE_RE.match(line)
        if match is None:
            return header, index
        name, value = match.group(1), field_value(match.group(2))
        try:
            if name == "T" and header.title is None:
                header.title = value
            elif name == "M":
                header.meter = read_meter(value)
            elif name == "L":
                header.unit = read_unit(value)
            elif name == "Q" and header.tempo_text is None:
                header.tempo_text, header.tempo_line = value, line_number
            elif name in "IU":
                header.directives.append((line_number, line))
            elif name == "K":
                header.key = read_key(value)
                return header, index + 1
        except NotationError as exc:
            raise NotationError(f"ABC line {line_number}: {exc}") from None
    return header, len(tune.lines)


def _unit(header: _Header) -> Fraction:
    return header.unit if header.unit is not None else default_unit(header.meter)


def _melody(body: Body, header: _Header, spq: int | None, meta: dict[str, MetaValue]) -> Melody:
    """The melody of the events read: pickup placed, ties joined, on the grid."""
    tempo = None
    if header.tempo_text is not None:
        try:
            tempo = read_tempo(header.tempo_text, _unit(header))
        except NotationError as exc:
            raise NotationError(f"ABC line {header.tempo_line}: {exc}") from None
    spq, notes = place(body, header.meter, spq)
    return Melody(
        notes,
        steps_per_quarter=spq,
        tempo=tempo if tempo is not None else 120.0,
        time_signature=header.meter or (4, 4),
        key=header.key.key if header.key is not None else None,
        meta=meta,
    )


def read_abc(
    path: str | os.PathLike[str],
    *,
    number: int | None = None,
    steps_per_quarter: int | None = None,
    encoding: str = "utf-8",
) -> Melody:
    """The melody of tune ``number`` (its ``X:``; the first when None) of the ABC file at ``path``.

    The file is at most ``MAX_ABC_BYTES`` (1 MiB), checked before it is read, and is text in ``encoding``
    (UTF-8 by default; older files may be ``"latin-1"``). ``meta`` gets ``"source"`` (the path) and, for a
    tune without ``T:``, the file's name as its title. See :func:`melody_from_abc` for the rest.

    Raises:
        NotationError: a missing or unreadable file, one over the size limit, text that is not ``encoding``
            (the byte is named), or ABC that cannot be read (line and column named).
        SettingError: an ``encoding`` Python does not know (``ArgumentTypeError``: a ``path`` or
            ``encoding`` of the wrong kind).
    """
    if not isinstance(path, str | os.PathLike):
        raise ArgumentTypeError(f"path must be a file path (a str or a Path), not {type(path).__name__}")
    if not isinstance(encoding, str):
        raise ArgumentTypeError(f"encoding must be the name of a text encoding (e.g. 'utf-8'), not {encoding!r}")
    file = Path(path)
    raw = _read_bytes(file)
    try:
        text = raw.decode(encoding)
    except LookupError:
        raise SettingError(
            f"encoding={encoding!r} is not a text encoding Python knows (e.g. 'utf-8', 'latin-1')"
        ) from None
    except UnicodeDecodeError as exc:
        raise NotationError(
            f"'{file}' is not {encoding} text: byte {exc.start} ({raw[exc.start]:#04x}) cannot be decoded; "
            "pass the file's encoding, e.g. encoding='latin-1'"
        ) from None
    melody = melody_from_abc(text, number=number, steps_per_quarter=steps_per_quarter)
    meta = {"source": str(file), "title": file.stem, **melody.meta}
    return melody.replace(meta=meta)


def _read_bytes(file: Path) -> bytes:
    """The bytes of ``file``, refused before reading when over ``MAX_ABC_BYTES`` (and if it grew meanwhile)."""
    try:
        size = file.stat().st_size
        if size > MAX_ABC_BYTES:
            raise NotationError(
                f"'{file}' is {size:,} bytes; an ABC file of at most {MAX_ABC_BYTES:,} bytes (MAX_ABC_BYTES) is read"
            )
        with file.open("rb") as handle:
            raw = handle.read(MAX_ABC_BYTES + 1)
    except IsADirectoryError:
        raise NotationError(f"'{file}' is a folder, not an ABC file") from None
    except FileNotFoundError:
        raise NotationError(f"'{file}' does not exist") from None
    except PermissionError:
        raise NotationError(f"'{file}' cannot be read: permission denied") from None
    except OSError as exc:
        raise NotationError(f"'{file}' cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_ABC_BYTES:
        raise NotationError(f"'{file}' grew past {MAX_ABC_BYTES:,} bytes (MAX_ABC_BYTES) while it was read")
    return raw
