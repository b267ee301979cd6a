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
)

__version__ = "0.1.0"

_LAZY = {
    "Melody": ("jupymuse.music", "Melody"),
    "Note": ("jupymuse.music", "Note"),
    "read_midi": ("jupymuse.music", "read_midi"),
    "Corpus": ("jupymuse.corpus", "Corpus"),
    "load_corpus": ("jupymuse.corpus", "load_corpus"),
    "load_midi_folder": ("jupymuse.corpus", "load_midi_folder"),
    "MarkovModel": ("jupymuse.models", "MarkovModel"),
    "MelodyModel": ("jupymuse.models", "MelodyModel"),
    "load_model": ("jupymuse.models", "load_model"),
    "GRUModel": ("jupymuse.models", "GRUModel"),
    "GRUConfig": ("jupymuse.models", "GRUConfig"),
    "load_default": ("jupymuse.models", "load_default"),
    "PianoRoll": ("jupymuse.widget", "PianoRoll"),
    "Studio": ("jupymuse.studio", "Studio"),
    "audio": ("jupymuse.widget", "audio"),
}
_SUBMODULES = {"evaluate", "music", "corpus", "models", "cli", "widget"}

if TYPE_CHECKING:
    from . import corpus, evaluate, models, music
    from .corpus import Corpus, load_corpus, load_midi_folder
    from .models import GRUConfig, GRUModel, MarkovModel, MelodyModel, load_default, load_model
    from .music import Melody, Note, read_midi
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
    "MarkovModel",
    "Melody",
    "MelodyModel",
    "MidiReadError",
    "ModelError",
    "ModelFileError",
    "NoMelodyError",
    "NotationError",
    "Note",
    "PianoRoll",
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
    "read_midi",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'jupymuse' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
