"""Pitch spelling for notation: a key's signature and each MIDI pitch as letter, alteration and octave.

A key signature counts fifths (``-6``..``6``: flats below zero, sharps above), and a pitch is spelled as
a letter, an alteration and an octave (MIDI 61 is ``("C", 1, 4)`` in A major and ``("D", -1, 4)`` in
F minor): the key's own letters first (harmonic minor's raised seventh included), then sharps in sharp
keys and flats in flat keys.
"""

from __future__ import annotations

from .melody import parse_key

LETTERS = "CDEFGAB"
NATURAL = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
"""Semitones of each natural letter above C."""
_SHARP_ORDER = "FCGDAEB"
_MAJOR_TONIC_LETTER = {-6: "G", -5: "D", -4: "A", -3: "E", -2: "B", -1: "F", 0: "C"}
_MAJOR_TONIC_LETTER.update({1: "G", 2: "D", 3: "A", 4: "E", 5: "B", 6: "F"})

Spelling = tuple[str, int, int]
"""A written pitch: letter, alteration in semitones (-1 flat, 1 sharp) and octave (4 holds middle C)."""


def key_fifths(key: str | None) -> tuple[int, str]:
    """The key signature (fifths, -6..6) and mode of a key name; C major for None or an unreadable name.

    Six sharps is F# major (D# minor), five flats Db major (Bb minor): the usual choice for each tonic.
    """
    parsed = parse_key(key) if key else None
    if parsed is None:
        return 0, "major"
    tonic, mode = parsed
    major_tonic = tonic if mode == "major" else (tonic + 3) % 12
    fifths = (major_tonic * 7) % 12
    return (fifths - 12 if fifths > 6 else fifths), mode


class Speller:
    """Spells MIDI pitches in one key: its scale's own letters first, then sharps in sharp keys, else flats."""

    def __init__(self, key: str | None) -> None:
        fifths, mode = key_fifths(key)
        self.fifths = fifths
        self.mode = mode
        self.signature = {letter: self._signature_alter(letter) for letter in LETTERS}
        """The alteration the key signature gives each letter."""
        self._by_pc: dict[int, tuple[str, int]] = {}
        for letter, alter in self.signature.items():
            self._by_pc[(NATURAL[letter] + alter) % 12] = (letter, alter)
        if mode == "minor":  # harmonic minor: the raised seventh, spelled on the letter below the tonic
            tonic_letter = LETTERS[(LETTERS.index(_MAJOR_TONIC_LETTER[fifths]) - 2) % 7]
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
