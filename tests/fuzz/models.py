"""Fuzz target ``models``: mutated model files through ``load_model``, and the loaded model used.

Inputs start from real files: the shipped GRU (``jupymuse/data/default.keras``) and two small fitted
Markov chains saved to JSON (note and pitch context). Mutations: fields of the JSON set to hostile
values (the issue's ``seed`` "abc"/null/NaN/2**100, ``history: 5``, ``layers: 1000``, fractional
``min_pitch``, 5,000-digit integers, ``hidden_units: 100000``, negative and 1e300 counts, ...), keys
dropped or added, nesting 100,000 deep, the text truncated or bit-flipped; for the ``.keras`` zip
also truncation, bit flips, missing and extra members, zip bombs (honest and lying sizes) and
damage inside the weights file (``_weights.py``: bits flipped in numbers and structure, dtypes,
shapes, missing, extra and linked datasets, filters, external storage, huge finite weights); the
style fields (``config.styles``, ``style_size``, ``end_event``) and the recommended settings
(``sampling``: style, ending, bars, length, ...). A file that loads must score a melody with finite
numbers and compose with its own recommended settings; a Markov chain that loads is saved again over a
random output (``_outputs.py``) and must load as the same chain.
"""

from __future__ import annotations

import atexit
import copy
import functools
import io
import json
import math
import random
import shutil
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from jupymuse import JupymuseError, MarkovModel, Melody
from jupymuse.models import load_model
from jupymuse.models.default import default_model_path

from . import _outputs
from ._weights import mutate_h5
from .harness import Case
from .mutate import Mutation, mutate_bytes

NAME = "models"
EXPECTED: tuple[type[BaseException], ...] = (JupymuseError,)

BIG = "@@BIG@@"  # placeholders for what json.dumps cannot write: a 5,000-digit integer, deep nesting
DEEP = "@@DEEP@@"
VALUES: list[Any] = [
    "abc", None, math.nan, math.inf, -math.inf, 2**100, BIG, -1, 0, 1.5, 1e300, -1e300, True, [], {},
    DEEP, 100000, 5, "x" * 100_000, [0] * 50_000, 36.5, 2**63, -(2**63), 1000, [[[1]]], {"a": 1},
]  # fmt: skip
GRU_FIELDS: list[tuple[str, ...]] = [
    ("seed",), ("history",), ("config",), ("config", "layers"), ("config", "hidden_units"),
    ("config", "embedding_size"), ("config", "duration_units"), ("config", "dropout"), ("config", "max_len"),
    ("config", "steps_per_quarter"), ("config", "tokens"), ("config", "tokens", "min_pitch"),
    ("config", "tokens", "max_pitch"), ("config", "tokens", "durations"), ("config", "tokens", "max_position"),
    ("format",), ("version",), ("config", "styles"), ("config", "style_size"), ("config", "end_event"),
    ("sampling",), ("sampling", "style"), ("sampling", "ending"), ("sampling", "bars"), ("sampling", "length"),
    ("sampling", "temperature"), ("sampling", "top_k"), ("sampling", "top_p"), ("sampling", "pitch_range"),
    ("sampling", "scale"), ("sampling", "key_lock"), ("sampling", "duration_temperature"),
]  # fmt: skip
STYLE_VALUES: dict[tuple[str, ...], list[Any]] = {
    ("config", "styles"): [
        ["chorale", "chorale", "german", "irish"], ["a", "b", "c"], ["a", "b", "c", "d", "e"], [], ["", "", "", ""],
        ["x" * 1000, "b", "c", "d"], [1, 2, 3, 4], ["\ud800", "b", "c", "d"], ["Irish", "irish", "IRISH", "i"],
        [f"s{i}" for i in range(10_000)], "chorale", None, [["a"], "b", "c", "d"],
    ],
    ("config", "style_size"): [0, 1, 15, 17, 10_000, -16, 16.5, None, "16"],
    ("config", "end_event"): [False, 0, 1, None, "true"],
    ("sampling", "style"): [
        "irish", "Irish", "folk", "", {"irish": 1e308, "chorale": 1e308}, {"irish": BIG}, {"folk": 1}, {"irish": -1},
        {}, {"irish": 0, "chorale": 0}, {"irish": None}, ["irish"], {"chorale": 0.5, "german": 0.5},
    ],
    ("sampling", "ending"): ["model", "cadence", "Cadence", "", None, 5],
    ("sampling", "bars"): [1, 4, 512, 513, 0, 1.5, True],
    ("sampling", "length"): [0, 1, 8192, 8193, -1, 2.5],
}  # fmt: skip
"""Values for the style fields and recommended settings (beside ``VALUES``): what a hand-edited or
foreign file might hold there."""
MARKOV_FIELDS: list[tuple[str, ...]] = [
    ("order",), ("context",), ("steps_per_quarter",), ("n_events",), ("pitches",), ("durations",),
    ("pitch_counts",), ("duration_counts",), ("format",), ("version",),
]  # fmt: skip
MELODY = "C4:4 D4:4 E4:2 r:2 G4:8 F#4:3 B3:1"


