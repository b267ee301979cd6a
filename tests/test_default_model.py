"""The shipped default GRU: present, small, loadable without training, used by the CLI."""

from pathlib import Path

import numpy as np
import pytest

import jupymuse
from jupymuse import read_midi
from jupymuse.cli import main
from jupymuse.corpus.builtin_styles import STYLE_CORPORA
from jupymuse.models import GRUConfig, GRUModel
from jupymuse.models.default import default_model_path, default_styles


def test_default_model_ships_small_and_loads() -> None:
    path = default_model_path()
    assert path.is_file()
    assert path.stat().st_size <= 5_000_000
    model = jupymuse.load_default()
    assert isinstance(model, GRUModel)
    assert model.is_fitted
    assert model.config == GRUConfig(styles=tuple(STYLE_CORPORA))  # scripts/train_default.py's settings
    assert model.styles == ("chorale", "german", "chinese", "irish")
    assert model.can_end
    assert default_styles() == model.styles  # read from the file's settings alone
    assert jupymuse.load_default() is model  # loaded once per process
    assert jupymuse.load_default(fresh=True) is not model
    assert model.history is not None
    assert model.history.epochs


def test_default_model_continues_a_chorale_opening_in_key() -> None:
    model = jupymuse.load_default()
    melodies = model.generate("G4:4 G4:4 D5:4 D5:4", 32, n=4, temperature=0.8, seed=0)
    metrics = jupymuse.evaluate.describe(melodies)
    assert metrics.scale_consistency > 0.8  # it learned tonality, not noise
    assert 1 <= metrics.mean_abs_interval <= 4  # mostly steps, like the corpora (1.9 chorales, 2.2 folk)
    assert all(m.notes[0].start == 0 for m in melodies)  # starts where it sounds: no primer-long rest


def test_cli_generates_with_the_default_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "melody.mid"
    args = ["generate", "--model", "default", "--primer", "G4:4 G4:4 D5:4 D5:4", "--length", "16", "--seed", "0"]
    assert main([*args, "--out", str(out)]) == 0
    melody = read_midi(out)
    assert melody.to_notation().startswith("G4:4 G4:4 D5:4 D5:4")
    assert len(melody) > 4


def test_the_default_model_composes_in_each_style_and_ends_on_its_final() -> None:
    model = jupymuse.load_default()
    primer = jupymuse.Melody.from_notation("G4:4 A4 B4 D5", key="G major")
    for style in model.styles:
        [melody] = model.generate(primer, bars=4, ending="cadence", style=style, seed=1)
        if style != "chinese":  # the Chinese songs' modes end on other degrees too (ending_choice.py)
            assert melody.notes[-1].pitch % 12 == 7
        assert (primer.end + melody.end) % primer.steps_per_bar == 0


def test_the_model_ends_on_a_note_of_the_final_it_expects_and_never_empty() -> None:
    from jupymuse.models.ending_choice import final_class
    from jupymuse.models.generation import style_weights
    from jupymuse.models.gru_endings import end_hazards

    model = jupymuse.load_default()
    primer = jupymuse.Melody.from_notation("G4:4 A4 B4 D5")
    weights = style_weights(model.styles, "irish", model.name)
    # strength 1: the model's own end probabilities
    np.testing.assert_allclose(
        end_hazards(model, primer, weights, 1.0), model.end_probabilities(primer, style="irish"), atol=1e-9
    )
    assert not np.allclose(end_hazards(model, primer, weights, 3.0), end_hazards(model, primer, weights, 1.0))
    outs = model.generate(primer, 128, ending="model", n=12, seed=4, style="irish")
    assert all(len(o) for o in outs)
    hazards = model._end_hazards(model._request(primer, model.sampling.replace(style="irish"), 1, 4, False)[0])
    assert hazards is not None
    finals = [final_class(primer.then(o), hazards) for o in outs]
    assert sum(o.notes[-1].pitch % 12 == f for o, f in zip(outs, finals, strict=True)) >= 9
    assert np.median([len(o) for o in outs]) < 128  # stopped by the model, not the room
