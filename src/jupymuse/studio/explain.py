"""The data behind "Why this note?": surprise per note, the next-pitch distribution, the table.

One surprise is shown everywhere: -log2 P(pitch and length | notes before) under the model as it is,
before temperature, top-k and top-p (those change what Generate draws, not what the model expects).
The roll's shading shows it for every note, the why-view for the explained one, split into its pitch
part (the strip's bar of that pitch, the model's own probability) and its length part.

Models are asked through the protocols (``PredictsPitches``, ``HasTransitionTable``), never by class.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..models.protocol import HasTransitionTable, MelodyModel, NoteLogProbs, PredictsPitches
from ..models.sampling import shape
from ..music import Melody
from ..music.events import REST, melody_events
from ..music.keys import guess_key
from .events import Explanation, NextPitch, NoteSurprise
from .settings import Settings

WINDOW = 512
"""Notes of context the next-pitch view reads before the explained note: enough for any of our models
(the GRU trains on shorter windows), and it keeps a 100,000-note melody's edit as quick as a short one's."""
MAX_SHADED_NOTES = 4096
"""Longest melody whose notes are shaded by surprise or style evidence (scoring every note of a longer
one on each edit would stall the kernel for seconds)."""


def explain(model: MelodyModel, melody: Melody, selected: int, settings: Settings) -> Explanation:
    """What ``model`` thinks of ``melody``: before the ``selected`` note (an index into its notes),
    or for the next note after the melody when none is selected (-1).
    """
    shade = settings.shading == "surprise" and 0 < len(melody) <= MAX_SHADED_NOTES
    style = settings.for_model(model).style
    as_style: dict[str, Any] = {"style": style} if style is not None else {}
    scores = model.log_prob(melody, **as_style) if shade else None
    events = melody_events(melody)
    note_events = [i for i, (p, _) in enumerate(events) if p != REST]
    step = note_events[selected] if 0 <= selected < len(note_events) else len(events)
    next_pitch = None
    if isinstance(model, PredictsPitches):
        window, row = context_window(melody, selected)
        own = np.asarray(model.pitch_distributions(window, **as_style)[row], dtype=np.float64)
        sampled = shape(own, *settings.sampling.pitch_settings)
        changed = not np.allclose(sampled, own / own.sum(), rtol=0, atol=1e-9)
        actual, chosen = (events[step][0], True) if step < len(events) else (None, False)
        what = f"before note {selected + 1}" if chosen else "for the next note"
        surprise = note_surprise(model, scores, window, selected, as_style) if chosen else None
        next_pitch = NextPitch(own, f"{model.name}: P(pitch) {what}", actual, sampled if changed else None, surprise)
    table = model if isinstance(model, HasTransitionTable) and model.order >= 1 else None
    shading = scores.note_surprise if scores is not None else None
    from .listening import evidence  # the style evidence shading (listening.py reads this module's window)

    shaded = settings.shading == "evidence" and 0 < len(melody) <= MAX_SHADED_NOTES
    found = evidence(model, melody, settings) if shaded else None
    return Explanation(model.name, shading, next_pitch, table, tuple(events[:step]), guess_key(melody), found)


def note_surprise(
    model: MelodyModel, scores: NoteLogProbs | None, window: Melody, selected: int, as_style: dict[str, Any]
) -> NoteSurprise:
    """Note ``selected``'s surprise: from the shading's own scores when the melody is shaded (the very
    figure on the roll), else from scoring the ``window`` that ends with it (the same figure for a
    melody of up to ``WINDOW`` notes; bounded work for a longer one)."""
    lp, at = (scores, selected) if scores is not None else (model.log_prob(window, **as_style), -1)
    return NoteSurprise(selected, float(lp.note_surprise[at]), float(lp.pitch_surprise[at]))


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
