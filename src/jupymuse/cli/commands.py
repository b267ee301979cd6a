"""What each ``jupymuse`` command does, after its checks (see :mod:`jupymuse.cli.checks`).

Each command checks all its arguments and output files first; data, models and TensorFlow load
only after that. Each returns the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CorpusError, JupymuseError
from .checks import (
    UsageError,
    check_corpus,
    check_melody_suffix,
    check_model_file,
    check_outputs,
    check_sampling_limits,
    suggestion,
)

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..evaluate import CrossValidation
    from ..models import GRUConfig, MelodyModel
    from ..models.training import TrainingEvent
    from ..music import Melody


def load_data(flag: str, name: str, quiet: bool = False) -> Corpus:
    """A built-in corpus by name, or a folder of MIDI files (``flag`` names the argument in errors)."""
    from ..corpus import load_corpus, load_midi_folder

    folder = check_corpus(flag, name)
    try:
        if folder is not None:
            return load_midi_folder(folder, progress=not quiet)
        return load_corpus(name, progress=not quiet)
    except CorpusError as exc:
        raise UsageError(flag, str(exc)) from None


def corpus_list(args: argparse.Namespace) -> int:
    from ..corpus import list_corpora

    for c in list_corpora():
        named = ", ".join(f"{c.name}:{s}" for s in c.named)
        print(f"{c.name:15s} {c.description}")
        print(f"{'':15s} licence: {c.licence}")
        if named:
            print(f"{'':15s} selections: {named}")
    print("\nSelect part of a corpus with NAME:PREFIX, e.g. essen:kinder (file names starting with 'kinder').")
    return 0


def corpus_info(args: argparse.Namespace) -> int:
    corpus = load_data("name", args.name, quiet=args.json)
    stats = corpus.stats()
    if args.json:
        print(json.dumps({"name": args.name, **stats.__dict__}, default=str))
    else:
        print(f"{args.name}\n{stats}")
        if corpus.skipped:
            print(f"skipped files: {len(corpus.skipped)}")
    return 0


# ---------------------------------------------------------------------- training the GRU
def gru_config(args: argparse.Namespace) -> GRUConfig:
    from ..models import GRUConfig

    return GRUConfig(embedding_size=args.embedding, hidden_units=args.hidden, layers=args.layers, dropout=args.dropout)


def fit_gru(
    model: MelodyModel,
    melodies: Corpus | list[Melody],
    args: argparse.Namespace,
    fold: int,
    *,
    validation: list[Melody] | None = None,
    seed: int | None = None,
) -> tuple[int, bool]:
    """Train ``model`` with the command's settings: (batches trained, whether Ctrl-C ended it).

    ``validation`` replaces the 10% the model would hold out itself; ``seed`` the batch-order seed.
    The library's own note on an interruption is left out: the command says what it did instead.
    """
    from ..models import GRUModel

    assert isinstance(model, GRUModel)
    batches = [0]

    def count(event: TrainingEvent) -> None:
        if event.kind == "batch":
            batches[0] = event.step

    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            model.fit(
                melodies,
                epochs=args.epochs,
                batch_size=args.batch_size,
                learning_rate=args.learning_rate,
                patience=args.patience,
                seed=args.seed + fold if seed is None else seed,
                validation=0.1 if validation is None else validation,
                callbacks=[count],
                progress=not getattr(args, "json", False),
            )
    finally:
        for line in printed.getvalue().splitlines():
            if not line.startswith("Training interrupted"):
                print(line)
    return batches[0], model.history is not None and model.history.stopped == "interrupted"


def _gru_fit(args: argparse.Namespace) -> Callable[[MelodyModel, Corpus, int], object]:
    """``cross_validate``'s ``fit``: Ctrl-C during a fold stops the whole evaluation."""

    def fit(model: MelodyModel, train: Corpus, fold: int) -> None:
        if fit_gru(model, train, args, fold)[1]:
            raise KeyboardInterrupt

    return fit


