"""Writing a user's output file: any operating-system refusal becomes one clear ``OutputError``.

A missing folder, a folder or an unwritable file in the way, a full disk: the message names the
path and the reason, and nothing half-written is left behind (the bytes go to a temporary file in
the same folder, which then replaces the target).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` whole (or not at all); the path written.

    Raises:
        OutputError: the folder is missing, ``path`` is a folder, or the system refused the write.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: it is a folder; give a file name")
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: the folder {str(target.parent)!r} does not exist")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # as a plain open() would have made it
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise OutputError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    return target


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else set back at once."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
