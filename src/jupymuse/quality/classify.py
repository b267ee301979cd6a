"""Can a classifier tell generated melodies from real ones? (the real-vs-generated discriminator)

Every melody becomes its feature vector (``features.py``: the interval classes, pitch-class
entropy, range, rest share and the pitch-class, interval and duration histograms); an
L2-regularised logistic regression (``logistic.py``) learns real (label 1) against other (label 0),
and its accuracy is measured by stratified k-fold cross-validation: each fold's test melodies are
scored by a model standardised and fitted on the other folds alone. About 50% means the two sets
cannot be told apart by these features; 100% means every melody gives itself away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import arguments
from ..errors import SettingError
from ..music import Melody
from .features import feature_matrix, melody_features
from .logistic import Standardiser, fit_logistic

MAX_REPEATS = 100
"""Most cross-validations ``repeats`` pools (each one fits a regression per fold)."""


@dataclass(frozen=True)
class CrossValidated:
    """Accuracy of a classifier under k-fold cross-validation."""

    accuracy: float
    """Share of all rows classified correctly when held out (pooled over the folds)."""
    fold_accuracies: tuple[float, ...]
    """The accuracy within each fold (of every repeat)."""
    n: int
    """Rows classified."""

    @property
    def std(self) -> float:
        """Standard deviation of the fold accuracies."""
        return float(np.std(self.fold_accuracies))


def stratified_folds(labels: Sequence[int] | np.ndarray, folds: int = 5, seed: int = 0) -> list[np.ndarray]:
    """The test indices of each of ``folds`` folds, every label spread evenly over them (seeded shuffle).

    Raises:
        SettingError: fewer than two folds, or fewer rows than folds.
    """
    labels = arguments.whole_numbers(labels, "labels")
    folds = _folds(folds, len(labels), "rows")
    rng = np.random.default_rng(arguments.whole(seed, "seed", 0))
    fold_of = np.empty(len(labels), dtype=int)
    offset = 0
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        fold_of[members] = (np.arange(len(members)) + offset) % folds
        offset += len(members)  # the next label's first member goes where this one stopped
    return [np.flatnonzero(fold_of == f) for f in range(folds)]


def grouped_folds(groups: Sequence[int] | np.ndarray, folds: int = 5, seed: int = 0) -> list[np.ndarray]:
    """The test indices of each fold when rows of the same group must stay together (seeded shuffle).

    Raises:
        SettingError: fewer than two folds, or fewer groups than folds.
    """
    names, group_of = np.unique(arguments.whole_numbers(groups, "groups"), return_inverse=True)
    folds = _folds(folds, len(names), "groups")
    fold_of_group = np.empty(len(names), dtype=int)
    fold_of_group[np.random.default_rng(arguments.whole(seed, "seed", 0)).permutation(len(names))] = (
        np.arange(len(names)) % folds
    )
    fold_of = fold_of_group[group_of]
    return [np.flatnonzero(fold_of == f) for f in range(folds)]


def cross_validated_accuracy(
    x: np.ndarray,
    y: Sequence[int] | np.ndarray,
    *,
    folds: int = 5,
    seed: int = 0,
    l2: float = 1.0,
    groups: Sequence[int] | np.ndarray | None = None,
    repeats: int = 1,
) -> CrossValidated:
    """Stratified k-fold accuracy of the logistic regression on rows ``x`` with labels ``y``.

    Each fold is standardised with its training rows' statistics only. With ``groups``, rows of one
    group are always held out together (``grouped_folds``) instead of stratified by label.
    ``repeats`` runs the whole cross-validation that many times with seeds ``seed``, ``seed + 1``,
    ... and pools them: the figure then depends less on one random split.
    """
    x, labels = arguments.array(x, "x", 2), arguments.whole_numbers(y, "y", 0)
    if len(labels) != len(x):
        raise SettingError(f"y needs one label per row of x ({len(x)}), not {len(labels)}")
    repeats = arguments.whole(repeats, "repeats", 1, MAX_REPEATS)
    seed = arguments.whole(seed, "seed", 0)
    if groups is not None:
        groups = arguments.whole_numbers(groups, "groups")
        if len(groups) != len(labels):
            raise SettingError(f"groups needs one group per row of x ({len(x)}), not {len(groups)}")
    n_classes = int(labels.max()) + 1 if len(labels) else 2
    right = 0
    per_fold = []
    splits = [
        test
        for r in range(repeats)
        for test in (
            stratified_folds(labels, folds, seed + r) if groups is None else grouped_folds(groups, folds, seed + r)
        )
    ]
    for test in splits:
        train = np.setdiff1d(np.arange(len(labels)), test)
        scale = Standardiser.fit(x[train])
        model = fit_logistic(scale(x[train]), labels[train], l2=l2, n_classes=n_classes)
        hits = int((model.predict(scale(x[test])) == labels[test]).sum())
        right += hits
        per_fold.append(hits / len(test))
    return CrossValidated(right / (len(labels) * repeats), tuple(per_fold), len(labels))


def _folds(folds: object, count: int, what: str) -> int:
    """``folds`` checked: a whole number from 2 to ``count`` (the rows or groups there are)."""
    k = arguments.whole(folds, "folds", 2)
    if count < k:
        raise SettingError(f"{k}-fold cross-validation needs at least {k} {what}, not {count}")
    return k


def _as_matrix(melodies: Sequence[Melody] | np.ndarray, name: str) -> np.ndarray:
    if isinstance(melodies, np.ndarray):
        return arguments.array(melodies, name, 2)
    return feature_matrix(melody_features(m) for m in arguments.melodies(melodies, name))


def discriminator_accuracy(
    real: Sequence[Melody] | np.ndarray,
    other: Sequence[Melody] | np.ndarray,
    *,
    folds: int = 5,
    seed: int = 0,
    l2: float = 1.0,
    paired: bool = False,
    repeats: int = 1,
) -> CrossValidated:
    """How well a logistic regression on the features tells ``real`` from ``other`` (k-fold accuracy).

    ``real`` and ``other`` are melodies, or their ``feature_matrix`` rows. Near 0.5 (with equally
    many of each): indistinguishable; near 1: told apart every time. ``paired``: ``other[i]`` belongs
    with ``real[i]`` (a continuation of the same primer), so each pair is held out together; split
    up, a pair's likeness (same key, same opening) would teach the model the wrong label for the
    held-out half and pull the accuracy below what the features can tell. ``repeats``: pooled over
    that many cross-validations with different splits (see ``cross_validated_accuracy``).

    Raises:
        SettingError: a set smaller than ``folds``, or ``paired`` sets of different sizes.
    """
    a, b = _as_matrix(real, "real"), _as_matrix(other, "other")
    folds = _folds(folds, min(len(a), len(b)), "melodies in each set")
    if paired and len(a) != len(b):
        raise SettingError(f"paired sets must be the same size, not {len(a)} and {len(b)}")
    if a.shape[1:] != b.shape[1:]:
        raise SettingError(f"real and other need the same features a row, not {a.shape[1:]} and {b.shape[1:]}")
    x = np.vstack([a, b])
    y = np.concatenate([np.ones(len(a), dtype=int), np.zeros(len(b), dtype=int)])
    groups = np.concatenate([np.arange(len(a)), np.arange(len(b))]) if paired else None
    return cross_validated_accuracy(x, y, folds=folds, seed=seed, l2=l2, groups=groups, repeats=repeats)
