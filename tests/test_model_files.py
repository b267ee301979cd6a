"""Model files: the one header check, which model a file holds, atomic writes, the GRU's archive."""

from __future__ import annotations

import io
import json
import math
import os
import stat
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jupymuse
from fuzz.models import lie_about_size, rezip, with_bomb
from jupymuse import MarkovModel, ModelFileError, OutputError
from jupymuse.models import GRUConfig, GRUModel, gru_net, load_model, loading, markov
from jupymuse.models.formats import GRU_FILE, MARKOV_FILE, check_header, json_depth
from jupymuse.models.gru_io import SavedGRU, read_gru, write_gru
from jupymuse.models.storage import atomic_write, atomic_write_text

from helpers import mel

SMALL = GRUConfig(embedding_size=8, hidden_units=16, duration_units=8, dropout=0.0)


def test_one_header_check_for_every_kind_of_file(tmp_path: Path) -> None:
    p = tmp_path / "m"
    assert check_header(p, {"format": "jupymuse.markov", "version": 1, "x": 2}, MARKOV_FILE)["x"] == 2
    assert check_header(p, GRU_FILE.header(), GRU_FILE) == {"format": "jupymuse.gru", "version": 2}
    with pytest.raises(ModelFileError, match="is not a jupymuse model file"):
        check_header(p, [1, 2], MARKOV_FILE)
    with pytest.raises(ModelFileError, match="is not a jupymuse GRU model file"):
        check_header(p, {"format": "jupymuse.markov", "version": 1}, GRU_FILE)
    with pytest.raises(ModelFileError, match="is not a jupymuse GRU model file"):
        check_header(p, {"version": 1}, GRU_FILE)
    with pytest.raises(ModelFileError, match="newer jupymuse"):
        check_header(p, {"format": "jupymuse.gru", "version": GRU_FILE.version + 1}, GRU_FILE)
    for version in ("1", None, 0, True):  # no version, or not one: damaged, not "newer" (issue 21, case 12)
        with pytest.raises(ModelFileError, match=r"is damaged: its 'version' must be a whole number from 1 to 2"):
            check_header(p, {"format": "jupymuse.gru", "version": version}, GRU_FILE)
    with pytest.raises(ModelFileError, match="damaged: its 'version'"):
        check_header(p, {"format": "jupymuse.gru"}, GRU_FILE)


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

    with pytest.raises(OutputError, match=r"cannot write '.*model\.json': disk full"):
        atomic_write(target, fail)
    assert target.read_text() == "old"
    assert atomic_write_text(target, "new").read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.json"]
    with pytest.raises(OutputError, match=r"cannot write '.*model\.json/m\.json'"):  # a file where a folder goes
        atomic_write_text(target / "m.json", "x")


def test_gru_files_hold_settings_weights_and_history(tmp_path: Path) -> None:
    net = GRUModel(SMALL, seed=5).network
    rows = [{"epoch": 1, "loss_bits": 5.0, "seconds": 0.1}]
    path = write_gru(tmp_path / "g.keras", net, config=SMALL, seed=5, history=rows)
    with zipfile.ZipFile(path) as zf:
        meta = json.loads(zf.read("jupymuse.json"))
    assert {k: meta[k] for k in ("format", "version", "seed")} == {"format": "jupymuse.gru", "version": 2, "seed": 5}
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
    with pytest.raises(ModelFileError, match=r"'seed' must be a whole number from 0 to 4,294,967,295, not 'not a"):
        load_model(bad)


