"""Bugs the fuzz targets of issue 21 found (``python -m tests.fuzz``), each pinned by its reproducer.

* ``models``: a model file whose recommended settings name a style the model does not know (``Irish``,
  ``folk``), or ``ending="model"`` for a model that never learned endings, loaded and then refused
  every ``generate()`` with its own settings (the Studio and the CLI start from them).
* ``styles``: a primer without notes on another grid than the model's (``generate(None)`` from a Markov
  chain fitted on 12 steps per quarter; ``Melody(steps_per_quarter=8)`` for the GRU) gave a melody on
  the primer's grid holding the model's durations: three times too slow, or twice too fast; and
  ``seed=-1`` raised numpy's ``ValueError: expected non-negative integer`` from inside the sampler.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from jupymuse import MarkovModel, Melody, load_default
from jupymuse.errors import ModelError, ModelFileError
from jupymuse.models import load_model
from jupymuse.models.default import default_model_path


def _shipped_with(tmp_path: Path, sampling: dict[str, object]) -> Path:
    """The shipped GRU's file with some recommended settings changed."""
    path = tmp_path / "changed.keras"
    with zipfile.ZipFile(default_model_path()) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "jupymuse.json":
                meta = json.loads(data)
                meta["sampling"].update(sampling)
                data = json.dumps(meta).encode()
            dst.writestr(info.filename, data)
    return path


@pytest.mark.parametrize("style", ["Irish", "folk", {"irish": 1, "folk": 1}])
def test_a_gru_file_recommending_a_style_it_does_not_know_is_refused(tmp_path: Path, style: object) -> None:
    with pytest.raises(ModelFileError, match=r"damaged: in 'sampling', the model knows no style"):
        load_model(_shipped_with(tmp_path, {"style": style}))


def test_a_gru_file_recommending_its_own_styles_loads_and_composes_with_them(tmp_path: Path) -> None:
    mix = {"irish": 1e308, "chorale": 1e308}  # huge but equal: half and half
    model = load_model(_shipped_with(tmp_path, {"style": mix, "ending": "model"}))
    assert model.sampling.style == mix  # type: ignore[attr-defined]
    assert len(model.generate("G4:4 A4:4", 8, seed=0)) == 1


@pytest.mark.parametrize(
    ("sampling", "message"),
    [({"style": "irish"}, "knows no styles"), ({"ending": "model"}, "has not learned where melodies end")],
)
def test_a_markov_file_recommending_what_a_chain_cannot_do_is_refused(
    tmp_path: Path, sampling: dict[str, object], message: str
) -> None:
    chain = MarkovModel(1).fit([Melody.from_notation("C4:4 D4:4 E4:4 G4:8")])
    data = json.loads(chain.save(tmp_path / "m.json").read_text())
    data["sampling"].update(sampling)
    (tmp_path / "m.json").write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match=rf"damaged: in 'sampling', the model {message}"):
        load_model(tmp_path / "m.json")


def test_a_primer_without_notes_gives_a_melody_on_the_models_grid() -> None:
    chain = MarkovModel(1).fit([Melody.from_notation("C4:12 D4:6 E4:6 F4:24 G4:12", steps_per_quarter=12)] * 3)
    melody = chain.generate(None, 5, seed=0)[0]
    assert melody.steps_per_quarter == 12  # was 4: every note three times too long
    assert {n.duration for n in melody.notes} <= {6, 12, 24}
    in_three = chain.generate(Melody(steps_per_quarter=4, time_signature=(3, 4), key="D major"), 5, seed=0)[0]
    assert (in_three.steps_per_quarter, in_three.time_signature, str(in_three.key)) == (12, (3, 4), "D major")
    gru = load_default()
    melody = gru.generate(Melody(steps_per_quarter=8, time_signature=(7, 16)), seed=0, bars=2)[0]
    assert (melody.steps_per_quarter, melody.time_signature) == (4, (7, 16))
    assert melody.end <= 14  # two bars of 7/16: 7 steps each on the model's grid (was 14 steps of 8 per quarter)
    with pytest.raises(ModelError, match=r"a bar of 7/32 is 3.5 grid steps at 4 steps per quarter"):
        gru.generate(Melody(steps_per_quarter=8, time_signature=(7, 32)), seed=0, bars=2)


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_a_seed_that_is_not_a_whole_number_of_at_least_0_is_refused_by_name(seed: object) -> None:
    chain = MarkovModel(1).fit([Melody.from_notation("C4:4 D4:4 E4:4 G4:8")])
    for model in (load_default(), chain):
        with pytest.raises(ModelError, match=r"seed must be a whole number of at least 0"):
            model.generate("C4:4", 4, seed=seed)  # type: ignore[arg-type]


def test_numpy_and_huge_whole_seeds_are_seeds() -> None:
    import numpy as np

    model = load_default()
    assert model.generate("C4:4", 6, seed=np.int64(3)) == model.generate("C4:4", 6, seed=3)
    assert model.generate("C4:4", 6, seed=2**70) == model.generate("C4:4", 6, seed=2**70)
