"""Attribution (``model.attribution``) and style evidence (``model.style_evidence``) on real models."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jupymuse.corpus import Corpus
from jupymuse.errors import ArgumentTypeError, ModelError, SettingError
from jupymuse.models import MarkovModel, NoteLogProbs, gru_attribution
from jupymuse.models.attribution import MAX_EXPLAINED_NOTES, SEARCH, attribute
from jupymuse.models.default import load_default
from jupymuse.models.gru import GRUModel
from jupymuse.music import Melody, Note

LN2 = math.log(2)


@pytest.fixture(scope="module")
def gru() -> GRUModel:
    return load_default()


def with_rests(melody: Melody, every: int = 5) -> Melody:
    """``melody`` with every ``every``-th note removed, so it has rests inside (a harder case)."""
    return melody.replace(notes=[n for i, n in enumerate(melody.notes) if i % every != 3])


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("context", ["note", "pitch"])
def test_a_markov_chain_listens_only_to_its_last_k_notes(kinder: Corpus, order: int, context: str) -> None:
    model = MarkovModel(order, context=context).fit(kinder)  # type: ignore[arg-type]
    melody = with_rests(kinder[3][:40])
    listened_to = 0
    for index in range(order + 2, len(melody)):
        a = model.attribution(melody, index)
        assert np.all(a.bits[: index - order] == 0), f"note {index}: bits beyond the last {order} notes"
        listened_to += int(np.any(a.bits[index - order :] != 0))
    assert listened_to >= (len(melody) - order - 2) * 0.9  # its context nearly always matters


@pytest.mark.parametrize("order", [0, 1, 3])
@pytest.mark.parametrize("context", ["note", "pitch"])
def test_the_markov_shortcut_gives_what_removing_each_note_one_melody_at_a_time_gives(
    kinder: Corpus, order: int, context: str
) -> None:
    model = MarkovModel(order, context=context).fit(kinder)  # type: ignore[arg-type]
    melody = with_rests(kinder[7][:30], every=3)
    for index in (1, 2, 3, 4, len(melody) - 1):
        fast, slow = model.attribution(melody, index), attribute(model, melody, index)
        np.testing.assert_allclose(fast.pitch, slow.pitch, rtol=0, atol=1e-12)
        np.testing.assert_allclose(fast.rhythm, slow.rhythm, rtol=0, atol=1e-12)
        assert fast.together == slow.together


@pytest.mark.parametrize("model_name", ["markov", "gru"])
def test_notes_after_the_explained_note_change_nothing(kinder: Corpus, gru: GRUModel, model_name: str) -> None:
    model = gru if model_name == "gru" else MarkovModel(2).fit(kinder)
    melody = kinder[5]
    index = 12
    short = model.attribution(melody[: index + 1], index)
    other_end = melody[: index + 1].then(Melody.from_notation("C6:16 r:4 D2:1"))
    for longer in (melody, other_end):
        a = model.attribution(longer, index)
        np.testing.assert_array_equal(a.pitch, short.pitch)
        np.testing.assert_array_equal(a.rhythm, short.rhythm)
        assert a.surprise == short.surprise


@pytest.mark.parametrize("style", [None, "irish", {"chorale": 0.5, "german": 0.5}])
def test_the_gru_batch_gives_what_removing_each_note_one_melody_at_a_time_gives(
    chorales: Corpus, gru: GRUModel, style: object
) -> None:
    melody = with_rests(chorales[2][:45], every=4)  # rests inside, so removals merge rests
    for index in (1, 2, 9, len(melody) - 1):
        fast = gru.attribution(melody, index, style=style)  # type: ignore[arg-type]
        slow = attribute(gru, melody, index, style=style)  # type: ignore[arg-type]
        assert fast.pitch.shape == (index,)
        np.testing.assert_allclose(fast.pitch, slow.pitch, atol=1e-4)
        np.testing.assert_allclose(fast.rhythm, slow.rhythm, atol=1e-4)


def test_the_row_groups_side_by_side_give_what_one_group_gives(chorales: Corpus, gru: GRUModel) -> None:
    melody = with_rests(chorales[0].then(chorales[1]).then(chorales[2]).then(chorales[3]).then(chorales[4]), every=7)
    assert len(melody) > 2 * gru_attribution.GROUP + 1  # enough removals for two groups or more
    index = 2 * gru_attribution.GROUP + 1
    fast = gru.attribution(melody, index)
    slow = attribute(gru, melody, index)
    np.testing.assert_allclose(fast.pitch, slow.pitch, atol=1e-4)
    np.testing.assert_allclose(fast.rhythm, slow.rhythm, atol=1e-4)


def test_bits_are_what_the_note_loses_when_an_earlier_note_is_removed(chorales: Corpus, gru: GRUModel) -> None:
    melody = chorales[1][:30]
    a = gru.attribution(melody, 29)
    j = a.top(1)[0]
    before = gru.log_prob(melody)
    after = gru.log_prob(melody.replace(notes=[n for i, n in enumerate(melody.notes) if i != j]))
    lost_note = (before.note[~before.is_rest][-1] - after.note[~after.is_rest][-1]) / LN2
    lost_pitch = (before.pitch[~before.is_rest][-1] - after.pitch[~after.is_rest][-1]) / LN2
    assert a.bits[j] == pytest.approx(lost_note, abs=1e-4)
    assert a.pitch[j] == pytest.approx(lost_pitch, abs=1e-4)
    assert a.bits[j] == max(a.bits) > 0
    assert a.surprise == pytest.approx(-before.note[~before.is_rest][-1] / LN2)


def test_top_distance_and_text(kinder: Corpus) -> None:
    model = MarkovModel(2).fit(kinder)
    melody = kinder[0][:20]
    assert model.attribution(melody, -1).index == len(melody) - 1
    a = next(b for i in range(2, 20) if min((b := model.attribution(melody, i)).bits[-2:]) > 0)
    assert a.top(2) == [int(j) for j in np.argsort(-a.bits)[:2]]
    assert set(a.top(2)) == {a.index - 1, a.index - 2}
    back, bars = a.distance(a.index - 2)
    notes = melody.notes
    assert back == 2
    assert bars == (notes[a.index].start - notes[a.index - 2].start) / melody.steps_per_bar
    text = a.to_text(2)
    assert f"Note {a.index + 1}" in text
    assert f"note {a.index} " in text
    assert "bits" in text
    assert "nothing comes before it" in model.attribution(melody, 0).to_text()
    assert model.attribution(melody, 0).bits.shape == (0,)


def test_a_note_can_be_named_by_a_step_it_sounds_at(kinder: Corpus) -> None:
    model = MarkovModel(1).fit(kinder)
    melody = Melody.from_notation("C4:4 D4:4 r:4 E4:8")  # C4 at 0-3, D4 at 4-7, a rest at 8-11, E4 at 12-19
    assert model.attribution(melody, step=5).index == 1
    assert model.attribution(melody, step=19).index == 2
    with pytest.raises(SettingError, match=r"step 9 falls in a rest .*note 3 starts at step 12"):
        model.attribution(melody, step=9)
    with pytest.raises(SettingError, match=r"step 20 is past the melody's end \(step 20\)"):
        model.attribution(melody, step=20)


class Counting(MarkovModel):
    """A Markov chain that counts its scorings: a refusal must come before any."""

    scorings = 0

    def log_prob(self, melody: Melody) -> NoteLogProbs:
        Counting.scorings += 1
        return super().log_prob(melody)


def test_bad_requests_are_refused_before_any_scoring(kinder: Corpus) -> None:
    model = Counting(1).fit(kinder)
    melody = kinder[0][:10]
    huge = Melody([Note(60 + i % 12, i, 1) for i in range(100_000)])
    cases: list[tuple[dict[str, object], type[Exception], str]] = [
        (
            {"melody": melody, "index": 10},
            SettingError,
            r"index 10 is not a note .* from 0 to 9",
        ),
        ({"melody": melody, "index": -11}, SettingError, r"index -11 is not a note"),
        ({"melody": Melody(), "index": 0}, ModelError, r"an empty melody has no note to explain"),
        ({"melody": huge, "index": 5}, ModelError, rf"100,000 notes; .* at most {MAX_EXPLAINED_NOTES:,}"),
        ({"melody": melody, "index": True}, ArgumentTypeError, r"index must be a whole number"),
        ({"melody": melody, "index": 2.0}, ArgumentTypeError, r"index must be a whole number"),
        ({"melody": melody}, SettingError, r"by its index or by a step"),
        ({"melody": melody, "index": 2, "step": 3}, SettingError, r"by its index or by a step"),
        ({"melody": melody, "index": 2, "style": "irish"}, ModelError, r"knows no styles"),
        ({"melody": melody.replace(steps_per_quarter=12), "index": 2}, ModelError, r"12 steps per quarter"),
        ({"melody": "not a melody", "index": 2}, ArgumentTypeError, r"melody"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            model.attribution(**kwargs)  # type: ignore[arg-type]
    assert Counting.scorings == 0
    with pytest.raises(ModelError, match="has not been trained"):
        MarkovModel(1).attribution(melody, 3)
    with pytest.raises(ModelError, match="knows no styles"):
        model.style_evidence(melody)


def test_style_evidence_ranks_styles_as_style_scores_do(chorales: Corpus, gru: GRUModel) -> None:
    legato = chorales[0][:40]  # no rests inside: style_scores averages over rests too, the evidence does not
    assert all(a.end == b.start for a, b in zip(legato.notes, legato.notes[1:], strict=False))
    evidence = gru.style_evidence(legato)
    assert evidence.bits.shape == (len(gru.styles), len(legato))
    assert list(evidence.totals) == list(gru.style_scores(legato))
    assert evidence.likeliest == next(iter(gru.style_scores(legato)))
    plain, irish = gru.log_prob(legato), gru.log_prob(legato, style="irish")
    np.testing.assert_allclose(evidence.of("irish"), (irish.note - plain.note) / LN2)
    assert "sound most" in evidence.to_text()
    with pytest.raises(SettingError, match="knows no style 'jazz'"):
        evidence.of("jazz")
    with pytest.raises(ModelError, match="empty melody"):
        gru.style_evidence(Melody())


def test_together_picks_one_note_at_a_time_asking_again_after_each(chorales: Corpus, gru: GRUModel) -> None:
    melody = chorales[3][:25]
    a = gru.attribution(melody, 24)
    picks = a.together
    assert picks[0] == (a.top(1)[0], pytest.approx(float(a.bits.max())))
    assert len({j for j, _ in picks}) == 3
    assert {j for j, _ in picks} <= set(a.top(SEARCH))  # later picks come from the strongest alone
    removed = {picks[0][0], picks[1][0]}
    before = melody.replace(notes=[n for i, n in enumerate(melody.notes) if i != picks[0][0]])
    after = melody.replace(notes=[n for i, n in enumerate(melody.notes) if i not in removed])
    lp_before, lp_after = gru.log_prob(before), gru.log_prob(after)
    lost = (lp_before.note[~lp_before.is_rest][-1] - lp_after.note[~lp_after.is_rest][-1]) / LN2
    assert picks[1][1] == pytest.approx(lost, abs=1e-4)  # the second pick's bits: asked without the first
    slow = attribute(gru, melody, 24)
    assert [j for j, _ in slow.together] == [j for j, _ in picks]
    np.testing.assert_allclose([b for _, b in slow.together], [b for _, b in picks], atol=1e-4)
    assert len(gru.attribution(melody, 2, together=5).together) == 2  # at most the notes there are
    assert gru.attribution(melody, 9, together=0).together == ()
    with pytest.raises(SettingError, match="together must be 0 or more"):
        gru.attribution(melody, 9, together=-1)
