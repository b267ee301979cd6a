"""The Studio's simple face (issue 20, point 4): a first row for beginners, the rest under "More",
a plain tooltip on every control, key and meter controls that change the melody, the key "Stay in
key" uses shown beside it, a style mix that reaches the sampling settings, and page choices outside a
dropdown's list refused in the status line with nothing changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ipywidgets as w
import pytest

from jupymuse import MarkovModel, Studio
from jupymuse.corpus import Corpus
from jupymuse.errors import ArgumentTypeError
from jupymuse.music.key import Key
from jupymuse.studio.face import CONTROLS, KEYS, style_of
from jupymuse.studio.tips import TIPS

from helpers import mel

PRIMER = "G4:4 A4:4 B4:4 D5:4"
CONTROL_KINDS = (w.Button, w.ToggleButton, w.Dropdown, w.IntSlider, w.FloatSlider, w.IntText, w.Checkbox)


def widgets(root: Any) -> Iterator[Any]:
    """Every widget under ``root``, depth first."""
    yield root
    for child in getattr(root, "children", ()):
        yield from widgets(child)


def key_classes(key: str) -> set[int]:
    return set(Key.parse(key).pitch_classes)


def test_every_control_has_a_plain_tooltip() -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    controls = [x for x in widgets(studio) if isinstance(x, CONTROL_KINDS)]
    assert len(controls) >= 28
    missing = [getattr(x, "description", type(x).__name__) for x in controls if not str(x.tooltip or "").strip()]
    assert missing == []
    assert set(CONTROLS.values()) == set(TIPS)  # every tip belongs to a control, and back
    for name in ("temperature", "top_k", "top_p", "seed", "ending", "corpus", "style"):
        assert len(getattr(studio, {"style": "style_picker"}.get(name, name)).tooltip) > 30


def test_first_row_is_for_beginners_and_more_opens_and_stays() -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    box = studio.children[1]
    first = list(widgets(box.children[0]))
    for control in (
        studio.generate_button,
        studio.regenerate_button,
        studio.prev_button,
        studio.next_button,
        studio.accept_button,
        studio.undo_button,
        studio.redo_button,
        studio.style_picker,
        studio.bars,
        studio.play_button,
        studio.more_button,
    ):
        assert control in first
    for hidden in (studio.temperature, studio.top_k, studio.top_p, studio.seed, studio.model_picker, studio.meter):
        assert hidden not in first
        assert hidden in list(widgets(studio.more))
    assert not studio.more_open
    assert studio.more.layout.display == "none"
    studio.more_button.value = True  # as the page's click sends it
    assert studio.more_open
    assert studio.more.layout.display == "flex"
    assert studio.more_button.get_state()["value"] is True  # widget state: saved with the notebook
    studio.generate(4, n=1, seed=0)  # work does not fold it
    assert studio.more.layout.display == "flex"
    studio.more_open = False
    assert studio.more.layout.display == "none"


def test_key_control_sets_the_melody_key_that_stay_in_key_uses() -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    assert studio.key_picker.options[0] == ("detected: G major", "")
    assert [v for _, v in studio.key_picker.options[1:]] == [str(k) for k in KEYS]
    assert studio.key_lock.description == "Stay in key (G major)"
    studio.key_lock.value = True
    detected = studio.controller.generate(n=3, seed=2)
    assert {n.pitch % 12 for c in detected for n in c.notes} <= key_classes("G major")
    studio.undo()
    studio.key_picker.value = "Db major"
    assert studio.melody.key == Key.parse("Db major")
    assert studio.roll.key == "Db major"
    assert studio.key_lock.description == "Stay in key (Db major)"
    chosen = studio.controller.generate(n=3, seed=2)
    assert {n.pitch % 12 for c in chosen for n in c.notes} <= key_classes("Db major")
    assert studio.melody.notes[:4] == mel(PRIMER).notes  # the key is named, the notes are kept
    studio.undo()
    studio.key_picker.value = ""  # back to detected
    assert studio.melody.key is None
    assert studio.key_lock.description == "Stay in key (G major)"


def test_meter_control_sets_the_time_signature_and_length_in_bars_follows_it() -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    assert studio.meter.value == (4, 4)
    studio.bars.value = 1
    ends = {}
    for meter in ((4, 4), (3, 4)):
        studio.meter.value = meter
        assert studio.melody.time_signature == meter
        studio.controller.generate(n=1, seed=2)
        last = studio.melody.notes[-1]
        ends[meter] = last.start + last.duration
        studio.undo()
    assert ends == {(4, 4): 32, (3, 4): 36}  # to the end of the bar after the primer's, in each metre
    studio.roll.time_signature = (7, 8)  # a metre of the melody's own is offered too
    assert studio.meter.value == (7, 8)
    assert ("7/8", (7, 8)) in studio.meter.options


def test_notes_and_bars_are_one_length() -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    studio.bars.value = 2
    assert studio.controller.settings.sampling.bars == 2
    studio.length.value = 8  # notes chosen under More: the length from now on
    assert studio.bars.value == 0
    assert studio.bars.options[0] == ("8 notes", 0)
    assert studio.controller.settings.sampling.bars is None
    assert len(studio.generate(n=1, seed=1)[0]) == 8


def test_style_mix_reaches_the_sampling_settings(chorales: Corpus) -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    assert studio.mix.disabled
    studio.style_picker.value = "irish"
    assert studio.controller.settings.sampling.style == "irish"
    studio.mix_with.value = "chorale"
    assert not studio.mix.disabled
    studio.mix.value = 0.75
    settings = studio.controller.settings
    assert settings.sampling.style == {"irish": 0.75, "chorale": 0.25}
    assert settings.for_model(studio.model).style == {"irish": 0.75, "chorale": 0.25}
    assert settings.for_model(MarkovModel(1).fit(list(chorales)[:5])).style is None  # no styles there
    studio.mix.value = 0.0  # all the second style: what Generate writes is the chorale's
    all_chorale = studio.generate(16, n=1, seed=3)
    studio.mix.value = 1.0
    all_irish = studio.generate(16, n=1, seed=3)
    assert all_chorale == studio.generate(16, n=1, seed=3, style="chorale")
    assert all_irish == studio.generate(16, n=1, seed=3, style="irish")
    assert all_chorale != all_irish
    assert style_of("irish", "", 0.3) == "irish"
    assert style_of("", "", 0.3) is None
    assert style_of("irish", "irish", 0.3) == "irish"


def test_style_strength_needs_a_style_and_reaches_the_settings() -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    assert studio.style_strength.disabled  # no style: nothing to lead
    assert studio.style_strength.value == studio.model.sampling.style_strength  # starts at the model's own
    studio.style_picker.value = "irish"
    assert not studio.style_strength.disabled
    studio.style_strength.value = 2.5
    assert studio.controller.settings.sampling.style_strength == 2.5
    led = studio.generate(16, n=1, seed=3)
    assert led == studio.model.generate(PRIMER, 16, seed=3, sampling=studio.controller.settings.sampling)
    assert led != studio.model.generate(PRIMER, 16, seed=3, style="irish", style_strength=1.0)
    studio.style_picker.value = ""
    assert studio.style_strength.disabled


def test_corpus_is_shown_only_for_a_markov_chain() -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    shown = studio._boxes["corpus"].layout  # the picker and its label
    assert studio.corpus in studio._boxes["corpus"].children
    assert shown.display == "none"
    studio.model_picker.value = "Markov order 1"
    assert shown.display == ""
    studio.model_picker.value = "GRU (shipped default)"
    assert shown.display == "none"
    assert studio.train_corpus.value == studio.corpus.value  # the Training tab's copy of the choice
    studio.train_corpus.value = "essen:kinder"
    assert studio.corpus.value == "essen:kinder"


@pytest.mark.parametrize(
    "control", ["key_picker", "meter", "bars", "style_picker", "mix_with", "ending", "model_picker", "corpus"]
)
@pytest.mark.parametrize("index", [99, -1, None, True, "2"])
def test_a_choice_outside_the_list_from_the_page_is_refused_visibly(control: str, index: object) -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    studio.key_picker.value = "E minor"
    picker = getattr(studio, control)
    before, melody, settings = picker.value, studio.melody, studio.controller.settings
    picker.set_state({"index": index})  # what a comm message from the page does
    assert picker.value == before
    assert studio.melody == melody
    assert studio.controller.settings == settings
    assert "jm-status" in studio.status.value
    assert f"{picker.name}: the page sent choice {index!r}" in studio.status.value
    assert "nothing was changed" in studio.status.value


@pytest.mark.parametrize("value", [None, "yes", 2])
def test_more_open_takes_true_or_false_and_says_so(value: object) -> None:
    studio = Studio(melody=PRIMER, warm_up=False)
    with pytest.raises(ArgumentTypeError, match=f"more_open must be True or False, not {re.escape(repr(value))}"):
        studio.more_open = value  # type: ignore[assignment]
    assert studio.more_open is False
    studio.more_open = True
    assert studio.more_open is True
