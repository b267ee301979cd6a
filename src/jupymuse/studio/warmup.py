"""The warm start: the shipped GRU loaded and its sampling compiled before the first Generate.

Loading TensorFlow and the model, then compiling the sampling loop, takes seconds (tens of seconds on a
busy machine). A Studio shown in a kernel starts that at once in a worker thread, saying so in its
status line, so the student's first Generate finds it done, or waits for it (never loading twice).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .choice import DEFAULT, ModelChoice

CANDIDATE_COUNTS = (1, 2, 4, 8, 16)
"""The compiled shapes a Studio can ask for (its slider goes from 1 to 16 candidates)."""


class WarmUp:
    """Loads the shipped GRU and compiles ahead; :meth:`wait` returns once the GRU can generate."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._ready.set()  # nothing to wait for until a warm-up starts
        self._started = False
        self.seconds: float | None = None
        """How long loading and the first compilation took (None until then)."""

    def begin(self, choice: ModelChoice) -> bool:
        """Whether a warm-up is due (the shipped GRU chosen, not loaded, no warm-up yet); marks it started."""
        if self._started or choice.chosen != DEFAULT or DEFAULT in choice.loaded():
            return False
        self._started = True
        self._ready.clear()
        return True

    def run(
        self, choice: ModelChoice, n: int, say: Callable[[str], None], ready: Callable[[], None] = lambda: None
    ) -> None:
        """In a worker: load the GRU, compile the shape for ``n`` candidates, report, ``ready()``, the other shapes."""
        warm: Callable[..., object] | None = None
        try:
            t0 = time.perf_counter()
            say("Loading the GRU - first time only…")
            model = choice.get(DEFAULT)
            warm = getattr(model, "warm_up", None)
            if callable(warm):
                warm([n])  # the shape the next Generate uses, first
            self.seconds = time.perf_counter() - t0
            say(f"GRU ready in {self.seconds:.1f} s.")
        finally:
            self._ready.set()  # a failure is reported by the worker; Generate then tries (and reports) itself
        ready()  # e.g. fill the why-views, before the quiet compilations
        if callable(warm):
            warm(CANDIDATE_COUNTS)  # the rest, quietly: already compiled shapes cost nothing

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the GRU is loaded and compiled for the Studio's candidates (or the warm-up failed)."""
        return self._ready.wait(timeout)
