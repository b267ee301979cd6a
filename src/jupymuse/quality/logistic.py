"""L2-regularised (multinomial) logistic regression in numpy, fitted by Newton's method.

For labels ``0..K-1`` and rows ``x`` (standardised, see ``Standardiser``) the model is
``P(k | x) = softmax(W x + c)_k``; fitting minimises the summed cross-entropy plus
``l2 / 2 * ||W||^2`` (the intercepts ``c`` get a negligible 1e-6 so the problem stays strictly
convex). Newton's method with step halving is deterministic and converges in a few steps for the
few dozen features used here; two classes are ordinary logistic regression.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import arguments
from ..errors import SettingError

MAX_CLASSES = 1000
"""Most classes a regression fits (its one-hot targets are rows x classes)."""
_INTERCEPT_L2 = 1e-6
_MAX_STEPS = 100
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Standardiser:
    """Centres and scales each column with the training rows' mean and standard deviation."""

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardiser:
        """The column means and standard deviations of ``x`` (a constant column is scaled by 1)."""
        x = arguments.array(x, "x", 2)
        if not len(x):
            raise SettingError("Standardiser.fit needs at least one row")
        std = x.std(axis=0)
        return cls(x.mean(axis=0), np.where(std > 1e-12, std, 1.0))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """``x`` standardised."""
        return np.asarray((np.asarray(x, dtype=float) - self.mean) / self.scale)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, computed stably."""
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class LogisticRegression:
    """A fitted model: ``coef`` has one row per class, its last column the intercept."""

    coef: np.ndarray
    n_classes: int

    def scores(self, x: np.ndarray) -> np.ndarray:
        """The linear scores ``W x + c`` of each row for each class."""
        x = arguments.array(x, "x", 2)
        if x.shape[1] != self.coef.shape[1] - 1:
            raise SettingError(f"x needs {self.coef.shape[1] - 1} features a row (as fitted), not {x.shape[1]}")
        return np.asarray(x @ self.coef[:, :-1].T + self.coef[:, -1])

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """P(class | row), shape ``(rows, classes)``."""
        return softmax(self.scores(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The likeliest class of each row (the lowest index on a tie)."""
        return np.asarray(self.scores(x).argmax(axis=1))


def _penalty(n_classes: int, n_features: int, l2: float) -> np.ndarray:
    per_class = np.array([l2] * n_features + [_INTERCEPT_L2])
    return np.tile(per_class, n_classes)


def _objective(coef: np.ndarray, xb: np.ndarray, onehot: np.ndarray, penalty: np.ndarray) -> float:
    scores = xb @ coef.T
    top = scores.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(scores - top).sum(axis=1))
    nll = float((log_norm - (scores * onehot).sum(axis=1)).sum())
    return nll + 0.5 * float((penalty * coef.ravel() ** 2).sum())


def _newton_step(coef: np.ndarray, xb: np.ndarray, onehot: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    """The Newton direction: ``H^-1 g`` of the penalised objective at ``coef``."""
    k, width = coef.shape
    p = softmax(xb @ coef.T)
    grad = ((p - onehot).T @ xb).ravel() + penalty * coef.ravel()
    hessian = np.empty((k, width, k, width))
    for a in range(k):
        for b in range(a, k):
            w = p[:, a] * ((a == b) - p[:, b])
            block = xb.T @ (w[:, None] * xb)
            hessian[a, :, b, :] = block
            hessian[b, :, a, :] = block.T
    flat = hessian.reshape(k * width, k * width) + np.diag(penalty)
    return spd_solve(flat, grad).reshape(k, width)


def spd_solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a^-1 b`` for a symmetric positive definite ``a``: Cholesky, then two triangular sweeps.

    ``np.linalg.solve`` starts LAPACK's threads, which on a busy two-core machine makes a 100 x 100
    solve tens of times slower; the Cholesky factorisation runs on one. Falls back to
    ``np.linalg.solve`` when ``a`` is not positive definite.
    """
    try:
        lower = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        return np.asarray(np.linalg.solve(a, b))
    n = len(b)
    y = np.empty(n)
    for i in range(n):
        y[i] = (b[i] - lower[i, :i] @ y[:i]) / lower[i, i]
    x = np.empty(n)
    for i in reversed(range(n)):
        x[i] = (y[i] - lower[i + 1 :, i] @ x[i + 1 :]) / lower[i, i]
    return x


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, n_classes: int | None = None) -> LogisticRegression:
    """Fit an L2-regularised logistic regression to rows ``x`` and integer labels ``y`` (0..K-1).

    Raises:
        SettingError: mismatched shapes, negative ``l2``, more than ``MAX_CLASSES`` classes or labels
            outside ``0..n_classes-1`` (ArgumentTypeError: not numbers at all).
    """
    x, y = arguments.array(x, "x", 2), arguments.whole_numbers(y, "y", 0)
    if y.shape != (len(x),):
        raise SettingError(f"y needs one label per row of x ({len(x)}), not {len(y)}")
    l2 = arguments.number(l2, "l2", 0)
    if not len(y):
        raise SettingError("fit_logistic needs at least one row")
    k = int(y.max()) + 1 if n_classes is None else arguments.whole(n_classes, "n_classes", 2, MAX_CLASSES)
    if y.max() >= k or k < 2 or k > MAX_CLASSES:
        raise SettingError(f"labels must run from 0 to the number of classes - 1, with 2 to {MAX_CLASSES} classes")
    xb = np.hstack([x, np.ones((len(x), 1))])
    onehot = np.eye(k)[y]
    penalty = _penalty(k, x.shape[1], l2)
    coef = np.zeros((k, xb.shape[1]))
    current = _objective(coef, xb, onehot, penalty)
    for _ in range(_MAX_STEPS):
        step = _newton_step(coef, xb, onehot, penalty)
        rate = 1.0
        while rate > 1e-6:
            trial = coef - rate * step
            value = _objective(trial, xb, onehot, penalty)
            if value <= current:
                break
            rate /= 2
        else:
            break
        coef, improvement, current = trial, current - value, value
        if improvement <= _TOLERANCE * max(1.0, abs(current)):
            break
    return LogisticRegression(coef, k)
