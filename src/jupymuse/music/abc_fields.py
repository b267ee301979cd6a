"""ABC information fields: the values of K (key and mode), M (meter), L (unit note length) and Q (tempo).

Each reader takes a field's text (after ``K:``, without its comment) and returns the value jupymuse keeps,
or raises a :class:`~jupymuse.errors.NotationError` saying what the field holds and what ABC 2.1 accepts;
the tune reader adds the line. :func:`key_text` writes a key back as ABC spells it.

Keys (``K:``) are a tonic (``G``, ``Bb``, ``F#``) and a mode of which the first three letters count, in any
case (``Gm``, ``Ador``, ``D mix``, ``EDorian``, ``Amin``; none is major), then optionally explicit
accidentals that change the signature (``^f``, ``_b``; ``exp`` drops the mode's own first), a clef
(``treble``, ``bass``, ``clef=alto``: no effect on pitch) and ``octave=N`` or ``transpose=N`` (which do
shift the notes). ``K:none`` or an empty ``K:`` is no key; ``K:HP`` and ``K:Hp`` (Highland pipes) are A
mixolydian, whose two sharps the pipes always play. jupymuse's ``minor`` is ``m``/``min`` (its scale the
harmonic minor, its signature the natural minor's); ``aeo`` is ``aeolian``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final

from ..errors import NotationError
from .key import LETTERS, NATURAL, SCALES, Key
from .melody import MAX_DENOMINATOR, MAX_NUMERATOR, MAX_TEMPO, MIN_TEMPO

MODE_WORDS: Final = {
    "maj": "major",
    "ion": "major",
    "min": "minor",
    "m": "minor",
    "aeo": "aeolian",
    "dor": "dorian",
    "phr": "phrygian",
    "lyd": "lydian",
    "mix": "mixolydian",
    "loc": "locrian",
}
"""ABC's mode names (their first three letters, or ``m``) and jupymuse's modes."""
MODE_SUFFIX: Final = {"major": "", "minor": "m", "aeolian": "aeo", "dorian": "dor", "phrygian": "phr",
                      "lydian": "lyd", "mixolydian": "mix", "locrian": "loc"}  # fmt: skip
"""How :func:`key_text` writes each mode after the tonic (``K:Ador``)."""
ACCIDENTALS: Final = {"^^": 2, "^": 1, "=": 0, "_": -1, "__": -2}
"""ABC's accidentals and the alteration each gives."""
PIPES: Final = Key("A", 0, "mixolydian")
"""The key of ``K:HP`` and ``K:Hp``: the Highland pipes' scale (F and C sharp, G natural)."""
MAX_UNIT_DENOMINATOR: Final = 1024
"""Shortest unit note length ``L:`` may give: a 1024th."""
MAX_UNIT_NUMERATOR: Final = 64
"""Longest unit note length ``L:`` may give: 64 whole notes."""
MAX_SHIFT: Final = 10
"""Most octaves ``octave=`` (or 12-semitone steps of ``transpose=``) may move the notes."""

_TONIC_RE: Final = re.compile(r"([A-Ga-g])([#b]?)")
_CLEF_RE: Final = re.compile(r"(treble|bass|alto|tenor|baritone|perc|none)\d?([+-]8)?", re.IGNORECASE)
_EXPLICIT_RE: Final = re.compile(r"(\^\^|\^|__|_|=)([A-Ga-g])")
_METER_RE: Final = re.compile(r"\(?(\d{1,3}(?:\+\d{1,3})*)\)?/(\d{1,3})")
_UNIT_RE: Final = re.compile(r"(\d{1,3})(?:/(\d{1,5}))?")
_QUOTED_RE: Final = re.compile(r'"[^"]*"')
_NUMBER_RE: Final = re.compile(r"\d{1,5}(?:\.\d{1,12})?")
_BEAT_RE: Final = re.compile(r"(\d{1,3})/(\d{1,4})|([A-Ga-g])(\d{1,3})?(?:/(\d{1,3}))?")
_KEY_HELP: Final = (
    "write a tonic A-G with # or b and a mode (maj, m, min, dor, phr, lyd, mix, aeo, loc; e.g. K:G, K:Em, "
    "K:Ador, K:D mix, K:Bb), or K:none"
)


@dataclass(frozen=True)
class AbcKey:
    """What a ``K:`` field says: the melody's key (None for ``K:none``), the alteration its signature gives
    each letter, and semitones every note sounds above its writing (``octave=``, ``transpose=``)."""

    key: Key | None
    signature: dict[str, int] = field(default_factory=dict)
    shift: int = 0


