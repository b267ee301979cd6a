"""``jupymuse.audio(melody)``: sound rendered in the kernel, for pages without a live widget.

nbval runs, exported HTML and GitHub previews cannot run the roll's synth, but they keep an
``IPython.display.Audio``. With the ``fluidsynth`` module installed it renders through the same
General MIDI SoundFont as the widget; otherwise pretty_midi's own synthesiser (simple waveforms)
is used, which needs no system library.

The player's HTML puts the sound on the ``<audio>`` element itself (``src="data:audio/wav;base64,..."``).
IPython's own puts it on a ``<source>`` child, and JupyterLab's and Notebook 7's sanitizer, which every
output of an untrusted notebook (a fresh clone's lessons) goes through, keeps only ``type`` on
``<source>``: the saved player showed but was silent. ``<audio>`` keeps ``src`` and ``controls``.
"""

from __future__ import annotations

import html
import wave
from io import BytesIO

import numpy as np
from IPython.display import Audio

from ..errors import JupymuseError, SettingError
from ..music import Melody, as_melody
from ..music.note import as_int

MIN_RATE, MAX_RATE = 8000, 192_000
"""Sample rates a player is made at, in Hz (telephone sound to studio sound)."""


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


class Player(Audio):
    """``IPython.display.Audio`` whose HTML plays in an untrusted notebook too (see the module's docstring)."""

    def __repr__(self) -> str:
        """A line for where no player shows: how long the sound lasts (``text/plain`` of the output)."""
        try:
            with wave.open(BytesIO(self.data)) as sound:
                return f"<audio: {sound.getnframes() / sound.getframerate():.1f} s at {sound.getframerate()} Hz>"
        except (wave.Error, EOFError, TypeError):
            return f"<audio: {self.url or 'no sound'}>"

    def _repr_html_(self) -> str:
        src = html.escape(str(self.src_attr()), quote=True)  # type: ignore[no-untyped-call]
        autoplay = ' autoplay="autoplay"' if self.autoplay else ""
        element_id = f' id="{html.escape(str(self.element_id), quote=True)}"' if self.element_id else ""
        return f'<audio{element_id} controls="controls"{autoplay} src="{src}">Your browser does not play audio.</audio>'


def _whole(value: object, name: str) -> int:
    """``value`` as a whole number, or a SettingError naming ``name``."""
    try:
        return as_int(value, name)
    except JupymuseError as exc:
        raise SettingError(str(exc)) from None


def audio(melody: Melody | str, *, program: int = 0, rate: int = 22050) -> Player:
    """A player (an ``IPython.display.Audio``) for ``melody`` (text notation accepted).

    Raises:
        SettingError: ``program`` is not a General MIDI program (0-127) or ``rate`` not 8000-192000 Hz.
    """
    melody = as_melody(melody)
    program, rate = _whole(program, "program"), _whole(rate, "rate")
    if not 0 <= program <= 127:
        raise SettingError(f"program must be a General MIDI program 0-127, not {program}")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise SettingError(f"rate must be {MIN_RATE}-{MAX_RATE} samples a second, not {rate}")
    return Player(render(as_melody(melody), program=program, rate=rate), rate=rate)  # type: ignore[no-untyped-call]
