"""Small builders shared by the tests (kept out of conftest.py: two conftest modules would clash)."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from jupymuse import MarkovModel
from jupymuse.models.protocol import NoteLogProbs
from jupymuse.music import Melody

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]


def script(name: str) -> ModuleType:
    """The module ``scripts/<name>.py`` (scripts are not a package), imported for a test."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


class Gated:
    """A model whose generate waits until the test opens the gate (so Cancel can come mid-Generate)."""

    def __init__(self, inner: MarkovModel, fail: Exception | None = None) -> None:
        self.inner = inner
        self.fail = fail
        self.started = threading.Event()
        self.gate = threading.Event()

    @property
    def name(self) -> str:
        return f"gated {self.inner.name}"

    def fit(self, melodies: Any) -> Gated:
        return self

    def generate(self, primer: Any = None, steps: int = 32, **options: Any) -> list[Melody]:
        self.started.set()
        self.gate.wait(10)
        if self.fail is not None:
            raise self.fail
        return self.inner.generate(primer, steps, **options)

    def log_prob(self, melody: Melody) -> NoteLogProbs:
        return self.inner.log_prob(melody)

    def save(self, path: Any) -> Any:
        return self.inner.save(path)
