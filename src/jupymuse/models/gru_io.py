"""The GRU's model file: one ``.keras`` archive with ``jupymuse.json`` inside.

Keras writes the network (``config.json`` and ``model.weights.h5``, no pickle); jupymuse adds its
own settings (the header of :mod:`jupymuse.models.formats`, ``GRUConfig``, seed, training history)
as ``jupymuse.json`` in the same zip, so a model is one file. Writing goes through a temporary file
and a rename. Reading checks the archive and every field of our JSON against limits first, then reads
the weights with h5py at the places our settings say (Keras's ``config.json`` is never used), so
loading a model needs no TensorFlow.
This module reads and writes what a file holds (:class:`SavedGRU`); ``GRUModel.load`` builds the model.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelError, ModelFileError
from .formats import GRU_FILE, MB, Fields, check_header, read_json, read_sampling
from .gru_config import GRUConfig, read_config
from .gru_weights import weight_layout
from .sampling_settings import SamplingSettings
from .storage import atomic_write
from .tfimport import ensure_tensorflow

if TYPE_CHECKING:
    import keras
    import numpy as np

SETTINGS_NAME = "jupymuse.json"
"""The archive member with jupymuse's header and settings."""
WEIGHTS_NAME = "model.weights.h5"
"""The archive member with the network's weights (written by Keras)."""

MAX_ARCHIVE_BYTES = 512 * MB
"""The largest ``.keras`` file read (the largest network allowed takes 200 MB)."""
MAX_MEMBERS = 64
"""The most files an archive may hold (Keras writes three, jupymuse one)."""
MAX_UNPACKED_BYTES = 1024 * MB
"""The most all members together may unpack to."""
MAX_SETTINGS_BYTES = 16 * MB
"""The most ``jupymuse.json`` may unpack to."""
WEIGHTS_FILE_SLACK = 16 * MB
"""HDF5's own bytes allowed in the weights file beyond 8 bytes a weight."""
MAX_H5_OBJECTS = 4096
"""The most groups and datasets the weights file may hold (a one-layer network has about 60)."""
MAX_SEED = 2**32 - 1
"""The largest seed (``build_network`` seeds its initialisers from ``seed * 100``)."""
MAX_HISTORY_ROWS = 100_000
"""The most epochs of training history a file may record."""
HISTORY_FIELDS = ("epoch", "loss_bits", "val_bits", "val_pitch_bits", "seconds")
"""The figures a row of training history may hold."""
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError)
"""What ``zipfile`` raises for a damaged, encrypted or strangely compressed archive."""


@dataclass(frozen=True)
class SavedGRU:
    """What a GRU model file holds."""

    config: GRUConfig
    seed: int
    weights: list[np.ndarray]
    """The network's weights, in the order of ``keras.Model.get_weights()``."""
    history: list[dict[str, float]]
    """The per-epoch rows of ``TrainingHistory.epochs``."""
    sampling: SamplingSettings = field(default_factory=SamplingSettings)
    """The recommended settings to compose with (as trained in files that do not say)."""


def write_gru(
    target: Path,
    network: keras.Model,
    *,
    config: GRUConfig,
    seed: int,
    history: list[dict[str, float]],
    sampling: SamplingSettings | None = None,
) -> Path:
    """Write ``network`` and jupymuse's settings to ``target`` (a ``.keras`` path) atomically."""
    ensure_tensorflow()
    import keras

    if target.suffix != ".keras":
        raise ModelError(f"a GRU model is saved as a .keras file (e.g. 'my_model.keras'), not '{target.name}'")
    meta = {**GRU_FILE.header(), "config": config.to_dict(), "seed": seed, "history": history}
    meta["sampling"] = (sampling or SamplingSettings()).to_dict()

    def write(tmp: Path) -> None:
        keras.saving.save_model(network, tmp)
        with zipfile.ZipFile(tmp, "a") as zf:
            zf.writestr(SETTINGS_NAME, json.dumps(meta))

    return atomic_write(target, write)


def read_gru(p: Path, *, weights: bool = True) -> SavedGRU:
    """Read a file written by :func:`write_gru`; every failure is a ``ModelFileError``.

    The archive and ``jupymuse.json`` are checked against their limits first (sizes, member count,
    every field's type and range); only then are the weights read where a network built from our
    settings keeps them (never from the archive's Keras ``config.json``); they must fit it and be
    finite. No TensorFlow either way; ``weights=False`` reads the settings alone (``SavedGRU.weights``
    is empty).
    """
    if not p.is_file():
        raise ModelFileError(f"there is no model file at '{p}'")
    source = f"'{p}'"
    if p.stat().st_size > MAX_ARCHIVE_BYTES:
        raise ModelFileError(f"{source} is too large for a GRU model file (the limit is {MAX_ARCHIVE_BYTES // MB} MB)")
    try:
        with zipfile.ZipFile(p) as zf:
            members = _members(zf, source)
            meta = read_json(_read_member(zf, members[SETTINGS_NAME], MAX_SETTINGS_BYTES), source, MAX_SETTINGS_BYTES)
            check_header(p, meta, GRU_FILE)
            config, seed, history = _read_settings(Fields(meta, source))
            sampling = read_sampling(Fields(meta, source), styles=config.styles, can_end=config.end_event)
            values = _read_weights(zf, members[WEIGHTS_NAME], config, source) if weights else []
    except _ZIP_ERRORS:
        raise ModelFileError(f"{source} is damaged or is not a jupymuse GRU model (.keras) file") from None
    return SavedGRU(config, seed, values, history, sampling)


