"""The jupymuse command, run in-process through main() and once as a real subprocess."""

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from jupymuse import GRUModel, Melody, load_model, read_midi
from jupymuse.cli import main
from jupymuse.errors import OutputError
from jupymuse.music import as_melody


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
    assert 1.0 < result["pitch_bits_per_melody"] < 4.0
    assert 0 < result["twin_free_melodies"] <= result["melodies"]
    assert 1.0 < result["twin_free_pitch_bits_per_note"] < 4.0
    assert 0 < result["twin_free_notes"] <= result["notes"]


def test_evaluate_prints_the_per_melody_and_twin_free_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "markov", "--order", "1", "--corpus", "essen:kinder", "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "pitch, mean over melodies:" in out
    assert "pitch, twin-free:" in out
    assert "with no near-twin in their training folds" in out


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
    assert main(args) == 2  # an existing file is replaced only with --force
    assert "already exists (add --force" in capsys.readouterr().err
    out.write_bytes(b"old")
    assert main([*args, "--force"]) == 0
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
    assert capsys.readouterr().err.startswith(
        "error: argument name: there is no built-in corpus or folder called 'beatles'"
    )
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["generate", "--model", str(bad), "--out", str(tmp_path / "x.mid")]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["generate", "--corpus", "essen:kinder", "--primer", "H9:4", "--out", str(tmp_path / "x.mid")]) == 2
    assert "not a pitch" in capsys.readouterr().err
    assert main(["generate", "--scale", "H major", "--out", str(tmp_path / "x.mid")]) == 2
    assert "argument --scale: must be a key like 'G major'" in capsys.readouterr().err


