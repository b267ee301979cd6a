"""Writing a file whole or not at all: the one atomic writer, with one policy, and its refusals as ``OutputError``.

Every file jupymuse writes goes through :func:`write_atomically`: a user's MIDI, MusicXML or
notebook (:func:`write_file`), a model file (``models/storage.py``), a corpus cache entry
(``corpus/cache.py``). The bytes go to a temporary file in the target's folder (inside a hidden
temporary folder there, so the writer sees the target's own name: Keras insists on ``.keras``), are
flushed to disk (fsync), and the temporary file then replaces the target in one rename; on any
failure it is removed, so nothing half-written is left behind. A file that is replaced keeps what it
was: its mode (a private 0600 notebook stays private) and, where the system allows, its owner; a
symbolic link is written through (the file it points to is replaced, the link stays a link); a
read-only file is never rewritten (refused, naming its mode). A new file gets a new file's mode
(0666 less the umask). A missing folder, a folder or an unwritable file in the way, a full disk: the
``OutputError`` names the path and the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
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


def write_atomically(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Have ``write(tmp)`` write the file at a temporary path with ``path``'s name in its folder, then
    put it in place of ``path`` in one rename: the path written (``path`` itself, also through a link).

    Raises:
        OutputError: the folder is missing, ``path`` is a folder or read-only, or the system refused the
            write (``write`` raising ``OSError`` too); anything else ``write`` raises passes unchanged.
            Either way the temporary file is gone and ``path`` is as it was.
    """
    target, replaces = output_target(path)
    tmp_dir = None
    try:
        tmp_dir = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
        tmp = tmp_dir / target.name
        write(tmp)
        _sync(tmp)
        settle(tmp, replaces)
        os.replace(tmp, target)
        _sync(target.parent, required=False)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    return Path(path)


def write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` with :func:`write_atomically`; the path written.

    Raises:
        OutputError: the folder is missing, ``path`` is a folder or read-only, or the system refused the write.
    """
    return write_atomically(path, lambda tmp: tmp.write_bytes(data))


def _sync(path: Path, *, required: bool = True) -> None:
    """Flush ``path`` (a file, or a folder's entries) to the disk. A file is opened to read, or to write
    where it cannot be read (a write-only mode); a folder that cannot be synced is no error
    (``required=False``: some systems refuse it)."""
    try:
        try:
            fd = os.open(path, os.O_RDONLY)
        except PermissionError:
            fd = os.open(path, os.O_WRONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        if required:
            raise


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else set back at once."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
