"""How a Studio training's end is said: the percent of all batches, plain words, and the offer panel."""

from __future__ import annotations

import re

import pytest

from jupymuse import MarkovModel, Melody
from jupymuse.studio.choice import DEFAULT
from jupymuse.studio.training_offer import TrainingEnd, TrainingOffer, flattered, pitch_bits
from jupymuse.studio.training_view import offer_panel, progress_words

TUNE = Melody.from_notation("C4:4 D4:4 E4:4 F4:4 G4:4 E4:4 C4:8")
MODEL = MarkovModel(1).fit([TUNE] * 3)


def offer(**fields: object) -> TrainingOffer:
    base: dict[str, object] = {
        "end": TrainingEnd("stopped", 41, 110, 2, 5, best_epoch=1),
        "model": MODEL,
        "melodies": 12,
        "new_bits": 2.2,
        "current": DEFAULT,
        "current_bits": 1.68,
    }
    return TrainingOffer(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("batches", "total", "percent"),
    [(0, 110, 0), (1, 500, 0), (41, 110, 37), (109, 110, 99), (499, 500, 99), (110, 110, 100)],
)
def test_percent_is_rounded_down_so_100_means_every_batch_ran(batches: int, total: int, percent: int) -> None:
    assert TrainingEnd("stopped", batches, total, 1, 5).percent == percent


def test_the_end_in_plain_words() -> None:
    assert TrainingEnd("completed", 110, 110, 5, 5).words() == "finished all 5 epochs"
    assert TrainingEnd("completed", 22, 22, 1, 1).words() == "finished all 1 epoch"
    assert TrainingEnd("stopped", 41, 110, 2, 5).words() == "stopped at 37% (epoch 2 of 5)"
    early = TrainingEnd("early stopping", 66, 110, 3, 5).words()
    assert early == "stopped early at 60% (epoch 3 of 5): the validation figure stopped improving"
    assert TrainingEnd("interrupted", 5, None, 1, 5).words() == "was interrupted after 5 batches (epoch 1 of 5)"


def test_words_beside_the_bar() -> None:
    assert progress_words(None, True, None) == "getting ready…"
    assert progress_words(0.3749, True, None) == "37% of all batches"
    assert progress_words(0.37, False, TrainingEnd("stopped", 41, 110, 2, 5)) == "stopped at 37%"
    assert progress_words(1.0, False, TrainingEnd("completed", 110, 110, 5, 5)) == "finished: 100%"
    assert progress_words(0.6, False, TrainingEnd("early stopping", 66, 110, 3, 5)) == "stopped early at 60%"
    assert progress_words(0.12, False, None) == "ended at 12%"  # a training that failed


def test_summary_names_both_figures_and_the_choice() -> None:
    text = offer().summary()
    assert text == (
        "Training stopped at 37% (epoch 2 of 5). New model 2.20, current model (GRU (shipped default)) 1.68 "
        "pitch bits per note on the same 12 validation melodies (lower is better). The current model predicts "
        "them better. The current model stays in use until you press Use the new model."
    )
    assert offer(new_bits=1.5).better == "new"
    assert offer(new_bits=1.681).better == ""  # the same to two decimals: no verdict
    assert offer(current_bits=None).better == ""
    assert "current model (GRU (shipped default)) not measured" in offer(current_bits=None).summary()


def test_panel_shows_both_figures_with_bars_and_buttons_wording_while_waiting() -> None:
    panel = offer_panel(offer())
    assert 'data-new-bits="2.20"' in panel
    assert 'data-current-bits="1.68"' in panel
    assert 'data-chosen=""' in panel
    assert 'data-percent="37"' in panel
    assert "Training stopped at 37% (epoch 2 of 5)." in panel
    assert "New model: Markov order 1 (note context), best weights from epoch 1" in panel
    assert "Current model: GRU (shipped default)" in panel
    assert "on the same 12 validation melodies" in panel
    assert "The current model predicts these melodies better." in panel
    assert "until you press <b>Use the new model</b>" in panel
    widths = [int(w) for w in re.findall(r"width:(\d+)px;height:12px", panel)]
    assert widths == [160, round(160 * 1.68 / 2.2)]  # bar lengths in proportion to the figures
    assert "var(--jp-ui-font-color1" in panel  # theme text colour, Light and Dark
    assert offer_panel(None) == ""


def test_panel_after_a_choice_and_with_a_note() -> None:
    used = offer_panel(offer(chosen="new"))
    assert 'data-chosen="new"' in used
    assert "You chose the new model: it is in use now." in used
    kept = offer_panel(offer(chosen="current", note="a <b> note"))
    assert "You kept the current model; the new one is not used." in kept
    assert "Note: a &lt;b&gt; note." in kept


def test_pitch_bits_and_why_not() -> None:
    bits, why = pitch_bits(MODEL, [TUNE])
    assert why == ""
    assert bits is not None
    assert bits >= 0
    assert pitch_bits(MODEL, [Melody()]) == (None, "no validation melodies: the corpus is too small to hold some out")


def test_a_flattering_figure_is_named() -> None:
    assert "learned from most of the built-in corpora" in flattered(DEFAULT, "essen:kinder", "bach-chorales")
    assert flattered(DEFAULT, [TUNE], "bach-chorales") == ""  # the student's own melodies
    same = flattered("Markov order 2", "essen:kinder", "essen")
    assert same == "Markov order 2 was fitted on essen, these melodies included, so its figure flatters it"
    part = flattered("Markov order 2", "essen", "essen:kinder")
    assert part.startswith("Markov order 2 was fitted on essen:kinder, some of these melodies included")
    assert flattered("Markov order 2", "oneills", "bach-chorales") == ""
    assert flattered("yours: GRU", "oneills", "oneills") == ""