# ---------------------------------------------------------------------- the real files mutated
@functools.cache
def markov_docs() -> list[dict[str, Any]]:
    """Two small fitted Markov chains as saved (note context order 2, pitch context order 1)."""
    tunes = [Melody.from_notation(t) for t in ("C4:4 D4:4 E4:4 C4:4 r:4 G4:8", "E4:2 F4:2 G4:4 A4:4 G4:8 r:2")]
    return [MarkovModel(2).fit(tunes).to_dict(), MarkovModel(1, context="pitch").fit(tunes).to_dict()]


@functools.cache
def gru_file() -> bytes:
    """The shipped GRU's ``.keras`` bytes."""
    return default_model_path().read_bytes()


@functools.cache
def gru_meta() -> dict[str, Any]:
    """The shipped GRU's ``jupymuse.json``."""
    with zipfile.ZipFile(io.BytesIO(gru_file())) as zf:
        meta: dict[str, Any] = json.loads(zf.read("jupymuse.json"))
    return meta


# ---------------------------------------------------------------------- JSON mutations
def dumps(doc: Any) -> bytes:
    """JSON text of ``doc``, with the placeholders turned into what ``json.dumps`` cannot write."""
    text = json.dumps(doc)
    text = text.replace(json.dumps(BIG), "9" * 5000).replace(json.dumps(DEEP), "[" * 100_000 + "]" * 100_000)
    return text.encode()


def _random_path(rng: random.Random, doc: Any) -> list[Any]:
    """A path into ``doc``: down from the root, stopping at random or at a leaf."""
    path: list[Any] = []
    node = doc
    while isinstance(node, dict | list) and node and (not path or rng.random() < 0.7):
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append(key)
        node = node[key]
    return path


