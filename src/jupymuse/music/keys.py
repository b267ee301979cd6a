"""Keys: the key a melody is in, given or guessed, and its tonic.

jupymuse's keys are major or harmonic minor (:func:`jupymuse.music.melody.scale_of`).
"""

from __future__ import annotations

from collections import Counter

from .melody import Melody, key_name, parse_key, scale_of


def guess_key(melody: Melody) -> str | None:
    """The melody's key, or the major/harmonic-minor key that holds most of its notes.

    Ties (a short melody fits several keys) go to the key whose tonic opens, then closes, the
    melody, and then to major. None for a melody with no key and no notes.
    """
    if melody.key:
        return melody.key
    pitches = melody.pitches
    if not pitches:
        return None
    counts = Counter(p % 12 for p in pitches)  # one pass: names are asked for on every repr and label
    first, last = pitches[0] % 12, pitches[-1] % 12

    def score(key: tuple[int, str]) -> float:
        tonic, mode = key
        fits = sum(counts[(tonic + step) % 12] for step in scale_of(mode))
        return fits + 0.6 * (first == tonic) + 0.3 * (last == tonic) + 0.05 * (mode == "major")

    return key_name(*max(((t, m) for t in range(12) for m in ("major", "minor")), key=score))


def tonic_class(melody: Melody) -> int | None:
    """The pitch class (0-11, C = 0) of the tonic of the melody's key, given or guessed.

    None for a melody with no key and no notes.
    """
    key = guess_key(melody)
    parsed = parse_key(key) if key else None
    return parsed[0] if parsed else None
