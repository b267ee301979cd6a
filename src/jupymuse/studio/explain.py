"""The data behind "Why this note?": surprise per note, the shaped next-pitch distribution, the table.

Models are asked through the protocols (``PredictsPitches``, ``HasTransitionTable``), never by class.
"""

from __future__ import annotations

from ..models.protocol import HasTransitionTable, MelodyModel, PredictsPitches
from ..models.sampling import allowed_pitches, shape
from ..music import Melody
from ..music.events import REST, melody_events
from .events import Explanation, NextPitch
from .settings import Settings


def explain(model: MelodyModel, melody: Melody, selected: int, settings: Settings) -> Explanation:
    """What ``model`` thinks of ``melody``: before the ``selected`` note (an index into its notes),
    or for the next note after the melody when none is selected (-1).
    """
    surprise = model.log_prob(melody).note_surprise if settings.shade_surprise and len(melody) else None
    events = melody_events(melody)
    note_events = [i for i, (p, _) in enumerate(events) if p != REST]
    step = note_events[selected] if 0 <= selected < len(note_events) else len(events)
    next_pitch = None
    if isinstance(model, PredictsPitches):
        dists = model.pitch_distributions(melody)
        if step < len(dists):
            shaped = shape(dists[step] * allowed_pitches(), settings.temperature, settings.top_k, settings.top_p)
            actual = events[step][0] if step < len(events) else None
            what = f"before note {selected + 1}" if step < len(events) else "for the next note"
            next_pitch = NextPitch(shaped, f"{model.name}: P(pitch) {what}", actual)
    table = model if isinstance(model, HasTransitionTable) and model.order >= 1 else None
    return Explanation(model.name, surprise, next_pitch, table, tuple(events[:step]))
