"""One sampling definition: ``SamplingSettings`` checks every field once, model files carry the recommended
settings, and one seed gives one melody from ``generate()``, the Studio and the CLI, none of them importing
TensorFlow."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, get_type_hints

import nbformat
import pytest
from nbclient import NotebookClient

import jupymuse
from jupymuse.errors import ModelError, ModelFileError
from jupymuse.models import MarkovModel, load_model
from jupymuse.models.protocol import SamplingOptions
from jupymuse.models.sampling_settings import SamplingSettings
from jupymuse.studio import StudioController

PRIMER = "G4:4 G4:4 D5:4 D5:4"
LESSONS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("temperature", -1, "temperature must be a number from 0 to 100"),
        ("temperature", float("nan"), "temperature must be a number from 0 to 100"),
        ("top_k", 0, "top_k must be a whole number from 1 to 129"),
        ("top_k", 2.5, "top_k must be a whole number from 1 to 129"),  # issue 21, case 7: wrong types too
        ("temperature", None, "temperature must be a number from 0 to 100"),
        ("scale", 5, "scale must be a key like 'G major'"),
        ("top_p", 0, "top_p must be a number more than 0 and at most 1"),
        ("duration_top_p", 1.5, "duration_top_p must be a number more than 0"),
        ("duration_temperature", "hot", "duration_temperature must be a number from 0 to 100"),
        ("pitch_range", (70, 60), "pitch_range must be two MIDI numbers"),
        ("scale", "H major", "scale must be a key like 'G major'"),
        ("key_lock", 1, "key_lock must be True or False"),
        ("style", {"irish": -1}, "the weight of style 'irish' must be a finite number of at least 0"),
        ("style", 5, "style must be a style name or a dict"),
        ("ending", "fade", "ending must be one of 'cut', 'model', 'cadence'"),
        ("length", 10**6, "length must be a whole number from 0 to 8,192"),
        ("bars", 0, "bars must be a whole number from 1 to 512"),
    ],
)
def test_each_bad_field_is_named_with_its_limit(field: str, value: Any, words: str) -> None:
    with pytest.raises(ModelError, match="^" + words.replace("(", r"\(")):
        SamplingSettings().replace(**{field: value})
    with pytest.raises(ModelError, match="^" + words.replace("(", r"\(")):
        jupymuse.load_default().generate(PRIMER, **{field: value})  # the same check, before any work


def test_style_weights_too_large_or_overflowing_are_handled(tmp_path: Path) -> None:
    """Issue 21, case 6: a weight too large for a float is refused by name; two huge weights still mix."""
    model = jupymuse.load_default()
    with pytest.raises(ModelError, match="the weight of style 'chorale' must be a finite number of at least 0"):
        model.generate(PRIMER, 4, style={"chorale": 10**400})
    with pytest.raises(ModelError, match="the weight of style 'irish' must be a finite number"):
        model.log_prob(jupymuse.Melody.from_notation(PRIMER), style={"irish": float("inf")})
    huge = model.generate(PRIMER, 8, seed=1, style={"chorale": 1e308, "irish": 1e308})
    assert huge == model.generate(PRIMER, 8, seed=1, style={"chorale": 1, "irish": 1})  # a mix, not "no style"


@pytest.mark.parametrize(("metre", "spq"), [((7, 32), 4), ((5, 32), 4), ((3, 64), 4), ((5, 8), 1), ((3, 8), 1)])
def test_bars_and_cadences_need_a_bar_of_whole_steps(metre: tuple[int, int], spq: int) -> None:
    """Issue 21, case 8: a bar that is not whole grid steps would end a length in bars or a cadence off the bar line."""
    chain = MarkovModel(1).fit([jupymuse.Melody.from_notation("C4:4 D4:4 E4:4 C4:4", steps_per_quarter=spq)])
    primer = jupymuse.Melody.from_notation("C4:4 D4:4", steps_per_quarter=spq).replace(time_signature=metre)
    for options in ({"bars": 2}, {"ending": "cadence"}):
        with pytest.raises(ModelError, match=f"a bar of {metre[0]}/{metre[1]} is .* grid steps .* not a whole number"):
            chain.generate(primer, 8, **options)
    assert len(chain.generate(primer, 8, seed=0)[0]) > 0  # a length in events still works


def test_unknown_settings_are_refused_with_the_closest_name() -> None:
    with pytest.raises(ModelError, match="did you mean 'temperature'"):
        SamplingSettings().replace(temprature=1.0)
    with pytest.raises(ModelError, match="did you mean 'top_p'"):
        MarkovModel(1).fit([jupymuse.Melody.from_notation(PRIMER)]).generate(PRIMER, top_pp=0.5)  # type: ignore[call-arg]


def test_generate_keywords_are_the_settings_fields() -> None:
    assert set(get_type_hints(SamplingOptions)) == {f.name for f in dataclasses.fields(SamplingSettings)}


def test_a_setting_left_out_is_the_models_and_one_given_replaces_it() -> None:
    model = jupymuse.load_default()
    recommended = SamplingSettings(temperature=0.95, top_p=0.98, style_strength=2.0)
    assert model.sampling == recommended  # stored in default.keras
    shipped = model.generate(PRIMER, 24, seed=3, style="irish")
    assert shipped == model.generate(PRIMER, 24, seed=3, style="irish", temperature=0.95, top_p=0.98)
    assert shipped == model.generate(PRIMER, 24, seed=3, sampling=recommended.replace(style="irish"))
    assert shipped != model.generate(PRIMER, 24, seed=3, style="irish", style_strength=1.0)
    assert shipped != model.generate(PRIMER, 24, seed=3, top_p=None)  # explicitly off: the whole distribution


def test_model_files_keep_their_recommended_settings(tmp_path: Path) -> None:
    chain = MarkovModel(1).fit([jupymuse.Melody.from_notation(PRIMER + " A4:4 B4:8")])
    chain.sampling = SamplingSettings(temperature=0.7, top_k=3, key_lock=True, style=None, length=12)
    again = load_model(chain.save(tmp_path / "m.json"))
    assert again.sampling == chain.sampling  # type: ignore[attr-defined]
    assert len(again.generate(PRIMER, seed=0)[0]) <= 12
    data = json.loads((tmp_path / "m.json").read_text())
    data["sampling"]["top_p"] = 7
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match=r"damaged: in 'sampling', top_p must be a number more than 0"):
        load_model(tmp_path / "bad.json")
    del data["sampling"]
    data["version"] = 1  # a file written before models stored their settings
    (tmp_path / "old.json").write_text(json.dumps(data))
    assert load_model(tmp_path / "old.json").sampling == SamplingSettings()  # type: ignore[attr-defined]


def test_a_gru_file_from_before_settings_were_stored_loads_as_trained(tmp_path: Path) -> None:
    """The shipped file rewritten as version 1 wrote it (no ``sampling``): it loads, with temperature 1."""
    from jupymuse.models.default import default_model_path

    old = tmp_path / "old.keras"
    with zipfile.ZipFile(default_model_path()) as src, zipfile.ZipFile(old, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "jupymuse.json":
                meta = json.loads(data)
                del meta["sampling"]
                data = json.dumps({**meta, "version": 1}).encode()
            dst.writestr(info.filename, data)
    model = load_model(old)
    assert model.sampling == SamplingSettings()  # type: ignore[attr-defined]
    assert model.generate(PRIMER, 8, seed=0) == jupymuse.load_default().generate(
        PRIMER, 8, seed=0, temperature=1.0, top_p=None
    )


def test_one_seed_one_melody_in_python_the_studio_and_the_cli(tmp_path: Path) -> None:
    python = jupymuse.load_default().generate(PRIMER, 24, seed=5)[0].to_notation()
    studio = StudioController("default", PRIMER).generate(24, seed=5)[0].to_notation()  # 4 candidates, the first
    args = [
        "generate",
        "--primer",
        PRIMER,
        "--length",
        "24",
        "--seed",
        "5",
        "--no-primer",
        "--out",
        str(tmp_path / "m.mid"),
    ]
    cli = subprocess.run([sys.executable, "-m", "jupymuse", *args], capture_output=True, text=True, check=True).stdout
    assert cli.strip().endswith(": " + python)
    assert studio == python


CHECK = "import sys\nprint('tensorflow' in sys.modules, 'keras' in sys.modules)"


def test_the_cli_composes_without_tensorflow(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom jupymuse.cli import main\n"
        f"code = main(['generate', '--primer', 'G4:4', '--length', '8', '--out', {str(tmp_path / 'x.mid')!r}])\n"
        + CHECK
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False False"


@pytest.mark.slow
@pytest.mark.parametrize(
    "lesson", ["00_quickstart", "01_notes_and_midi", "02_markov_chains", "04_sampling_and_creativity"]
)
def test_the_first_lessons_never_import_tensorflow(lesson: str) -> None:
    """Run the lesson in a real kernel, then ask the kernel whether TensorFlow was imported."""
    nb = nbformat.read(LESSONS / f"{lesson}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(CHECK))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(LESSONS)}}).execute()
    outputs = nb.cells[-1].outputs
    assert outputs[0]["text"].strip() == "False False"
