"""The Studio's warm start: the shipped GRU loaded and compiled in a worker before the first Generate."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import Any

import pytest

import jupymuse.models
from jupymuse import MarkovModel
from jupymuse.corpus import Corpus
from jupymuse.studio import Settings, StudioController
from jupymuse.studio.events import Explained, StatusChanged, StudioEvent

PRIMER = "G4:4 G4:4 D5:4 D5:4"


class SlowGRU:
    """Stands in for the shipped GRU: a Markov chain that says how often it was warmed up and used."""

    def __init__(self, inner: MarkovModel) -> None:
        self.inner = inner
        self.warmed: list[list[int]] = []
        self.generated = 0

    @property
    def name(self) -> str:
        return "slow GRU"

    def warm_up(self, candidates: Any) -> None:
        self.warmed.append(list(candidates))

    def generate(self, primer: Any = None, steps: int = 32, **options: Any) -> Any:
        self.generated += 1
        return self.inner.generate(primer, steps, **options)

    def log_prob(self, melody: Any) -> Any:
        return self.inner.log_prob(melody)


def test_generate_during_the_warm_up_waits_for_it_and_runs_once(
    chorales: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = SlowGRU(MarkovModel(1).fit(list(chorales)[:20]))
    started, gate, loads = threading.Event(), threading.Event(), []

    def slow_load() -> SlowGRU:
        loads.append(threading.current_thread().name)
        started.set()
        assert gate.wait(10)
        return model

    monkeypatch.setattr(jupymuse.models, "load_default", slow_load)
    c = StudioController("default", PRIMER, settings=Settings(length=8, n=3))
    statuses: list[str] = []

    def listen(event: StudioEvent) -> None:
        if isinstance(event, StatusChanged):
            statuses.append(event.text)

    c.subscribe(listen)
    thread = c.warm_up()
    assert thread is not None
    assert c.warm_up() is None
    assert started.wait(10)
    assert statuses == ["Loading the GRU - first time only…"]
    assert c.generate(background=True) == []  # not refused: it waits for the warm-up
    assert c.candidates == []
    gate.set()
    c.wait()
    assert loads == ["jupymuse-warm-up"]  # loaded once, in the warm-up's worker
    assert model.warmed == [[3], [1, 2, 4, 8, 16]]  # the Studio's candidates first, then the rest
    assert model.generated == 1
    assert len(c.candidates) == 3
    assert statuses[1].startswith("GRU ready in ")
    assert statuses[1].endswith(" s.")
    assert statuses[2] == "Generating with slow GRU…"
    assert statuses[-1].startswith("3 candidates from slow GRU")  # the status is current after


def test_no_warm_up_for_another_model(chorales: Corpus) -> None:
    c = StudioController(MarkovModel(1).fit(list(chorales)[:5]), PRIMER)
    assert c.warm_up() is None
    c.wait()


KERNEL = """
import asyncio, json, sys, threading, time
from jupymuse.studio import Studio

importers = []


class Spy:  # notes which thread imports TensorFlow
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow":
            importers.append(threading.current_thread().name)
        return None


sys.meta_path.insert(0, Spy())


async def main():
    t = time.perf_counter()
    studio = Studio(melody="G4:4 A4:4")  # in a running loop, as in a kernel
    took = time.perf_counter() - t
    studio.controller.wait()
    return took, studio.status.value


took, status = asyncio.run(main())
print(json.dumps({"took": took, "status": status, "importers": importers}))
"""


def test_a_studio_in_a_kernel_warms_up_in_a_worker() -> None:
    """Construction stays fast and TensorFlow is imported by the warm-up's thread, never the kernel's."""
    out = subprocess.run([sys.executable, "-c", KERNEL], capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["took"] <= 0.5, result
    assert set(result["importers"]) == {"jupymuse-warm-up"}, result
    assert "GRU ready in" in result["status"], result


@pytest.mark.parametrize("kind", ["markov-1", "object"])
def test_prepare_fills_the_why_views_in_a_worker(chorales: Corpus, kind: str) -> None:
    """Shown in a kernel, a Studio explains at once (fitting the chain first when needed), off the caller's thread."""
    model: Any = MarkovModel(1).fit(list(chorales)[:20])
    c = StudioController(
        "markov-1" if kind == "markov-1" else model, PRIMER, corpus="bach-chorales:pearce185", settings=Settings()
    )
    threads: list[str] = []
    c.subscribe(lambda e: threads.append(threading.current_thread().name) if isinstance(e, Explained) else None)
    worker = c.prepare()
    c.wait()
    assert worker.name in ("jupymuse-fitting", "jupymuse-explaining")
    assert threads == [worker.name]  # explained once, in the worker
    explanation = c.explain()
    assert explanation is not None
    assert explanation.next_pitch is not None  # the strip for the next note
