"""Filling a gap (``model.infill``) on real models: what stays, what is drawn, how it is weighed, what is refused."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from jupymuse.corpus import Corpus
from jupymuse.errors import ArgumentTypeError, ModelError, SettingError
from jupymuse.models import MarkovModel, NoteLogProbs
from jupymuse.models.chain_spans import ChainReader, score_by_log_prob
from jupymuse.models.default import load_default
from jupymuse.models.gaps import Gap, find_gap
from jupymuse.models.generation import style_weights
from jupymuse.models.gru import GRUModel
from jupymuse.models.gru_spans import GRUReader, score_rows
from jupymuse.models.infill import MAX_PROPOSALS, infill
from jupymuse.models.span_draw import Reader, Shaping, draw_spans
from jupymuse.models.span_rules import FillRule, RowState
from jupymuse.music import Melody
from jupymuse.music.events import REST, Event, melody_events


@pytest.fixture(scope="module")
def gru() -> GRUModel:
    return load_default()


@pytest.fixture(scope="module")
def chain(kinder: Corpus) -> MarkovModel:
    return MarkovModel(2).fit(kinder)


def long_tune(corpus: Corpus, bars: int = 8) -> Melody:
    """The first melody of ``corpus`` with at least ``bars`` bars."""
    return next(m for m in corpus if m.end >= bars * m.steps_per_bar)


def assert_filled(original: Melody, filled: Melody, start: int, end: int) -> None:
    """Every note outside [start, end) is the original's; every new note lies inside it."""
    assert [n for n in filled.notes if n.start < start] == [n for n in original.notes if n.start < start]
    assert [n for n in filled.notes if n.start >= end] == [n for n in original.notes if n.start >= end]
    inside = [n for n in filled.notes if start <= n.start < end]
    assert all(n.end <= end for n in inside)
    assert filled.time_signature == original.time_signature
    assert filled.key == original.key


@pytest.mark.parametrize("which", ["chain", "gru"])
def test_notes_outside_the_span_stay_and_the_span_keeps_its_length(
    which: str, chain: MarkovModel, gru: GRUModel, kinder: Corpus, chorales: Corpus
) -> None:
    model = chain if which == "chain" else gru
    melodies = [long_tune(kinder), long_tune(kinder[5:]), *([long_tune(chorales)] if which == "gru" else [])]
    for melody in melodies:
        spb = melody.steps_per_bar
        for start, end in ((2 * spb, 4 * spb), (0, spb), (melody.end - spb, melody.end)):
            for filled in model.infill(melody, start, end, n=4, proposals=16, seed=3):
                assert_filled(melody, filled, start, end)
                assert filled.meta["generated_by"] == model.name
                assert 0 < float(filled.meta["weight"]) <= 1


def test_the_proposals_fill_the_span_to_the_step(chain: MarkovModel, gru: GRUModel, kinder: Corpus) -> None:
    """The drawn events add up to the span exactly, each of a length the model knows (no note is cut),
    after a rest that crosses the span's start (a gap that starts off the bar, inside a silence)."""
    melody = long_tune(kinder)
    spb = melody.steps_per_bar
    start, end = 2 * spb + 1, 4 * spb
    melody = melody.replace(notes=[n for n in melody.notes if not n.start <= start < n.end])
    gap = find_gap(melody, start, end, 4)
    assert gap.before[-1].end < start
    readers: list[Reader] = [ChainReader(chain), GRUReader(gru, None, spb)]
    for reader in readers:
        rule = FillRule(np.ones(129, bool))
        history = gap.history(start)
        assert history[-1] == (REST, start - gap.before[-1].end)
        reader.reset(history, gap.before[0].start, 32)
        state = RowState.begin(32, start, end, no_rest=True, last_note=gap.before[-1].pitch)
        streams = [np.random.default_rng(s) for s in range(32)]
        spans = draw_spans(reader, rule, Shaping(1.0, None, None, 1.0, None), streams, state)
        assert all(sum(d for _, d in span) == end - start for span in spans)
        assert all(d in reader.durations for span in spans for _, d in span)
        assert all(span[0][0] != REST for span in spans)  # never a rest after the rest before the span
        assert all(a[0] != REST or b[0] != REST for span in spans for a, b in itertools.pairwise(span))
    for model in (chain, gru):
        for filled in model.infill(melody, start, end, n=8, proposals=8, seed=0):
            assert_filled(melody, filled, start, end)
            assert min(n.start for n in filled.notes if n.start >= gap.before[-1].end) >= start


