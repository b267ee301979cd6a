"""The controller's worker threads: Generate, training and Markov fits, each reporting its errors.

Generate and training make the controller busy (one at a time); a fit does not, so a Generate
pressed during a fit starts and waits for the model. ``wait`` joins them all and then tells the
waiters (the app applies what the workers reported).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..errors import JupymuseError


class Worker(threading.Thread):
    """A worker thread whose ``join`` also tells the controller's waiters (as :meth:`StudioController.wait`)."""

    def __init__(self, run: Callable[[], None], name: str, joined: Callable[[], None]) -> None:
        super().__init__(target=run, daemon=True, name=name)
        self._joined = joined

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if not self.is_alive():
            self._joined()


class Workers:
    """Starts worker threads whose errors go to ``report(text)``, and joins them.

    Args:
        report: hears an error's message (a ``JupymuseError``'s own, else "<what> failed: ...").
    """

    def __init__(self, report: Callable[[str], None]) -> None:
        self._report = report
        self._waiters: list[Callable[[], None]] = []
        self._busy: list[threading.Thread] = []
        self._fits: list[threading.Thread] = []
        self._lock = threading.Lock()

    def on_wait(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` on the waiting thread after :meth:`wait` (or a worker's ``join``) returns."""
        self._waiters.append(callback)

    def waited(self) -> None:
        for callback in list(self._waiters):
            callback()

    @property
    def busy(self) -> bool:
        """Whether a busy worker (Generate or training) is running."""
        return any(t.is_alive() for t in self._busy)

    def start(
        self,
        what: str,
        target: Callable[..., Any],
        *args: Any,
        then: Callable[[], None] = lambda: None,
        busy: bool = True,
    ) -> threading.Thread:
        """Run ``target(*args)``, then ``then()``, in a worker thread that reports errors, never raises."""

        def run() -> None:
            try:
                target(*args)
            except JupymuseError as exc:
                self._report(str(exc))
            except Exception as exc:  # a worker thread must report, not die silently
                self._report(f"{what} failed: {type(exc).__name__}: {exc}")
            finally:
                then()

        thread = Worker(run, f"jupymuse-{what.lower()}", self.waited)
        with self._lock:  # listed and started as one step: a wait() never sees a thread it cannot join yet
            if busy:
                self._busy = [t for t in self._busy if t.is_alive()] + [thread]
            else:
                self._fits = [t for t in self._fits if t.is_alive()] + [thread]
            thread.start()
        return thread

    def wait(self, timeout: float | None = None) -> None:
        """Join every worker (each for up to ``timeout`` seconds), then tell the waiters."""
        with self._lock:
            threads = [*self._fits, *self._busy]
        for thread in threads:
            thread.join(timeout)
        self.waited()
