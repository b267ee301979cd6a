"""Keys: the key a melody is in, given or guessed, and its tonic.

A melody's own key may be in any mode (:class:`~jupymuse.music.key.Key`); a guessed one is major or
harmonic minor.
"""

from __future__ import annotations

from collections import Counter

from .key import SCALES, Key
from .melody import Melody

_GUESSED_MODES = ("major", "minor")
"""The modes a key guess chooses between."""


def guess_key(melody: Melody) -> Key | None:
    """The melody's key, or the major/harmonic-minor key that holds most of its notes.

    Ties (a short melody fits several keys) go to the key whose tonic opens, then closes, the
    melody, and then to major. None for a melody with no key and no notes.
    """
    if melody.key is not None:
        return melody.key
    pitches = melody.pitches
    if not pitches:
        return None
    counts = Counter(p % 12 for p in pitches)  # one pass: names are asked for on every repr and label
    first, last = pitches[0] % 12, pitches[-1] % 12

    def score(key: tuple[int, str]) -> float:
        tonic, mode = key
        fits = sum(counts[(tonic + step) % 12] for step in SCALES[mode])
        return fits + 0.6 * (first == tonic) + 0.3 * (last == tonic) + 0.05 * (mode == "major")

    return Key.from_pitch_class(*max(((t, m) for t in range(12) for m in _GUESSED_MODES), key=score))


def tonic_class(melody: Melody) -> int | None:
    """The pitch class (0-11, C = 0) of the tonic of the melody's key, given or guessed.

    None for a melody with no key and no notes.
    """
    key = guess_key(melody)
    return key.tonic if key is not None else None