# ---------------------------------------------------------------------- evaluate
def evaluate(args: argparse.Namespace) -> int:
    from ..evaluate import BitsPerNote, cross_validate
    from ..models import MarkovModel

    corpus = load_data("--corpus", args.corpus, quiet=args.json)
    if args.folds > len(corpus):
        raise UsageError("--folds", f"{args.folds} folds need {args.folds} melodies; {args.corpus} has {len(corpus)}")
    start = time.perf_counter()

    def report(fold: int, result: BitsPerNote) -> None:
        if not args.json:
            print(f"  fold {fold + 1}/{args.folds}: {result.pitch:.3f} pitch bits per note", flush=True)

    out: dict[str, object] = {"corpus": args.corpus, "melodies": len(corpus)}
    short_term = None
    if args.model_kind == "gru":
        from .evaluate_gru import cross_validate_gru

        name, result, short_term = cross_validate_gru(corpus, args, gru_config(args), report)
        out["model"] = name
    else:
        factory: Callable[[], MelodyModel] = lambda: MarkovModel(args.order, context=args.context)  # noqa: E731
        result = cross_validate(factory, corpus, folds=args.folds, seed=args.seed, on_fold=report)
        out["model"] = factory().name
    out.update(result.as_dict())
    if short_term is not None:
        out["short_term"] = short_term.as_dict()
        baseline = cross_validate(lambda: MarkovModel(2, context="pitch"), corpus, folds=args.folds, seed=args.seed)
        out["baseline"] = {"model": MarkovModel(2, context="pitch").name, **baseline.as_dict()}
    out["seconds"] = round(time.perf_counter() - start, 2)
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{out['model']} on {args.corpus} ({len(corpus)} melodies), {args.folds}-fold cross-validation:")
        print(f"  pitch: {result.pitch_bits_per_note:.3f} bits per note (+/- {result.pitch_std:.3f} across folds)")
        print(f"  note (pitch and duration): {result.note_bits_per_note:.3f} bits per event")
        print(f"  pitch, mean over melodies: {result.pitch_melody_mean:.3f} bits per note")
        print(f"  {_twin_free_line(result)}")
        if short_term is not None:
            print(
                f"  with the short-term model (mixed as chosen on each fold's validation melodies): "
                f"{short_term.pitch_bits_per_note:.3f} pitch bits per note (+/- {short_term.pitch_std:.3f}); "
                f"{_twin_free_line(short_term)}"
            )
            print(f"  Markov order 2 on the same folds: {baseline.pitch_bits_per_note:.3f} pitch bits per note")
    return 0


def _twin_free_line(result: CrossValidation) -> str:
    """The twin-free figure in words: the test melodies with no near-twin in their training folds."""
    free = result.twin_free
    if free is None:
        return "twin-free: every test melody has a near-twin in its training folds"
    melodies = sum(not t for fold in result.twins for t in fold)
    return (
        f"pitch, twin-free: {free.pitch:.3f} bits per note over the {melodies} test melodies "
        f"({free.notes} notes) with no near-twin in their training folds"
    )


# ---------------------------------------------------------------------- generate
@dataclass(frozen=True)
class GeneratePlan:
    """A checked ``generate``: everything known before a model loads."""

    primer: Melody
    changes: dict[str, Any]
    """The sampling settings given on the command line (the model's own fill in the rest)."""
    model_file: Path | None
    targets: list[Path]


def sampling_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The ``SamplingSettings`` fields given as flags, checked together (e.g. ``--pitch-range`` LOW <= HIGH).
    A command without a field's flag (``fill`` has no ``--length``) leaves it to the model."""
    from ..models.sampling import allowed_pitches
    from ..models.sampling_settings import SamplingSettings
    from ..music.events import REST

    flags = {f.name: getattr(args, f.name, None) for f in fields(SamplingSettings)}  # fill and vary lack some
    changes = {name: value for name, value in flags.items() if value is not None}
    if "pitch_range" in changes:
        changes["pitch_range"] = tuple(changes["pitch_range"])
    try:
        given = SamplingSettings().replace(**changes)
    except JupymuseError as exc:  # the fields are checked one by one already: only the pair can be refused here
        raise UsageError("--pitch-range", str(exc).removeprefix("pitch_range ")) from None
    if not allowed_pitches(given.pitch_range, given.scale)[:REST].any():
        raise UsageError("--pitch-range", f"{args.pitch_range[0]} {args.pitch_range[1]} has no note of {args.scale}")
    return changes


