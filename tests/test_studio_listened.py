"""What the model listened to, in the Studio: the selected note's attribution worked out off the main
thread (stale results dropped, refusals said, arcs cleared), its arcs on the roll and words in the
"Why this note?" tab; and the style-evidence shading with its legend."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from jupymuse import MarkovModel, Melody, Studio
from jupymuse.models import load_default
from jupymuse.models.attribution import Attribution
from jupymuse.studio import Settings, StudioController
from jupymuse.studio.events import Heard, StatusChanged, StudioEvent
from jupymuse.studio.explain import WINDOW
from jupymuse.studio.listened_views import heard_text, shown
from jupymuse.studio.tips import NO_STYLES
from jupymuse.widget.listened_top import LEAST_BITS, TOP_SOURCES, strongest

TUNE = "G4:4 G4 D5 D5 E5 E5 D5:8 C5:4 C5 B4 B4 A4 A4 G4:8"


class GatedListening:
    """The shipped GRU, whose attribution waits until the test opens the gate (so a change can come meanwhile)."""

    def __init__(self) -> None:
        self.inner = load_default()
        self.gate = threading.Event()
        self.started = threading.Event()
        self.name = "gated GRU"

    def attribution(self, melody: Melody, index: int | None = None, *, style: Any = None) -> Attribution:
        self.started.set()
        self.gate.wait(10)
        return self.inner.attribution(melody, index, style=style)

    def __getattr__(self, name: str) -> Any:  # everything else is the GRU's own
        return getattr(self.inner, name)


def recorded(c: StudioController) -> list[StudioEvent]:
    events: list[StudioEvent] = []
    c.subscribe(events.append)
    return events


def test_selecting_a_note_reports_the_models_attribution_of_it_and_its_words() -> None:
    c = StudioController("default", TUNE)
    c.select(12)
    c.wait()
    found = c.heard.attribution
    assert found is not None
    assert c.heard.offset == 0
    expected = load_default().attribution(c.melody, 12)
    np.testing.assert_allclose(found.pitch, expected.pitch, atol=1e-6)
    np.testing.assert_allclose(found.rhythm, expected.rhythm, atol=1e-6)
    drawn = shown(c.heard)
    assert drawn is not None
    assert drawn.note == 12
    assert 0 < len(drawn.sources) <= TOP_SOURCES
    assert all(s.bits >= LEAST_BITS for s in drawn.sources)
    together = [j for j, _ in found.together if found.bits[j] >= LEAST_BITS]
    assert [s.index for s in drawn.sources][: len(together)] == together  # relied on together, first
    assert {s.index for s in drawn.sources} - set(together) <= set(found.top(len(drawn.sources)))
    text = heard_text(c.heard)
    best = drawn.sources[0]
    assert text.startswith("Note 13 (A4), ")
    assert f"listened most to: note {best.index + 1} (" in text
    back = 12 - best.index
    assert f"{back} note{'s' if back != 1 else ''} / " in text
    assert f"{best.bits:+.2f} bits (pitch {best.pitch:+.2f}, rhythm {best.rhythm:+.2f})" in text


def test_a_markov_chain_of_order_two_listened_to_the_last_two_notes_only() -> None:
    tune = Melody.from_notation(TUNE)
    c = StudioController(MarkovModel(order=2).fit([tune] * 3), tune)
    c.select(10)
    c.wait()
    drawn = shown(c.heard)
    assert drawn is not None
    assert {s.index for s in drawn.sources} <= {8, 9}
    assert drawn.sources


def test_a_result_for_an_old_selection_or_melody_is_dropped() -> None:
    model = GatedListening()
    c = StudioController(model, TUNE)
    events = recorded(c)
    c.select(5)
    assert model.started.wait(10)
    c.select(9)  # while note 5's attribution is still being worked out
    model.gate.set()
    c.wait()
    heard = [e for e in events if isinstance(e, Heard) and e.attribution is not None]
    assert [e.attribution.index for e in heard] == [9]  # note 5's never reached the screen
    model.gate.clear()
    model.started.clear()
    c.select(3)
    assert model.started.wait(10)
    c.edit(TUNE + " F#4:4")  # the melody changed meanwhile: its arcs are cleared, the old result dropped
    model.gate.set()
    c.wait()
    assert c.heard.attribution is not None
    assert c.heard.attribution.melody.notes == c.melody.notes[:4]  # the new melody's note 3 (same notes before it)
    assert [e.attribution.index for e in events if isinstance(e, Heard) and e.attribution is not None] == [9, 3]


def test_arcs_are_cleared_when_the_selection_goes_and_when_the_notes_change() -> None:
    c = StudioController("default", TUNE)
    events = recorded(c)
    c.select(6)
    c.wait()
    assert c.heard.attribution is not None
    c.select(-1)
    assert c.heard.attribution is None
    assert [e for e in events if isinstance(e, Heard)][-1].attribution is None
    c.select(6)
    c.wait()
    c.edit("C4:4 D4 E4")
    c.wait()
    assert c.heard.attribution is None  # the selected note is gone with the old melody


def test_a_models_refusal_is_said_in_the_status_line() -> None:
    thirds = Melody.from_notation("G4:3 G4 D5 D5 E5 E5 D5:6", steps_per_quarter=3)
    c = StudioController("default", thirds)
    events = recorded(c)
    c.select(4)
    c.wait()
    said = [e.text for e in events if isinstance(e, StatusChanged) and e.error]
    assert any(t.startswith("What the model listened to: ") and "steps per quarter" in t for t in said), said
    assert c.heard.attribution is None


def test_a_long_melody_is_explained_from_the_notes_before_the_selected_one_that_the_model_reads() -> None:
    long = Melody.from_notation(" ".join(["G4:2 A4 B4 D5 C5 B4 A4 G4"] * 80))  # 640 notes
    c = StudioController("default", long)
    c.select(600)
    c.wait()
    found = c.heard.attribution
    assert found is not None
    assert found.index == WINDOW - 1
    assert c.heard.offset == 600 - (WINDOW - 1)
    drawn = shown(c.heard)
    assert drawn is not None
    assert drawn.note == 600
    assert all(c.heard.offset <= s.index < 600 for s in drawn.sources)
    assert "(of the 512 notes before it, which it reads)" in heard_text(c.heard)


def test_style_evidence_shades_the_chosen_style_or_else_the_likeliest() -> None:
    c = StudioController("default", TUNE)
    c.configure(replace(c.settings, shade_evidence=True))
    ex = c.explain()
    assert ex is not None
    assert ex.surprise is None
    evidence = load_default().style_evidence(c.melody)
    assert ex.evidence is not None
    assert ex.evidence.style == evidence.likeliest
    assert not ex.evidence.chosen
    np.testing.assert_allclose(ex.evidence.bits, evidence.of(evidence.likeliest))
    assert ex.evidence.totals == tuple(evidence.totals.items())
    c.configure(replace(c.settings, sampling=c.settings.sampling.replace(style={"irish": 0.3, "german": 0.7})))
    ex = c.explain()
    assert ex is not None
    assert ex.evidence is not None
    assert (ex.evidence.style, ex.evidence.chosen) == ("german", True)  # a mix: its larger share
    c.configure(replace(c.settings, shade_surprise=True))  # both on: surprise wins
    ex = c.explain()
    assert ex is not None
    assert ex.evidence is None
    assert ex.surprise is not None


def test_a_markov_chain_has_no_style_evidence_to_shade() -> None:
    tune = Melody.from_notation(TUNE)
    c = StudioController(MarkovModel(order=1).fit([tune]), tune, settings=Settings(shade_evidence=True))
    ex = c.explain()
    assert ex is not None
    assert ex.evidence is None


# ---------------------------------------------------------------------- the widgets


def test_the_studio_draws_the_arcs_on_its_roll_and_says_them() -> None:
    studio = Studio(melody=TUNE, warm_up=False)
    studio.roll.selected = 12
    studio.wait()
    drawn = shown(studio.controller.heard)
    assert drawn is not None
    assert studio.roll.listened == drawn.to_state()
    assert "listened most to: note" in studio.heard.value
    assert 'aria-live="polite"' in studio.heard.value
    studio.roll.selected = -1
    assert studio.roll.listened == {}
    assert 'aria-live="polite"' in studio.heard.value
    assert "listened most" not in studio.heard.value


def test_the_evidence_switch_shades_the_roll_with_a_legend_and_is_one_choice_with_surprise() -> None:
    studio = Studio(melody=TUNE, warm_up=False)
    studio.surprise.value = True
    assert studio.roll.shading_scale == "surprise"
    studio.evidence.value = True
    assert not studio.surprise.value  # one choice: none, surprise or style evidence
    assert studio.roll.shading_scale == "evidence"
    bits = np.frombuffer(studio.roll.shading, dtype="<f4")
    evidence = load_default().style_evidence(studio.melody)
    np.testing.assert_allclose(bits, evidence.of(evidence.likeliest), atol=1e-5)
    legend = studio.legend.value
    assert "jm-evidence-legend" in legend
    assert f"style evidence for <b>{evidence.likeliest}</b>" in legend
    assert "Sounds most like: " + ", ".join(f"{s} ({t:+.1f} bits)" for s, t in evidence.totals.items()) in legend
    assert "var(--jp-ui-font-color1" in legend  # reads in Light and Dark
    studio.style_picker.value = "irish"
    assert "style evidence for <b>irish</b>, your style" in studio.legend.value
    studio.evidence.value = False
    assert studio.roll.shading == b""
    assert studio.legend.value == ""


def test_the_evidence_switch_is_disabled_with_a_reason_for_a_model_without_styles() -> None:
    tune = Melody.from_notation(TUNE)
    studio = Studio(MarkovModel(order=1).fit([tune]), tune, warm_up=False)
    assert studio.evidence.disabled
    assert studio.evidence.tooltip == NO_STYLES
    assert not studio.evidence.value


def test_strongest_keeps_the_top_positive_contributions() -> None:
    found = load_default().attribution(Melody.from_notation(TUNE), 12)
    top = strongest(found, top=3, least=0.0, offset=100)
    assert top.note == 112
    together = [j for j, _ in found.together if found.bits[j] > 0]
    assert [s.index - 100 for s in top.sources] == [*together, *(j for j in found.top(6) if j not in together)][:3]
    alone = strongest(dataclasses.replace(found, together=()), top=3)
    assert [s.index for s in alone.sources] == found.top(3)  # without notes relied on together: the largest
    none = strongest(found, least=1e6)
    assert none.sources == ()
    with pytest.raises(Exception, match="top must be a whole number"):
        strongest(found, top=0)
