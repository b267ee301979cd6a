"""On-disk cache of converted melodies: one ``.npz`` entry per source file and key, checked on load.

Parsing scores with music21 is slow, so each source file is converted once and stored as int32 note
columns plus JSON metadata. An entry's file name carries a key: a hash of the source file's bytes and
of the versions that shape the result (this format and jupymuse's conversion, music21, the grid).
Environments with their own copy of music21 therefore share an entry when content and versions agree
and keep separate entries when they differ: none overwrites another's valid entry, and modification
times do not matter. An entry that does not load, whose header differs or whose checksum fails is
rebuilt. Entries are written by jupymuse's one atomic writer (:func:`jupymuse.files.write_atomically`:
temporary file, fsync, then one rename), so concurrent processes and interrupted conversions never
leave a half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..files import write_atomically
from ..music import Melody

CACHE_VERSION = 5  # 2: pickups start where they sound; 3: keyed by content and versions; 4: ties; 5: modal keys
"""Bump when the conversion or this format changes: old entries are then ignored and rebuilt."""
_COLUMNS = ("pitch", "start", "duration", "velocity")
STALE_TEMP_SECONDS = 86_400
"""A temporary file (or the writer's temporary folder) this old is a leftover of a killed process, not a
write in progress."""


@dataclass
class ConvertedFile:
    """One source file's melodies, and the tunes in it that could not be converted.

    A collection file holds many tunes (O'Neill's files hold 14-100): one tune in a meter jupymuse
    cannot write loses that tune, named in ``lost`` as ``(tune, reason)``, never the whole file.
    """

    melodies: list[Melody]
    lost: list[tuple[str, str]] = field(default_factory=list)


def cache_root() -> Path:
    """The cache folder: ``$JUPYMUSE_CACHE_DIR`` if set, else the user cache dir (platformdirs)."""
    env = os.environ.get("JUPYMUSE_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("jupymuse", appauthor=False))


def entry_key(content: bytes, versions: Mapping[str, Any]) -> str:
    """The key of a source file's entry: a hash of its bytes and of ``versions`` (what shapes the result)."""
    digest = hashlib.sha256(json.dumps(dict(versions), sort_keys=True).encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()[:20]


def cannot_write(folder: Path) -> str | None:
    """Why no entry can be written in ``folder`` (created if missing), or None when one can.

    Also removes temporary files and folders (``*.tmp``) that a killed process left there more than a
    day ago.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        return os_reason(exc)
    for old in folder.glob("*.tmp"):
        try:
            if time.time() - old.lstat().st_mtime > STALE_TEMP_SECONDS:
                if old.is_dir() and not old.is_symlink():
                    shutil.rmtree(old)
                else:
                    old.unlink()
        except OSError:  # another process removed or replaced it: fine
            pass
    return None


def os_reason(exc: OSError) -> str:
    """A short reason for a failed file operation: ``Permission denied: '/path'``."""
    if not exc.strerror:
        return str(exc)
    return f"{exc.strerror}: '{exc.filename}'" if exc.filename else exc.strerror


def melody_record(m: Melody) -> dict[str, Any]:
    """Everything about ``m`` except its notes, as JSON-ready values (also the worker's wire format)."""
    return {
        "spq": m.steps_per_quarter,
        "tempo": m.tempo,
        "ts": list(m.time_signature),
        "key": str(m.key) if m.key is not None else None,  # its name: Melody reads it back
        "meta": dict(m.meta),
    }


def melody_from_record(item: Mapping[str, Any], notes: Sequence[Sequence[int]]) -> Melody:
    """The melody that :func:`melody_record` and ``notes`` (pitch, start, duration, velocity) describe."""
    return Melody(
        [tuple(n) for n in notes],
        steps_per_quarter=item["spq"],
        tempo=item["tempo"],
        time_signature=tuple(item["ts"]),
        key=item["key"],
        meta=item["meta"],
    )


def _checksum(arrays: dict[str, np.ndarray], meta_json: bytes, lost: list[list[str]]) -> int:
    crc = zlib.crc32(meta_json + (json.dumps(lost).encode() if lost else b""))  # entries with none: as before
    for name in (*_COLUMNS, "offsets"):
        crc = zlib.crc32(np.ascontiguousarray(arrays[name]).tobytes(), crc)
    return crc


def write_melodies(path: Path, converted: ConvertedFile, header: dict[str, Any]) -> None:
    """Store a file's ``converted`` melodies (and lost tunes) with ``header`` (what makes the entry
    valid) at ``path``, atomically.

    Raises:
        OSError: the entry could not be written (an ``OutputError`` naming it and the reason, or a folder
            that cannot be made); nothing is left behind then.
    """
    melodies = converted.melodies
    cols = [m.to_arrays() for m in melodies]
    arrays = {
        name: np.concatenate([c[name] for c in cols]).astype(np.int32) if cols else np.zeros(0, np.int32)
        for name in _COLUMNS
    }
    arrays["offsets"] = np.cumsum([0] + [len(m) for m in melodies]).astype(np.int64)
    meta_json = json.dumps([melody_record(m) for m in melodies]).encode()
    lost = [[tune, reason] for tune, reason in converted.lost]
    head = dict(header, lost=lost, checksum=_checksum(arrays, meta_json, lost))
    arrays["meta"] = np.frombuffer(meta_json, dtype=np.uint8)
    arrays["header"] = np.frombuffer(json.dumps(head).encode(), dtype=np.uint8)

    def write(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            np.savez(fh, allow_pickle=False, **arrays)

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, write)


def read_melodies(path: Path, header: dict[str, Any]) -> ConvertedFile | None:
    """The file's melodies (and lost tunes) cached at ``path`` if it is intact and its header matches;
    else ``None``.

    Only a regular file is opened: a FIFO, a device or a folder in its place is a miss, never a wait.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with np.load(path, allow_pickle=False) as data:
            head = json.loads(bytes(data["header"]).decode())
            if any(head.get(k) != v for k, v in header.items()):
                return None
            arrays = {name: data[name] for name in (*_COLUMNS, "offsets")}
            meta_json = bytes(data["meta"])
        lost = head.get("lost", [])
        if head.get("checksum") != _checksum(arrays, meta_json, lost):
            return None
        info = json.loads(meta_json.decode())
        offsets = arrays["offsets"].tolist()
        cols = [arrays[c].tolist() for c in _COLUMNS]
        melodies = []
        for i, item in enumerate(info):
            a, b = offsets[i], offsets[i + 1]
            melodies.append(melody_from_record(item, list(zip(*(c[a:b] for c in cols), strict=True))))
        return ConvertedFile(melodies, [(str(tune), str(reason)) for tune, reason in lost])
    except Exception:  # missing, unreadable, or any damage (bad zip, bad JSON, missing key, wrong length)
        return None