def _members(zf: zipfile.ZipFile, source: str) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by name, after checking their number and declared sizes."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ModelFileError(f"{source} is damaged: it holds {len(infos):,} files, over the limit of {MAX_MEMBERS}")
    members = {info.filename: info for info in infos}
    for name in (SETTINGS_NAME, WEIGHTS_NAME):
        if name not in members:
            raise ModelFileError(f"{source} is damaged or is not a jupymuse GRU model (.keras) file: no {name}")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise ModelFileError(
            f"{source} is damaged: it unpacks to {total / MB:,.0f} MB, over the limit of {MAX_UNPACKED_BYTES // MB} MB"
        )
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The bytes of one member, refused before reading when it unpacks to more than ``limit``."""
    if info.file_size > limit:
        raise ModelFileError(
            f"'{zf.filename}' is damaged: its {info.filename} unpacks to {info.file_size / MB:,.1f} MB, "
            f"over the limit of {limit / MB:,.0f} MB"
        )
    with zf.open(info) as fh:  # reads at most file_size bytes, and checks the CRC at the end
        return fh.read(info.file_size)


def _read_settings(f: Fields) -> tuple[GRUConfig, int, list[dict[str, float]]]:
    """``config``, ``seed`` and ``history`` from ``jupymuse.json``, every field checked."""
    f.only(["format", "version", "config", "seed", "history", "sampling"])
    config = read_config(Fields(f.get("config"), f.source, "config"))
    seed = f.integer("seed", 0, MAX_SEED) if "seed" in f.data else 0
    history: list[dict[str, float]] = []
    if "history" in f.data:
        rows = f.array("history", 0, MAX_HISTORY_ROWS)
        for i in range(len(rows.data)):
            row = Fields(rows.get(i), f.source, rows.name(i))
            row.only(HISTORY_FIELDS)  # also refuses a row that is not an object
            history.append({key: _figure(row, key) for key in row.data})
    return config, seed, history


def _figure(row: Fields, key: str) -> float:
    """One figure of a history row: any number (NaN and infinity included: a diverged epoch is history)."""
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        row.fail(key, "a number", value)
    return value


def _read_weights(zf: zipfile.ZipFile, info: zipfile.ZipInfo, config: GRUConfig, source: str) -> list[np.ndarray]:
    """The weights in the archive, read with h5py at the places a network built from ``config`` keeps them.

    No TensorFlow: :func:`~jupymuse.models.gru_weights.weight_layout` says where each weight is and its
    shape; each must be there, of that shape, and finite.
    """
    import h5py
    import numpy as np

    n_weights = config.weight_count()
    with tempfile.TemporaryDirectory() as tmp:
        h5 = Path(tmp) / WEIGHTS_NAME
        h5.write_bytes(_read_member(zf, info, 8 * n_weights + WEIGHTS_FILE_SLACK))
        _check_h5(h5, n_weights, source)
        try:
            with h5py.File(h5, "r") as f:
                stored = [(role, path, shape, f.get(path)) for role, path, shape in weight_layout(config)]
                for role, path, shape, data in stored:
                    if not isinstance(data, h5py.Dataset) or data.shape != shape:
                        where = f"{role} should be {path}, {shape}"
                        raise ModelFileError(f"{source} is damaged: its weights do not fit its network ({where})")
                weights = [np.asarray(data[()], np.float32) for *_, data in stored]
        except ModelFileError:
            raise
        except Exception as exc:  # h5py's own errors for a damaged chunk or filter
            raise ModelFileError(f"{source} is damaged: its weights cannot be read ({type(exc).__name__})") from None
    for (role, *_), w in zip(weight_layout(config), weights, strict=True):
        if not np.isfinite(w).all():
            raise ModelFileError(
                f"{source} is damaged: the weights of '{role}' are not all finite numbers (NaN or infinity)"
            )
    return weights


def _check_h5(h5: Path, n_weights: int, source: str) -> None:
    """Refuse a weights file that is not plain HDF5 holding exactly ``n_weights`` float numbers."""
    import h5py

    problems: list[str] = []
    sizes: list[int] = []
    seen = [0]

    def visit(name: str, link: object) -> object:
        seen[0] += 1
        if not isinstance(link, h5py.HardLink):
            problems.append(f"'{name}' is a link to elsewhere")
        elif isinstance(obj := f[name], h5py.Dataset):
            if obj.dtype.kind != "f" or obj.external or obj.is_virtual:
                problems.append(f"'{name}' is not stored numbers")
            sizes.append(int(obj.size or 0))
        if seen[0] > MAX_H5_OBJECTS or problems or sum(sizes) > n_weights:
            return True  # stop early
        return None

    try:
        with h5py.File(h5, "r") as f:
            f.visititems_links(visit)
    except Exception as exc:
        raise ModelFileError(f"{source} is damaged: its weights file cannot be read ({type(exc).__name__})") from None
    if problems:
        raise ModelFileError(f"{source} is damaged: in its weights, {problems[0]}")
    if seen[0] > MAX_H5_OBJECTS:
        raise ModelFileError(f"{source} is damaged: its weights file holds over {MAX_H5_OBJECTS:,} objects")
    if sum(sizes) != n_weights:
        held = f"{sum(sizes):,}" if sum(sizes) < n_weights else "more"
        raise ModelFileError(
            f"{source} does not match its own settings: the network has the wrong shape "
            f"(its settings make {n_weights:,} weights, its weights file holds {held})"
        )
