"""Which style does a melody sound like? A classifier trained on real melodies only.

One ``MarkovModel`` per style learns that style's real training melodies; a melody is scored by its
mean log-likelihood per event (``ln P`` of each note and rest, pitch and duration, averaged) under
each style's model, and goes to the style whose model finds it likeliest. The chain's order and
context are chosen by stratified k-fold cross-validation on the training melodies alone.

The same cross-validation gives every training melody its held-out (out-of-fold) scores; a
multinomial logistic regression (``logistic.py``) on those scores together with the melody's
features (``features.py``) is a second candidate, judged by its own cross-validated accuracy on the
same training melodies. Whichever of the two scores higher is used. Generated music never enters
``fit``: a generated melody is only ever classified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .. import arguments
from ..errors import ArgumentTypeError, ModelError, SettingError
from ..models.markov import MarkovModel
from ..music import Melody
from .classify import cross_validated_accuracy, stratified_folds
from .features import feature_matrix, melody_features
from .keyfinding import ks_tonic
from .logistic import LogisticRegression, Standardiser, fit_logistic

ContextMode = Literal["note", "pitch"]
Candidate = tuple[int, ContextMode]
CANDIDATES: tuple[Candidate, ...] = ((1, "pitch"), (2, "pitch"), (3, "pitch"), (1, "note"), (2, "note"))
"""The Markov chains cross-validation chooses among: (order, context)."""
Method = Literal["markov", "markov+features"]


@dataclass(frozen=True)
class StyleChoice:
    """What cross-validation on the training melodies chose, and the accuracies it saw."""

    order: int
    context: ContextMode
    method: Method
    markov_accuracy: dict[Candidate, float]
    """Cross-validated accuracy of classifying by the highest likelihood, for each candidate chain."""
    stacked_accuracy: float
    """Cross-validated accuracy of the logistic regression on the chosen chain's scores and the features."""

    @property
    def accuracy(self) -> float:
        """The cross-validated accuracy of the chosen classifier."""
        return max(self.markov_accuracy[(self.order, self.context)], self.stacked_accuracy)


def mean_log_likelihoods(models: Sequence[MarkovModel], melodies: Sequence[Melody]) -> np.ndarray:
    """Mean ln P per event of each melody under each model, shape ``(melodies, models)``."""
    melodies = arguments.melodies(melodies)
    models = arguments.items(models, "models")
    for model in models:
        if not isinstance(model, MarkovModel):
            raise ArgumentTypeError(f"models must hold MarkovModels, not {arguments.shown(model)}")
    out = np.empty((len(melodies), len(models)))
    for i, melody in enumerate(melodies):
        for j, model in enumerate(models):
            out[i, j] = float(np.mean(model.log_prob(melody).note))
    return out


def _fit_chains(candidate: Candidate, melodies: Sequence[Melody], labels: np.ndarray, k: int) -> list[MarkovModel]:
    order, context = candidate
    by_style = [[melodies[i] for i in np.flatnonzero(labels == s).tolist()] for s in range(k)]
    return [MarkovModel(order, context=context).fit(group) for group in by_style]


def _out_of_fold(
    candidate: Candidate, melodies: Sequence[Melody], labels: np.ndarray, folds: list[np.ndarray], k: int
) -> np.ndarray:
    """Each melody's scores under chains fitted without its fold."""
    scores = np.empty((len(melodies), k))
    for test in folds:
        train = np.setdiff1d(np.arange(len(melodies)), test)
        chains = _fit_chains(candidate, [melodies[i] for i in train.tolist()], labels[train], k)
        scores[test] = mean_log_likelihoods(chains, [melodies[i] for i in test.tolist()])
    return scores


