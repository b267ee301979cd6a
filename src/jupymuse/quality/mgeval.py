"""MGEval's overlap area: how closely a generated set's spread matches a real set's (Yang & Lerch 2018).

Yang and Lerch, "On the evaluation of generative models in music", Neural Computing and
Applications 32 (2020; MGEval code 2018). For one feature (a vector per melody, e.g. the
pitch-class histogram) of a real set A and another set B:

* intra-set distances ``D_AA = {||a_i - a_j|| : i < j}`` (Euclidean), how far real melodies are
  from each other;
* inter-set distances ``D_AB = {||a_i - b_j||}`` over all pairs, how far B's melodies are from
  the real ones;
* a Gaussian kernel density estimate of each, ``p_AA`` and ``p_AB``, bandwidth by Scott's rule
  ``h = s * n ** (-1/5)`` (``s`` the sample standard deviation, ``n`` the number of distances);
* the **overlap area** ``OA = integral of min(p_AA(x), p_AB(x)) dx``, from 0 (B's melodies are
  nothing like A's) to 1 (a B melody is as far from the real ones as real melodies are from each
  other). It is computed with the trapezoid rule on a fine grid that covers both samples and four
  bandwidths beyond them, so OA of a set with itself is 1 (MGEval integrates only between the
  smallest and largest distance, which cuts the tails: ``data_bounds=True`` does the same);
* the **KL divergence** as MGEval computes it: both densities evaluated at 1000 evenly spaced
  points across *each one's own* sample range, each normalised to sum 1, then
  ``sum p log(p / q)`` (natural log), intra against inter.

A set of distances that are all equal has no spread; its kernel then gets 1/200 of the pooled
range of both samples as bandwidth instead of 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import arguments
from ..errors import SettingError

MAX_POINTS = 100_000
"""Most grid points a density is read at (the default 2048 is plenty; more only costs time)."""
_CHUNK = 4096
_DEGENERATE_SHARE = 1 / 200


@dataclass(frozen=True)
class Overlap:
    """MGEval's two figures for one feature: real set A against a set B."""

    area: float
    """Overlap area of the intra-set (A-A) and inter-set (A-B) distance densities, 0 to 1; higher is closer."""
    kl: float
    """KL divergence of the intra-set density from the inter-set density (MGEval's); lower is closer."""


def intra_distances(x: np.ndarray) -> np.ndarray:
    """Euclidean distances between every pair ``i < j`` of rows of ``x`` (shape ``(n, features)``;
    a 1-D ``x`` is one feature)."""
    x = _rows(x, "x")
    i, j = np.triu_indices(len(x), k=1)
    return np.asarray(np.linalg.norm(x[i] - x[j], axis=1))


