"""On-disk cache of converted melodies: one ``.npz`` file per source file, checked on load.

Parsing scores with music21 is slow (~0.1 s a chorale), so each source file is converted once and
stored as int32 note columns plus JSON metadata. A cache file records the cache format version, the
source file's size and modification time and the music21 version; if any differ (stale) or the file
does not load or its checksum fails (corrupt), the caller rebuilds it. Writes are atomic (temporary
file, then rename), so an interrupted conversion never leaves a half-written cache.
"""

from __future__ import annotations

import json
import os
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..music import Melody

CACHE_VERSION = 2  # 2: pickup bars start where they sound
"""Bump when the conversion or this format changes: old caches are then ignored and rebuilt."""
_COLUMNS = ("pitch", "start", "duration", "velocity")


def cache_root() -> Path:
    """The cache folder: ``$JUPYMUSE_CACHE_DIR`` if set, else the user cache dir (platformdirs)."""
    env = os.environ.get("JUPYMUSE_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("jupymuse", appauthor=False))


def _checksum(arrays: dict[str, np.ndarray], meta_json: bytes) -> int:
    crc = zlib.crc32(meta_json)
    for name in (*_COLUMNS, "offsets"):
        crc = zlib.crc32(np.ascontiguousarray(arrays[name]).tobytes(), crc)
    return crc


def write_melodies(path: Path, melodies: Sequence[Melody], header: dict[str, Any]) -> None:
    """Store ``melodies`` with ``header`` (what makes the cache valid) at ``path``, atomically."""
    cols = [m.to_arrays() for m in melodies]
    arrays = {
        name: np.concatenate([c[name] for c in cols]).astype(np.int32) if cols else np.zeros(0, np.int32)
        for name in _COLUMNS
    }
    arrays["offsets"] = np.cumsum([0] + [len(m) for m in melodies]).astype(np.int64)
    info = [
        {
            "spq": m.steps_per_quarter,
            "tempo": m.tempo,
            "ts": list(m.time_signature),
            "key": m.key,
            "meta": dict(m.meta),
        }
        for m in melodies
    ]
    meta_json = json.dumps(info).encode()
    head = dict(header, checksum=_checksum(arrays, meta_json))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            arrays["meta"] = np.frombuffer(meta_json, dtype=np.uint8)
            arrays["header"] = np.frombuffer(json.dumps(head).encode(), dtype=np.uint8)
            np.savez(fh, allow_pickle=False, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_melodies(path: Path, header: dict[str, Any]) -> list[Melody] | None:
    """The melodies cached at ``path`` if it is intact and its header matches; else ``None``."""
    try:
        with np.load(path, allow_pickle=False) as data:
            head = json.loads(bytes(data["header"]).decode())
            if any(head.get(k) != v for k, v in header.items()):
                return None
            arrays = {name: data[name] for name in (*_COLUMNS, "offsets")}
            meta_json = bytes(data["meta"])
        if head.get("checksum") != _checksum(arrays, meta_json):
            return None
        info = json.loads(meta_json.decode())
        offsets = arrays["offsets"].tolist()
        cols = [arrays[c].tolist() for c in _COLUMNS]
        melodies = []
        for i, item in enumerate(info):
            a, b = offsets[i], offsets[i + 1]
            notes = list(zip(cols[0][a:b], cols[1][a:b], cols[2][a:b], cols[3][a:b], strict=True))
            melodies.append(
                Melody(
                    notes,
                    steps_per_quarter=item["spq"],
                    tempo=item["tempo"],
                    time_signature=tuple(item["ts"]),
                    key=item["key"],
                    meta=item["meta"],
                )
            )
        return melodies
    except FileNotFoundError:
        return None
    except Exception:  # any damage (bad zip, bad JSON, missing key, wrong length): rebuild
        return None
