"""Small builders shared by the tests (kept out of conftest.py: two conftest modules would clash)."""

import threading
from collections.abc import Callable
from typing import TypeVar

from jupymuse.music import Melody

T = TypeVar("T")


def mel(text: str, **kwargs: object) -> Melody:
    """Melody from the text notation: the fixture builder used across the tests."""
    return Melody.from_notation(text, **kwargs)  # type: ignore[arg-type]


def in_own_thread(fn: Callable[[], T], name: str = "kernel-main") -> T:
    """Run ``fn()`` in a new thread named ``name`` and return its result (its exception is raised here).

    A new thread has no asyncio loop, whatever the test process runs (pytest-playwright keeps one
    running in the main thread for the whole session once a browser test has run), so a test can
    play the kernel there with ``asyncio.run`` or check what happens with no loop at all.
    """
    out: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # handed to the calling thread
            errors.append(exc)

    thread = threading.Thread(target=run, name=name)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return out[0]