def _set(doc: Any, path: list[Any] | tuple[Any, ...], value: Any) -> None:
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _exists(doc: Any, path: tuple[Any, ...]) -> bool:
    node = doc
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def mutate_doc(rng: random.Random, doc: Any, fields: list[tuple[str, ...]]) -> tuple[str, bytes]:
    """One mutation of the JSON document ``doc`` (not changed): its label and the JSON text."""
    doc = copy.deepcopy(doc)
    how = rng.randrange(9)
    value = rng.choice(VALUES)
    if how <= 2:  # a named field set to a hostile value
        styled = [f for f in STYLE_VALUES if _exists(doc, f)]
        if styled and rng.random() < 0.5:  # a style field or recommended setting, with a value for it
            field = rng.choice(styled)
            value = rng.choice(STYLE_VALUES[field]) if rng.random() < 0.8 else value
        else:
            field = rng.choice([f for f in fields if _exists(doc, f)])
        _set(doc, field, value)
        return f"{'.'.join(field)}={_short(value)}", dumps(doc)
    if how == 3:  # a count or symbol of a Markov table, or a history row's figure
        key = "history" if "history" in doc else rng.choice(["pitch_counts", "duration_counts"])
        rows = doc.get(key) or [[[], [[0, 0]]]]
        path: list[Any] = [key, rng.randrange(len(rows))]
        path += ["epoch"] if key == "history" else [1, 0, rng.randrange(2)]
        value = rng.choice([-1, 0, 1e300, 2**100, math.nan, -(10**12), BIG, value])
        _set(doc, path, value)
        return f"{key} item={_short(value)}", dumps(doc)
    if how == 4:  # anywhere in the tree
        path = _random_path(rng, doc)
        if not path:
            return f"whole file={_short(value)}", dumps(value)
        _set(doc, path, value)
        return f"{_short(path)}={_short(value)}", dumps(doc)
    if how == 5:  # a key dropped or an unknown one added
        path = _random_path(rng, doc)
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and path and rng.random() < 0.5:
            del parent[path[-1]]
            return f"dropped {_short(path)}", dumps(doc)
        if isinstance(parent, dict):
            parent["extra"] = value
        return f"added field under {_short(path[:-1])}", dumps(doc)
    return mutate_text(rng, dumps(doc))


_JUNK = (b"[" * 5000, b"\xff\xfe", b"NaN", b"9" * 5000, b'"\\ud800"', b"-", b"{}")
_JSON_DAMAGE: tuple[Mutation, ...] = (
    lambda rng, raw: ("wrapped 100,000 deep", b"[" * 100_000 + raw + b"]" * 100_000),
    lambda rng, raw: ("as a list", b"[" + raw + b"]"),
)
"""What only a model file's JSON meets, beside :func:`mutate.mutate_bytes`'s common damage."""


def mutate_text(rng: random.Random, raw: bytes) -> tuple[str, bytes]:
    """A byte-level mutation of a file: truncation, flipped or inserted bytes, wrapping, nothing."""
    return mutate_bytes(rng, raw, junk=_JUNK, max_flips=8, extras=_JSON_DAMAGE)


def _short(value: Any) -> str:
    names = {BIG: "a 5,000-digit integer", DEEP: "lists 100,000 deep"}
    text = names.get(value, repr(value)) if isinstance(value, str) else repr(value)
    return text if len(text) <= 30 else f"{text[:27]}..."


# ---------------------------------------------------------------------- zip mutations
def rezip(source: bytes, change: dict[str, bytes | None], *, method: int = zipfile.ZIP_STORED) -> bytes:
    """``source`` (a zip) with members replaced (or dropped, for None) and new ones added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", method) as zout:
        for name in zin.namelist():
            if name not in change:
                zout.writestr(name, zin.read(name))
        for name, data in change.items():
            if data is not None:
                zout.writestr(name, data)
    return out.getvalue()


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """``data`` (a zip) whose headers claim that ``member`` unpacks to ``size`` bytes."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
        struct.pack_into("<I", out, info.header_offset + 22, size)  # the local header
        at = data.find(b"PK\x01\x02", zf.start_dir)
        while at >= 0:  # the central directory entries
            n = struct.unpack_from("<H", data, at + 28)[0]
            if data[at + 46 : at + 46 + n] == member.encode():
                struct.pack_into("<I", out, at + 24, size)
            at = data.find(b"PK\x01\x02", at + 46)
    return bytes(out)


def mutate_weights(rng: random.Random, source: bytes) -> tuple[str, bytes]:
    """The archive with damage inside its weights file (see ``_weights.py``)."""
    with zipfile.ZipFile(io.BytesIO(source)) as zf:
        weights = zf.read("model.weights.h5")
    label, changed = mutate_h5(rng, weights)
    return label, rezip(source, {"model.weights.h5": changed})


