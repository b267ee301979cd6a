"""IDyOM's short-term model (PPM on the melody itself), the entropy-weighted mixture and the combination."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jupymuse import MarkovModel
from jupymuse.errors import SettingError
from jupymuse.evaluate import bits_per_note
from jupymuse.models.longshort import (
    LongShortTermModel,
    Mix,
    best_mix,
    choose_short_term,
    corpus_alphabet,
    with_short_term,
)
from jupymuse.models.mixture import combine, entropy_weights, floored, relative_entropy
from jupymuse.models.shortterm import (
    PPM,
    ShortTermModel,
    ShortTermSettings,
    base_distribution,
    short_term_distributions,
)
from jupymuse.music.events import N_PITCH_SYMBOLS, REST, melody_events

from helpers import mel

A, B = 60, 62
U = 1 / N_PITCH_SYMBOLS
MOTIF = "C4:2 E4 G4 E4 D4:4 F4:2 A4 G4 r:2 B3:2 D4 C4:4"
SETTINGS = [
    ShortTermSettings(order, escape, exclusion)
    for order in (0, 1, 3, None)
    for escape in ("C", "AX")
    for exclusion in (True, False)
]


def surprise(rows: np.ndarray, symbols: list[int]) -> np.ndarray:
    return np.asarray(-np.log2(rows[np.arange(len(symbols)), symbols]))


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: s.label)
def test_every_distribution_sums_to_one_and_has_no_zero(settings: ShortTermSettings) -> None:
    melody = mel(f"{MOTIF} {MOTIF} C2:4 G8:4")  # two pitches no melody of the motif uses
    rows = ShortTermModel(settings, alphabet=range(48, 80)).pitch_distributions(melody)
    assert rows.shape == (len(melody) + 2 + 1, N_PITCH_SYMBOLS)  # two rests, one row after the end
    np.testing.assert_allclose(rows.sum(axis=1), 1.0)
    assert rows.min() > 0


def test_an_empty_model_predicts_its_base_and_the_base_is_never_zero() -> None:
    np.testing.assert_allclose(PPM().distribution(), U)
    base = base_distribution([A, B])
    assert base.sum() == pytest.approx(1)
    assert base[A] == pytest.approx(0.5, rel=1e-2)
    assert base.min() > 0
    np.testing.assert_allclose(base_distribution(), U)
    with pytest.raises(SettingError, match="alphabet"):
        base_distribution([200])


def test_ppm_c_blending_by_hand() -> None:
    ppm = PPM(ShortTermSettings(order=1, escape="C", update_exclusion=False))
    ppm.update(A)
    # order 0 has seen A once: one symbol type, so the escape count is 1
    assert ppm.distribution()[A] == pytest.approx((1 + U) / 2)
    assert ppm.distribution()[B] == pytest.approx(U / 2)


def test_update_exclusion_counts_only_from_the_order_that_predicted() -> None:
    def p_b_after_abab(exclusion: bool) -> float:
        ppm = PPM(ShortTermSettings(order=1, escape="C", update_exclusion=exclusion))
        for s in (A, B, A, B):
            ppm.update(s)
        return float(ppm.distribution()[B])

    # the last B was predicted by the context (A,), so with exclusion order 0 keeps {A: 2, B: 1}
    assert p_b_after_abab(True) == pytest.approx((1 + 2 * U) / 5 / 2)
    assert p_b_after_abab(False) == pytest.approx((2 + 2 * U) / 6 / 2)


def test_escape_ax_counts_the_symbols_seen_once_plus_one() -> None:
    ppm = PPM(ShortTermSettings(order=0, escape="AX"))
    for s in (A, A, B):
        ppm.update(s)
    # N = 3, one symbol seen exactly once: escape count 2
    assert ppm.distribution()[A] == pytest.approx((2 + 2 * U) / 5)
    assert ppm.distribution()[B] == pytest.approx((1 + 2 * U) / 5)


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: s.label)
def test_a_repeated_motif_surprises_less_the_second_time(settings: ShortTermSettings) -> None:
    symbols = [p for p, _ in melody_events(mel(f"{MOTIF} {MOTIF}"))]
    assert REST in symbols
    rows = short_term_distributions(symbols, settings, base_distribution(range(48, 80)))
    bits = surprise(rows[:-1], symbols)
    n = len(melody_events(mel(MOTIF)))
    assert len(symbols) == 2 * n
    # with context the second time is nearly certain; order 0 only learns which pitches occur
    assert bits[n:].sum() < (0.5 if settings.order != 0 else 0.8) * bits[:n].sum()


def test_the_model_starts_empty_for_each_melody() -> None:
    stm = ShortTermModel()
    first = stm.pitch_distributions(mel(MOTIF))
    again = stm.pitch_distributions(mel(MOTIF))
    np.testing.assert_array_equal(first, again)
    np.testing.assert_allclose(first[0], U)
    assert stm.name == "short-term PPM-AX* U"
    with pytest.raises(SettingError, match="order"):
        ShortTermSettings(order=-1)
    with pytest.raises(SettingError, match="escape"):
        ShortTermSettings(escape="Z")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- the mixture
def _peaked_and_flat() -> tuple[np.ndarray, np.ndarray]:
    peaked = np.full(N_PITCH_SYMBOLS, 0.01 / (N_PITCH_SYMBOLS - 1))
    peaked[A] = 0.99
    return peaked, np.full(N_PITCH_SYMBOLS, U)


def test_the_mixture_weights_favour_the_lower_entropy_model() -> None:
    peaked, flat = _peaked_and_flat()
    assert relative_entropy(flat) == pytest.approx(1)
    assert relative_entropy(peaked) < 0.1
    w = entropy_weights([peaked, flat], bias=2)
    assert w[0] > 0.99
    assert w.sum() == pytest.approx(1)
    np.testing.assert_allclose(entropy_weights([peaked, flat], bias=0), [0.5, 0.5])
    assert entropy_weights([peaked, flat], bias=4)[0] > entropy_weights([peaked, flat], bias=1)[0]
    with pytest.raises(SettingError, match="bias"):
        entropy_weights([peaked, flat], bias=-1)


def test_a_prior_weight_scales_a_model_and_zero_leaves_it_out() -> None:
    peaked, flat = _peaked_and_flat()
    np.testing.assert_allclose(entropy_weights([peaked, flat], bias=0, prior=[1, 3]), [0.25, 0.75])
    np.testing.assert_allclose(combine([peaked, flat], bias=2, prior=[1, 0]), floored(peaked))
    for prior in ([1], [0, 0], [1, -1]):
        with pytest.raises(SettingError, match="prior"):
            entropy_weights([peaked, flat], bias=1, prior=prior)
    assert Mix(stm_weight=0.1).label == "geometric b=7 w=0.1 PPM-AX* U"
    with pytest.raises(SettingError, match="stm_weight"):
        Mix(stm_weight=-1)
    with pytest.raises(SettingError, match="method"):
        Mix(method="harmonic")  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["arithmetic", "geometric"])
def test_combined_rows_sum_to_one_and_lean_to_the_surer_model(method: str) -> None:
    peaked, flat = _peaked_and_flat()
    rows = np.stack([peaked, flat])
    mixed = combine([rows, rows[::-1]], bias=3, method=method)  # type: ignore[arg-type]
    np.testing.assert_allclose(mixed.sum(axis=1), 1)
    assert mixed.min() > 0
    assert mixed[0, A] > 0.9  # the peaked model wins wherever it is
    assert mixed[1, A] > 0.9


def test_an_unbiased_arithmetic_mix_is_the_average_of_the_floored_rows() -> None:
    peaked, flat = _peaked_and_flat()
    zero = np.zeros(N_PITCH_SYMBOLS)
    zero[B] = 2.0  # not normalised, with zeros: floored and normalised first
    mixed = combine([peaked, zero], bias=0, method="arithmetic")
    np.testing.assert_allclose(mixed, (floored(peaked) + floored(zero)) / 2)
    geometric = combine([peaked, flat], bias=0, method="geometric")
    expected = np.sqrt(floored(peaked) * floored(flat))
    np.testing.assert_allclose(geometric, expected / expected.sum())
    with pytest.raises(SettingError, match="method"):
        combine([peaked], method="harmonic")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- the combined model
CORPUS = [
    mel("C4:4 D4 E4 F4 G4 F4 E4 D4 C4:8"),
    mel("G4:4 F4 E4 D4 C4 D4 E4 C4:8"),
    mel("E4:4 G4 C5 G4 E4 D4 C4:8"),
    mel("C4:4 E4 G4 E4 F4 D4 B3 C4:8"),
]
REPETITIVE = [
    mel(" ".join(["C4:2 G4 F4 A4 E4:4"] * 4)),
    mel(" ".join(["E4:2 D4 G4 C5 B4:4 G4:4"] * 3)),
]


def test_the_short_term_model_helps_a_markov_chain_on_repetitive_melodies() -> None:
    markov = MarkovModel(1, context="pitch").fit(CORPUS)
    alone = bits_per_note(markov, REPETITIVE)
    for mix in (Mix(), Mix(1.0, "arithmetic", ShortTermSettings(3, "C"))):
        both = bits_per_note(LongShortTermModel(markov, mix, alphabet=corpus_alphabet(CORPUS)), REPETITIVE)
        assert both.pitch < alone.pitch - 0.3
        assert (both.notes, both.events) == (alone.notes, alone.events)


def test_log_prob_combines_the_pitch_and_keeps_the_long_term_durations() -> None:
    markov = MarkovModel(1).fit(CORPUS)
    model = with_short_term(markov, alphabet=corpus_alphabet(CORPUS))
    melody = mel("C4:4 E4 r:4 G4:4 C9:2")  # a pitch no training melody has
    lp, ltm = model.log_prob(melody), markov.log_prob(melody)
    assert lp.events == ltm.events
    np.testing.assert_allclose(lp.note - lp.pitch, ltm.note - ltm.pitch)
    assert np.all(np.isfinite(lp.note))
    assert np.all(lp.pitch < 0)
    rows = model.pitch_distributions(melody)
    assert rows.shape == (len(lp.events) + 1, N_PITCH_SYMBOLS)
    np.testing.assert_allclose(np.exp(lp.pitch), rows[np.arange(len(lp.events)), [p for p, _ in lp.events]])
    assert "short-term" in model.name
    assert model.log_prob(mel("")).events == ()


def test_fit_fits_the_long_term_model_and_takes_its_alphabet() -> None:
    model = LongShortTermModel(MarkovModel(2)).fit(CORPUS)
    assert model.stm.alphabet == corpus_alphabet(CORPUS)
    assert math.isfinite(bits_per_note(model, REPETITIVE).pitch)


def test_choosing_the_mix_scores_every_candidate_on_validation_melodies() -> None:
    markov = MarkovModel(1, context="pitch").fit(CORPUS)
    settings = [ShortTermSettings(2, "C"), ShortTermSettings(None, "AX")]
    scores = choose_short_term(markov, REPETITIVE, biases=(0.0, 2.0), short_term=settings, stm_weights=(1, 0.1, 0))
    assert len(scores) == 2 * 2 * 2 * 2 + 1  # the LTM alone (weight 0) once
    alone = next(s for s in scores if s.mix.stm_weight == 0)
    assert alone.pitch_bits == pytest.approx(bits_per_note(markov, REPETITIVE).pitch, abs=1e-3)
    assert [s.pitch_bits for s in scores] == sorted(s.pitch_bits for s in scores)
    best = best_mix(scores)
    assert best == scores[0].mix
    direct = bits_per_note(LongShortTermModel(markov, best), REPETITIVE).pitch
    assert direct == pytest.approx(scores[0].pitch_bits)
    with pytest.raises(SettingError, match="validation"):
        choose_short_term(markov, [])


def test_a_note_context_tells_phrases_apart_by_their_rhythm() -> None:
    melody = mel("C4:2 D4:2 E4:4 C4:4 D4:4 F4:4 C4:2 D4:2 E4:4")
    last = len(melody) - 1

    def p_e4(context: str) -> float:
        settings = ShortTermSettings(order=2, escape="C", context=context)  # type: ignore[arg-type]
        return float(ShortTermModel(settings).pitch_distributions(melody)[last, 64])

    assert p_e4("note") > p_e4("pitch") + 0.1
    assert ShortTermSettings(context="note").label == "PPM-AX* U note"
    with pytest.raises(SettingError, match="context"):
        ShortTermSettings(context="rhythm")  # type: ignore[arg-type]
    with pytest.raises(SettingError, match="context elements"):
        short_term_distributions([60, 62], elements=[(60, 2)])
