"""Writing a user's output file: any operating-system refusal becomes one clear ``OutputError``.

A missing folder, a folder or an unwritable file in the way, a full disk: the message names the
path and the reason, and nothing half-written is left behind (the bytes go to a temporary file in
the same folder, which then replaces the target). A file that is replaced keeps what it was: its
mode (a private 0600 notebook stays private) and, where the system allows, its owner; a symbolic
link is written through (the file it points to is replaced, the link stays a link); a read-only
file is never rewritten (refused, naming its mode). A new file gets a new file's mode (0666 less the
umask). Model files (``models/storage.py``) follow the same rules through :func:`output_target` and
:func:`settle`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import OutputError


def output_target(path: str | os.PathLike[str]) -> tuple[Path, os.stat_result | None]:
    """The file a write to ``path`` replaces (through a link: the file it points to) and its status
    (None for a new file).

    Raises:
        OutputError: a folder in the way, a missing folder, something other than a file, or a
            read-only file.
    """
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    if target.is_dir():
        raise OutputError(f"cannot write {str(given)!r}: it is a folder; give a file name")
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {str(given)!r}: the folder {str(target.parent)!r} does not exist")
    try:
        status = target.stat()
    except FileNotFoundError:
        return target, None
    except OSError as exc:
        raise OutputError(f"cannot write {str(given)!r}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(f"cannot write {str(given)!r}: it is not a regular file")
    if not status.st_mode & 0o222:
        mode = oct(stat.S_IMODE(status.st_mode))[2:]
        raise OutputError(
            f"cannot write {str(given)!r}: it is read-only (mode {mode}); make it writable or choose another name"
        )
    return target, status


def settle(tmp: Path, replaces: os.stat_result | None) -> None:
    """Give the finished temporary file ``tmp`` the mode and owner of the file it ``replaces``, or a new
    file's mode (owner: kept where the system allows it, as root does)."""
    if replaces is None:
        os.chmod(tmp, 0o666 & ~_umask())  # as a plain open() would have made it
        return
    os.chmod(tmp, stat.S_IMODE(replaces.st_mode))
    if (replaces.st_uid, replaces.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):  # only root (or the owner, for the group) may
            os.chown(tmp, replaces.st_uid, replaces.st_gid)


def write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` whole (or not at all), keeping a replaced file's mode, owner and link; the
    path written (``path`` itself, also through a link).

    Raises:
        OutputError: the folder is missing, ``path`` is a folder or read-only, or the system refused the write.
    """
    target, replaces = output_target(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        settle(Path(tmp), replaces)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    return Path(path)


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else set back at once."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
