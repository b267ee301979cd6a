"""Saving and loading models safely: atomic writes, format checks, clear errors, no pickle."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelFileError

if TYPE_CHECKING:
    from .protocol import MelodyModel


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_model(path: str | os.PathLike[str]) -> MelodyModel:
    """Load a model saved with ``model.save(path)``: a Markov chain (JSON) or a GRU (``.keras``).

    Raises:
        ModelFileError: the file is missing, damaged, not a jupymuse model, or from a newer version.
    """
    from .markov import FORMAT, FORMAT_VERSION, MarkovModel

    p = Path(path)
    if not p.is_file():
        raise ModelFileError(f"there is no model file at '{p}'")
    raw = p.read_bytes()
    if not raw:
        raise ModelFileError(f"'{p}' is empty: the model was not saved completely")
    if raw[:2] == b"PK" or p.suffix == ".keras":  # a zip archive: the GRU's .keras file
        from .gru import GRUModel

        return GRUModel.load(p)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelFileError(f"'{p}' is damaged or is not a jupymuse model file (it is not valid JSON)") from None
    if not isinstance(data, dict) or "format" not in data:
        raise ModelFileError(f"'{p}' is not a jupymuse model file")
    if data["format"] != FORMAT:
        raise ModelFileError(f"'{p}' holds a model of unknown kind {data['format']!r}")
    if not isinstance(data.get("version"), int) or data["version"] > FORMAT_VERSION:
        raise ModelFileError(
            f"'{p}' was written by a newer jupymuse (format {data.get('version')}); upgrade jupymuse to load it"
        )
    try:
        return MarkovModel.from_dict(data)
    except Exception as exc:
        raise ModelFileError(f"'{p}' is damaged: its model data is incomplete or inconsistent ({exc})") from None
