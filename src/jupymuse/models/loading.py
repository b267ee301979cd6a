"""Which model a file holds: ``load_model`` looks at the file and hands it to that model's reader.

A zip archive (or a ``.keras`` name) is a GRU (see :mod:`jupymuse.models.gru_io`); anything else must
be the JSON of a Markov chain. Both carry the header checked by :func:`~jupymuse.models.formats.check_header`.
No pickle anywhere: a model file never runs code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelFileError
from .formats import MARKOV_FILE, check_header
from .markov import MarkovModel

if TYPE_CHECKING:
    from .protocol import MelodyModel


def load_model(path: str | os.PathLike[str]) -> MelodyModel:
    """Load a model saved with ``model.save(path)``: a Markov chain (JSON) or a GRU (``.keras``).

    Raises:
        ModelFileError: the file is missing, damaged, not a jupymuse model, or from a newer version.
    """
    p = Path(path)
    if not p.is_file():
        raise ModelFileError(f"there is no model file at '{p}'")
    raw = p.read_bytes()
    if not raw:
        raise ModelFileError(f"'{p}' is empty: the model was not saved completely")
    if raw[:2] == b"PK" or p.suffix == ".keras":  # a zip archive: the GRU's .keras file
        from .gru import GRUModel  # on first use, like jupymuse.models.GRUModel (the GRU's side stays unloaded)

        return GRUModel.load(p)
    return _load_markov(p, raw)


def _load_markov(p: Path, raw: bytes) -> MarkovModel:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelFileError(f"'{p}' is damaged or is not a jupymuse model file (it is not valid JSON)") from None
    if isinstance(data, dict) and "format" in data and data["format"] != MARKOV_FILE.name:
        raise ModelFileError(f"'{p}' holds a model of unknown kind {data['format']!r}")
    check_header(p, data, MARKOV_FILE)
    try:
        return MarkovModel.from_dict(data)
    except Exception as exc:
        raise ModelFileError(f"'{p}' is damaged: its model data is incomplete or inconsistent ({exc})") from None