def signature_of(key: Key | None) -> dict[str, int]:
    """The alteration (semitones) the signature of ``key`` gives each letter, as ABC reads ``K:``: the
    mode's own notes, a minor key's the natural minor's (``K:Am`` has none); none for no key.

    Spelled exactly, so ``K:G#`` has eight sharps (F double sharp), which a signature of seven cannot show.
    """
    if key is None:
        return dict.fromkeys(LETTERS, 0)
    scale = SCALES["aeolian" if key.mode == "minor" else key.mode]
    start = LETTERS.index(key.letter)
    signature = {}
    for degree, semitones in enumerate(scale):
        letter = LETTERS[(start + degree) % 7]
        signature[letter] = (key.tonic + semitones - NATURAL[letter] + 6) % 12 - 6
    return signature


def read_key(text: str) -> AbcKey:
    """The ``K:`` field ``text`` (see the module docstring).

    Raises:
        NotationError: a tonic, mode or option ABC does not have, naming it and what is accepted.
    """
    words = text.split()
    if not words or words[0].lower() == "none":
        return _key_options(words[1:], AbcKey(None, signature_of(None)))
    if words[0] in ("HP", "Hp"):
        return _key_options(words[1:], AbcKey(PIPES, signature_of(PIPES)))
    tonic = _TONIC_RE.match(words[0])
    if tonic is None:
        raise NotationError(f"K:{text.strip()} does not start with a key: {_KEY_HELP}")
    rest = [words[0][tonic.end() :], *words[1:]] if tonic.end() < len(words[0]) else words[1:]
    mode = "major"
    if rest and rest[0][:1].isalpha() and not _option(rest[0]):
        mode = _mode(rest[0], text)
        rest = rest[1:]
    letter, sign = tonic.groups()
    key = Key(letter.upper(), {"#": 1, "b": -1, "": 0}[sign], mode)
    return _key_options(rest, AbcKey(key, signature_of(key)))


def _option(word: str) -> bool:
    """Whether ``word`` after a tonic is a ``K:`` option (clef, ``name=value``, ``exp``), not a mode."""
    return "=" in word or word.lower() == "exp" or _CLEF_RE.fullmatch(word) is not None


def _mode(word: str, text: str) -> str:
    lowered = word.lower()
    mode = MODE_WORDS.get("m" if lowered == "m" else lowered[:3]) if lowered == "m" or len(lowered) >= 3 else None
    if mode is None:
        raise NotationError(f"K:{text.strip()}: {word!r} is not a mode; {_KEY_HELP}")
    return mode


def _key_options(words: list[str], base: AbcKey) -> AbcKey:
    """``base`` changed by the words after the key: explicit accidentals, ``exp``, a clef, octave/transpose."""
    signature, shift = dict(base.signature), 0
    for word in words:
        explicit = _EXPLICIT_RE.fullmatch(word)
        if explicit is not None:
            signature[explicit.group(2).upper()] = ACCIDENTALS[explicit.group(1)]
        elif word.lower() == "exp":
            signature = dict.fromkeys(LETTERS, 0)
        elif "=" in word:
            shift += _shift_option(word)
        elif _CLEF_RE.fullmatch(word) is None:
            raise NotationError(
                f"K: cannot read {word!r}: after the key come accidentals (^f, _b), exp, a clef (treble, bass, "
                "alto, tenor) or name=value options (clef=, octave=, transpose=)"
            )
    return AbcKey(base.key, signature, base.shift + shift)


def _shift_option(word: str) -> int:
    """Semitones ``octave=N`` or ``transpose=N`` (``t=N``) move the notes; 0 for other ``name=value`` options."""
    name, _, value = word.partition("=")
    name = name.lower()
    if name not in ("octave", "transpose", "t"):
        return 0
    if re.fullmatch(r"[+-]?\d{1,3}", value) is None:
        raise NotationError(f"K: {word!r} needs a whole number, e.g. {name}=-1")
    semitones = int(value) * (12 if name == "octave" else 1)
    if abs(semitones) > 12 * MAX_SHIFT:
        raise NotationError(f"K: {word!r} moves the notes more than {MAX_SHIFT} octaves")
    return semitones


def read_meter(text: str) -> tuple[int, int] | None:
    """The ``M:`` field ``text`` as ``(numerator, denominator)``: ``6/8``, ``C`` (4/4), ``C|`` (2/2),
    ``2+3+2/8`` (7/8); None for ``M:none`` or an empty field (free meter).

    Raises:
        NotationError: anything else, or a meter a melody cannot have (a denominator that is not a power
            of 2 up to 128, more than 255 beats).
    """
    compact = "".join(text.split())
    if compact.lower() in ("", "none"):
        return None
    if compact in ("C", "C|"):
        return (4, 4) if compact == "C" else (2, 2)
    match = _METER_RE.fullmatch(compact)
    if match is None:
        raise NotationError(f"M:{text.strip()} is not a meter: write e.g. M:6/8, M:C, M:C|, M:2+3/8 or M:none")
    num, den = sum(int(n) for n in match.group(1).split("+")), int(match.group(2))
    if not (1 <= num <= MAX_NUMERATOR and 1 <= den <= MAX_DENOMINATOR) or den & (den - 1):
        raise NotationError(
            f"M:{text.strip()} is not a meter a melody can have: 1-{MAX_NUMERATOR} beats of a note value "
            f"that is a power of 2 up to 1/{MAX_DENOMINATOR}"
        )
    return num, den


