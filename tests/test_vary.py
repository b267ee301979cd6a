"""Varying a phrase (``model.vary``) on real models: the rhythm, the pitches or the contour kept as asked."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from jupymuse.corpus import Corpus
from jupymuse.errors import ArgumentTypeError, ModelError, SettingError
from jupymuse.models import MarkovModel, NoteLogProbs
from jupymuse.models.default import load_default
from jupymuse.models.gru import GRUModel
from jupymuse.music import Melody
from jupymuse.music.events import Event


@pytest.fixture(scope="module")
def gru() -> GRUModel:
    return load_default()


@pytest.fixture(scope="module")
def chain(kinder: Corpus) -> MarkovModel:
    return MarkovModel(2).fit(kinder)


def phrase(corpus: Corpus) -> tuple[Melody, int, int]:
    """A melody of at least 8 bars with a rest inside bars 3-4, and that span."""
    for m in corpus:
        spb = m.steps_per_bar
        inside = [n for n in m.notes if 2 * spb <= n.start < 4 * spb]
        crosses = any(n.start < edge < n.end for n in m.notes for edge in (2 * spb, 4 * spb))
        rest = any(a.end < b.start for a, b in itertools.pairwise(inside))
        if m.end >= 8 * spb and len(inside) >= 5 and rest and not crosses:
            return m, 2 * spb, 4 * spb
    raise AssertionError("no such melody")


def inside(melody: Melody, start: int, end: int) -> list[tuple[int, int, int]]:
    return [(n.pitch, n.start, n.duration) for n in melody.notes if start <= n.start < end]


def outside(melody: Melody, start: int, end: int) -> list[object]:
    return [n for n in melody.notes if not start <= n.start < end]


def way(pitches: list[int]) -> list[int]:
    return [int(np.sign(b - a)) for a, b in itertools.pairwise(pitches)]


@pytest.mark.parametrize("which", ["chain", "gru"])
def test_new_pitches_on_the_same_rhythm(which: str, chain: MarkovModel, gru: GRUModel, kinder: Corpus) -> None:
    model = chain if which == "chain" else gru
    melody, start, end = phrase(kinder)
    old = inside(melody, start, end)
    variations = model.vary(melody, start, end, n=8, seed=0)
    for v in variations:
        assert outside(v, start, end) == outside(melody, start, end)
        assert [(s, d) for _, s, d in inside(v, start, end)] == [(s, d) for _, s, d in old]
    assert all(inside(v, start, end) != old for v in variations)  # never the phrase itself


@pytest.mark.parametrize("which", ["chain", "gru"])
def test_the_contour_is_kept_when_asked(which: str, chain: MarkovModel, gru: GRUModel, kinder: Corpus) -> None:
    model = chain if which == "chain" else gru
    melody, start, end = phrase(kinder)
    before = [n.pitch for n in melody.notes if n.start < start][-1:]
    old = before + [p for p, _, _ in inside(melody, start, end)]
    kept = model.vary(melody, start, end, contour=True, n=16, seed=1, scale="C major")
    for v in kept:
        assert way(before + [p for p, _, _ in inside(v, start, end)]) == way(old)
    free = model.vary(melody, start, end, n=16, seed=1)
    assert any(way(before + [p for p, _, _ in inside(v, start, end)]) != way(old) for v in free)


@pytest.mark.parametrize("which", ["chain", "gru"])
def test_a_new_rhythm_on_the_same_pitches(which: str, chain: MarkovModel, gru: GRUModel, kinder: Corpus) -> None:
    model = chain if which == "chain" else gru
    melody, start, end = phrase(kinder)
    old = inside(melody, start, end)
    variations = model.vary(melody, start, end, keep="pitches", n=8, seed=2)
    for v in variations:
        new = inside(v, start, end)
        assert outside(v, start, end) == outside(melody, start, end)
        assert [p for p, _, _ in new] == [p for p, _, _ in old]
        assert all(s + d <= end for _, s, d in new)
    assert all(inside(v, start, end) != old for v in variations)
    assert all(inside(v, start, end)[0][1] == old[0][1] for v in variations)  # the phrase starts where it did


def test_a_seed_gives_one_variation(gru: GRUModel, kinder: Corpus) -> None:
    melody, start, end = phrase(kinder)
    for keep in ("rhythm", "pitches"):
        a, b = (gru.vary(melody, start, end, keep=keep, n=4, seed=5) for _ in range(2))  # type: ignore[arg-type]
        assert [m.notes for m in a] == [m.notes for m in b]
        cold = [gru.vary(melody, start, end, keep=keep, temperature=0, seed=s)[0] for s in (1, 2)]  # type: ignore[arg-type]
        assert cold[0].notes == cold[1].notes
        assert inside(cold[0], start, end) != inside(melody, start, end)


class Counting(MarkovModel):
    """A Markov chain that counts its scorings and draws: a refusal must come before any."""

    calls = 0

    def log_prob(self, melody: Melody) -> NoteLogProbs:
        Counting.calls += 1
        return super().log_prob(melody)

    def pitch_distribution(self, history: list[Event]) -> np.ndarray:
        Counting.calls += 1
        return super().pitch_distribution(history)


def test_bad_requests_are_refused_before_any_work(kinder: Corpus) -> None:
    model = Counting(1).fit(kinder)
    melody, start, end = phrase(kinder)
    silent = melody.replace(notes=[n for n in melody.notes if not start <= n.start < end])
    cases: list[tuple[Melody, dict[str, object], type[Exception], str]] = [
        (melody, {"keep": "melody"}, SettingError, r"keep must be one of 'rhythm', 'pitches', not 'melody'"),
        (melody, {"contour": "yes"}, ArgumentTypeError, r"contour must be True or False, not 'yes'"),
        (silent, {}, SettingError, rf"the span \[{start}, {end}\) holds no notes to vary"),
        (melody, {"n": 100}, SettingError, r"n \(at most proposals, 64\) must be between 1 and 64, not 100"),
        (melody, {"ending": "cadence"}, ModelError, r"ending does not apply"),
        (melody, {"style": "irish"}, ModelError, r"knows no styles"),
    ]
    for m, kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            model.vary(m, start, end, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(SettingError, match=r"falls inside note"):
        model.vary(melody, start + 1, end)
    with pytest.raises(SettingError, match=r"past the melody's end"):
        model.vary(melody, start, melody.end + 4)
    assert Counting.calls == 0


def test_contour_goes_with_new_pitches_only(kinder: Corpus) -> None:
    model = MarkovModel(1).fit(kinder)
    melody = kinder[0]
    spb = melody.steps_per_bar
    with pytest.raises(SettingError, match='goes with keep="rhythm"'):
        model.vary(melody, 2 * spb, 4 * spb, keep="pitches", contour=True)