def inter_distances(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Euclidean distances between every row of ``x`` and every row of ``y`` (flattened; 1-D: one feature)."""
    x, y = _rows(x, "x"), _rows(y, "y")
    if x.shape[1] != y.shape[1]:
        raise SettingError(f"x and y need the same features a row, not {x.shape[1]} and {y.shape[1]}")
    return np.asarray(np.linalg.norm(x[:, None, :] - y[None, :, :], axis=2).ravel())


def _rows(x: object, name: str) -> np.ndarray:
    """``x`` as finite rows ``(n, features)``; a 1-D ``x`` holds one feature."""
    values = arguments.array(x, name, (1, 2))
    return values[:, None] if values.ndim == 1 else values


def scott_bandwidth(samples: np.ndarray) -> float:
    """Scott's rule for a one-dimensional Gaussian KDE: ``std(ddof=1) * n ** (-1/5)`` (0 without spread)."""
    samples = np.asarray(samples, dtype=float)
    if samples.size < 2:
        return 0.0
    return float(samples.std(ddof=1) * samples.size ** (-0.2))


def kde(samples: np.ndarray, bandwidth: float, at: np.ndarray) -> np.ndarray:
    """The Gaussian kernel density estimate of ``samples`` with ``bandwidth``, evaluated at ``at``."""
    samples = np.asarray(samples, dtype=float)
    at = np.asarray(at, dtype=float)
    density = np.zeros(at.shape)
    for lo in range(0, samples.size, _CHUNK):
        z = (at[:, None] - samples[None, lo : lo + _CHUNK]) / bandwidth
        density += np.exp(-0.5 * z * z).sum(axis=1)
    return np.asarray(density / (samples.size * bandwidth * np.sqrt(2 * np.pi)))


def kde_on_grid(samples: np.ndarray, bandwidth: float, grid: np.ndarray) -> np.ndarray:
    """``kde`` at the points of an evenly spaced ``grid`` that holds every sample, by linear binning.

    Each sample is split between its two neighbouring grid points, and the counts are convolved
    with the Gaussian kernel: the same density up to ``O((spacing / bandwidth) ** 2)``, in time
    proportional to the grid rather than grid x samples. Falls back to ``kde`` when a sample lies
    off the grid or the kernel spans more than the grid many times over.
    """
    samples, grid = np.asarray(samples, dtype=float), np.asarray(grid, dtype=float)
    spacing = float(grid[1] - grid[0]) if grid.size > 1 else 0.0
    reach = int(np.ceil(5 * bandwidth / spacing)) if spacing > 0 else 0
    if spacing <= 0 or samples.min() < grid[0] or samples.max() > grid[-1] or reach > 4 * grid.size:
        return kde(samples, bandwidth, grid)
    position = np.clip((samples - grid[0]) / spacing, 0, grid.size - 1)
    left = np.minimum(position.astype(int), grid.size - 2)
    weight = position - left
    counts = np.bincount(left, 1 - weight, grid.size) + np.bincount(left + 1, weight, grid.size)
    offsets = np.arange(-reach, reach + 1) * spacing / bandwidth
    kernel = np.exp(-0.5 * offsets * offsets) / (samples.size * bandwidth * np.sqrt(2 * np.pi))
    full = np.convolve(counts, kernel)
    return np.asarray(full[reach : reach + grid.size])


def _bandwidths(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Scott's bandwidth of each sample, with the floor for a sample without spread."""
    span = float(max(a.max(), b.max()) - min(a.min(), b.min()))
    floor = span * _DEGENERATE_SHARE
    return max(scott_bandwidth(a), floor), max(scott_bandwidth(b), floor)


def _check_samples(a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    a, b = _rows(a, "a").ravel(), _rows(b, "b").ravel()
    if a.size == 0 or b.size == 0:
        raise SettingError("both samples need at least one distance")
    return a, b


def overlap_area(a: np.ndarray, b: np.ndarray, *, points: int = 2048, data_bounds: bool = False) -> float:
    """The area under ``min(p_a, p_b)`` of the Gaussian KDEs of samples ``a`` and ``b`` (0 to 1).

    Integrated with the trapezoid rule over ``points`` grid points from four bandwidths below the
    smallest sample to four above the largest (``data_bounds``: between the smallest and largest
    sample only, as MGEval does). Two samples that are both one repeated, equal value overlap fully.
    """
    a, b = _check_samples(a, b)
    points = arguments.whole(points, "points", 2, MAX_POINTS)
    lo, hi = float(min(a.min(), b.min())), float(max(a.max(), b.max()))
    if hi == lo:
        return 1.0
    ha, hb = _bandwidths(a, b)
    if not data_bounds:
        lo, hi = lo - 4 * max(ha, hb), hi + 4 * max(ha, hb)
    grid = np.linspace(lo, hi, points)
    low = np.minimum(kde_on_grid(a, ha, grid), kde_on_grid(b, hb, grid))
    area = float(((low[1:] + low[:-1]) / 2).sum() * (grid[1] - grid[0]))
    return min(1.0, area)


def kl_divergence(a: np.ndarray, b: np.ndarray, *, points: int = 1000) -> float:
    """MGEval's ``kl_dist``: KL(p_a || p_b) between the KDEs, each read on its own sample's range.

    ``p_a`` is evaluated at ``points`` evenly spaced values from ``a``'s minimum to its maximum,
    ``p_b`` likewise on ``b``'s range; both are normalised to sum 1 and compared entry by entry
    (this mirrors MGEval's use of ``scipy.stats.entropy``). Infinite where ``p_b`` vanishes.
    """
    a, b = _check_samples(a, b)
    points = arguments.whole(points, "points", 2, MAX_POINTS)
    ha, hb = _bandwidths(a, b)
    if ha == 0 or hb == 0:  # both samples one equal value
        return 0.0
    p = kde_on_grid(a, ha, np.linspace(a.min(), a.max(), points))
    q = kde_on_grid(b, hb, np.linspace(b.min(), b.max(), points))
    p, q = p / p.sum(), q / q.sum()
    mask = p > 0
    with np.errstate(divide="ignore"):
        return float((p[mask] * np.log(p[mask] / q[mask])).sum())


def mgeval_overlap(real: np.ndarray, other: np.ndarray, *, points: int = 2048) -> Overlap:
    """MGEval's comparison of one feature: ``real`` and ``other`` hold one feature vector per row.

    The intra-set distances of ``real`` against the inter-set distances ``real`` x ``other``.
    """
    real, other = _rows(real, "real"), _rows(other, "other")
    if len(real) < 2 or len(other) < 1:
        raise SettingError(
            f"MGEval needs at least two real melodies and one other melody, not {len(real)} and {len(other)}"
        )
    points = arguments.whole(points, "points", 2, MAX_POINTS)
    intra = intra_distances(real)
    inter = inter_distances(real, other)
    return Overlap(overlap_area(intra, inter, points=points), kl_divergence(intra, inter))
