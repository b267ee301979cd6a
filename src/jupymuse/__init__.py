"""jupymuse: learn and explore algorithmic melody composition in Jupyter.

Quick tour::

    import jupymuse
    chorales = jupymuse.load_corpus("bach-chorales")
    model = jupymuse.MarkovModel(order=2).fit(chorales)
    [melody] = model.generate("G4:4 G4:4 D5:4", steps=32, seed=0)
    melody.to_midi("melody.mid")

    gru = jupymuse.load_default()  # the shipped GRU, trained on chorales and folk songs
    [melody] = gru.generate("G4:4 G4:4 D5:4", steps=32, temperature=0.9, seed=0)

Names are imported on first use, so ``import jupymuse`` stays fast and never imports TensorFlow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    CorpusError,
    InvalidNoteError,
    JupymuseError,
    JupymuseWarning,
    MidiReadError,
    ModelError,
    ModelFileError,
    NoMelodyError,
    NotationError,
    OutputError,
    ScoreError,
)
from .lazy import lazy_names

__version__ = "0.1.0"

_LAZY = {
    "Melody": "jupymuse.music",
    "Key": "jupymuse.music",
    "Note": "jupymuse.music",
    "read_midi": "jupymuse.music",
    "read_abc": "jupymuse.music",
    "Score": "jupymuse.music",
    "Corpus": "jupymuse.corpus",
    "load_corpus": "jupymuse.corpus",
    "load_midi_folder": "jupymuse.corpus",
    "MarkovModel": "jupymuse.models",
    "MelodyModel": "jupymuse.models",
    "load_model": "jupymuse.models",
    "GRUModel": "jupymuse.models",
    "GRUConfig": "jupymuse.models",
    "load_default": "jupymuse.models",
    "SamplingSettings": "jupymuse.models",
    "PianoRoll": "jupymuse.widget",
    "Studio": "jupymuse.studio",
    "audio": "jupymuse.widget",
}
_SUBMODULES = {"evaluate", "music", "corpus", "models", "cli", "widget", "studio"}

if TYPE_CHECKING:
    from . import corpus, evaluate, models, music, studio
    from .corpus import Corpus, load_corpus, load_midi_folder
    from .models import GRUConfig, GRUModel, MarkovModel, MelodyModel, SamplingSettings, load_default, load_model
    from .music import Key, Melody, Note, Score, read_abc, read_midi
    from .studio import Studio
    from .widget import PianoRoll, audio

__all__ = [
    "Corpus",
    "CorpusError",
    "GRUConfig",
    "GRUModel",
    "InvalidNoteError",
    "JupymuseError",
    "JupymuseWarning",
    "Key",
    "MarkovModel",
    "Melody",
    "MelodyModel",
    "MidiReadError",
    "ModelError",
    "ModelFileError",
    "NoMelodyError",
    "NotationError",
    "Note",
    "OutputError",
    "PianoRoll",
    "SamplingSettings",
    "Score",
    "ScoreError",
    "Studio",
    "__version__",
    "audio",
    "corpus",
    "evaluate",
    "load_corpus",
    "load_default",
    "load_midi_folder",
    "load_model",
    "models",
    "music",
    "read_abc",
    "read_midi",
    "studio",
]


_names = lazy_names(__name__, _LAZY)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    return _names(name)


def __dir__() -> list[str]:
    return sorted(__all__)