def test_every_command_has_help() -> None:
    for cmd in (
        ["--help"],
        ["corpus", "--help"],
        ["corpus", "info", "--help"],
        ["evaluate", "markov", "--help"],
        ["generate", "--help"],
        ["fill", "--help"],
        ["vary", "--help"],
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


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert 0 < result["pitch_bits_per_melody"] < 8
    assert result["twin_free_melodies"] <= 9
    assert result["baseline"]["twin_free_melodies"] == result["twin_free_melodies"]
    # the same networks with the short-term model, mixed as chosen on each fold's validation melodies
    assert 0 < result["short_term"]["pitch_bits_per_note"] < 8
    assert len(result["short_term"]["per_fold_pitch_bits"]) == 3
    assert result["short_term"]["twin_free_melodies"] == result["twin_free_melodies"]
    assert main([*args, "--embedding", "4", "--networks", "2"]) == 0
    text = capsys.readouterr().out
    assert "ensemble of 2 x GRU" in text
    assert "with the short-term model (mixed as chosen on each fold's validation melodies)" in text


# ---------------------------------------------------------------------- hardening (issue 12, case 9)
REFUSED_BEFORE_LOADING = [
    (["generate", "--temperature", "-1"], "argument --temperature: must be a number from 0 to 100, not -1.0"),
    (["generate", "--top-p", "2"], "argument --top-p: must be a number more than 0 and at most 1"),
    (["generate", "-n", "0"], "argument -n: must be from 1 to 4096, not 0"),
    (["generate", "--length", "1000000"], "argument --length: must be a whole number from 0 to 8,192"),
    (["generate", "-n", "17", "--length", "8192"], "argument -n: 17 melodies of --length 8192 are 139264 events"),
    (["generate", "--model", "defualt"], "did you mean 'default'?"),
    (["generate", "--model", "markov", "--seed", "-1"], "argument --seed: must be from 0 to 2147483647, not -1"),
    (["generate", "--model", "markov", "--corpus", "bach-choral"], "did you mean 'bach-chorales'?"),
    (["generate", "--primer", "H9:4"], "argument --primer: 'H9' is not a pitch"),
    (
        ["generate", "--pitch-range", "70", "60"],
        "argument --pitch-range: must be two MIDI numbers (low, high) with 0 <= low <= high",
    ),
    (["generate", "--pitch-range", "61", "61", "--scale", "C major"], "has no note of C major"),
    (["generate", "--out", "{tmp}/missing/x.mid"], "argument --out: the folder '{tmp}/missing' does not exist"),
    (["generate", "--out", "{tmp}"], "argument --out: '{tmp}' is a folder"),
    (["generate", "--out", "{tmp}/file.txt/x.mid"], "argument --out: '{tmp}/file.txt' is not a folder"),
    (["evaluate", "markov", "--folds", "0"], "argument --folds: must be at least 2, not 0"),
    (["evaluate", "markov", "--folds", "1"], "argument --folds: must be at least 2, not 1"),
    (["evaluate", "gru", "--hidden", "100000"], "argument --hidden: must be from 1 to 4096"),
    (["train", "gru", "--from", "defualt"], "did you mean 'default'?"),
    (["train", "gru", "--out", "{tmp}/missing/g.keras"], "the folder '{tmp}/missing' does not exist"),
    (["train", "gru", "--out", "{tmp}/g.json"], "argument --out: must name a .keras file"),
    (["train", "markov", "--out", "{tmp}/missing/m.json"], "the folder '{tmp}/missing' does not exist"),
    (["train", "markov", "--order", "13"], "argument --order: must be from 0 to 12, not 13"),
    # issue 21, case 10: styles and the --from file are checked before a corpus or model loads
    (["generate", "--style", "Irish"], "the model knows no style 'Irish'; its styles are: chorale, german"),
    (["generate", "--style", "iirsh"], "did you mean 'irish'?"),
    (["generate", "--model", "markov", "--style", "irish"], "argument --style: a Markov chain knows no styles"),
    (["generate", "--style", "chorale=0"], "argument --style: a style mix needs at least one weight above 0"),
    (["train", "gru", "--from", "{tmp}/corrupt.keras", "--out", "{tmp}/g.keras"], "is damaged or is not a jupymuse"),
    # issue 24: fill and vary check the span against the melody, and an ABC primer is read, without music21
    (["fill", "--primer", "C4:4 D4", "--span", "4:4"], "argument --span: steps 4-4: the span [4, 4) is empty"),
    (["vary", "--primer", "C4:4 D4", "--bars", "2"], "argument --bars: bar 2 (steps 16-32, 16 a bar): the span"),
    (["fill", "--primer", "C4:8", "--span", "0:4", "--style", "iirsh"], "argument --span: steps 0-4: the span's end"),
    (["fill", "--primer-file", "{tmp}/tune.abc", "--bars", "2"], "runs past the melody's end at step 16"),
    (
        ["generate", "--primer-file", "{tmp}/tune.abc", "--tune", "2"],
        "argument --tune: '{tmp}/tune.abc' has no tune X:2",
    ),
]

_RUN_ALL = """
import contextlib, io, json, sys
from jupymuse.cli import main
from jupymuse.errors import OutputError
results = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = main(argv)
    results.append([rc, err.getvalue()])
print(json.dumps({"results": results, "loaded": [m for m in ("tensorflow", "keras", "music21") if m in sys.modules]}))
"""


def test_every_refusal_is_one_error_line_naming_the_flag_before_tensorflow_loads(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("not a folder")
    (tmp_path / "corrupt.keras").write_bytes(b"PK not a zip")
    (tmp_path / "tune.abc").write_text("X:1\nM:4/4\nL:1/4\nK:G\nGABc|]\n", encoding="utf-8")
    cases = [
        ([a.replace("{tmp}", str(tmp_path)) for a in argv], w.replace("{tmp}", str(tmp_path)))
        for argv, w in REFUSED_BEFORE_LOADING
    ]
    argvs = json.dumps([argv for argv, _ in cases])
    done = subprocess.run(
        [sys.executable, "-c", _RUN_ALL, argvs], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    report = json.loads(done.stdout)
    for (argv, wanted), (rc, err) in zip(cases, report["results"], strict=True):
        assert rc == 2, argv
        assert err.startswith("error: "), (argv, err)
        assert err.count("\n") == 1, (argv, err)
        assert wanted in err, (argv, err)
    assert report["loaded"] == []  # every refusal came before TensorFlow (12-20 s) or a corpus conversion
    assert not (tmp_path / "missing").exists()  # no folder is created, by generate or train


def test_help_states_the_exit_status_and_output_rules() -> None:
    done = subprocess.run([sys.executable, "-m", "jupymuse", "generate", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "exit status: 0 done; 1 the work failed" in text
    assert "2 the command cannot be carried out as given" in text
    assert "130 interrupted by Ctrl-C" in text
    assert "replaced only with --force, and never when it is an input" in text


def test_evaluate_refuses_more_folds_than_melodies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "markov", "--corpus", "essen:kinder", "--folds", "1000"]) == 2
    err = capsys.readouterr().err
    assert err == "error: argument --folds: 1000 folds need 1000 melodies; essen:kinder has 213\n"


def _markov_file(tmp_path: Path) -> Path:
    model = tmp_path / "m.json"
    assert main(["train", "markov", "--corpus", "essen:kinder", "--out", str(model)]) == 0
    return model


def test_existing_files_are_replaced_only_with_force_and_inputs_never(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _markov_file(tmp_path)
    saved = model.read_bytes()
    assert main(["train", "markov", "--corpus", "essen:kinder", "--out", str(model)]) == 2
    assert f"'{model}' already exists (add --force to replace it)" in capsys.readouterr().err
    for force in ([], ["--force"]):
        assert main(["generate", "--model", str(model), "--out", str(model), *force]) == 2
        assert f"'{model}' is the --model file: write to another file" in capsys.readouterr().err
    assert model.read_bytes() == saved
    songs = _write_midi_folder(tmp_path / "songs", 3)
    song = songs / "0.mid"
    before = song.read_bytes()
    gen = ["generate", "--model", "markov", "--corpus", str(songs), "--length", "4", "--seed", "0"]
    assert main([*gen, "--out", str(song), "--force"]) == 2
    assert "is one of the --corpus MIDI files" in capsys.readouterr().err
    assert song.read_bytes() == before
    (tmp_path / "g-2.mid").write_bytes(b"keep")
    assert main([*gen, "-n", "2", "--out", str(tmp_path / "g.mid")]) == 2  # checked before the first is written
    assert f"'{tmp_path / 'g-2.mid'}' already exists" in capsys.readouterr().err
    assert not (tmp_path / "g-1.mid").exists()
    assert main([*gen, "-n", "2", "--out", str(tmp_path / "g.mid"), "--force"]) == 0
    assert read_midi(tmp_path / "g-2.mid").notes
    assert main(["generate", "--model", str(model), "--out", "/dev/null", "--force"]) == 2
    assert "'/dev/null' is not a regular file" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a folder nobody may write in (/sys on Linux)")
def test_an_unwritable_folder_is_refused_before_any_work(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "markov", "--corpus", "essen:kinder", "--out", "/sys/m.json"]) == 2
    assert capsys.readouterr().err == "error: argument --out: cannot write in the folder '/sys' (Permission denied)\n"


def test_a_length_past_the_models_longest_melody_is_refused_before_sampling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    songs = tmp_path / "long"
    songs.mkdir()
    for i in range(3):
        as_melody(f"C4:256 D4:128 E4:256 r:64 F4:{192 + i}").to_midi(songs / f"{i}.mid")
    args = ["generate", "--model", "markov", "--corpus", str(songs), "--out", str(tmp_path / "x.mid")]
    assert main([*args, "--length", "8192"]) == 2
    err = capsys.readouterr().err
    assert "argument --length: 8192 events of up to 256 steps could run past a melody's limit of 1048576" in err
    assert "use --length 4096 or less with this model" in err
    assert not (tmp_path / "x.mid").exists()


def test_a_failed_write_is_one_error_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "x.mid"

    def disk_full(self: Melody, path: Path) -> None:  # a full disk cannot be arranged here
        raise OutputError(f"cannot write {str(path)!r}: {os.strerror(errno.ENOSPC)}")

    monkeypatch.setattr(Melody, "to_midi", disk_full)
    assert main(["generate", "--model", "markov", "--corpus", "essen:kinder", "--length", "4", "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"error: cannot write '{out}': No space left on device\n"

    def io_error(self: Melody, path: Path) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(Melody, "to_midi", io_error)
    assert main(["generate", "--model", "markov", "--corpus", "essen:kinder", "--length", "4", "--out", str(out)]) == 1
    assert capsys.readouterr().err == "error: I/O error\n"


TINY = ["--hidden", "8", "--embedding", "4", "--epochs", "2", "--batch-size", "4"]


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, batches: int) -> None:
    """Ctrl-C (a KeyboardInterrupt) from the training callback after ``batches`` batches (0: at the start)."""
    from jupymuse.models.training import Progress

    def ctrl_c(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if batches == 0:
        monkeypatch.setattr(Progress, "on_train_begin", ctrl_c)
        return
    after_batch = Progress.on_train_batch_end

    def end_of_batch(self: Progress, batch: int, logs: dict[str, object] | None = None) -> None:
        after_batch(self, batch, logs)
        if self.step >= batches:
            raise KeyboardInterrupt

    monkeypatch.setattr(Progress, "on_train_batch_end", end_of_batch)


@pytest.mark.slow
def test_ctrl_c_in_train_gru_saves_the_weights_and_exits_130(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write_midi_folder(tmp_path / "songs", 12)
    out = tmp_path / "g.keras"
    _interrupt_after(monkeypatch, 2)
    assert main(["train", "gru", "--corpus", str(folder), *TINY, "--out", str(out)]) == 130
    captured = capsys.readouterr()
    assert (
        "interrupted after 2 batches; saving the latest weights (Ctrl-C is ignored until it is written)" in captured.err
    )
    assert captured.err.endswith(f"saved the latest weights to {out}\n")
    assert "Training interrupted" not in captured.out  # one account of what happened, not two
    saved = load_model(out)
    assert isinstance(saved, GRUModel)
    assert saved.is_fitted


@pytest.mark.slow
def test_a_second_ctrl_c_during_the_save_never_drops_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21, case 10: the save promised after the first Ctrl-C is written even if Ctrl-C comes again."""
    folder = _write_midi_folder(tmp_path / "songs", 12)
    out = tmp_path / "g.keras"
    _interrupt_after(monkeypatch, 2)
    save = GRUModel.save

    def impatient(self: GRUModel, path: Path) -> Path:
        os.kill(os.getpid(), signal.SIGINT)  # the student presses Ctrl-C again while the file is written
        return save(self, path)

    monkeypatch.setattr(GRUModel, "save", impatient)
    assert main(["train", "gru", "--corpus", str(folder), *TINY, "--out", str(out)]) == 130
    assert capsys.readouterr().err.endswith(f"saved the latest weights to {out}\n")
    assert isinstance(load_model(out), GRUModel)


def test_ctrl_c_before_the_first_batch_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write_midi_folder(tmp_path / "songs", 12)
    out = tmp_path / "g.keras"
    _interrupt_after(monkeypatch, 0)
    assert main(["train", "gru", "--corpus", str(folder), *TINY, "--out", str(out)]) == 130
    captured = capsys.readouterr()
    assert captured.err.endswith("interrupted before the first batch: nothing was trained and nothing written\n")
    assert "saved" not in captured.err + captured.out
    assert not out.exists()


@pytest.mark.slow
def test_ctrl_c_in_evaluate_gru_stops_every_fold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write_midi_folder(tmp_path / "songs", 9)
    _interrupt_after(monkeypatch, 1)
    assert main(["evaluate", "gru", "--corpus", str(folder), "--folds", "3", *TINY, "--json"]) == 130
    captured = capsys.readouterr()
    assert captured.err.endswith("interrupted\n")
    assert captured.out == ""  # no result from a fold cut short


# ---------------------------------------------------------------------- MusicXML out (issue 14)
def test_generate_writes_musicxml_from_the_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from music21 import converter

    base = ["generate", "--model", "markov", "--corpus", "essen:kinder", "--primer", "C4:4 D4 E4", "--length", "16"]
    out = tmp_path / "x.musicxml"
    assert main([*base, "--seed", "1", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"')
    back = Melody.from_music21(converter.parse(str(out)))
    assert back.to_notation().startswith("C4:4 D4:4 E4:4")
    assert main([*base, "--seed", "1", "--out", str(tmp_path / "x.MIDI")]) == 0  # .mid/.midi stay MIDI
    assert read_midi(tmp_path / "x.MIDI").pitches == back.pitches
    capsys.readouterr()
    for name in ("x.txt", "x.mxl", "x"):
        assert main([*base, "--out", str(tmp_path / name)]) == 2
        err = capsys.readouterr().err
        assert (
            "argument --out: must end in .mid, .midi, .musicxml, .xml, .abc (MIDI, MusicXML or ABC), "
            f"not '{tmp_path / name}'" in err
        )
        assert not (tmp_path / name).exists()
