"""Pitch spelling for notation: a key's signature and each MIDI pitch as letter, alteration and octave.

A key name keeps its spelling: ``Gb major`` has six flats and ``F# major`` six sharps, ``Eb minor`` six
flats and ``D# minor`` six sharps, ``C# major`` seven sharps and ``Cb major`` seven flats (MusicXML and
notation programs take -7..7 fifths). Only a name that no signature of at most seven accidentals can
write (``G# major``, ``Fb major``, ``F## minor``) is written as the key that sounds the same
(``Ab major``, ``E major``, ``G minor``).

A pitch is spelled as a letter, an alteration and an octave (MIDI 61 is ``("C", 1, 4)`` in A major and
``("D", -1, 4)`` in F minor): the key's own letters first (harmonic minor's raised seventh included),
then sharps in sharp keys and flats in flat keys.
"""

from __future__ import annotations

import re
from functools import lru_cache

LETTERS = "CDEFGAB"
NATURAL = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
"""Semitones of each natural letter above C."""
MAX_FIFTHS = 7
"""Most sharps (or flats) a key signature has."""
ACCIDENTAL_SIGNS = {-2: "bb", -1: "b", 0: "", 1: "#", 2: "##"}
"""How the text notation writes an alteration."""
_SHARP_ORDER = "FCGDAEB"
_LETTER_FIFTHS = {"F": -1, "C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5}
"""Fifths of each natural letter's major key."""
_KEY_RE = re.compile(r"^([A-Ga-g])([#b]*)$")

Spelling = tuple[str, int, int]
"""A written pitch: letter, alteration in semitones (-1 flat, 1 sharp) and octave (4 holds middle C)."""


def spelled_key(name: object) -> tuple[str, int, str] | None:
    """A key name as (tonic letter, tonic alteration, mode): ``"Gb major" -> ("G", -1, "major")``.

    ``#`` sharpens and ``b`` or ``-`` (music21's flat) flattens; the letter and the mode may be in any
    case. None for a name that is not a major or minor key, and for anything that is not text (a
    melody keeps whatever key it was given, and its names must still print).
    """
    if not isinstance(name, str):
        return None
    parts = name.replace("-", "b").split()
    if len(parts) != 2 or parts[1].lower() not in ("major", "minor"):
        return None
    match = _KEY_RE.match(parts[0])
    if match is None:
        return None
    letter, accidentals = match.groups()
    return letter.upper(), accidentals.count("#") - accidentals.count("b"), parts[1].lower()


def key_fifths(key: object) -> tuple[int, str]:
    """The key signature (fifths, -7..7: flats below zero) and mode of a key name, spelled as named.

    C major for None, an unreadable name or anything not text; a name beyond seven accidentals gets the signature of the
    key that sounds the same (``G# major`` -> -4, Ab major).
    """
    spelled = spelled_key(key)
    if spelled is None:
        return 0, "major"
    letter, alter, mode = spelled
    fifths = _LETTER_FIFTHS[letter] + 7 * alter - (3 if mode == "minor" else 0)
    while fifths > MAX_FIFTHS:
        fifths -= 12
    while fifths < -MAX_FIFTHS:
        fifths += 12
    return fifths, mode


class Speller:
    """Spells MIDI pitches in one key: its scale's own letters first, then sharps in sharp keys, else flats."""

    def __init__(self, key: object) -> None:
        fifths, mode = key_fifths(key)
        self.fifths = fifths
        self.mode = mode
        self.signature = {letter: self._signature_alter(letter) for letter in LETTERS}
        """The alteration the key signature gives each letter."""
        self._by_pc: dict[int, tuple[str, int]] = {}
        for letter, alter in self.signature.items():
            self._by_pc[(NATURAL[letter] + alter) % 12] = (letter, alter)
        if mode == "minor":  # harmonic minor: the raised seventh, spelled on the letter below the tonic
            major_tonic = _SHARP_ORDER[(fifths + 1) % 7]  # the letter of the major key with these fifths
            tonic_letter = LETTERS[(LETTERS.index(major_tonic) - 2) % 7]
            seventh = LETTERS[(LETTERS.index(tonic_letter) - 1) % 7]
            alter = self.signature[seventh] + 1
            self._by_pc[(NATURAL[seventh] + alter) % 12] = (seventh, alter)
        prefer = 1 if fifths >= 0 else -1
        for pc in range(12):
            if pc not in self._by_pc:  # C major's one flat: Bb rather than A#
                self._by_pc[pc] = self._chromatic(pc, -1 if fifths == 0 and pc == 10 else prefer)

    def _signature_alter(self, letter: str) -> int:
        if self.fifths > 0 and letter in _SHARP_ORDER[: self.fifths]:
            return 1
        if self.fifths < 0 and letter in _SHARP_ORDER[::-1][: -self.fifths]:
            return -1
        return 0

    @staticmethod
    def _chromatic(pc: int, prefer: int) -> tuple[str, int]:
        for alter in (0, prefer, -prefer):
            for letter in LETTERS:
                if (NATURAL[letter] + alter) % 12 == pc:
                    return letter, alter
        raise AssertionError(pc)  # pragma: no cover - every pitch class is a letter give or take one

    def spell(self, pitch: int) -> Spelling:
        """``pitch`` as (letter, alteration, octave)."""
        letter, alter = self._by_pc[pitch % 12]
        return letter, alter, (pitch - NATURAL[letter] - alter) // 12 - 1

    def spell_within(self, pitch: int, octaves: range) -> Spelling:
        """``pitch`` as :meth:`spell` writes it, or on the next letter where that octave is not in
        ``octaves``: with MusicXML's 0-9, MIDI 12 is C0 in C# major, not B#-1."""
        letter, alter, octave = self.spell(pitch)
        if octave in octaves:
            return letter, alter, octave
        letter, alter = self._chromatic(pitch % 12, 1 if octave < octaves[0] else -1)
        return letter, alter, (pitch - NATURAL[letter] - alter) // 12 - 1

    def name(self, pitch: int) -> str:
        """``pitch`` in the text notation: ``"Bb4"``, ``"F#3"``, ``"B#3"`` (MIDI 60 in C# major)."""
        letter, alter, octave = self.spell(pitch)
        return f"{letter}{ACCIDENTAL_SIGNS[alter]}{octave}"


def speller(key: object) -> Speller:
    """The (shared, unchanging) speller of ``key``: labels ask for one per pitch they name."""
    return _speller(key if isinstance(key, str) else None)


@lru_cache(maxsize=64)
def _speller(key: str | None) -> Speller:
    return Speller(key)