def _candidate(value: object) -> Candidate:
    """``value`` as an (order, context) candidate chain, checked as ``MarkovModel`` checks them."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise ArgumentTypeError(
            f"a candidate must be (order, context), e.g. (2, 'pitch'), not {arguments.shown(value)}"
        )
    model = MarkovModel(value[0], context=value[1])
    return (model.order, model.context)


class StyleClassifier:
    """Names the style of a melody; learns from real melodies of each style only.

    Args:
        candidates: the (order, context) Markov chains cross-validation chooses among.
        folds: folds of the cross-validation on the training melodies.
        seed: seed of the fold assignment.
        l2: the logistic regression's penalty (on standardised inputs).
        key_relative: read every melody moved to C (its Krumhansl-Schmuckler tonic to C,
            :func:`in_c`), so a style is told by its scale degrees, intervals and rhythm, not by the keys
            its tunes happen to be in: a chorale opening in B flat continued as an Irish tune can be
            recognised as Irish without leaving B flat.
    """

    def __init__(
        self,
        *,
        candidates: Sequence[Candidate] = CANDIDATES,
        folds: int = 5,
        seed: int = 0,
        l2: float = 1.0,
        key_relative: bool = False,
    ) -> None:
        self.candidates = tuple(_candidate(c) for c in arguments.items(candidates, "candidates"))
        if not self.candidates:
            raise SettingError("give at least one (order, context) candidate")
        self.folds = arguments.whole(folds, "folds", 2)
        self.seed = arguments.whole(seed, "seed", 0)
        self.l2 = arguments.number(l2, "l2", 0)
        self.key_relative = bool(key_relative)
        self.styles: tuple[str, ...] = ()
        self.choice: StyleChoice | None = None
        self._chains: list[MarkovModel] = []
        self._scale: Standardiser | None = None
        self._stacked: LogisticRegression | None = None

    def fit(self, train: Mapping[str, Sequence[Melody]]) -> StyleClassifier:
        """Learn each style from its real melodies (style name -> melodies); returns the classifier.

        Raises:
            SettingError: fewer than two styles, or a style with fewer melodies than folds.
        """
        if not isinstance(train, Mapping):
            raise ArgumentTypeError(f"train must map style names to melodies, not {arguments.shown(train)}")
        by_style = {s: self._read(arguments.melodies(ms, f"train[{s!r}]")) for s, ms in train.items()}
        self.styles = tuple(by_style)
        melodies = [m for s in self.styles for m in by_style[s] if len(m)]
        labels = np.array([i for i, s in enumerate(self.styles) for m in by_style[s] if len(m)], dtype=int)
        counts = np.bincount(labels, minlength=len(self.styles))
        if len(self.styles) < 2 or counts.min() < self.folds:
            raise SettingError(f"give at least two styles with at least {self.folds} melodies with notes each")
        k = len(self.styles)
        folds = stratified_folds(labels, self.folds, self.seed)
        oof = {c: _out_of_fold(c, melodies, labels, folds, k) for c in self.candidates}
        accuracy = {c: float((oof[c].argmax(axis=1) == labels).mean()) for c in self.candidates}
        best = max(self.candidates, key=lambda c: accuracy[c])  # the first listed wins a tie
        stacked_x = np.hstack([oof[best], feature_matrix(melody_features(m) for m in melodies)])
        stacked = cross_validated_accuracy(stacked_x, labels, folds=self.folds, seed=self.seed + 1, l2=self.l2)
        method: Method = "markov+features" if stacked.accuracy > accuracy[best] else "markov"
        self.choice = StyleChoice(best[0], best[1], method, accuracy, stacked.accuracy)
        self._chains = _fit_chains(best, melodies, labels, k)
        self._scale = self._stacked = None
        if method == "markov+features":
            self._scale = Standardiser.fit(stacked_x)
            self._stacked = fit_logistic(self._scale(stacked_x), labels, l2=self.l2, n_classes=k)
        return self

    def _read(self, melodies: list[Melody]) -> list[Melody]:
        return [in_c(m) for m in melodies] if self.key_relative else melodies

    def scores(self, melodies: Sequence[Melody]) -> np.ndarray:
        """Mean ln P per event of each melody under each style's chain, shape ``(melodies, styles)``."""
        if not self._chains:
            raise ModelError("the style classifier has not been fitted: call fit(...) first")
        return mean_log_likelihoods(self._chains, melodies)

    def predict(self, melodies: Sequence[Melody]) -> list[str]:
        """The style of each melody (melodies need at least one note)."""
        melodies = arguments.melodies(melodies)
        if any(not len(m) for m in melodies):
            raise SettingError("a melody without notes has no style to find")
        if not melodies:
            return []
        melodies = self._read(melodies)
        scores = self.scores(melodies)
        if self._stacked is not None and self._scale is not None:
            x = np.hstack([scores, feature_matrix(melody_features(m) for m in melodies)])
            picks = self._stacked.predict(self._scale(x))
        else:
            picks = scores.argmax(axis=1)
        return [self.styles[int(i)] for i in picks]

    def accuracy(self, melodies: Sequence[Melody], style: str) -> float:
        """Share of ``melodies`` classified as ``style``."""
        melodies = arguments.melodies(melodies)
        if not melodies:
            raise SettingError("there are no melodies to classify")
        return sum(p == style for p in self.predict(melodies)) / len(melodies)


CENTRE = 67
"""The MIDI pitch :func:`in_c` centres melodies on (G4: between the styles' usual ranges)."""


def in_c(melody: Melody) -> Melody:
    """``melody`` moved so its Krumhansl-Schmuckler tonic is C, by whole octaves as near its mean pitch
    to ``CENTRE`` as can be, so the same tune in any key comes out the same (unmoved if it has no notes
    or would leave the MIDI range)."""
    tonic = ks_tonic(melody)
    if tonic is None:
        return melody
    pitches = melody.pitches
    mean = sum(pitches) / len(pitches)
    shift = -tonic + 12 * round((CENTRE - mean + tonic) / 12)
    if min(pitches) + shift < 0 or max(pitches) + shift > 127:
        return melody
    return melody.transpose(shift)
