"""How long a corpus conversion has left, from its first second.

Counting files gave a first estimate of 1:20:19 for a 40-second job: the first file waits for the
workers to import music21, and files differ a hundredfold in size. So the estimate counts **bytes**
of source, starts from a prior (seconds a worker needs to start, and bytes a worker converts per
second, measured for each format, on the share of the cores that other work leaves), and hands over
to the measured rate as files finish: the measured rate counts from the first finished file, so the
start-up is not mistaken for slowness.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

WORKER_START_S = 2.0
"""A worker's start (interpreter, numpy, music21) before its first file: about 1.1 s measured, plus
music21's first parse loading its readers."""
PRIOR_BYTES_PER_S = {".mxl": 100_000.0, ".abc": 20_000.0}
"""Source bytes one worker converts per CPU-second, by file type, measured with music21 10.5 over
the built-in corpora (``.mxl``: Bach chorales, 110 kB/s; ``.abc``: Essen 19.6 kB/s, O'Neill's 22 kB/s)."""
DEFAULT_BYTES_PER_S = 20_000.0
"""For a file type no built-in corpus has (a guess, replaced by the measure as soon as files finish)."""
HANDOVER_S = 5.0
"""Seconds of measurement (after the first finished file) over which the prior gives way to the measure."""


def cpu_share() -> float:
    """The share of a core a worker can expect now: the cores over the load (the 1-minute average of
    runnable processes) when that is higher; 1 on a quiet machine or where the load is unknown."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows, or no /proc
        return 1.0
    cores = os.cpu_count() or 1
    return min(1.0, cores / max(load, 1e-9))


class ConversionEta:
    """The time left to convert files of ``sizes`` bytes (``kinds``: their suffixes) with ``workers``."""

    def __init__(
        self,
        sizes: list[int],
        kinds: list[str],
        workers: int,
        clock: Callable[[], float] = time.monotonic,
        share: float | None = None,
    ) -> None:
        self._clock = clock
        self._start = clock()
        self._workers = max(1, workers)
        self._total = max(1, sum(sizes))
        rates = [PRIOR_BYTES_PER_S.get(k.lower(), DEFAULT_BYTES_PER_S) for k in kinds]
        prior_seconds = sum(s / r for s, r in zip(sizes, rates, strict=True))
        self.prior_work_s = prior_seconds
        """CPU-seconds the files need by the prior (one worker's time)."""
        self._share = cpu_share() if share is None else share
        self._prior_rate = self._total * self._share / max(prior_seconds / self._workers, 1e-9)
        """Bytes per second of all workers together, by the prior, on the share of the cores they get."""
        self._done = 0
        self._first: tuple[float, int] | None = None
        """When the first file finished, and the bytes done then."""

    def finished(self, size: int) -> None:
        """A file of ``size`` bytes has been converted."""
        self._done += size
        if self._first is None:
            self._first = (self._clock(), self._done)

    def seconds_left(self) -> float:
        """The estimate now: the prior until a file finishes, then more and more the measured rate."""
        now = self._clock()
        left = max(0, self._total - self._done)
        start_up = WORKER_START_S / self._share
        starting = max(0.0, start_up - (now - self._start)) if self._first is None else 0.0
        rate = self._prior_rate
        if self._first is not None:
            since = now - self._first[0]
            measured_bytes = self._done - self._first[1]
            if since > 0.2 and measured_bytes > 0:
                weight = min(1.0, since / HANDOVER_S)
                rate = weight * (measured_bytes / since) + (1 - weight) * self._prior_rate
        return starting + left / rate

    def text(self) -> str:
        """``"about 0:41 left"`` (hours shown only when there are some)."""
        seconds = round(self.seconds_left())
        h, rest = divmod(seconds, 3600)
        m, s = divmod(rest, 60)
        return f"about {h}:{m:02d}:{s:02d} left" if h else f"about {m}:{s:02d} left"