def test_a_seed_gives_one_fill_and_temperature_zero_ignores_it(
    chain: MarkovModel, gru: GRUModel, kinder: Corpus
) -> None:
    melody = long_tune(kinder)
    spb = melody.steps_per_bar
    for model in (chain, gru):
        a, b = (model.infill(melody, 2 * spb, 4 * spb, n=3, proposals=16, seed=7) for _ in range(2))
        assert [m.notes for m in a] == [m.notes for m in b]
        others = [model.infill(melody, 2 * spb, 4 * spb, n=3, proposals=16, seed=s) for s in (8, 9)]
        assert any([m.notes for m in o] != [m.notes for m in a] for o in others)
        cold = [model.infill(melody, 2 * spb, 4 * spb, proposals=16, seed=s, temperature=0)[0] for s in (1, 2, None)]
        assert cold[0].notes == cold[1].notes == cold[2].notes


def test_a_first_order_chain_fills_a_one_note_gap_with_the_argmax(kinder: Corpus) -> None:
    """Temperature 0, a gap of one note: x maximising P(prev -> x) P(x -> next), by hand from the
    chain's own distributions."""
    model = MarkovModel(1).fit(kinder)
    checked = 0
    for melody in kinder[:12]:
        notes = melody.notes
        for i in range(1, len(notes) - 1, 3):
            prev, here, after = notes[i - 1], notes[i], notes[i + 1]
            if prev.end != here.start or here.end != after.start:
                continue  # rests around it: more than two transitions change
            d = here.duration
            expected = {}
            for x in [p for p in model._pitches if p != REST]:  # a one-note gap gets a note
                pitch_in = model.pitch_distribution([(prev.pitch, prev.duration)])[x]
                durations, dur_p = model.duration_distribution([(prev.pitch, prev.duration)], x)
                into = pitch_in * (dur_p[durations.index(d)] if d in durations else 0)
                out_p = model.pitch_distribution([(x, d)])[after.pitch]
                durations, dur_p = model.duration_distribution([(x, d)], after.pitch)
                expected[x] = into * out_p * dur_p[durations.index(after.duration)]
            [filled] = model.infill(melody, here.start, here.end, temperature=0)
            new = [n for n in filled.notes if here.start <= n.start < here.end]
            assert [(n.start, n.duration) for n in new] == [(here.start, d)]
            got = new[0].pitch
            assert got == max(expected, key=expected.__getitem__), f"melody {melody.meta.get('title')}, note {i}"
            checked += 1
    assert checked >= 10


def test_the_weights_prefer_spans_that_lead_into_what_follows(gru: GRUModel, chorales: Corpus) -> None:
    """The notes after the gap are likelier after a fill than after a plain continuation of the same
    2 bars (``generate`` from the notes before it, same settings), by bits per note after the gap."""
    gains = []
    for melody in [m for m in chorales if m.end >= 8 * m.steps_per_bar][:6]:
        spb = melody.steps_per_bar
        gap = find_gap(melody, 2 * spb, 4 * spb, gru.steps_per_quarter)
        fills = infill(gru, melody, gap.start, gap.end, n=16, seed=1, options={})
        plain = [gap.prefix.then(c).extend(gap.after) for c in gru.generate(gap.prefix, bars=2, n=16, seed=1)]
        assert spans_ok(fills.melodies, gap.start, gap.end)
        assert 1 <= fills.effective <= 64
        gains.append(suffix_bits(gru, plain, gap) - suffix_bits(gru, fills.melodies, gap))
    assert np.mean(gains) > 0.2, gains


def suffix_bits(model: GRUModel, melodies: list[Melody], gap: Gap) -> float:
    """Mean bits per event of the events that start at the gap's end or later."""
    bits = []
    for m in melodies:
        scores = model.log_prob(m)
        onsets = np.cumsum([m.notes[0].start] + [d for _, d in scores.events])[:-1]
        bits.append(-scores.note[onsets >= gap.end].mean() / np.log(2))
    return float(np.mean(bits))


def span_of(melody: Melody, start: int, end: int) -> list[Event]:
    """The events a fill drew for [start, end) of ``melody`` (from ``start``, to ``end``)."""
    inside = [n for n in melody.notes if start <= n.start < end]
    out: list[Event] = []
    at = start
    for n in inside:
        if n.start > at:
            out.append((REST, n.start - at))
        out.append((n.pitch, n.duration))
        at = n.end
    if at < end:
        out.append((REST, end - at))
    return out


def spans_ok(melodies: list[Melody], start: int, end: int) -> bool:
    return all(sum(d for _, d in span_of(m, start, end)) == end - start for m in melodies)