# ---------------------------------------------------------------------- limits (issue 12, case 3)
@pytest.fixture(scope="module")
def small_gru(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A small GRU model file's bytes."""
    path = tmp_path_factory.mktemp("gru") / "g.keras"
    write_gru(path, GRUModel(SMALL, seed=1).network, config=SMALL, seed=1, history=[{"epoch": 1, "loss_bits": 4.0}])
    return path.read_bytes()


def _gru_with(tmp_path: Path, source: bytes, change: dict[str, bytes | None]) -> Path:
    path = tmp_path / "m.keras"
    path.write_bytes(rezip(source, change))
    return path


def _meta(source: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(source)) as zf:
        meta: dict[str, object] = json.loads(zf.read("jupymuse.json"))
    return meta


def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make building a network fail the test: a refused file must be refused before TensorFlow builds."""

    def refuse(*args: object) -> None:
        raise AssertionError("a network was built for a file that should have been refused")

    monkeypatch.setattr(gru_net, "build_network", refuse)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (("seed",), "abc", r"'seed' must be a whole number from 0 to 4,294,967,295, not 'abc'"),
        (("seed",), None, r"'seed' must be a whole number .* not None"),
        (("seed",), math.nan, r"'seed' must be a whole number .* not nan"),
        (("seed",), 2**100, r"'seed' must be a whole number .* not a 31-digit number"),
        (("history",), 5, r"'history' must be a list of 0 to 100,000 items, not 5"),
        (("config", "layers"), 1000, r"'config.layers' must be a whole number from 1 to 8, not 1000"),
        (("config", "hidden_units"), 100000, r"'config.hidden_units' must be a whole number from 1 to 4,096"),
        (("config", "tokens", "min_pitch"), 36.5, r"'config.tokens.min_pitch' must be a whole number from 0 to 126"),
        (("config", "dropout"), math.inf, r"'config.dropout' must be a number from 0.0 to 1.0 \(not included\)"),
        (("config", "tokens", "durations"), [4, 2], r"'config.tokens.durations' must be strictly rising"),
        (("config", "surprise"), 1, r"'config' has an unknown field 'surprise'"),
    ],
)
def test_gru_settings_are_checked_field_by_field_before_tensorflow_builds(
    tmp_path: Path,
    small_gru: bytes,
    monkeypatch: pytest.MonkeyPatch,
    field: tuple[str, ...],
    value: object,
    message: str,
) -> None:
    meta = _meta(small_gru)
    node: Any = meta
    for key in field[:-1]:
        node = node[key]
    node[field[-1]] = value
    path = _gru_with(tmp_path, small_gru, {"jupymuse.json": json.dumps(meta).encode()})
    _no_network(monkeypatch)
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_a_network_over_the_weight_limit_is_refused_before_it_is_built(
    tmp_path: Path, small_gru: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    meta: Any = _meta(small_gru)
    meta["config"].update(hidden_units=4096, layers=8)  # each within its limit, together 800 M weights
    path = _gru_with(tmp_path, small_gru, {"jupymuse.json": json.dumps(meta).encode()})
    _no_network(monkeypatch)
    with pytest.raises(ModelFileError, match=r"network of [\d,]+ weights, over the limit of 50,000,000"):
        load_model(path)
    with pytest.raises(jupymuse.errors.ModelError, match="over the limit"):
        GRUConfig(hidden_units=4096, layers=8)


def test_json_nested_100000_deep_or_with_5000_digit_numbers_is_refused(tmp_path: Path, small_gru: bytes) -> None:
    deep = b'{"format": "jupymuse.markov", "version": 1, "order": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    (tmp_path / "deep.json").write_bytes(deep)
    with pytest.raises(ModelFileError, match="nests deeper than the limit of 32 levels"):
        load_model(tmp_path / "deep.json")
    with pytest.raises(ModelFileError, match="nests deeper than the limit of 32 levels"):
        load_model(_gru_with(tmp_path, small_gru, {"jupymuse.json": deep.replace(b"markov", b"gru")}))
    big = json.dumps({**_meta(small_gru), "seed": "BIG"}).replace('"BIG"', "9" * 5000).encode()
    with pytest.raises(ModelFileError, match=r"'seed' must be a whole number .* not a 5,000-digit number"):
        load_model(_gru_with(tmp_path, small_gru, {"jupymuse.json": big}))
    assert json_depth(b'[1, "[[[[", {"a": [[]]}]') == 4


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, small_gru: bytes) -> None:
    path = tmp_path / "bomb.keras"
    path.write_bytes(with_bomb(small_gru, 40))
    assert path.stat().st_size < 1 << 20  # 40 MB inside, well under 1 MB on disk
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=r"jupymuse.json unpacks to 40.0 MB, over the limit of 16 MB"):
            load_model(path)
        lying = tmp_path / "lying.keras"
        lying.write_bytes(lie_about_size(path.read_bytes(), "jupymuse.json", 1000))
        with pytest.raises(ModelFileError, match="is damaged or is not a jupymuse GRU model"):
            load_model(lying)
        assert tracemalloc.get_traced_memory()[1] < 8 << 20  # nothing near the 40 MB was held
    finally:
        tracemalloc.stop()


def test_gru_weights_must_be_finite_and_fit_the_network(tmp_path: Path, small_gru: bytes) -> None:
    import h5py  # type: ignore[import-untyped]

    with zipfile.ZipFile(io.BytesIO(small_gru)) as zf:
        (tmp_path / "w.h5").write_bytes(zf.read("model.weights.h5"))
    for value in (np.nan, np.inf):
        with h5py.File(tmp_path / "w.h5", "r+") as f:
            f["layers/dense/vars/0"][0, 0] = value
        path = _gru_with(tmp_path, small_gru, {"model.weights.h5": (tmp_path / "w.h5").read_bytes()})
        with pytest.raises(ModelFileError, match=r"the weights of '.*' are not all finite numbers \(NaN or infinity\)"):
            load_model(path)
    with h5py.File(tmp_path / "w.h5", "r+") as f:
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", shape=(100_000, 10_000), dtype="f4", compression="gzip")
    path = _gru_with(tmp_path, small_gru, {"model.weights.h5": (tmp_path / "w.h5").read_bytes()})
    with pytest.raises(ModelFileError, match=r"shape \(its settings make [\d,]+ weights, its weights file holds more"):
        load_model(path)
    (tmp_path / "w.h5").write_bytes(b"not HDF5")
    with pytest.raises(ModelFileError, match="weights file cannot be read"):
        load_model(_gru_with(tmp_path, small_gru, {"model.weights.h5": (tmp_path / "w.h5").read_bytes()}))


def test_the_network_is_built_from_our_settings_not_from_keras_config(tmp_path: Path, small_gru: bytes) -> None:
    path = _gru_with(tmp_path, small_gru, {"config.json": b'{"class_name": "Lambda"}', "metadata.json": None})
    model = load_model(path)
    assert isinstance(model, GRUModel)
    assert model.config == SMALL
    assert np.isfinite(model.log_prob(mel("C4:4 D4 E4")).note).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"order": "2"}, r"'order' must be a whole number from 0 to 12, not '2'"),
        ({"steps_per_quarter": 4.5}, r"'steps_per_quarter' must be a whole number from 1 to 960"),
        ({"context": None}, r"'context' must be 'note' or 'pitch', not None"),
        ({"pitches": [60, 200]}, r"'pitches\[1\]' must be a whole number from 0 to 128, not 200"),
        ({"n_events": math.nan}, r"'n_events' must be a whole number from 1 to 1,000,000,000,000, not nan"),
        ({"surprise": 1}, r"has an unknown field 'surprise'"),
    ],
)
def test_markov_fields_are_checked(tmp_path: Path, change: dict[str, object], message: str) -> None:
    data = {**MarkovModel(1).fit([mel("C4:4 D4 E4 C4")]).to_dict(), **change}
    (tmp_path / "m.json").write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match=message):
        load_model(tmp_path / "m.json")


@pytest.mark.parametrize("count", [-1, 0, 1e300, 2.0, 10**13, None, True])
def test_markov_counts_must_be_positive_whole_numbers(tmp_path: Path, count: object) -> None:
    data = MarkovModel(1).fit([mel("C4:4 D4 E4 C4")]).to_dict()
    data["pitch_counts"][-1][1][0][1] = count
    (tmp_path / "m.json").write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match=r"'pitch_counts\[\d+\]' must be counts"):
        load_model(tmp_path / "m.json")  # before: loaded, then log_prob raised ZeroDivisionError or gave NaN


def test_markov_contexts_must_be_made_of_what_was_seen(tmp_path: Path) -> None:
    data = MarkovModel(2).fit([mel("C4:4 D4 E4 C4")]).to_dict()
    for bad in ([[61, 4]], [[60, 4], [60, 4], [60, 4]], [[-1, 5]], [[True, 4]]):
        data2 = json.loads(json.dumps(data))
        data2["pitch_counts"][-1][0] = bad
        (tmp_path / "m.json").write_text(json.dumps(data2))
        with pytest.raises(ModelFileError, match=r"'pitch_counts\[\d+\]' must be a context of at most 2 events"):
            load_model(tmp_path / "m.json")
    data["duration_counts"].append(data["duration_counts"][0])
    (tmp_path / "m.json").write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match="must be a context not listed before"):
        load_model(tmp_path / "m.json")


def test_markov_file_size_is_limited_on_save_and_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = MarkovModel(1).fit([mel("C4:4 D4 E4 C4")])
    path = model.save(tmp_path / "m.json")
    monkeypatch.setattr(markov, "MAX_MARKOV_BYTES", 100)
    with pytest.raises(jupymuse.errors.ModelError, match="over the 0 MB that load_model reads"):
        model.save(tmp_path / "m2.json")
    monkeypatch.setattr(loading, "MAX_MARKOV_BYTES", 100)
    with pytest.raises(ModelFileError, match="is too large"):
        load_model(path)


def test_model_files_get_the_same_permissions(tmp_path: Path, small_gru: bytes) -> None:
    old = os.umask(0o022)
    try:
        markov_path = MarkovModel(1).fit([mel("C4:4 D4 E4 C4")]).save(tmp_path / "m.json")
        gru_path = load_model(_gru_with(tmp_path, small_gru, {})).save(tmp_path / "g.keras")
        assert stat.S_IMODE(markov_path.stat().st_mode) == stat.S_IMODE(gru_path.stat().st_mode) == 0o644
        os.chmod(markov_path, 0o640)  # replacing a file keeps its mode
        MarkovModel(1).fit([mel("C4:4 D4 E4 C4")]).save(markov_path)
        assert stat.S_IMODE(markov_path.stat().st_mode) == 0o640
    finally:
        os.umask(old)
