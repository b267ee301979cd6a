"""The Studio's start: the chosen model made ready in a worker (nothing compiled), its recommended settings."""

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
from jupymuse.models.sampling_settings import SamplingSettings
from jupymuse.studio import Settings, StudioController
from jupymuse.studio.events import Explained, StatusChanged, StudioEvent

PRIMER = "G4:4 G4:4 D5:4 D5:4"


class SlowGRU:
    """Stands in for the shipped GRU: a Markov chain that says how often it was used."""

    def __init__(self, inner: MarkovModel) -> None:
        self.inner = inner
        self.generated = 0

    @property
    def name(self) -> str:
        return "slow GRU"

    def generate(self, primer: Any = None, steps: Any = None, **options: Any) -> Any:
        self.generated += 1
        return self.inner.generate(primer, steps, **options)

    def log_prob(self, melody: Any) -> Any:
        return self.inner.log_prob(melody)


def test_generate_during_the_first_load_waits_for_it_and_loads_once(
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
    c = StudioController("default", PRIMER, settings=Settings(SamplingSettings(length=8), n=3))
    statuses: list[str] = []

    def listen(event: StudioEvent) -> None:
        if isinstance(event, StatusChanged):
            statuses.append(event.text)

    c.subscribe(listen)
    c.prepare()
    assert started.wait(10)
    assert c.generate(background=True) == []  # not refused: it waits for the same load
    assert c.candidates == []
    gate.set()
    c.wait()
    assert loads == ["jupymuse-explaining"]  # loaded once, in the preparing worker
    assert model.generated == 1
    assert len(c.candidates) == 3
    assert statuses[-1].startswith("3 candidates from slow GRU")  # the status is current after


def test_the_studio_starts_from_the_models_recommended_settings() -> None:
    """The shipped model's file says how to compose with it; the Studio's controls start there."""
    shipped = jupymuse.models.load_default()
    c = StudioController("default", PRIMER)
    assert c.settings.sampling == shipped.sampling
    assert shipped.sampling.pitch_settings == (0.95, None, 0.98)  # chosen on validation melodies
    assert StudioController("markov-1", PRIMER).settings.sampling == SamplingSettings()  # as trained


KERNEL = """
import asyncio, json, sys, threading, time
from jupymuse.studio import Studio


async def main():
    t = time.perf_counter()
    studio = Studio(melody="G4:4 A4:4")  # in a running loop, as in a kernel
    took = time.perf_counter() - t
    studio.controller.wait()
    studio.generate(8, n=2)
    return took, studio.status.value


took, status = asyncio.run(main())
print(json.dumps({"took": took, "status": status, "tensorflow": "tensorflow" in sys.modules}))
"""


def test_a_studio_in_a_kernel_composes_without_tensorflow() -> None:
    """Construction stays fast, the model loads in a worker, and nothing imports TensorFlow."""
    out = subprocess.run([sys.executable, "-c", KERNEL], capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["took"] <= 0.5, result
    assert not result["tensorflow"], result
    assert "2 candidates from GRU" in result["status"], result


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
