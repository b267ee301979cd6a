"""Model files: the one header check, which model a file holds, atomic writes, the GRU's archive."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import jupymuse
from jupymuse import MarkovModel, ModelFileError
from jupymuse.models import GRUConfig, GRUModel, load_model
from jupymuse.models.formats import GRU_FILE, MARKOV_FILE, check_header
from jupymuse.models.gru_io import SavedGRU, read_gru, write_gru
from jupymuse.models.storage import atomic_write, atomic_write_text

from helpers import mel

SMALL = GRUConfig(embedding_size=8, hidden_units=16, duration_units=8, dropout=0.0)


def test_one_header_check_for_every_kind_of_file(tmp_path: Path) -> None:
    p = tmp_path / "m"
    assert check_header(p, {"format": "jupymuse.markov", "version": 1, "x": 2}, MARKOV_FILE)["x"] == 2
    assert check_header(p, GRU_FILE.header(), GRU_FILE) == {"format": "jupymuse.gru", "version": 1}
    with pytest.raises(ModelFileError, match="is not a jupymuse model file"):
        check_header(p, [1, 2], MARKOV_FILE)
    with pytest.raises(ModelFileError, match="is not a jupymuse GRU model file"):
        check_header(p, {"format": "jupymuse.markov", "version": 1}, GRU_FILE)
    with pytest.raises(ModelFileError, match="is not a jupymuse GRU model file"):
        check_header(p, {"version": 1}, GRU_FILE)
    for version in (2, "1", None):
        with pytest.raises(ModelFileError, match="newer jupymuse"):
            check_header(p, {"format": "jupymuse.gru", "version": version}, GRU_FILE)


def test_load_model_decides_what_a_file_holds(tmp_path: Path) -> None:
    assert jupymuse.load_model is load_model
    markov = MarkovModel(1).fit([mel("C4:4 D4 E4 C4")])
    path = markov.save(tmp_path / "chain.json")
    assert json.loads(path.read_text())["format"] == MARKOV_FILE.name
    assert isinstance(load_model(path), MarkovModel)
    (tmp_path / "kind.json").write_text(json.dumps({"format": "jupymuse.gru", "version": 1}))
    with pytest.raises(ModelFileError, match=r"holds a model of unknown kind 'jupymuse\.gru'"):
        load_model(tmp_path / "kind.json")
    (tmp_path / "plain.json").write_text(json.dumps({"order": 1}))
    with pytest.raises(ModelFileError, match="is not a jupymuse model file"):
        load_model(tmp_path / "plain.json")
    (tmp_path / "empty.keras").write_bytes(b"")
    with pytest.raises(ModelFileError, match="is empty"):
        load_model(tmp_path / "empty.keras")


def test_atomic_writes_leave_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "model.json"
    atomic_write_text(target, "old")

    def fail(tmp: Path) -> None:
        assert tmp.name == target.name  # the writer sees the real name (Keras wants the suffix)
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, fail)
    assert target.read_text() == "old"
    assert atomic_write_text(target, "new").read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.json"]


def test_gru_files_hold_settings_weights_and_history(tmp_path: Path) -> None:
    net = GRUModel(SMALL, seed=5).network
    rows = [{"epoch": 1, "loss_bits": 5.0, "seconds": 0.1}]
    path = write_gru(tmp_path / "g.keras", net, config=SMALL, seed=5, history=rows)
    with zipfile.ZipFile(path) as zf:
        meta = json.loads(zf.read("jupymuse.json"))
    assert {k: meta[k] for k in ("format", "version", "seed")} == {"format": "jupymuse.gru", "version": 1, "seed": 5}
    saved = read_gru(path)
    assert isinstance(saved, SavedGRU)
    assert (saved.config, saved.seed, saved.history) == (SMALL, 5, rows)
    for a, b in zip(saved.weights, net.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    model = load_model(path)
    assert isinstance(model, GRUModel)
    assert model.is_fitted
    assert model.history is not None
    assert model.history.epochs == rows
    assert model.generate("C4:4 D4:4", 4, seed=0)  # ready to use


def test_unreadable_gru_settings_are_a_model_file_error(tmp_path: Path) -> None:
    path = write_gru(tmp_path / "g.keras", GRUModel(SMALL).network, config=SMALL, seed=0, history=[])
    bad = tmp_path / "bad.keras"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.namelist():
            data = zin.read(item)
            if item == "jupymuse.json":
                data = json.dumps({**json.loads(data), "seed": "not a number"}).encode()
            zout.writestr(item, data)
    with pytest.raises(ModelFileError, match="unreadable model settings"):
        load_model(bad)
