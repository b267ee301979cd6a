"""The faithfulness benchmark's own arithmetic (benchmarks/attribution.py), on a tiny input: which notes
are explained, the removal orders, the deletion curves measured with a real Markov chain, their areas."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from jupymuse import MarkovModel, load_corpus
from jupymuse.music import Melody, as_melody

ROOT = Path(__file__).resolve().parents[1]


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_attribution", ROOT / "benchmarks" / "attribution.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _benchmark()
TUNE = as_melody("C4:2 D4 E4 F4 r:2 G4 A4 G4 F4 E4 D4 C4:4")


@pytest.fixture(scope="module")
def chain() -> MarkovModel:
    return MarkovModel(2).fit(load_corpus("essen:kinder", progress=False))


def test_target_notes_need_four_earlier_notes_and_a_seeded_sample_is_repeatable() -> None:
    rng = np.random.default_rng(0)
    assert bench.target_notes(8, 0, rng) == [4, 5, 6, 7]
    assert bench.target_notes(8, 10, rng) == [4, 5, 6, 7]
    assert bench.target_notes(4, 0, rng) == []
    picked = bench.target_notes(60, 6, np.random.default_rng([0, 1, 2]))
    assert picked == bench.target_notes(60, 6, np.random.default_rng([0, 1, 2]))
    assert picked == sorted(set(picked))
    assert len(picked) == 6
    assert all(4 <= i < 60 for i in picked)


def test_removal_orders_follow_the_bits_a_permutation_and_recency() -> None:
    bits = np.array([0.5, 2.0, -1.0, 2.0, 0.1])
    orders = bench.removal_orders(bits, np.random.default_rng(1))
    assert orders["attribution"] == [1, 3, 0, 4, 2]  # ties keep their order, as Attribution.top does
    assert sorted(orders["random"]) == [0, 1, 2, 3, 4]
    assert orders["recency"] == [4, 3, 2, 1, 0]


def test_without_leaves_a_rest_and_keeps_later_notes_in_time() -> None:
    cut = bench.without(TUNE, frozenset({1, 5}))
    assert [n.start for n in cut.notes] == [n.start for j, n in enumerate(TUNE.notes) if j not in (1, 5)]
    assert len(cut.notes) == len(TUNE.notes) - 2


def _last_note(chain: MarkovModel, melody: Melody) -> float:
    lp = chain.log_prob(melody)
    return float(lp.note[~lp.is_rest][-1])


def test_deletion_curves_of_a_markov_chain_move_only_when_its_context_goes(chain: MarkovModel) -> None:
    """An order-2 chain reads the last two events: removing older notes leaves the explained note's
    chance as it was, so the oldest-first curve stays at 0 until k reaches the last two notes."""
    index = 9
    cut = TUNE[: index + 1]
    orders = {"oldest": list(range(index)), "recency": list(range(index - 1, -1, -1))}
    curves = bench.deletion_curves(lambda m: _last_note(chain, m), cut, orders, 12)
    assert curves["oldest"][0] == curves["recency"][0] == 0.0
    assert not curves["oldest"][: index - 1].any()
    assert curves["oldest"][index - 1] != 0.0
    base = _last_note(chain, cut)
    removed = _last_note(chain, bench.without(cut, frozenset({8})))
    assert curves["recency"][1] == pytest.approx((base - removed) / math.log(2))
    assert curves["oldest"][index:] == pytest.approx(curves["recency"][index:])  # every earlier note gone


def test_curve_area_is_the_trapezoid_over_k_divided_by_k() -> None:
    assert bench.curve_area(np.array([0.0, 1.0, 1.0])) == pytest.approx(0.75)
    assert bench.curve_area(np.array([2.0, 2.0, 2.0, 2.0])) == pytest.approx(2.0)


def test_positive_top_and_spread(chain: MarkovModel) -> None:
    a = chain.attribution(TUNE, 9)
    pairs = bench.positive_top(a)
    assert all(a.bits[9 - notes] > 0 for notes, _ in pairs)
    assert all(notes <= 2 for notes, _ in pairs)
    assert bench.spread([1, 2, 3, 4, 10]) == pytest.approx((3.0, 7.6))
    assert all(math.isnan(v) for v in bench.spread([]))
