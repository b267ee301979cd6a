"""Damage inside a ``.keras`` archive's ``model.weights.h5`` (issue 21: not only the zip container).

Used by the ``models`` target. Each mutation changes the HDF5 file ``read_gru`` reads with h5py:
bits flipped in the weights' numbers or in the file's own structure (headers, B-trees, heaps), the
file cut; a weight set to NaN, infinity or a huge finite number (3e38, or the whole matrix times
1e30); a dataset of another dtype (float64, float16, integers, booleans, complex, text), shape
(transposed, flattened, an axis more, a scalar, empty), removed, renamed or doubled by a hard link;
extra datasets, groups and a 60 KB attribute; soft, dangling and external links; chunked storage with
gzip, lzf, shuffle, scale-offset or a Fletcher-32 checksum that no longer matches; data stored in
another file (external storage, a virtual dataset); a 4 GB compressed bomb.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import h5py  # type: ignore[import-untyped]
import numpy as np


def datasets(f: Any) -> list[str]:
    """The names of the datasets in the open HDF5 file ``f``."""
    names: list[str] = []
    f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    return names


def data_regions(raw: bytes) -> list[tuple[int, int]]:
    """(offset, size) of each contiguous dataset's numbers in the HDF5 file ``raw``."""
    with tempfile.TemporaryDirectory() as tmp:
        h5 = Path(tmp) / "w.h5"
        h5.write_bytes(raw)
        with h5py.File(h5, "r") as f:
            found = [(f[n].id.get_offset(), f[n].id.get_storage_size()) for n in datasets(f)]
    return [(o, s) for o, s in found if o is not None and s]


def flip_bytes(rng: random.Random, raw: bytes) -> tuple[str, bytes]:
    """Bits flipped in the numbers, in the structure around them, or the file cut short."""
    out = bytearray(raw)
    regions = data_regions(raw)
    where = rng.randrange(3)
    if where == 0 and regions:
        offset, size = rng.choice(regions)
        for _ in range(rng.randint(1, 20)):
            out[offset + rng.randrange(size)] ^= 1 << rng.randrange(8)
        return "weights: bits flipped in the numbers", bytes(out)
    if where == 1:
        inside = [range(o, o + s) for o, s in regions]
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(out))
            if not any(at in r for r in inside):
                out[at] ^= 1 << rng.randrange(8)
        return "weights: bits flipped in the file's structure", bytes(out)
    n = rng.randrange(len(raw))
    return f"weights: cut to {n} bytes", bytes(out[:n])


def _replace(f: Any, name: str, **kwargs: Any) -> None:
    del f[name]
    f.create_dataset(name, **kwargs)


