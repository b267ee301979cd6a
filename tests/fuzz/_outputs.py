"""Files a fuzz case writes over: made before the case, checked after it (issue 21, case 1).

A target whose cases write a file gives each such case an :class:`Output` (drawn with :func:`draw`:
a new file, an existing file of a random mode, one owned by someone else, a symbolic link to a
file or to nowhere, a file in a read-only folder). Before the case the runner makes it in a fresh
folder (:func:`make`) and hands ``run`` the path to write (``Case.path``); after the case
:func:`check` holds the write to what ``jupymuse.files`` promises (``output_target``/``settle``):

* a replaced file keeps its mode, owner and group; a symbolic link stays the same link (written
  through); a new file gets a new file's mode (0666 less the umask) and the writer as owner;
* a read-only file (no write bit) is never rewritten: the bytes stay, and a case that must write
  (``Output.must_write``; not ``freeze``, which leaves a notebook with nothing to drop alone) must
  be refused;
* a case that raises changed nothing: an existing file keeps its bytes, a new one is not made;
* nothing else is left in the folders (no temporary file), and their modes are kept.

Only root can give a file another owner; elsewhere "other owner" is a file of the writer's own.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

KINDS = ("new", "file", "file", "other owner", "symlink", "dangling symlink", "read-only folder")
MODES = (0o600, 0o640, 0o644, 0o660, 0o604, 0o755, 0o200, 0o444, 0o400, 0o440, 0o555)
"""Modes of an existing file: private, group, world-readable, write-only and read-only ones."""
OLD = b"what was there before the case\n"
OTHER_OWNER = (65534, 65534)  # nobody, nogroup
WRITABLE_FOLDER = 0o700


@dataclass(frozen=True)
class Output:
    """A file a case writes to: its kind (see ``KINDS``), the mode of the file already there, its suffix."""

    kind: str
    mode: int
    suffix: str
    content: bytes = OLD
    """What the file already there holds."""
    must_write: bool = True
    """Whether a case that ends without an error has written the file (else it may leave it alone)."""

    def __str__(self) -> str:
        return "a new file" if self.kind == "new" else f"{self.kind} {oct(self.mode)[2:]}"

    def __repr__(self) -> str:  # without the content: cases are compared and shown by label and data
        return f"Output({str(self)!r}, {self.suffix!r})"

    @property
    def read_only(self) -> bool:
        """Whether a file is there to refuse the write (no write bit; a dangling link has no file yet)."""
        return self.kind not in ("new", "dangling symlink") and not self.mode & 0o222


def draw(rng: random.Random, suffix: str, content: bytes = OLD, *, must_write: bool = True) -> Output:
    """A random output of ``suffix`` (e.g. ``".mid"``) holding ``content`` where a file is there already."""
    return Output(rng.choice(KINDS), rng.choice(MODES), suffix, content, must_write)


@dataclass(frozen=True)
class State:
    """What the checks compare: the path's link, the file behind it, the folders' entries and modes."""

    link: str | None
    exists: bool
    regular: bool
    mode: int
    owner: tuple[int, int]
    content: bytes
    folders: tuple[tuple[str, int, frozenset[str]], ...]


@dataclass(frozen=True)
class Made:
    """An output made on disk: the path the case writes, the file behind it, the folders involved."""

    output: Output
    path: Path
    real: Path
    folders: tuple[Path, ...]
    before: State


def state(path: Path, real: Path, folders: tuple[Path, ...]) -> State:
    """The state of ``path`` (and the file ``real`` behind it) and of ``folders`` now."""
    link = os.readlink(path) if path.is_symlink() else None
    try:
        st = real.lstat()
    except FileNotFoundError:
        st = None
    regular = st is not None and stat.S_ISREG(st.st_mode)
    content = real.read_bytes() if regular else b""
    listed = tuple((str(f), stat.S_IMODE(f.stat().st_mode), frozenset(os.listdir(f))) for f in folders)
    if st is None:
        return State(link, False, False, 0, (-1, -1), b"", listed)
    return State(link, True, regular, stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid), content, listed)


def make(output: Output, root: Path) -> Made:
    """Make ``output`` under the empty folder ``root``."""
    folder, elsewhere = root / "out", root / "elsewhere"
    folder.mkdir(mode=WRITABLE_FOLDER)
    elsewhere.mkdir(mode=WRITABLE_FOLDER)
    s = output.suffix
    path = real = folder / f"old{s}"
    if output.kind == "new":
        path = real = folder / f"new{s}"
    elif output.kind in ("symlink", "dangling symlink"):
        path = folder / f"link{s}"
        real = elsewhere / (f"real{s}" if output.kind == "symlink" else f"missing{s}")
        path.symlink_to(os.path.relpath(real, folder))
    if output.kind not in ("new", "dangling symlink"):
        real.write_bytes(output.content)
        real.chmod(output.mode)
        if output.kind == "other owner" and os.geteuid() == 0:
            os.chown(real, *OTHER_OWNER)
    if output.kind == "read-only folder":
        folder.chmod(0o555)
    folders = (folder, elsewhere)
    return Made(output, path, real, folders, state(path, real, folders))


def clean_up(root: Path) -> None:
    """Remove ``root`` whatever a case left there (read-only folders made writable first)."""
    for folder, dirs, _ in os.walk(root):
        for d in dirs:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(folder, d), WRITABLE_FOLDER)
    shutil.rmtree(root, ignore_errors=True)


def new_file_mode() -> int:
    """The mode a new file gets: 0666 less the umask (read without changing it on Linux)."""
    with contextlib.suppress(OSError, StopIteration, ValueError):
        line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("Umask:"))
        return 0o666 & ~int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def check(made: Made, raised: BaseException | None) -> list[str]:
    """What the case (which raised ``raised``, or None) did to its output against the rules above."""
    before, after, out = made.before, state(made.path, made.real, made.folders), made.output
    problems: list[str] = []
    if after.link != before.link:
        now = "a plain file" if after.link is None else f"a link to {after.link!r}"
        problems.append(f"the symbolic link to {before.link!r} became {now}")
    if before.exists:
        if not after.regular:
            problems.append("the file was removed or is no longer a regular file")
        else:
            if after.mode != before.mode:
                problems.append(f"mode {oct(before.mode)[2:]} became {oct(after.mode)[2:]}")
            if after.owner != before.owner:
                problems.append(f"owner {before.owner} became {after.owner}")
            if after.content != before.content and (raised is not None or out.read_only):
                problems.append("a read-only file was rewritten" if out.read_only else "a failed call changed the file")
        if out.read_only and out.must_write and raised is None:
            problems.append("a write to a read-only file was not refused")
    elif after.exists and raised is not None:
        problems.append("a failed call left a new file")
    elif raised is None:
        if not after.regular:
            problems.append("the new file was not written")
        elif after.mode != new_file_mode() or after.owner != (os.geteuid(), os.getegid()):
            problems.append(f"the new file has mode {oct(after.mode)[2:]} and owner {after.owner}")
    for (name, mode, entries), (_, mode_after, entries_after) in zip(before.folders, after.folders, strict=True):
        extra = sorted(entries_after - entries - {made.real.name})
        if extra:
            problems.append(f"left behind in {Path(name).name}/: {extra[:3]}")
        if mode_after != mode:
            problems.append(f"the folder {Path(name).name}/ changed mode {oct(mode)[2:]} to {oct(mode_after)[2:]}")
    return problems
