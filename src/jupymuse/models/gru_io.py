"""Saving and loading ``GRUModel``: one ``.keras`` archive with ``jupymuse.json`` inside.

Keras writes the network (``config.json`` and ``model.weights.h5``, no pickle); jupymuse adds its
own settings (format, version, ``GRUConfig``, training history) as ``jupymuse.json`` in the same
zip, so a model is one file. Writing goes through a temporary file and a rename; reading checks
our JSON first, then lets Keras load with ``safe_mode=True`` and checks the weights' shapes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelError, ModelFileError
from .gru_config import GRUConfig
from .tfimport import ensure_tensorflow

if TYPE_CHECKING:
    import keras

    from .gru import GRUModel

FORMAT = "jupymuse.gru"
FORMAT_VERSION = 1


def save_gru(model: GRUModel, target: Path) -> Path:
    """Write ``model`` to ``target`` (a ``.keras`` path) atomically."""
    ensure_tensorflow()
    import keras

    if target.suffix != ".keras":
        raise ModelError(f"a GRU model is saved as a .keras file (e.g. 'my_model.keras'), not '{target.name}'")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        tmp = tmp_dir / "model.keras"
        keras.saving.save_model(model.network, tmp)
        meta = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "config": model.config.to_dict(),
            "seed": model.seed,
            "history": [] if model.history is None else model.history.epochs,
        }
        with zipfile.ZipFile(tmp, "a") as zf:
            zf.writestr("jupymuse.json", json.dumps(meta))
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return target


def load_gru(cls: type[GRUModel], p: Path) -> GRUModel:
    """Read a model written by :func:`save_gru`; every failure is a ``ModelFileError``."""
    if not p.is_file():
        raise ModelFileError(f"there is no model file at '{p}'")
    try:
        with zipfile.ZipFile(p) as zf:
            meta = json.loads(zf.read("jupymuse.json").decode("utf-8"))
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, json.JSONDecodeError, OSError):
        raise ModelFileError(f"'{p}' is damaged or is not a jupymuse GRU model (.keras) file") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"'{p}' is not a jupymuse GRU model file")
    if not isinstance(meta.get("version"), int) or meta["version"] > FORMAT_VERSION:
        raise ModelFileError(
            f"'{p}' was written by a newer jupymuse (format {meta.get('version')}); upgrade jupymuse to load it"
        )
    try:
        config = GRUConfig.from_dict(meta["config"])
    except (KeyError, TypeError, ValueError, ModelError) as exc:
        raise ModelFileError(f"'{p}' has unreadable model settings ({exc})") from None
    model = cls(config, seed=int(meta.get("seed", 0)))
    net = _load_keras(p)
    expected = [tuple(w.shape) for w in model.network.weights]
    found = [tuple(w.shape) for w in net.weights]
    if expected != found:
        raise ModelFileError(f"'{p}' does not match its own settings: the network has the wrong shape")
    model.network.set_weights(net.get_weights())
    from .training import TrainingHistory

    model.history = TrainingHistory(epochs=list(meta.get("history", [])))
    model._fitted = True
    return model


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
