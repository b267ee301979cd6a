"""``jupymuse explain``: the top contributions to a note as text, style evidence, and its refusals, run
in-process through main() like tests/test_cli.py; ``--primer-file`` is shared with ``generate``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jupymuse import MarkovModel, load_corpus, read_midi
from jupymuse.cli import explain as explain_module
from jupymuse.cli import main
from jupymuse.models import load_default
from jupymuse.music import as_melody

TUNE = "G4:4 G4 D5 D5 E5 E5 D5:8 C5:4 C5 B4 B4 A4 A4 G4:8"
RESTS = "G4:4 r:2 G4 D5"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = main(argv)
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def test_explain_prints_the_models_own_attribution_text(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = _run(["explain", "--primer", TUNE, "--index", "6", "--top", "3"], capsys)
    assert (rc, err) == (0, "")
    expected = load_default().attribution(as_melody(TUNE), 6).to_text(3)
    assert out == expected + "\n"
    assert out.startswith("Note 7 (D5) under GRU")
    assert out.count(" bars back: ") == 3


def test_the_last_note_is_explained_by_default_and_a_step_names_the_note_sounding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    last = _run(["explain", "--primer", TUNE], capsys)[1]
    assert last == _run(["explain", "--primer", TUNE, "--index", "-1"], capsys)[1]
    assert last.startswith("Note 14 (G4)")
    assert last.count(" bars back: ") == 5  # --top defaults to 5
    by_step = _run(["explain", "--primer", RESTS, "--step", "7"], capsys)[1]  # note 2 sounds at steps 6 and 7
    assert by_step == _run(["explain", "--primer", RESTS, "--index", "1"], capsys)[1]
    assert by_step.startswith("Note 2 (G4)")


def test_style_changes_the_scoring_and_evidence_is_printed_after(capsys: pytest.CaptureFixture[str]) -> None:
    model, melody = load_default(), as_melody(TUNE)
    rc, out, _ = _run(["explain", "--primer", TUNE, "--index", "9", "--style", "irish", "--evidence"], capsys)
    assert rc == 0
    attribution = model.attribution(melody, 9, style="irish").to_text(5)
    evidence = model.style_evidence(melody).to_text("irish", k=5)
    assert out == f"{attribution}\n\n{evidence}\n"
    assert attribution != model.attribution(melody, 9).to_text(5)
    plain = _run(["explain", "--primer", TUNE, "--evidence", "--top", "2"], capsys)[1]
    evidence = model.style_evidence(melody)
    assert plain.endswith(evidence.to_text(k=2) + "\n")
    assert f"The notes that sound most {evidence.likeliest}:" in plain


def test_a_markov_chain_trained_now_listens_to_its_last_notes_only(capsys: pytest.CaptureFixture[str]) -> None:
    melody = "C4:2 D4 E4 F4 G4 A4 G4 F4 E4"
    rc, out, _ = _run(["explain", "--model", "markov", "--corpus", "essen:kinder", "--primer", melody], capsys)
    assert rc == 0
    chain = MarkovModel(2).fit(load_corpus("essen:kinder", progress=False))
    a = chain.attribution(as_melody(melody), -1)
    assert out == a.to_text(5) + "\n"
    assert out.startswith("Note 9 (E4) under Markov order 2")
    assert not a.bits[:-2].any()


def test_a_primer_file_midi_or_musicxml_reads_as_its_notation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    melody = as_melody(TUNE)
    melody.to_midi(tmp_path / "tune.mid")
    melody.to_musicxml(tmp_path / "tune.musicxml")
    text = _run(["explain", "--primer", TUNE, "--index", "8"], capsys)[1]
    for name in ("tune.mid", "tune.musicxml"):
        rc, out, err = _run(["explain", "--primer-file", str(tmp_path / name), "--index", "8"], capsys)
        assert (rc, err) == (0, ""), name
        assert out == text, name


def test_generate_continues_a_primer_file_and_never_writes_over_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    primer = tmp_path / "primer.mid"
    as_melody("C4:2 D4 E4").to_midi(primer)
    before = primer.read_bytes()
    gen = ["generate", "--model", "markov", "--corpus", "essen:kinder", "--length", "8", "--seed", "0"]
    assert main([*gen, "--primer-file", str(primer), "--out", str(primer), "--force"]) == 2
    assert f"'{primer}' is the --primer-file: write to another file" in capsys.readouterr().err
    assert primer.read_bytes() == before
    out = tmp_path / "out.mid"
    assert main([*gen, "--primer-file", str(primer), "--out", str(out)]) == 0
    assert read_midi(out).to_notation().startswith("C4:2 D4:2 E4:2")


def _files(tmp: Path) -> None:
    as_melody("C4:1 D4 " * 2500).to_midi(tmp / "long.mid")  # 5,000 notes: over attribution's limit
    (tmp / "broken.mid").write_bytes(b"MThd garbage")
    (tmp / "broken.musicxml").write_text("<score-partwise><part><measure><note>", encoding="utf-8")
    (tmp / "tune.txt").write_text(TUNE, encoding="utf-8")
    (tmp / "markov.json").write_text("{}", encoding="utf-8")  # refused by its suffix before it is read


HUGE = "C4:1 D4 " * 50_000
"""A 100,000-note melody."""
REFUSED = [
    (["--primer", TUNE, "--index", "14"], "argument --index: index 14 is not a note of this melody: it has 14 notes"),
    (["--primer", TUNE, "--index", "-15"], "index -15 is not a note of this melody"),
    (["--primer", TUNE, "--index", "5000"], "argument --index: must be from -4096 to 4095"),
    (["--primer", TUNE, "--index", "two"], "argument --index: must be a whole number"),
    (["--primer", RESTS, "--step", "5"], "argument --step: step 5 falls in a rest"),
    (["--primer", RESTS, "--step", "10"], "argument --step: step 10 is past the melody's end (step 10)"),
    (["--primer", TUNE, "--index", "1", "--step", "1"], "argument --step: not allowed with argument --index"),
    (["--primer", ""], "argument --primer: an empty melody has no note to explain"),
    (["--primer", "H9:4"], "argument --primer: 'H9' is not a pitch"),
    (
        ["--primer", HUGE],
        "argument --primer: the melody has 100,000 notes; explain takes melodies of at most 4,096",
    ),
    ([], "one of the arguments --primer --primer-file is required"),
    (
        ["--primer-file", "{tmp}/long.mid"],
        "argument --primer-file: the melody has 5,000 notes; explain takes melodies of at most 4,096",
    ),
    (["--primer-file", "{tmp}/missing.mid"], "argument --primer-file: there is no file '{tmp}/missing.mid'"),
    (["--primer-file", "{tmp}/broken.mid"], "argument --primer-file: '{tmp}/broken.mid' is damaged"),
    (["--primer-file", "{tmp}/broken.musicxml"], "'{tmp}/broken.musicxml' could not be read as MusicXML"),
    (["--primer-file", "{tmp}/tune.txt"], "argument --primer-file: must end in .mid, .midi, .musicxml, .xml"),
    (["--primer-file", "{tmp}"], "argument --primer-file: must end in"),
    (["--model", "markov", "--primer", TUNE, "--evidence"], "argument --evidence: a Markov chain knows no styles"),
    (["--model", "{tmp}/markov.json", "--primer", TUNE, "--evidence"], "argument --evidence: a Markov chain"),
    (["--model", "markov", "--primer", TUNE, "--style", "irish"], "argument --style: a Markov chain knows no styles"),
    (["--primer", TUNE, "--style", "iirsh"], "the model knows no style 'iirsh'; its styles are: chorale"),
    (["--model", "defualt", "--primer", TUNE], "did you mean 'default'?"),
    (["--model", "markov", "--corpus", "kinder", "--primer", TUNE], "argument --corpus: there is no built-in corpus"),
    (["--primer", TUNE, "--top", "0"], "argument --top: must be from 1 to 4096, not 0"),
]


@pytest.mark.parametrize(("argv", "wanted"), REFUSED, ids=[w[:40] for _, w in REFUSED])
def test_bad_input_is_one_error_line_before_any_model_loads(
    argv: list[str],
    wanted: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _files(tmp_path)

    def no_model(*args: object) -> None:
        raise AssertionError("a model was loaded before the input was checked")

    monkeypatch.setattr(explain_module, "load_model_for", no_model)
    rc, out, err = _run(["explain", *(a.replace("{tmp}", str(tmp_path)) for a in argv)], capsys)
    assert rc == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert wanted.replace("{tmp}", str(tmp_path)) in err


def test_explain_is_listed_and_has_help() -> None:
    listed = subprocess.run([sys.executable, "-m", "jupymuse", "--help"], capture_output=True, text=True, check=True)
    assert "explain" in listed.stdout
    assert "what a model listened to" in listed.stdout
    done = subprocess.run(
        [sys.executable, "-m", "jupymuse", "explain", "--help"], capture_output=True, text=True, check=True
    )
    text = " ".join(done.stdout.split())
    assert "usage: jupymuse explain" in text
    assert "(--primer PRIMER | --primer-file FILE) [--index N | --step S]" in text
    assert "explain takes melodies of at most 4096 notes" in text
