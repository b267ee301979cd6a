"""Writing model files safely: through a temporary file and a rename, so a crash never leaves half a file.

A replaced model file keeps its mode, owner and link, and a read-only one is refused, as every output
file (:mod:`jupymuse.files`); a new one gets a new file's mode (``0o666`` less the umask: 0644 as a
rule), whichever writer (ours or Keras's) made the temporary file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..files import output_target, settle


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Have ``write(tmp)`` write the file at a temporary path beside ``path``, then rename it into place.

    The temporary file has ``path``'s name (some writers, such as Keras, insist on the suffix) inside a
    hidden temporary folder in the same directory, which is removed afterwards whatever happens.

    Raises:
        OutputError: a folder or a read-only file in the way (see ``jupymuse.files.output_target``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    target, replaces = output_target(path)
    tmp_dir = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        tmp = tmp_dir / target.name
        write(tmp)
        settle(tmp, replaces)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically: never a half-written file."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
