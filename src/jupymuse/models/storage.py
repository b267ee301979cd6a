"""Writing model files: through jupymuse's one atomic writer, into a folder made when missing.

A model file is written whole or not at all, and a replaced one keeps its mode, owner and link while a
read-only one is refused, as every file jupymuse writes (:func:`jupymuse.files.write_atomically`,
whichever writer, ours or Keras's, fills the temporary file). Unlike a MIDI or MusicXML export, saving
a model makes its missing folders (``model.save("models/chorales.json")``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import OutputError
from ..files import write_atomically


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Have ``write(tmp)`` write the file at a temporary path with ``path``'s name (some writers, such as
    Keras, insist on the suffix), then put it in place of ``path``; ``path``'s folders are made first.

    Raises:
        OutputError: a folder cannot be made, a folder or a read-only file is in the way, or the system
            refused the write (see :func:`jupymuse.files.write_atomically`).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    write_atomically(path, write)
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically: never a half-written file."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