def plan_generate(args: argparse.Namespace) -> GeneratePlan:
    """Every check of ``generate`` that needs no model."""
    from .primer import read_primer

    primer = read_primer(args.primer, args.primer_file, args.tune)
    changes = sampling_changes(args)
    if args.length is not None:
        check_sampling_limits(args.length, args.n)
    model_file = check_model_file("--model", args.model, ("default", "markov"), (".json", ".keras"))
    check_styles(args.model, model_file, changes.get("style"))
    folder = check_corpus("--corpus", args.corpus) if args.model == "markov" else None
    inputs = [("the --model file", model_file)] if model_file is not None else []
    if args.primer_file is not None:
        inputs.append(("the --primer-file", Path(args.primer_file).expanduser()))
    targets = check_outputs(args.out, force=args.force, count=args.n, inputs=inputs, input_folder=folder)
    check_melody_suffix(args.out)
    return GeneratePlan(primer, changes, model_file, targets)


def check_styles(model: str, model_file: Path | None, style: str | dict[str, float] | None) -> None:
    """Refuse a ``--style`` the model does not know before any corpus or model loads: a GRU file's styles
    are read from its settings alone (milliseconds); a Markov chain has none."""
    from ..models.default import default_styles
    from ..models.gru_io import read_gru

    if style is None:
        return
    if model == "markov" or (model_file is not None and model_file.suffix.lower() == ".json"):
        raise UsageError("--style", "a Markov chain knows no styles: leave --style out, or use a GRU model")
    known = default_styles() if model_file is None else read_gru(model_file, weights=False).config.styles
    for name in [style] if isinstance(style, str) else list(style):
        if name not in known:
            have = f"its styles are: {', '.join(known)}" if known else "it knows no styles"
            raise UsageError("--style", f"the model knows no style '{name}'; {have}{suggestion(name, known)}")


def _longest_note(model: MelodyModel) -> int | None:
    """The longest duration (grid steps) ``model`` can generate, where it says."""
    from ..models import GRUModel, MarkovModel

    if isinstance(model, GRUModel):
        return max(model.config.tokens.durations)
    if isinstance(model, MarkovModel):
        return max(model.duration_distribution([], 60)[0], default=None)
    return None


def check_timeline(model: MelodyModel, primer: Melody, length: int, with_primer: bool) -> None:
    """Refuse a ``--length`` whose notes could run past the longest melody (``MAX_STEPS``), before sampling."""
    from ..music.note import MAX_STEPS

    longest = _longest_note(model)
    room = MAX_STEPS - (primer.end if with_primer else 0)
    if longest is not None and length * longest > room:
        raise UsageError(
            "--length",
            f"{length} events of up to {longest} steps could run past a melody's limit of {MAX_STEPS} steps; "
            f"use --length {room // longest} or less with this model",
        )


def load_model_for(args: argparse.Namespace, model_file: Path | None) -> MelodyModel:
    """The model ``--model`` names, after its checks: a Markov chain trained now on ``--corpus``
    (``--order``, ``--context``), the shipped GRU, or the saved ``model_file``."""
    from ..models import MarkovModel, load_default, load_model

    if args.model == "markov":
        return MarkovModel(args.order, context=args.context).fit(load_data("--corpus", args.corpus))
    if model_file is None:
        return load_default()
    return load_model(model_file)


def generate(args: argparse.Namespace) -> int:
    from ..models.sampling_settings import SamplingSettings

    plan = plan_generate(args)
    model = load_model_for(args, plan.model_file)
    recommended = getattr(model, "sampling", None)  # the model's recommended settings, as told
    base = recommended if isinstance(recommended, SamplingSettings) else SamplingSettings()
    sampling = base.replace(**plan.changes)
    check_sampling_limits(sampling.length, args.n)
    if sampling.bars is None:  # --bars ends each melody at its bar line
        check_timeline(model, plan.primer, sampling.length, not args.no_primer)
    results = model.generate(
        plan.primer, n=args.n, seed=args.seed, include_primer=not args.no_primer, sampling=sampling
    )
    for melody, target in zip(results, plan.targets, strict=True):
        write_melody(melody, target)
        print(f"wrote {target}: {melody.to_notation()}")
    return 0


