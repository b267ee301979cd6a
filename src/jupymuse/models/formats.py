"""What a jupymuse model file says about itself, and the one check of it.

Every model file carries a JSON header ``{"format": name, "version": n, ...}``: the Markov chain's
file is that JSON, the GRU's ``.keras`` archive holds it as ``jupymuse.json``. ``check_header``
refuses a header of another kind or from a newer jupymuse with a clear ``ModelFileError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelFileError


@dataclass(frozen=True)
class FileFormat:
    """One kind of model file: its ``format`` name and the newest version this jupymuse reads (and writes)."""

    name: str
    version: int
    label: str
    """How an error message names the kind of file: ``"model"``, ``"GRU model"``."""

    def header(self) -> dict[str, Any]:
        """The header fields a file of this format starts with."""
        return {"format": self.name, "version": self.version}


MARKOV_FILE = FileFormat("jupymuse.markov", 1, "model")
GRU_FILE = FileFormat("jupymuse.gru", 1, "GRU model")


def check_header(p: Path, data: object, expected: FileFormat) -> dict[str, Any]:
    """``data`` (the JSON read from ``p``) if its header names format ``expected`` at a version we read.

    Raises:
        ModelFileError: not a header of that format, or one written by a newer jupymuse.
    """
    if not isinstance(data, dict) or data.get("format") != expected.name:
        raise ModelFileError(f"'{p}' is not a jupymuse {expected.label} file")
    version = data.get("version")
    if not isinstance(version, int) or version > expected.version:
        raise ModelFileError(f"'{p}' was written by a newer jupymuse (format {version}); upgrade jupymuse to load it")
    return data
