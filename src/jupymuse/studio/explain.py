"""The data behind "Why this note?": surprise per note, the shaped next-pitch distribution, the table.

Models are asked through the protocols (``PredictsPitches``, ``HasTransitionTable``), never by class.
"""

from __future__ import annotations

from typing import Any

from ..models.protocol import HasTransitionTable, MelodyModel, PredictsPitches
from ..models.sampling import allowed_pitches, shape
from ..music import Melody
from ..music.events import REST, melody_events
from ..music.keys import guess_key
from .events import Explanation, NextPitch
from .settings import Settings

WINDOW = 512
"""Notes of context the next-pitch view reads before the explained note: enough for any of our models
(the GRU trains on shorter windows), and it keeps a 100,000-note melody's edit as quick as a short one's."""
MAX_SHADED_NOTES = 4096
"""Longest melody whose notes are shaded by surprise (scoring every note of a longer one on each edit
would stall the kernel for seconds)."""


def explain(model: MelodyModel, melody: Melody, selected: int, settings: Settings) -> Explanation:
    """What ``model`` thinks of ``melody``: before the ``selected`` note (an index into its notes),
    or for the next note after the melody when none is selected (-1).
    """
    shade = settings.shade_surprise and 0 < len(melody) <= MAX_SHADED_NOTES
    style = settings.for_model(model).style
    as_style: dict[str, Any] = {"style": style} if style is not None else {}
    surprise = model.log_prob(melody, **as_style).note_surprise if shade else None
    events = melody_events(melody)
    note_events = [i for i, (p, _) in enumerate(events) if p != REST]
    step = note_events[selected] if 0 <= selected < len(note_events) else len(events)
    next_pitch = None
    if isinstance(model, PredictsPitches):
        window, row = context_window(melody, selected)
        dists = model.pitch_distributions(window, **as_style)
        shaped = shape(dists[row] * allowed_pitches(), *settings.sampling.pitch_settings)
        actual = events[step][0] if step < len(events) else None
        what = f"before note {selected + 1}" if step < len(events) else "for the next note"
        next_pitch = NextPitch(shaped, f"{model.name}: P(pitch) {what}", actual)
    table = model if isinstance(model, HasTransitionTable) and model.order >= 1 else None
    return Explanation(model.name, surprise, next_pitch, table, tuple(events[:step]), guess_key(melody))


def context_window(melody: Melody, selected: int) -> tuple[Melody, int]:
    """The notes a model reads to predict note ``selected`` (-1: the note after the melody), and the row
    of ``pitch_distributions(window)`` that holds that prediction.

    At most ``WINDOW`` notes end with the selected one; a window that starts inside the melody is moved
    back by whole bars, so every note keeps its place in the bar. Models are causal: for a melody of
    up to ``WINDOW`` notes the result is exactly what the whole melody gives.
    """
    notes = melody.notes
    chosen = 0 <= selected < len(notes)
    end = selected + 1 if chosen else len(notes)
    lo = max(0, end - WINDOW)
    window = melody.replace(notes=notes[lo:end])
    if lo:
        bar = melody.steps_per_bar
        window = window.shift(-(notes[lo].start // bar) * bar)
    return window, (-2 if chosen else -1)  # the selected note's own event is the window's last
