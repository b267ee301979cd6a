"""Key and mode estimates for judging endings, independent of the ones that make them.

The cadence and ``ending="model"`` choose a melody's final from the model's own end probabilities
(:mod:`jupymuse.models.ending_choice`), and ``music/keys.py`` guesses keys by counting scale notes. A
benchmark that judged endings with either would judge a method by itself. So the judge here is the
Krumhansl-Schmuckler key finder over the whole melody: the correlation of its duration-weighted
pitch-class histogram with the Krumhansl-Kessler major and minor profiles rotated to each tonic. It
serves the Chinese songs too: on the held-out melodies its tonic is the real last note for 67% of them (against 18%
for ``guess_key``'s), about as often as for the other styles (69-77%), because a pentatonic melody's
longest-held notes circle its final. (Profiles learnt per final from the training melodies did worse:
55%.)
"""

from __future__ import annotations

import numpy as np

from ..music import Melody

KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
"""Krumhansl & Kessler's (1982) probe-tone profiles, tonic first."""


def histogram(melody: Melody) -> np.ndarray:
    """Each pitch class's share of the melody's sounding time (12,)."""
    h = np.zeros(12)
    for n in melody.notes:
        h[n.pitch % 12] += n.duration
    return np.asarray(h / max(h.sum(), 1))


def _correlations(h: np.ndarray, profile: np.ndarray) -> np.ndarray:
    """Pearson correlation of ``h`` with ``profile`` rotated to each of the 12 tonics."""
    rows = np.stack([np.roll(profile, t) for t in range(12)])
    a = rows - rows.mean(axis=1, keepdims=True)
    b = h - h.mean()
    return np.asarray(a @ b / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b), 1e-12))


def ks_tonic(melody: Melody) -> int | None:
    """The tonic (pitch class) of the Krumhansl-Schmuckler key of ``melody``; None without notes."""
    if not len(melody):
        return None
    h = histogram(melody)
    scores = np.concatenate([_correlations(h, KK_MAJOR), _correlations(h, KK_MINOR)])
    return int(np.argmax(scores)) % 12
