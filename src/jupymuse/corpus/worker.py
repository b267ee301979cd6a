"""A conversion worker: ``python -m jupymuse.corpus.worker`` turns music21 corpus files into melodies.

It is a fresh interpreter that runs only this module, so it works whatever started the parent (a
script without a main guard, ``python -c``, a notebook, a thread): nothing re-imports the user's
``__main__``. Protocol, one ASCII JSON object per line: first ``{"ready": true}``; then for each
request ``{"collection": ..., "path": ...}`` on stdin one reply on stdout, ``{"melodies": [...],
"lost": [[tune, reason], ...]}`` or ``{"error": "..."}``. Whatever else is printed (by music21, say)
goes to stderr instead, so it cannot break the protocol.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..music import Melody
from .cache import melody_from_record, melody_record


def encode(melodies: Sequence[Melody]) -> list[dict[str, Any]]:
    """JSON-ready form of ``melodies`` (the reply's ``melodies``)."""
    return [
        dict(melody_record(m), notes=[[n.pitch, n.start, n.duration, n.velocity] for n in m.notes]) for m in melodies
    ]


def decode(items: Sequence[dict[str, Any]]) -> list[Melody]:
    """The melodies that :func:`encode` described."""
    return [melody_from_record(item, item["notes"]) for item in items]


def _leave_out_beams() -> None:
    """music21's ABC reader beams every tune it reads (a third of the reading); beams are engraving,
    which a melody never reads, so this worker (a process of jupymuse's alone) makes no beams."""
    from music21 import stream

    def no_beams(self: stream.Stream, *args: Any, **kwargs: Any) -> None:  # type: ignore[type-arg]
        return None

    stream.Stream.makeBeams = no_beams  # type: ignore[method-assign]


def main() -> int:
    """Serve requests from stdin until it closes."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="ascii")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr, not into the protocol
    sys.stdout = sys.stderr
    from .builtin import convert_source

    def send(reply: dict[str, Any]) -> None:
        out.write(json.dumps(reply) + "\n")
        out.flush()

    _leave_out_beams()
    send({"ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            job = json.loads(line)
            converted = convert_source(job["collection"], Path(job["path"]))
            reply: dict[str, Any] = {"melodies": encode(converted.melodies), "lost": converted.lost}
        except Exception as exc:  # the file's problem, reported; the worker goes on
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        send(reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
