"""The infill benchmark's own arithmetic (benchmarks/infill.py) on small inputs: which melodies qualify,
what a set of bars 3-4 records, and one small run end to end."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from jupymuse.models.default import load_default
from jupymuse.music import Melody

ROOT = Path(__file__).resolve().parents[1]


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_infill", ROOT / "benchmarks" / "infill.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _benchmark()
BAR = "C4:4 D4:4 E4:4 F4:4"


def test_a_melody_qualifies_with_eight_bars_and_notes_around_an_uncut_gap() -> None:
    assert bench.qualifies(Melody.from_notation(" ".join([BAR] * 8)))
    assert not bench.qualifies(Melody.from_notation(" ".join([BAR] * 7)))
    across = Melody.from_notation(" ".join([BAR, "C4:4 D4:4 E4:4 F4:8", "E4:4 F4:4", *[BAR] * 6]))
    assert not bench.qualifies(across)  # a note across the gap's first bar line
    silent = Melody.from_notation(" ".join([BAR, BAR, "r:32", *[BAR] * 4]))
    assert not bench.qualifies(silent)


def test_a_set_records_the_bits_after_the_gap_and_both_seams() -> None:
    model = load_default()
    melody = Melody.from_notation(" ".join([BAR, "C4:4 D4:4 E4:4 G4:4", "A4:16", "B4:16", *[BAR] * 4]))
    rows = bench.Rows()
    rows.add(model, melody, "german")
    scores = model.log_prob(melody, style="german")
    assert rows.notes == 16
    assert rows.bits == pytest.approx(-scores.note[-16:].sum() / np.log(2))
    assert rows.entry == [69 - 67]
    assert rows.exit == [60 - 71]
    assert [n.pitch for n in rows.spans[0].notes] == [69, 71]


def test_a_small_run_meets_its_time_target_and_reports_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--styles", "german", "--n", "5", "--proposals", "8", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    german = report["styles"]["german"]
    assert german["melodies"] == 5
    assert set(german["bits_per_note"]) == {"filled", "plain", "real"}
    assert set(german["seam_overlap"]) == {"entry", "exit"}
    assert set(german["discriminator"]) == {"filled", "plain", "floor"}
    assert len(german["fill_seconds"]) == 5
    assert bench.targets(german)["fill time"]