def change_dataset(rng: random.Random, f: Any, name: str) -> str:
    """Change dataset ``name`` of the open file ``f`` (or the file around it); what was done."""
    data = f[name][...]
    how = rng.randrange(14)
    if how == 0:
        value = rng.choice([np.nan, np.inf, -np.inf])
        data.flat[rng.randrange(data.size)] = value
        f[name][...] = data
        return f"{name} gets {value}"
    if how == 1:
        big = rng.choice([3e38, -3e38, 1e30, 1e20])
        if rng.random() < 0.5:
            data.flat[rng.randrange(data.size)] = big
        else:
            data = (data * 1e30).astype(np.float32)
        f[name][...] = data
        return f"{name} gets huge finite numbers"
    if how == 2:
        dtype = rng.choice(["f8", "f2", "i4", "i1", "?", "c8", "u8"])
        _replace(f, name, data=data.astype(dtype))
        return f"{name} stored as {dtype}"
    if how == 3:
        shape = rng.choice([data.T.shape, (data.size,), (*data.shape, 1), (), (0,)])
        _replace(f, name, data=np.zeros(shape, np.float32) if shape in ((), (0,)) else data.reshape(shape))
        return f"{name} shaped {shape}"
    if how == 4:
        del f[name]
        return f"{name} removed"
    if how == 5:
        f.move(name, name + "_moved")
        return f"{name} renamed"
    if how == 6:
        other = rng.choice([n for n in datasets(f) if n != name])
        del f[name]
        f[name] = f[other]  # a second hard link to another dataset
        return f"{name} a hard link to {other}"
    if how == 7:
        extra = rng.choice(["layers/extra/vars/0", "extra", "layers/dense/vars/9"])
        f.create_dataset(extra, data=np.zeros(rng.choice([1, 100, 10_000]), np.float32))
        return f"extra dataset {extra}"
    if how == 8:
        f.require_group(rng.choice(["layers/empty", "a/b/c/d/e/f/g"]))
        f[name].attrs["junk"] = np.zeros(rng.choice([10, 15_000]), np.float32)  # 60 KB: the most a header holds
        return "extra group and attribute"
    if how == 9:
        target = rng.choice([h5py.SoftLink("/layers/dense/vars/0"), h5py.SoftLink("/nowhere"),
                             h5py.ExternalLink("/etc/passwd", "/"), h5py.ExternalLink("other.h5", "/x")])  # fmt: skip
        del f[name]
        f[name] = target
        return f"{name} a {type(target).__name__}"
    if how == 10:
        filters: dict[str, Any] = rng.choice([{"compression": "gzip"}, {"compression": "lzf"}, {"shuffle": True},
                                              {"scaleoffset": 4}, {"fletcher32": True}])  # fmt: skip
        _replace(f, name, data=data, chunks=True, **filters)
        return f"{name} stored with {filters}"
    if how == 11:
        _replace(f, name, data=data, chunks=True, fletcher32=True)
        return f"{name} checksummed (then damaged)"  # see damage_checksum
    if how == 12:
        del f[name]
        if rng.random() < 0.5:
            f.create_dataset(name, shape=data.shape, dtype="f4", external=[("/etc/hostname", 0, h5py.h5f.UNLIMITED)])
            return f"{name} stored in /etc/hostname"
        layout = h5py.VirtualLayout(shape=data.shape, dtype="f4")
        layout[...] = h5py.VirtualSource("other.h5", "x", shape=data.shape)
        f.create_virtual_dataset(name, layout, fillvalue=0)
        return f"{name} a virtual dataset"
    del f[name]
    f.create_dataset(name, shape=(100_000, 10_000), dtype="f4", compression="gzip", chunks=(1000, 1000))
    return f"{name} a 4 GB compressed bomb"


def mutate_h5(rng: random.Random, raw: bytes) -> tuple[str, bytes]:
    """One mutation of the weights file ``raw``: its label and the new bytes."""
    if rng.random() < 0.3:
        return flip_bytes(rng, raw)
    with tempfile.TemporaryDirectory() as tmp:
        h5 = Path(tmp) / "w.h5"
        h5.write_bytes(raw)
        with h5py.File(h5, "r+") as f:
            name = rng.choice(datasets(f))
            label = change_dataset(rng, f, name)
        out = h5.read_bytes()
        if label.endswith("(then damaged)"):
            out = damage_checksum(rng, out)
    return f"weights: {label}", out


def damage_checksum(rng: random.Random, raw: bytes) -> bytes:
    """``raw`` with a bit flipped in one chunk of a checksummed dataset (its Fletcher-32 no longer matches)."""
    out = bytearray(raw)
    with tempfile.TemporaryDirectory() as tmp:
        h5 = Path(tmp) / "w.h5"
        h5.write_bytes(raw)
        with h5py.File(h5, "r") as f:
            chunks = []
            for n in datasets(f):
                d = f[n]
                if d.chunks is not None and d.fletcher32:
                    chunks += [d.id.get_chunk_info(i) for i in range(d.id.get_num_chunks())]
    if chunks:
        info = rng.choice(chunks)
        out[info.byte_offset + rng.randrange(max(1, info.size - 4))] ^= 1 << rng.randrange(8)
    return bytes(out)