def default_unit(meter: tuple[int, int] | None) -> Fraction:
    """The unit note length when ``L:`` is missing (ABC 2.1): 1/16 for a meter below 3/4, else 1/8."""
    if meter is not None and Fraction(*meter) < Fraction(3, 4):
        return Fraction(1, 16)
    return Fraction(1, 8)


def read_unit(text: str) -> Fraction:
    """The ``L:`` field ``text`` in whole notes: ``1/8``, ``1/16``, ``1`` (a whole note).

    Raises:
        NotationError: not a length from 1/1024 to 64 whole notes.
    """
    match = _UNIT_RE.fullmatch("".join(text.split()))
    num, den = (int(match.group(1)), int(match.group(2) or 1)) if match else (0, 0)
    if not (1 <= num <= MAX_UNIT_NUMERATOR and 1 <= den <= MAX_UNIT_DENOMINATOR):
        raise NotationError(
            f"L:{text.strip()} is not a unit note length: write e.g. L:1/8 (from 1/{MAX_UNIT_DENOMINATOR} to "
            f"{MAX_UNIT_NUMERATOR})"
        )
    return Fraction(num, den)


def read_tempo(text: str, unit: Fraction) -> float | None:
    """The ``Q:`` field ``text`` in quarter notes per minute: ``1/4=120``, ``3/8=60`` (90), ``1/8 3/8=40``
    (beats added), ``"Allegro" 1/4=120``; a bare number counts unit notes (``L:``) per minute, as ABC 1.6
    did and 2.1 keeps for old tunes (music21 reads it as quarter notes). None for words alone.

    Raises:
        NotationError: unreadable text, or a tempo outside 1-1000 quarter notes per minute.
    """
    rest = _QUOTED_RE.sub(" ", text).strip()
    if not rest:
        return None
    beats_text, equals, number = rest.rpartition("=")
    beats_text, number = beats_text.strip(), number.strip()
    if _NUMBER_RE.fullmatch(number) is None or (equals and not beats_text):
        raise NotationError(f"Q:{text.strip()} is not a tempo: write e.g. Q:1/4=120")
    beat = sum((_beat(word, unit, text) for word in beats_text.split()), Fraction(0)) if equals else unit
    quarters = float(number) * float(beat * 4)
    if not MIN_TEMPO <= quarters <= MAX_TEMPO:
        raise NotationError(
            f"Q:{text.strip()} is {quarters:g} quarter notes per minute; a melody's tempo is "
            f"{MIN_TEMPO:g}-{MAX_TEMPO:g}"
        )
    return quarters


def _beat(word: str, unit: Fraction, text: str) -> Fraction:
    """One beat of a ``Q:`` field in whole notes: ``3/8``, or (old ABC) a note ``C2`` of unit lengths."""
    match = _BEAT_RE.fullmatch(word)
    if match is None:
        raise NotationError(f"Q:{text.strip()}: {word!r} is not a beat; write e.g. Q:1/4=120 or Q:3/8=60")
    num, den, letter, times, per = match.groups()
    value = Fraction(int(num), int(den)) if letter is None else unit * int(times or 1) / int(per or 1)
    if value == 0:
        raise NotationError(f"Q:{text.strip()}: a beat of {word!r} has no length")
    return value


def key_text(key: Key) -> str:
    """``key`` as ABC's ``K:`` writes it (``G``, ``Em``, ``Ador``, ``F#mix``, ``Bb``); a tonic with two
    sharps or flats, which ABC cannot write, as the key that sounds the same (``Key.from_pitch_class``)."""
    if abs(key.alter) > 1:
        key = Key.from_pitch_class(key.tonic, key.mode)
    return f"{key.letter}{'#' if key.alter > 0 else 'b' if key.alter < 0 else ''}{MODE_SUFFIX[key.mode]}"


def field_value(text: str) -> str:
    """A field's text without its comment (``%`` to the end of the line; ``\\%`` is a percent sign)."""
    cut = re.search(r"(?<!\\)%", text)
    return (text[: cut.start()] if cut else text).replace("\\%", "%").strip()
