"""The next-pitch view reads a window of the melody: the answer of the whole melody, bounded work; and it shows
the one surprise the roll shades (issue 20, point 9)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from jupymuse import MarkovModel, Melody
from jupymuse.corpus import Corpus
from jupymuse.music import Note
from jupymuse.music.events import REST, melody_events
from jupymuse.music.key import Key
from jupymuse.studio import Settings, views
from jupymuse.studio.explain import MAX_SHADED_NOTES, WINDOW, context_window, explain


class Counting:
    """A model that records how many notes each question is about (and answers as ``model``)."""

    def __init__(self, model: MarkovModel) -> None:
        self.model, self.asked, self.scored = model, [], []  # type: ignore[var-annotated]

    def pitch_distributions(self, melody: Melody) -> np.ndarray:
        self.asked.append(len(melody))
        return self.model.pitch_distributions(melody)

    def log_prob(self, melody: Melody) -> Any:
        self.scored.append(len(melody))
        return self.model.log_prob(melody)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)


@pytest.fixture(scope="module")
def chain(kinder: Corpus) -> MarkovModel:
    return MarkovModel(2).fit(list(kinder)[:60])


def test_a_short_melody_gets_exactly_the_whole_melodys_answer(chain: MarkovModel, kinder: Corpus) -> None:
    melody = kinder[70]
    whole = chain.pitch_distributions(melody)
    events = melody_events(melody)
    note_events = [i for i, (p, _) in enumerate(events) if p != REST]
    for selected in (-1, 0, 5, len(melody) - 1):
        window, row = context_window(melody, selected)
        step = note_events[selected] if selected >= 0 else len(events)
        np.testing.assert_allclose(chain.pitch_distributions(window)[row], whole[step])


def test_a_long_melody_is_read_in_a_window_that_keeps_the_bar(chain: MarkovModel) -> None:
    notes = [Note(60 + (i * 5) % 12, 2 * i, 2) for i in range(20_000)]  # eighths: 2 steps each
    melody = Melody(notes, time_signature=(3, 4))
    model = Counting(chain)
    ex = explain(model, melody, 15_000, Settings(shade_surprise=True))
    assert model.asked == [WINDOW]  # not 15,001 notes
    assert model.scored == [WINDOW]  # too long to shade on every edit (the studio says so): the note's window only
    assert ex.surprise is None
    assert ex.next_pitch is not None
    assert ex.next_pitch.actual == notes[15_000].pitch
    window, _ = context_window(melody, 15_000)
    offset = notes[15_000 - WINDOW + 1].start - window.notes[0].start
    assert offset % melody.steps_per_bar == 0  # moved by whole bars: every note keeps its beat
    short = Melody(notes[:MAX_SHADED_NOTES])
    assert explain(chain, short, -1, Settings(shade_surprise=True)).surprise is not None


def test_the_explanation_carries_the_key_the_views_name_pitches_in(chain: MarkovModel) -> None:
    given = Melody.from_notation("Gb4:4 Bb4:4 Db5:4 Bb4:4", key="Gb major")
    assert explain(chain, given, 1, Settings()).key == Key.parse("Gb major")
    guessed = Melody.from_notation("F4:4 A4:4 Bb4:4 C5:4 F5:4")
    assert explain(chain, guessed, -1, Settings()).key == Key.parse("F major")


@pytest.fixture(scope="module")
def gru() -> Any:
    from jupymuse.models import load_default

    return load_default()


@pytest.mark.parametrize("which", ["markov", "gru"])
def test_the_why_view_shows_the_surprise_the_roll_shades(
    which: str, chain: MarkovModel, gru: Any, kinder: Corpus
) -> None:
    """One surprise: -log2 P(pitch and length) before temperature, the same figure in the shading and in the
    why-view (split into pitch, the strip's bar, and length), whatever the temperature, top-k and top-p."""
    model = chain if which == "markov" else gru
    melody = kinder[70]
    hot = Settings(shade_surprise=True).sampling.replace(temperature=1.6, top_k=5)
    for selected in (0, 3, len(melody) - 1):
        shaded = explain(model, melody, selected, Settings(shade_surprise=True))
        assert shaded.surprise is not None
        np.testing.assert_allclose(shaded.surprise, model.log_prob(melody).note_surprise)  # the roll's values
        shown = shaded.next_pitch
        assert shown is not None
        assert shown.surprise is not None
        assert shown.surprise.index == selected
        assert shown.surprise.bits == shaded.surprise[selected]  # the very figure
        actual = melody.notes[selected].pitch
        assert shown.actual == actual
        assert 2**-shown.surprise.pitch_bits == pytest.approx(shown.probs[actual], rel=1e-3)  # the bar
        assert shown.surprise.length_bits == pytest.approx(shown.surprise.bits - shown.surprise.pitch_bits)
        assert shown.sampled is None  # temperature 1, no top-k or top-p: Generate draws the bars
        text = views.strip(shown, shaded.key)
        roll_value = np.float32(shaded.surprise[selected])  # as the roll holds it (float32 LE)
        assert f"{views.bits_text(float(roll_value))} bits, as shaded on the roll" in text
        # unshaded (each note scored in its window) and hot: the same surprise, the same bars
        plain = explain(model, melody, selected, Settings(sampling=hot))
        assert plain.surprise is None
        assert plain.next_pitch is not None
        assert plain.next_pitch.surprise is not None
        assert plain.next_pitch.surprise.bits == pytest.approx(shown.surprise.bits, rel=1e-6)
        assert plain.next_pitch.surprise.pitch_bits == pytest.approx(shown.surprise.pitch_bits, rel=1e-6)
        np.testing.assert_allclose(plain.next_pitch.probs, shown.probs)
        sampled = plain.next_pitch.sampled
        assert sampled is not None  # what Generate would draw differs, and is named apart
        assert np.count_nonzero(sampled) <= 5
        assert sampled.sum() == pytest.approx(1)
        assert "chance with your temperature, top-k and top-p" in views.strip(plain.next_pitch, plain.key)
    after = explain(model, melody, -1, Settings(shade_surprise=True)).next_pitch
    assert after is not None
    assert after.surprise is None  # nothing to be surprised by after the end
    assert "Surprise of note" not in views.strip(after)


def test_bits_are_written_as_the_roll_writes_them() -> None:
    """The roll prints ``value.toFixed(1)`` of its float32 value: halves round up, float32's value decides."""
    assert views.bits_text(2.25) == "2.3"  # exactly 2.25 in binary: JavaScript rounds the half up
    assert views.bits_text(0.25) == "0.3"
    assert views.bits_text(2.35) == "2.3"  # float32(2.35) is 2.3499999...
    assert views.bits_text(float(np.float32(0.05))) == "0.1"  # 0.0500000007...
    assert views.bits_text(12.0) == "12.0"
