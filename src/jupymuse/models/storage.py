"""Writing model files safely: through a temporary file and a rename, so a crash never leaves half a file.

Every model file gets the mode a newly created file gets (``0o666`` less the umask: 0644 as a rule), or
keeps the mode of the file it replaces, whichever writer (ours or Keras's) made the temporary file.
"""

from __future__ import annotations

import os
import shutil
import stat
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
        os.chmod(tmp, _mode_for(path, tmp_dir))
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return path


def _mode_for(path: Path, tmp_dir: Path) -> int:
    """The permission bits ``path`` should have: those of the file it replaces, or a new file's."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        pass
    probe = tmp_dir / ".mode"  # a new file's mode is 0o666 less the umask (reading the umask is not thread-safe)
    os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    return stat.S_IMODE(probe.stat().st_mode)


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically: never a half-written file."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
