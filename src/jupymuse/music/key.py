"""``Key``: a melody's key as a typed value (tonic spelling and mode), read from text in one place.

A key is a tonic, spelled (a letter and an alteration: ``C#`` and ``Db`` sound alike but are written
differently, so ``C# major`` and ``Db major`` are different keys), and a mode. The modes are major, minor
and the church modes the built-in corpora use (O'Neill's tunes in dorian, mixolydian, ...). jupymuse's
minor is the harmonic minor (its raised seventh leads home); aeolian is the natural minor.

:meth:`Key.parse` is the one reader of key text (``"G major"``, ``"f# minor"``, ``"Bb major"``, music21's
``"E- minor"``, ``"D dorian"``) and refuses anything else with a :class:`~jupymuse.errors.NotationError`
naming the text; ``str(key)`` writes it back (``"G major"``), which is what widgets, files and the command
line show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from numbers import Integral
from typing import Final

from ..errors import NotationError

LETTERS: Final = "CDEFGAB"
"""The note letters, in scale order."""
NATURAL: Final = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
"""Semitones of each natural letter above C."""
MAX_FIFTHS: Final = 7
"""Most sharps (or flats) a key signature has."""
SCALES: Final[dict[str, tuple[int, ...]]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 11),  # harmonic minor: what jupymuse means by a minor key
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),  # the natural minor
    "locrian": (0, 1, 3, 5, 6, 8, 10),
}
"""Semitones above the tonic of each mode's scale."""
MODES: Final = tuple(SCALES)
"""The modes a key may have."""
_MODE_FIFTHS: Final = {
    "major": 0,
    "minor": -3,
    "dorian": -2,
    "phrygian": -4,
    "lydian": 1,
    "mixolydian": -1,
    "aeolian": -3,
    "locrian": -5,
}
"""Each mode's key signature relative to the major key on the same tonic (D dorian: C major's, two fifths down)."""
_SHARP_TIES: Final = frozenset({"major", "lydian", "mixolydian"})
"""Modes with a major third: of two spellings with six accidentals (F# or Gb major) they take the sharps."""
_LETTER_FIFTHS: Final = {"F": -1, "C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5}
"""Fifths of each natural letter's major key."""
_SHARP_ORDER: Final = "FCGDAEB"
_TONIC_RE: Final = re.compile(r"^([A-Ga-g])([#b]*)$")
_ACCEPTED: Final = (
    "a tonic (a letter A-G, then # or b, or music21's -, for each sharp or flat) and a mode ("
    + ", ".join(MODES)
    + "), e.g. 'G major', 'F# minor', 'Bb major' or 'D dorian'"
)


@dataclass(frozen=True)
class Key:
    """A key: tonic ``letter`` (``"C"``-``"B"``), its ``alter`` (semitones: -1 flat, 1 sharp) and ``mode``.

    Make one with :meth:`parse` (from text) or :meth:`from_pitch_class` (the usual spelling of a tonic
    known only by its pitch class). Frozen and hashable; two keys are equal when spelled alike.

    Raises:
        NotationError: a letter, alteration or mode that is not one.
    """

    letter: str
    alter: int
    mode: str

    def __post_init__(self) -> None:
        if not (isinstance(self.letter, str) and len(self.letter) == 1 and self.letter in LETTERS):
            raise NotationError(f"a key's tonic letter must be one of {', '.join(LETTERS)}, not {_shown(self.letter)}")
        if not isinstance(self.alter, int) or isinstance(self.alter, bool):
            raise NotationError(f"a key's tonic alteration must be whole semitones, not {_shown(self.alter)}")
        if self.mode not in MODES:
            raise NotationError(f"a key's mode must be one of {', '.join(MODES)}, not {_shown(self.mode)}")

    @classmethod
    def parse(cls, text: object) -> Key:
        """The key ``text`` names: ``"G major"``, ``"f# minor"``, ``"Bb major"``, ``"E- minor"``, ``"D dorian"``.

        Letter and mode may be in any case and spaces around them are ignored; ``#`` sharpens and ``b`` or
        ``-`` flattens (as often as written: ``"E-- major"`` is D major spelled on E).

        Raises:
            NotationError: anything else (naming the text and what is accepted).
        """
        if not isinstance(text, str):
            raise NotationError(f"a key must be text: {_ACCEPTED}; not {type(text).__name__} {_shown(text)}")
        parts = text.replace("-", "b").split()
        mode = parts[1].lower() if len(parts) == 2 else ""
        match = _TONIC_RE.match(parts[0]) if len(parts) == 2 else None
        if match is None or mode not in MODES:
            raise NotationError(f"{_shown(text)} is not a key: write {_ACCEPTED}")
        letter, accidentals = match.groups()
        return cls(letter.upper(), accidentals.count("#") - accidentals.count("b"), mode)

    @classmethod
    def from_pitch_class(cls, pitch_class: int, mode: str = "major") -> Key:
        """The usual key on a tonic known only by its pitch class (guessed, read from MIDI, transposed): the
        spelling whose signature has the fewest accidentals, ``from_pitch_class(1, "major")`` is Db major.

        Six either way go to sharps for modes with a major third (F# major) and to flats for the others
        (Eb minor).

        Raises:
            NotationError: a pitch class that is not a whole number, or an unknown mode.
        """
        if mode not in MODES:
            raise NotationError(f"a key's mode must be one of {', '.join(MODES)}, not {_shown(mode)}")
        pc = _whole(pitch_class, "a key's tonic pitch class") % 12
        spellings = [
            cls(letter, alter, mode)
            for letter in LETTERS
            for alter in (-1, 0, 1)
            if (NATURAL[letter] + alter) % 12 == pc
        ]
        sharp_ties = mode in _SHARP_TIES
        return min(spellings, key=lambda k: (abs(k._raw_fifths), (k._raw_fifths < 0) == sharp_ties))

    def __str__(self) -> str:
        sign = "#" if self.alter > 0 else "b"
        return f"{self.letter}{sign * abs(self.alter)} {self.mode}"

    def __repr__(self) -> str:
        return f"Key({str(self)!r})"

    @property
    def tonic(self) -> int:
        """The tonic's pitch class, 0-11 (C = 0)."""
        return (NATURAL[self.letter] + self.alter) % 12

    @property
    def scale(self) -> tuple[int, ...]:
        """Semitones above the tonic of the key's scale (minor: the harmonic minor)."""
        return SCALES[self.mode]

    @property
    def pitch_classes(self) -> frozenset[int]:
        """The pitch classes (0-11, C = 0) of the key's scale."""
        return frozenset((self.tonic + step) % 12 for step in self.scale)

    @property
    def _raw_fifths(self) -> int:
        return _LETTER_FIFTHS[self.letter] + 7 * self.alter + _MODE_FIFTHS[self.mode]

    @property
    def fifths(self) -> int:
        """The key signature: sharps (above zero) or flats (below), -7..7, as the key is spelled (Gb major
        -6, F# major 6; D dorian 0, the signature of the major key a tone below).

        A spelling no signature of seven accidentals can write gets the signature of the key that sounds the
        same: G# major has Ab major's four flats.
        """
        fifths = self._raw_fifths
        while fifths > MAX_FIFTHS:
            fifths -= 12
        while fifths < -MAX_FIFTHS:
            fifths += 12
        return fifths

    @property
    def relative_major(self) -> Key:
        """The major key with this key's signature (D dorian: C major): the same notes, the scale a major
        or minor key can say of a church mode."""
        fifths = self.fifths
        return Key(_SHARP_ORDER[(fifths + 1) % 7], (fifths + 1) // 7, "major")

    @property
    def major_or_minor(self) -> Key:
        """This key where formats know only major and minor (a MIDI key signature): itself when major or
        minor, aeolian as the minor key on its tonic (the same signature), any other mode as its
        :attr:`relative_major`."""
        if self.mode in ("major", "minor"):
            return self
        if self.mode == "aeolian":
            return Key(self.letter, self.alter, "minor")
        return self.relative_major

    def transpose(self, semitones: int) -> Key:
        """The key ``semitones`` higher (lower when negative), in its usual spelling; whole octaves keep
        this key's own spelling (Gb major stays Gb major).

        Raises:
            NotationError: ``semitones`` is not a whole number.
        """
        semitones = _whole(semitones, "semitones")
        if semitones % 12 == 0:
            return self
        return Key.from_pitch_class(self.tonic + semitones, self.mode)


def as_key(value: Key | str | None) -> Key | None:
    """``value`` as a key: a ``Key`` as it is, text read by :meth:`Key.parse`, None for no key.

    Raises:
        NotationError: text or another value that is not a key.
    """
    if value is None or isinstance(value, Key):
        return value
    return Key.parse(value)


def _whole(value: object, what: str) -> int:
    """``value`` as a whole number (numpy's too), else a ``NotationError`` naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise NotationError(f"{what} must be a whole number, not {_shown(value)}")
    return int(value)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