def write_melody(melody: Melody, target: Path) -> None:
    """Write ``melody`` to ``target`` (checked by ``check_outputs``) as its suffix says: MIDI, MusicXML or ABC,
    each whole or not at all (written beside it, then renamed into place)."""
    from ..files import write_file

    fmt = check_melody_suffix(str(target))
    if fmt == "MusicXML":
        melody.to_musicxml(target)
    elif fmt == "ABC":
        write_file(target, melody.to_abc().encode("utf-8"))  # the text first: a melody ABC cannot write, no file
    else:
        melody.to_midi(target)


# ---------------------------------------------------------------------- train
def train_markov(args: argparse.Namespace) -> int:
    from ..models import MarkovModel

    folder = check_corpus("--corpus", args.corpus)
    [target] = check_outputs(args.out, force=args.force, suffix=".json", input_folder=folder)
    corpus = load_data("--corpus", args.corpus)
    model = MarkovModel(args.order, context=args.context).fit(corpus)
    path = model.save(target)
    print(f"trained {model.name} on {args.corpus} ({len(corpus)} melodies); saved to {path}")
    return 0


def train_gru(args: argparse.Namespace) -> int:
    from ..models import GRUModel, load_default, load_model

    start = None
    if args.start_from is not None:
        start = check_model_file("--from", args.start_from, ("default",), (".keras",))
        if start is not None and start.suffix.lower() != ".keras":
            raise UsageError("--from", f"must be 'default' or a GRU model (.keras), not '{args.start_from}'")
        if start is not None:
            from ..models.gru_io import read_gru

            read_gru(start)  # a damaged file is refused now, not after the corpus converts (no TensorFlow)
    folder = check_corpus("--corpus", args.corpus)
    inputs = [("the --from model", start)] if start is not None else []
    [target] = check_outputs(args.out, force=args.force, suffix=".keras", inputs=inputs, input_folder=folder)
    corpus = load_data("--corpus", args.corpus)
    if args.start_from is None:
        model = GRUModel(gru_config(args), seed=args.seed)
    else:
        loaded = load_default(fresh=True) if start is None else load_model(start)
        if not isinstance(loaded, GRUModel):
            raise UsageError("--from", f"must name a GRU model (.keras), not '{args.start_from}'")
        model = loaded
    batches, interrupted = fit_gru(model, corpus, args, 0)
    if interrupted:
        if not batches:
            print("interrupted before the first batch: nothing was trained and nothing written", file=sys.stderr)
            return 130
        best = model.history.best_epoch if model.history else None
        kept = f"the best weights so far (epoch {best})" if best else "the latest weights"
        print(
            f"interrupted after {batches} batches; saving {kept} (Ctrl-C is ignored until it is written)…",
            file=sys.stderr,
        )
        with ctrl_c_ignored():
            path = model.save(target)
        print(f"saved {kept} to {path}", file=sys.stderr)
        return 130
    path = model.save(target)
    history = model.history
    last = history.epochs[-1] if history and history.epochs else {}
    summary = f"; validation {last['val_bits']:.3f} bits per event" if "val_bits" in last else ""
    how = history.stopped if history else "completed"
    print(f"trained {model.name} on {args.corpus} ({len(corpus)} melodies, {how}){summary}; saved to {path}")
    return 0


@contextlib.contextmanager
def ctrl_c_ignored() -> Iterator[None]:
    """Ctrl-C is ignored while the block runs: the save promised after the first Ctrl-C is never dropped by
    a second (the command is ending with 130 anyway). Outside the main thread nothing changes (signals
    arrive there only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def freeze(args: argparse.Namespace) -> int:
    """Freeze notebooks in place (``jupymuse.freeze``): they reopen with pictures, not widget errors."""
    from ..freeze import freeze_file

    paths = [Path(p) for p in args.notebooks]
    wrong = [str(p) for p in paths if p.suffix != ".ipynb" or not p.is_file()]
    if wrong:
        raise UsageError("NOTEBOOK", f"{wrong[0]!r} is not an .ipynb file")
    for path in paths:
        dropped = freeze_file(path)
        print(f"{path}: {dropped} live widget view(s) replaced by their picture")
    return 0
