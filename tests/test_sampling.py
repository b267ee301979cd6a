import numpy as np
import pytest

from jupymuse import ModelError
from jupymuse.models.sampling import draw, shape

P = np.array([0.1, 0.5, 0.15, 0.25])


def test_temperature_one_changes_nothing() -> None:
    assert np.allclose(shape(P), P)


def test_temperature_zero_is_argmax() -> None:
    assert shape(P, 0.0).tolist() == [0, 1, 0, 0]


def test_low_temperature_sharpens_high_flattens() -> None:
    cold, hot = shape(P, 0.5), shape(P, 3.0)
    assert cold[1] > P[1] > hot[1]
    assert np.isclose(cold.sum(), 1)
    assert np.isclose(hot.sum(), 1)
    assert np.allclose(cold, P**2 / (P**2).sum())


def test_top_k_keeps_the_k_likeliest() -> None:
    out = shape(P, top_k=2)
    assert np.nonzero(out)[0].tolist() == [1, 3]
    assert np.allclose(out[[1, 3]], [0.5 / 0.75, 0.25 / 0.75])


def test_top_p_keeps_the_smallest_set_reaching_p() -> None:
    assert np.nonzero(shape(P, top_p=0.5))[0].tolist() == [1]
    assert np.nonzero(shape(P, top_p=0.6))[0].tolist() == [1, 3]
    assert np.nonzero(shape(P, top_p=0.9))[0].tolist() == [1, 2, 3]


def test_bad_settings() -> None:
    for kwargs in ({"temperature": -1}, {"top_k": 0}, {"top_p": 0.0}, {"top_p": 1.5}):
        with pytest.raises(ModelError):
            shape(P, **kwargs)  # type: ignore[arg-type]


def test_draw_follows_the_distribution() -> None:
    rng = np.random.default_rng(0)
    counts = np.bincount([draw(P, rng) for _ in range(20000)], minlength=4) / 20000
    assert np.allclose(counts, P, atol=0.02)