def test_the_gru_scores_every_candidate_as_log_prob_does(gru: GRUModel, kinder: Corpus) -> None:
    melody = long_tune(kinder)
    spb = melody.steps_per_bar
    german = style_weights(gru.styles, "german", gru.name)
    for start, end in ((2 * spb, 4 * spb), (0, 2 * spb), (2 * spb + 1, 3 * spb + 1)):
        here = melody.replace(notes=[n for n in melody.notes if not (n.start < start < n.end or n.start < end < n.end)])
        gap = find_gap(here, start, end, 4)
        filled = gru.infill(here, start, end, n=5, proposals=5, seed=2, style="german")
        spans = [span_of(m, start, end) for m in filled]
        span_lp, after_lp = score_rows(GRUReader(gru, german, spb), gap, spans, start)
        for span, a, b in zip(spans, span_lp, after_lp, strict=True):
            scored = gap.filled(span, start, scoring=True)
            expected = split(gru.log_prob(scored, style="german"), scored, gap)
            np.testing.assert_allclose([a, b], expected, rtol=1e-9, atol=1e-9)


def split(scores: NoteLogProbs, melody: Melody, gap: Gap) -> tuple[float, float]:
    """ln P of the events after the notes before the gap: those starting before its end, and the rest."""
    head = len(melody_events(gap.prefix))
    onset = gap.before[-1].end if gap.before else melody.notes[0].start
    parts = [0.0, 0.0]
    for (_, d), lp in zip(scores.events[head:], scores.note[head:], strict=True):
        parts[onset >= gap.end] += lp
        onset += d
    return parts[0], parts[1]


def test_a_chain_scores_from_its_last_notes_as_from_the_start(chain: MarkovModel, kinder: Corpus) -> None:
    melody = long_tune(kinder)
    spb = melody.steps_per_bar
    gap = find_gap(melody, 3 * spb, 5 * spb, 4)
    spans = [span_of(m, gap.start, gap.end) for m in chain.infill(melody, gap.start, gap.end, n=6, seed=4)]
    near = score_by_log_prob(chain, gap, spans, gap.start, chain.order)
    whole = score_by_log_prob(chain, gap, spans, gap.start, None)
    np.testing.assert_allclose(near, whole, rtol=1e-12)


def test_a_selection_becomes_a_primer(gru: GRUModel, kinder: Corpus) -> None:
    melody = long_tune(kinder)
    spb = melody.steps_per_bar
    phrase = melody.between(2 * spb, 4 * spb).shift(-2 * spb)
    [new] = gru.generate(phrase, bars=2, seed=0, include_primer=True)
    assert new.notes[: len(phrase)] == phrase.notes
    assert new.end == 4 * spb
    assert len(new) > len(phrase)


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
    melody = long_tune(kinder)
    note = melody.notes[5]
    assert note.duration > 1
    cases: list[tuple[tuple[object, object], dict[str, object], type[Exception], str]] = [
        ((8, 8), {}, SettingError, r"the span \[8, 8\) is empty"),
        ((9, 8), {}, SettingError, r"empty"),
        ((-4, 8), {}, SettingError, r"before step 0"),
        ((8, melody.end + 1), {}, SettingError, rf"past the melody's end at step {melody.end}"),
        ((note.start + 1, melody.end), {}, SettingError, rf"start at step {note.start + 1} falls inside note 6 \("),
        ((0, note.start + 1), {}, SettingError, rf"end at step {note.start + 1} falls inside note 6 .*{note.end}"),
        ((0, 8), {"n": 0}, SettingError, r"n \(at most proposals, 64\) must be between 1 and 64"),
        ((0, 8), {"n": 65}, SettingError, r"between 1 and 64, not 65"),
        ((0, 8), {"proposals": MAX_PROPOSALS + 1}, SettingError, rf"proposals must be between 1 and {MAX_PROPOSALS}"),
        ((0, 8), {"proposals": 2.5}, ArgumentTypeError, r"proposals must be a whole number"),
        ((0, 8), {"seed": -1}, ModelError, r"seed must be a whole number"),
        ((0, 8), {"length": 8}, ModelError, r"length does not apply here: the span keeps its own length \(8 steps\)"),
        ((0, 8), {"bars": 1}, ModelError, r"bars does not apply"),
        ((0, 8), {"style": "irish"}, ModelError, r"knows no styles"),
        ((0, 8), {"temprature": 1.0}, ModelError, r"did you mean 'temperature'"),
        ((0, 8), {"temperature": -1}, ModelError, r"temperature must be"),
        ((0, 8), {"scale": "H dur"}, ModelError, r"scale must be"),
        (("0", 8), {}, ArgumentTypeError, r"start must be a whole number"),
    ]
    for (start, end), kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            model.infill(melody, start, end, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ModelError, match=r"proposals x span = 4,096 x .* is over 131,072"):
        model.infill(melody, 0, melody.end, proposals=4096)
    with pytest.raises(ModelError, match="12 steps per quarter"):
        model.infill(melody.replace(steps_per_quarter=12), 0, 8)
    with pytest.raises(ArgumentTypeError, match="melody"):
        model.infill("C4:4 D4:4", 0, 4)  # type: ignore[arg-type]
    assert Counting.calls == 0
    with pytest.raises(ModelError, match="has not been trained"):
        MarkovModel(1).infill(melody, 0, 8)
