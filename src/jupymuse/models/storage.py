"""Writing model files safely: through a temporary file and a rename, so a crash never leaves half a file."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Have ``write(tmp)`` write the file at a temporary path beside ``path``, then rename it into place.

    The temporary file has ``path``'s name (some writers, such as Keras, insist on the suffix) inside a
    hidden temporary folder in the same directory, which is removed afterwards whatever happens.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    try:
        tmp = tmp_dir / path.name
        write(tmp)
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically: never a half-written file."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
