"""Which model a file holds: ``load_model`` looks at the file and hands it to that model's reader.

A zip archive (or a ``.keras`` name) is a GRU (see :mod:`jupymuse.models.gru_io`); anything else must
be the JSON of a Markov chain. Both carry the header checked by :func:`~jupymuse.models.formats.check_header`,
and every other field is checked against its type and limits before anything is built from it
(see :mod:`jupymuse.models.formats`). No pickle anywhere: a model file never runs code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .. import arguments
from ..errors import ModelFileError
from .formats import MARKOV_FILE, MAX_MARKOV_BYTES, MB, check_header, read_json, show
from .markov import MarkovModel

if TYPE_CHECKING:
    from .protocol import MelodyModel


def load_model(path: str | os.PathLike[str]) -> MelodyModel:
    """Load a model saved with ``model.save(path)``: a Markov chain (JSON) or a GRU (``.keras``).

    Raises:
        ModelFileError: the file is missing, damaged, not a jupymuse model, from a newer version, or
            beyond a limit (size, nesting, a field's range); the message names the field and the limit.
    """
    p = Path(arguments.path(path))
    if not p.is_file():
        raise ModelFileError(f"there is no model file at '{p}'")
    size = p.stat().st_size
    if not size:
        raise ModelFileError(f"'{p}' is empty: the model was not saved completely")
    with p.open("rb") as fh:
        start = fh.read(2)
    if start == b"PK" or p.suffix == ".keras":  # a zip archive: the GRU's .keras file
        from .gru import GRUModel  # on first use, like jupymuse.models.GRUModel (the GRU's side stays unloaded)

        return GRUModel.load(p)
    if size > MAX_MARKOV_BYTES:
        raise ModelFileError(f"'{p}' is too large: {size / MB:,.0f} MB, over the limit of {MAX_MARKOV_BYTES // MB} MB")
    return _load_markov(p, p.read_bytes())


def _load_markov(p: Path, raw: bytes) -> MarkovModel:
    data = read_json(raw, f"'{p}'", MAX_MARKOV_BYTES)
    if isinstance(data, dict) and "format" in data and data["format"] != MARKOV_FILE.name:
        raise ModelFileError(f"'{p}' holds a model of unknown kind {show(data['format'])}")
    check_header(p, data, MARKOV_FILE)
    return MarkovModel.from_dict(data, source=f"'{p}'")
