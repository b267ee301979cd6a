"""Measuring models and melodies: bits per note, cross-validation, near-twins, descriptive metrics.

Bits per note is the average surprise ``-log2 P`` of each note given the notes before it: lower is
better (the model predicts the music better). ``pitch`` is the figure IDyOM reports (the pitch of
each note); ``note`` includes the duration and the rests, the model's own figure.
"""

from __future__ import annotations

from .metrics import MelodyMetrics, describe
from .scores import BitsPerNote, CrossValidation, MelodyScore, bits_per_note, cross_validate, melody_mean
from .twins import TWIN_THRESHOLD, has_twin, interval_grams, jaccard, twin_free, twin_groups, without_tunes_of

__all__ = [
    "TWIN_THRESHOLD",
    "BitsPerNote",
    "CrossValidation",
    "MelodyMetrics",
    "MelodyScore",
    "bits_per_note",
    "cross_validate",
    "describe",
    "has_twin",
    "interval_grams",
    "jaccard",
    "melody_mean",
    "twin_free",
    "twin_groups",
    "without_tunes_of",
]
