"""The GRU's model file: one ``.keras`` archive with ``jupymuse.json`` inside.

Keras writes the network (``config.json`` and ``model.weights.h5``, no pickle); jupymuse adds its
own settings (the header of :mod:`jupymuse.models.formats`, ``GRUConfig``, seed, training history)
as ``jupymuse.json`` in the same zip, so a model is one file. Writing goes through a temporary file
and a rename; reading checks our JSON first, then lets Keras load with ``safe_mode=True``.
This module reads and writes what a file holds (:class:`SavedGRU`); ``GRUModel.load`` builds the model.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ModelError, ModelFileError
from .formats import GRU_FILE, check_header
from .gru_config import GRUConfig
from .storage import atomic_write
from .tfimport import ensure_tensorflow

if TYPE_CHECKING:
    import keras
    import numpy as np

SETTINGS_NAME = "jupymuse.json"
"""The archive member with jupymuse's header and settings."""


@dataclass(frozen=True)
class SavedGRU:
    """What a GRU model file holds."""

    config: GRUConfig
    seed: int
    weights: list[np.ndarray]
    """The network's weights, in the order of ``keras.Model.get_weights()``."""
    history: list[dict[str, float]]
    """The per-epoch rows of ``TrainingHistory.epochs``."""


def write_gru(
    target: Path, network: keras.Model, *, config: GRUConfig, seed: int, history: list[dict[str, float]]
) -> Path:
    """Write ``network`` and jupymuse's settings to ``target`` (a ``.keras`` path) atomically."""
    ensure_tensorflow()
    import keras

    if target.suffix != ".keras":
        raise ModelError(f"a GRU model is saved as a .keras file (e.g. 'my_model.keras'), not '{target.name}'")
    meta = {**GRU_FILE.header(), "config": config.to_dict(), "seed": seed, "history": history}

    def write(tmp: Path) -> None:
        keras.saving.save_model(network, tmp)
        with zipfile.ZipFile(tmp, "a") as zf:
            zf.writestr(SETTINGS_NAME, json.dumps(meta))

    return atomic_write(target, write)


def read_gru(p: Path) -> SavedGRU:
    """Read a file written by :func:`write_gru`; every failure is a ``ModelFileError``."""
    if not p.is_file():
        raise ModelFileError(f"there is no model file at '{p}'")
    try:
        with zipfile.ZipFile(p) as zf:
            meta: Any = json.loads(zf.read(SETTINGS_NAME).decode("utf-8"))
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, json.JSONDecodeError, OSError):
        raise ModelFileError(f"'{p}' is damaged or is not a jupymuse GRU model (.keras) file") from None
    check_header(p, meta, GRU_FILE)
    try:
        config = GRUConfig.from_dict(meta["config"])
        seed = int(meta.get("seed", 0))
        history = list(meta.get("history", []))
    except (KeyError, TypeError, ValueError, ModelError) as exc:
        raise ModelFileError(f"'{p}' has unreadable model settings ({exc})") from None
    return SavedGRU(config, seed, _load_keras(p).get_weights(), history)


def _load_keras(p: Path) -> keras.Model:
    ensure_tensorflow()
    import keras

    with tempfile.TemporaryDirectory() as tmp:
        source = p
        if p.suffix != ".keras":  # Keras insists on the suffix
            source = Path(tmp) / "model.keras"
            shutil.copyfile(p, source)
        try:
            return keras.saving.load_model(source, compile=False, safe_mode=True)
        except Exception as exc:
            raise ModelFileError(f"'{p}' is damaged: Keras could not read the network ({type(exc).__name__})") from None
