"""Pitch spelling for notation: a key's signature and each MIDI pitch as letter, alteration and octave.

A key keeps its spelling (:class:`~jupymuse.music.key.Key`): ``Gb major`` has six flats and ``F# major``
six sharps, ``Eb minor`` six flats and ``D# minor`` six sharps, ``C# major`` seven sharps and ``Cb major``
seven flats (MusicXML and notation programs take -7..7 fifths). Only a key that no signature of at most
seven accidentals can write (``G# major``, ``Fb major``, ``F## minor``) is written as the key that sounds
the same (``Ab major``, ``E major``, ``G minor``). A church mode has the signature of its relative major
(D dorian: none, as C major).

A pitch is spelled as a letter, an alteration and an octave (MIDI 61 is ``("C", 1, 4)`` in A major and
``("D", -1, 4)`` in F minor): the key's own letters first (harmonic minor's raised seventh included),
then sharps in sharp keys and flats in flat keys.
"""

from __future__ import annotations

from functools import lru_cache

from .key import LETTERS, NATURAL, Key

ACCIDENTAL_SIGNS = {-2: "bb", -1: "b", 0: "", 1: "#", 2: "##"}
"""How the text notation writes an alteration."""
_SHARP_ORDER = "FCGDAEB"

Spelling = tuple[str, int, int]
"""A written pitch: letter, alteration in semitones (-1 flat, 1 sharp) and octave (4 holds middle C)."""


class Speller:
    """Spells MIDI pitches in one key (C major for None): its scale's own letters first, then sharps in sharp
    keys, else flats."""

    def __init__(self, key: Key | None) -> None:
        self.key = key or Key("C", 0, "major")
        """The key the pitches are spelled in."""
        fifths, mode = self.key.fifths, self.key.mode
        self.fifths = fifths
        """The key signature: sharps above zero, flats below (-7..7)."""
        self.mode = mode
        """The key's mode (what MusicXML's ``<mode>`` says)."""
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


@lru_cache(maxsize=64)
def speller(key: Key | None) -> Speller:
    """The (shared, unchanging) speller of ``key``: labels ask for one per pitch they name."""
    return Speller(key)