def mutate_archive(rng: random.Random) -> tuple[str, bytes]:
    """One mutation of the shipped GRU file."""
    source = gru_file()
    how = rng.randrange(16)
    if how >= 12:  # damage inside the weights file: a quarter of the GRU cases
        return mutate_weights(rng, source)
    if how <= 4:
        label, meta = mutate_doc(rng, gru_meta(), GRU_FIELDS)
        return f"jupymuse.json {label}", rezip(source, {"jupymuse.json": meta})
    if how == 5:
        return mutate_text(rng, source)
    if how == 6:
        member = rng.choice(["jupymuse.json", "model.weights.h5", "config.json", "metadata.json"])
        return f"no {member}", rezip(source, {member: None})
    if how == 7:
        if rng.random() < 0.5:
            return "jupymuse.json a 64 MB bomb", bomb_archive()
        size = rng.choice([100, 1000, 2**32 - 1])
        return f"bomb claiming {size} bytes", lie_about_size(bomb_archive(), "jupymuse.json", size)
    if how == 8:
        extra = {f"junk/{i}": b"x" for i in range(rng.choice([10, 100, 1000]))}
        return f"{len(extra)} extra members", rezip(source, dict(extra))
    if how == 9:
        return "config.json replaced", rezip(source, {"config.json": rng.choice([b"{}", b"[", b"null", dumps(DEEP)])})
    if how == 10:
        return mutate_weights(rng, source)
    method = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
    return f"recompressed ({method})", rezip(source, {}, method=method)


@functools.cache
def bomb_archive() -> bytes:
    """The shipped GRU with a ``jupymuse.json`` of 64 MB of spaces, deflated (about 64 KB)."""
    return with_bomb(gru_file(), 64)


def with_bomb(archive: bytes, megabytes: int) -> bytes:
    """``archive`` with its ``jupymuse.json`` replaced by ``megabytes`` MB of spaces, deflated (a zip bomb)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            if name != "jupymuse.json":
                zout.writestr(name, zin.read(name))
        info = zipfile.ZipInfo("jupymuse.json")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zout.open(info, "w") as fh:
            for _ in range(megabytes):
                fh.write(b" " * (1 << 20))
    return out.getvalue()


# ---------------------------------------------------------------------- the target
def make(rng: random.Random) -> Case:
    """A mutated Markov JSON (half the cases) or ``.keras`` file: ``Case(label, (suffix, bytes))``."""
    if rng.random() < 0.5:
        i = rng.randrange(len(markov_docs()))
        label, raw = mutate_doc(rng, markov_docs()[i], MARKOV_FIELDS)
        output = _outputs.draw(rng, ".json")  # where a chain that loads is saved again
        return Case(f"markov[{i}] {label}", (rng.choice([".json", ".model"]), raw), output)
    label, raw = mutate_archive(rng)
    return Case(f"gru {label}", (".keras", raw))


@functools.cache
def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="jupymuse-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def run(case: Case) -> None:
    """Load the file; a model that loads must score a melody finitely and compose with its own settings, and
    a Markov chain must save over the case's output and load again as itself."""
    suffix, raw = case.data
    path = _folder() / f"model{suffix}"
    path.write_bytes(raw)
    model = load_model(path)
    grid = getattr(model, "steps_per_quarter", 4)
    scores = model.log_prob(Melody.from_notation(MELODY, steps_per_quarter=grid))
    if not all(math.isfinite(x) for x in [*scores.pitch, *scores.note]):
        raise AssertionError(f"the loaded model scores {list(scores.note)}")
    try:
        model.generate(None, 4, seed=0)  # with the file's recommended settings (style, ending, bars)
    except JupymuseError as exc:
        raise AssertionError(f"the model loads but cannot compose with its own settings: {exc}") from None
    if isinstance(model, MarkovModel):  # saved over a random output (mode, owner, link kept), and read back
        again = load_model(model.save(case.output_path()))
        if not isinstance(again, MarkovModel) or again.to_dict() != model.to_dict():
            raise AssertionError("the chain saved and loaded again is another chain")
