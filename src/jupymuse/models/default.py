"""The GRU model that ships inside the package, ready to generate without training.

It is produced by ``scripts/train_default.py`` (the corpora and settings are recorded there and in
the README) and stored as ``jupymuse/data/default.keras``.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelFileError
from .sampling_settings import SamplingSettings

if TYPE_CHECKING:
    from .gru import GRUModel

_lock = threading.Lock()
_cached: GRUModel | None = None


def default_model_path() -> Path:
    """Where the shipped model file lives."""
    return Path(str(resources.files("jupymuse") / "data" / "default.keras"))


def default_styles() -> tuple[str, ...]:
    """The styles of the shipped model, read from its settings alone (milliseconds)."""
    from .gru_io import read_gru

    path = default_model_path()
    return read_gru(path, weights=False).config.styles if path.is_file() else ()


def default_sampling() -> SamplingSettings:
    """The shipped model's recommended sampling settings, read from its settings alone (milliseconds)."""
    from .gru_io import read_gru

    path = default_model_path()
    return read_gru(path, weights=False).sampling if path.is_file() else SamplingSettings()


def load_default(*, fresh: bool = False) -> GRUModel:
    """The shipped GRU model (loaded once per process; ``fresh=True`` loads a new copy to fine-tune).

    Raises:
        ModelFileError: the model file is missing or damaged in this installation.
    """
    global _cached
    from .gru import GRUModel

    path = default_model_path()
    if not path.is_file():
        raise ModelFileError(
            f"the default model is missing from this installation ({path}); reinstall jupymuse, "
            "or train one with scripts/train_default.py"
        )
    if fresh:
        return GRUModel.load(path)
    with _lock:
        if _cached is None:
            _cached = GRUModel.load(path)
        return _cached
