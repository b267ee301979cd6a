"""Generation quality: how much generated melodies resemble real ones of a style.

* ``features``: per-melody features (interval classes, pitch-class entropy, range, duration and
  rest shares) and the pitch-class, interval and duration histograms;
* ``mgeval``: MGEval's overlap area and KL divergence (Yang & Lerch) of a feature between sets;
* ``classify``: a real-vs-generated discriminator (logistic regression, k-fold accuracy);
* ``style``: a style classifier trained on real melodies only (one Markov chain per style);
* ``logistic``: the numpy logistic regression both classifiers use.

numpy only; never imports TensorFlow. ``benchmarks/generation_quality.py`` puts them together.
"""

from __future__ import annotations

from .classify import (
    CrossValidated,
    cross_validated_accuracy,
    discriminator_accuracy,
    grouped_folds,
    stratified_folds,
)
from .features import (
    DURATION_CLASSES,
    HISTOGRAMS,
    INTERVAL_CLASSES,
    MelodyFeatures,
    feature_matrix,
    feature_names,
    histogram_matrix,
    mean_scalars,
    melody_features,
)
from .logistic import LogisticRegression, Standardiser, fit_logistic
from .mgeval import Overlap, inter_distances, intra_distances, kl_divergence, mgeval_overlap, overlap_area
from .style import CANDIDATES, StyleChoice, StyleClassifier, mean_log_likelihoods

__all__ = [
    "CANDIDATES",
    "DURATION_CLASSES",
    "HISTOGRAMS",
    "INTERVAL_CLASSES",
    "CrossValidated",
    "LogisticRegression",
    "MelodyFeatures",
    "Overlap",
    "Standardiser",
    "StyleChoice",
    "StyleClassifier",
    "cross_validated_accuracy",
    "discriminator_accuracy",
    "feature_matrix",
    "feature_names",
    "fit_logistic",
    "grouped_folds",
    "histogram_matrix",
    "inter_distances",
    "intra_distances",
    "kl_divergence",
    "mean_log_likelihoods",
    "mean_scalars",
    "melody_features",
    "mgeval_overlap",
    "overlap_area",
    "stratified_folds",
]
