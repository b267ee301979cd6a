"""The compiled TensorFlow sampler (``engine="tensorflow"``): its shapes, its compilations, its shaping rules.

That it samples the numpy engine's distributions is tested in ``test_gru_numpy.py``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

import jupymuse
from jupymuse.models import GRUConfig, GRUModel
from jupymuse.models.generation import SamplingRequest
from jupymuse.models.gru_sampler import sampler_request, shape_logits, slots
from jupymuse.models.sampling import allowed_pitches, shape

from helpers import mel

PRIMER = "G4:4 G4:4 D5:4 D5:4 E5:2 F#5:2 G5:8"  # every duration is one the token scheme knows


def request(
    steps: int = 12,
    n: int = 2,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    seed: int | None = 3,
    primer: str = PRIMER,
    **constraints: Any,
) -> SamplingRequest:
    allowed = allowed_pitches(constraints.get("pitch_range"), constraints.get("scale"))
    return SamplingRequest(mel(primer), steps, n, temperature, top_k, top_p, seed, allowed, temperature, top_p)


@pytest.fixture(scope="module")
def small() -> GRUModel:
    """A randomly initialised network."""
    return GRUModel(GRUConfig(embedding_size=8, hidden_units=32, duration_units=8, layers=2), seed=4)


def test_requests_are_rounded_to_few_compiled_shapes(small: GRUModel) -> None:
    req = sampler_request(small.config, request(40, 3, primer="C4:4 D4 E4 F4 G4"))
    assert req.primer_pitch.shape == req.primer_duration.shape == (512,)  # up to 512 events: one size
    assert int(req.primer_length) == 5
    assert req.step_slots.shape == (256,)
    assert int(req.steps) == 40
    assert int(req.n) == 4  # 3 candidates -> a power of two
    assert req.allowed.shape == (small.config.n_outputs,)  # the pitches, the rest, the end of the melody
    assert not req.allowed[-1]  # which only generate(ending="model") allows
    assert sampler_request(GRUConfig(), request(0, 1, primer="")).primer_pitch.shape == (512,)
    assert sampler_request(GRUConfig(), request(300, 1)).step_slots.shape == (512,)
    assert slots(600, 256, 16) == (1024, 256, 16)
    assert [slots(1, 1, n)[2] for n in (1, 2, 3, 5, 9, 16, 17)] == [1, 2, 4, 8, 16, 16, 32]


@pytest.mark.slow
def test_one_compiled_loop_serves_every_length(small: GRUModel) -> None:
    """Primer and step counts are loop bounds, not compile-time constants: no new compilation."""
    model = jupymuse.load_default(fresh=True)
    model.engine = "tensorflow"
    assert set(model.warm_up([2, 3])) == {2, 4}
    sampler = model._samplers[False]
    traced = sampler.experimental_get_tracing_count()
    for primer, steps in [("C4:4", 1), ("C4:4 D4 E4 F4 G4 A4 B4", 40), ("", 200)]:
        model.generate(mel(primer), steps, n=2, seed=1)
    assert sampler.experimental_get_tracing_count() == traced
    # nor in XLA's own cache: a new primer length costs no compilation (which takes a second or more)
    t0 = time.perf_counter()
    model.generate(mel("C4:4 " * 33), 77, n=3, seed=2)
    assert time.perf_counter() - t0 < 0.5


def test_tensorflow_shaping_follows_the_numpy_rules() -> None:
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(20), size=50)  # no two entries equal
    for temperature, top_k, top_p in [(1.0, None, None), (0.5, 3, None), (1.5, None, 0.6), (0.8, 7, 0.9)]:
        k = 10**6 if top_k is None else top_k
        logits = shape_logits(np.log(p).astype(np.float32), temperature, k, 2.0 if top_p is None else top_p)
        e = np.exp(np.asarray(logits, np.float64))
        np.testing.assert_allclose(e / e.sum(axis=1, keepdims=True), shape(p, temperature, top_k, top_p), atol=1e-5)


def test_exact_ties_at_the_cut_off_are_where_the_two_differ() -> None:
    p = np.array([[0.4, 0.3, 0.3]])
    kept = np.isfinite(np.asarray(shape_logits(np.log(p).astype(np.float32), 1.0, 2, 2.0)))
    assert kept.tolist() == [[True, True, True]]  # TensorFlow: every entry tied at the k-th place stays
    assert (shape(p, top_k=2) > 0).tolist() == [[True, True, False]]  # numpy: exactly k, the first by index
