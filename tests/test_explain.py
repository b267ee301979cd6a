"""The next-pitch view reads a window of the melody: the answer of the whole melody, bounded work."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from jupymuse import MarkovModel, Melody
from jupymuse.corpus import Corpus
from jupymuse.music import Note
from jupymuse.music.events import REST, melody_events
from jupymuse.studio import Settings
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
    ex = explain(model, melody, 15_000, Settings(shade_surprise=True))  # type: ignore[arg-type]
    assert model.asked == [WINDOW]  # not 15,001 notes
    assert model.scored == []  # too long to shade on every edit: the studio says so
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
    assert explain(chain, given, 1, Settings()).key == "Gb major"
    guessed = Melody.from_notation("F4:4 A4:4 Bb4:4 C5:4 F5:4")
    assert explain(chain, guessed, -1, Settings()).key == "F major"
