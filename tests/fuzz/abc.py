"""Fuzz target ``abc``: mutated real ABC tunes through ``Melody.from_abc`` / ``read_abc`` and back.

Inputs start from real tunes: three from O'Neill's and one from the Essen collection as music21 ships
them (pickups, broken rhythm, ties used as slurs, grace notes, decorations, repeats and endings,
triplets) and one written to exercise the rest of the reader (inline fields, chords, ``(p:q:r`` tuplets,
``Z`` bar rests, chord symbols, continuations, ``U:`` and ``%%`` lines). Mutations: the common ones
(:mod:`.mutate`: cut, bits flipped, junk inserted), ABC's own characters dropped in (``(3``, ``[K:``,
``>>>``, an open ``{`` or ``!``, a 10,000-digit length...), a tune's lines repeated up to the size limit,
and now and then text over the limit or bytes that are not UTF-8 (read from a file by ``read_abc``).

A tune that reads must write (``to_abc``) and read back to the same notes, meter and key; anything else
must be a ``JupymuseError``, never another exception or a hang.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import random
import tempfile
from pathlib import Path

from jupymuse import JupymuseError, Melody
from jupymuse.music.abc_read import MAX_ABC_BYTES, read_abc

from .harness import Case
from .mutate import mutate_bytes

NAME = "abc"
EXPECTED: tuple[type[BaseException], ...] = (JupymuseError,)
WRITTEN = """X:7
T:Every % feature \\% here
M:6/8
L:1/8
Q:"Lively" 3/8=100
U:W = !wedge!
%%propagate-accidentals octave
K:D mix clef=treble
|: "D"A>B c/d/e | [DFA]2 [CEG] (3:2:3ABc | {g}~f2 !trill!e W.d2 :|[1 z3 Z |\\
[2 [K:Gm][L:1/16] _B4 ^c2=c2 (5:4:5cdefg |[M:3/4] A,,2-A,,2 c'3/2 d'// x/ y |]
"""
JUNK = [b"(3", b"(9:1:99", b"[K:", b"[K:C#m exp ^f]", b"[L:1/1024]", b"[M:7/6]", b">>>", b"<", b"{", b"!", b"+",
        b'"', b"^^", b"__", b"=", b"/" * 12, b"9" * 10_000, b"Z9999", b"-", b"|:", b"::", b"[1", b"&", b"V:2\n",
        b"\n", b"%", b"\\", b"X:", b"X:1\n", b"K:none\n", b"M:none\n", b"Q:1/4=0\n", b"c'''''''", b"C,,,,,,,,",
        b"\xff", b"\x00", "\u0085".encode()]  # fmt: skip


@functools.cache
def seeds() -> tuple[bytes, ...]:
    """The real tunes every case starts from."""
    corpus = Path(str(importlib.resources.files("music21"))) / "corpus"
    oneills = (corpus / "oneills1850" / "0001-0050.abc").read_text(encoding="utf-8")
    essen = (corpus / "essenFolksong" / "kinder0.abc").read_text(encoding="utf-8")
    tunes = [*oneills.split("\nX:")[1:4], essen.split("\nX:")[1]]
    return (*(f"X:{t.strip()}\n".encode() for t in tunes), WRITTEN.encode())


def _repeated(rng: random.Random, raw: bytes) -> tuple[str, bytes]:
    """A tune's body lines repeated up to the size limit (or just past it)."""
    lines = raw.splitlines(keepends=True)
    head, body = lines[:8], lines[8:] or lines
    target = rng.choice([MAX_ABC_BYTES // 4, MAX_ABC_BYTES - 2000, MAX_ABC_BYTES + 10])
    out = b"".join(head)
    block = b"".join(body)
    out += block * max(1, (target - len(out)) // max(1, len(block)))
    return f"body repeated to {len(out):,} bytes", out


def make(rng: random.Random) -> Case:
    raw = rng.choice(seeds())
    how, data = mutate_bytes(rng, raw, junk=JUNK, max_flips=6, extras=[_repeated])
    for _ in range(rng.randrange(3)):  # a few more of ABC's own characters
        at = rng.randrange(len(data) + 1)
        piece = rng.choice(JUNK[:-3])
        data, how = data[:at] + piece + data[at:], f"{how}; {piece[:8]!r} at {at}"
    return Case(how, (data, rng.random() < 0.3, rng.choice([None] * 6 + [1, 2, 3, 7, 9])))


def run(case: Case) -> None:
    data, from_file, number = case.data
    if from_file:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "tune.abc"
            path.write_bytes(data)
            melody = read_abc(path, number=number)
    else:
        melody = Melody.from_abc(data.decode("utf-8", "replace"), number=number)
    again = Melody.from_abc(melody.to_abc())
    same = (again.notes, again.steps_per_quarter, again.time_signature) == (
        melody.notes,
        melody.steps_per_quarter,
        melody.time_signature,
    )
    assert same, f"to_abc and from_abc changed the melody:\n{melody.to_abc()}"
    assert melody.key is None or again.key == melody.key, f"key {melody.key} read back as {again.key}"
    assert math.isclose(again.tempo, melody.tempo, rel_tol=1e-9)
