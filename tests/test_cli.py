"""The jupymuse command, run in-process through main() and once as a real subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jupymuse import read_midi
from jupymuse.cli import main


def test_corpus_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "list"]) == 0
    out = capsys.readouterr().out
    assert "bach-chorales" in out
    assert "pearce185" in out
    assert "essen" in out


def test_corpus_info_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "info", "essen:kinder", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["melodies"] == 213
    assert info["pitch_min"] < info["pitch_max"]


def test_evaluate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "markov", "--order", "2", "--corpus", "essen:kinder", "--folds", "3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert 1.0 < result["pitch_bits_per_note"] < 4.0
    assert result["folds"] == 3


def test_generate_writes_a_midi_file_with_the_primer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.mid"
    args = [
        "generate",
        "--model",
        "markov",
        "--order",
        "2",
        "--corpus",
        "essen:kinder",
        "--primer",
        "C4:2 D4 E4",
        "--length",
        "24",
        "--temperature",
        "1.0",
        "--seed",
        "0",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    melody = read_midi(out)
    assert melody.to_notation().startswith("C4:2 D4:2 E4:2")
    assert len(melody) > 3
    first = out.read_bytes()
    assert main(args) == 0
    assert out.read_bytes() == first  # same seed, same file


def test_train_then_generate_from_saved_model(tmp_path: Path) -> None:
    model = tmp_path / "m.json"
    assert main(["train", "markov", "--corpus", "essen:kinder", "--out", str(model)]) == 0
    assert (
        main(
            [
                "generate",
                "--model",
                str(model),
                "--primer",
                "G4:4",
                "-n",
                "2",
                "--seed",
                "1",
                "--out",
                str(tmp_path / "g.mid"),
            ]
        )
        == 0
    )
    assert (tmp_path / "g-1.mid").exists()
    assert (tmp_path / "g-2.mid").exists()


def test_user_errors_print_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["corpus", "info", "beatles"]) == 2
    assert capsys.readouterr().err.startswith("error: there is no built-in corpus called 'beatles'")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["generate", "--model", str(bad), "--out", str(tmp_path / "x.mid")]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["generate", "--corpus", "essen:kinder", "--primer", "H9:4", "--out", str(tmp_path / "x.mid")]) == 2
    assert "not a pitch" in capsys.readouterr().err
    assert main(["generate", "--scale", "H major", "--out", str(tmp_path / "x.mid")]) == 2
    assert "scale must be a key" in capsys.readouterr().err


def test_every_command_has_help() -> None:
    for cmd in (
        ["--help"],
        ["corpus", "--help"],
        ["corpus", "info", "--help"],
        ["evaluate", "markov", "--help"],
        ["generate", "--help"],
        ["train", "markov", "--help"],
    ):
        done = subprocess.run([sys.executable, "-m", "jupymuse", *cmd], capture_output=True, text=True, check=False)
        assert done.returncode == 0
        assert "usage: jupymuse" in done.stdout


def _write_midi_folder(folder: Path, count: int) -> Path:
    from jupymuse import load_corpus

    folder.mkdir()
    for i, m in enumerate(list(load_corpus("essen:kinder", progress=False))[:count]):
        m.to_midi(folder / f"{i}.mid")
    return folder


def test_train_gru_then_generate_with_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _write_midi_folder(tmp_path / "songs", 12)
    model = tmp_path / "tiny.keras"
    tiny = ["--hidden", "16", "--embedding", "8", "--epochs", "2", "--batch-size", "8"]
    assert main(["train", "gru", "--corpus", str(folder), *tiny, "--out", str(model)]) == 0
    assert "saved to" in capsys.readouterr().out
    out = tmp_path / "g.mid"
    args = ["generate", "--model", str(model), "--primer", "C4:2 D4 E4", "--length", "12", "--seed", "3"]
    assert main([*args, "--scale", "C major", "--out", str(out)]) == 0
    melody = read_midi(out)
    assert melody.to_notation().startswith("C4:2 D4:2 E4:2")
    assert all(p % 12 in {0, 2, 4, 5, 7, 9, 11} for p in melody.pitches)
    assert main(["train", "gru", "--corpus", str(folder), "--out", str(tmp_path / "x.json")]) == 2
    assert ".keras" in capsys.readouterr().err


def test_evaluate_gru_json_reports_the_markov_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _write_midi_folder(tmp_path / "songs", 9)
    args = ["evaluate", "gru", "--corpus", str(folder), "--folds", "3", "--epochs", "1", "--hidden", "8"]
    assert main([*args, "--embedding", "4", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["folds"] == 3
    assert len(result["per_fold_pitch_bits"]) == 3
    assert 0 < result["pitch_bits_per_note"] < 8
    assert result["baseline"]["model"].startswith("Markov order 2")
    assert 0 < result["baseline"]["pitch_bits_per_note"] < 8
