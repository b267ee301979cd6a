"""``jupymuse.audio(melody)``: sound rendered in the kernel, for pages without a live widget.

nbval runs, exported HTML and GitHub previews cannot run the roll's synth, but they keep an
``IPython.display.Audio``. With the ``fluidsynth`` module installed it renders through the same
General MIDI SoundFont as the widget; otherwise pretty_midi's own synthesiser (simple waveforms)
is used, which needs no system library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..music import Melody, as_melody

if TYPE_CHECKING:
    from IPython.display import Audio


def render(melody: Melody, *, program: int = 0, rate: int = 22050) -> np.ndarray:
    """The melody as mono float samples in [-1, 1] at ``rate`` Hz."""
    import importlib.util

    pm = melody.to_pretty_midi(program=program)
    if importlib.util.find_spec("fluidsynth") is not None:
        from .soundfont import soundfont_path

        samples = pm.fluidsynth(fs=rate, sf2_path=str(soundfont_path()))
    else:
        samples = pm.synthesize(fs=rate)
    samples = np.asarray(samples, dtype=np.float64)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    return samples / peak * 0.9 if peak > 0 else samples


def audio(melody: Melody | str, *, program: int = 0, rate: int = 22050) -> Audio:
    """An ``IPython.display.Audio`` player for ``melody`` (text notation accepted)."""
    from IPython.display import Audio

    return Audio(render(as_melody(melody), program=program, rate=rate), rate=rate)  # type: ignore[no-untyped-call]
