"""Changes to widgets happen on the kernel's main thread, whichever thread caused them.

A worker thread must not write widget traits: the comm messages they send would interleave with
the kernel's own. ``MainThread`` wraps the function that applies one controller event to the
widgets. Created inside a kernel (where a cell runs on the kernel's asyncio loop) it remembers
that loop: an event from another thread is queued and a flush is posted to the loop with
``call_soon_threadsafe``, so it is applied on the main thread as soon as the kernel is idle (while
a cell runs, :meth:`flush` on the main thread applies the queue at once). With no loop (a plain script, unit tests)
there is no front end to race with, and events are applied where they happen.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

E = TypeVar("E")


def in_kernel() -> bool:
    """Whether this thread runs an asyncio loop, as a kernel's main thread does (a plain script does not)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class MainThread(Generic[E]):
    """Calls ``apply(event)`` for each event on the thread (and loop) this object was created on."""

    def __init__(self, apply: Callable[[E], None]) -> None:
        self._apply = apply
        self._loop: asyncio.AbstractEventLoop | None
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self._thread = threading.get_ident()
        self._queue: deque[E] = deque()
        self._queue_lock = threading.Lock()
        self._applying = threading.RLock()  # one thread applies at a time, in order
        self._posted = False

    @property
    def queued(self) -> int:
        """Events waiting for the main thread."""
        return len(self._queue)

    def _here(self) -> bool:
        return self._loop is None or self._loop.is_closed() or threading.get_ident() == self._thread

    def __call__(self, event: E) -> None:
        """Apply ``event`` now (on the main thread, or with no loop) or queue it for the main thread."""
        if self._here():
            with self._applying:
                self.flush()  # earlier events from workers first
                self._apply(event)
            return
        with self._queue_lock:
            self._queue.append(event)
            if self._posted:
                return
            self._posted = True
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(self._flush_posted)
        except RuntimeError:  # the loop closed meanwhile: no front end is left to race with
            self.flush()

    def _flush_posted(self) -> None:
        with self._queue_lock:
            self._posted = False
        self.flush()

    def flush(self) -> None:
        """Apply the queued events now, in order, when called on the main thread (else the loop will)."""
        if not self._here():
            return
        with self._applying:
            while True:
                with self._queue_lock:
                    if not self._queue:
                        return
                    event = self._queue.popleft()
                self._apply(event)
