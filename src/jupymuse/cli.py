"""The ``jupymuse`` command: corpora, evaluation, generation and training without a notebook.

Run ``jupymuse --help`` or ``jupymuse COMMAND --help``. Errors a user can cause print one line
starting with ``error:`` and exit with status 2; Ctrl-C exits with status 130.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import JupymuseError

if TYPE_CHECKING:
    from .corpus import Corpus
    from .models import GRUConfig, MarkovModel, MelodyModel


def _load_data(name: str, quiet: bool = False) -> Corpus:
    """A built-in corpus by name, or a folder of MIDI files if ``name`` is a folder."""
    from .corpus import load_corpus, load_midi_folder

    if Path(name).expanduser().is_dir():
        return load_midi_folder(name, progress=not quiet)
    return load_corpus(name, progress=not quiet)


def _cmd_corpus_list(args: argparse.Namespace) -> int:
    from .corpus import list_corpora

    for c in list_corpora():
        named = ", ".join(f"{c.name}:{s}" for s in c.named)
        print(f"{c.name:15s} {c.description}")
        print(f"{'':15s} licence: {c.licence}")
        if named:
            print(f"{'':15s} selections: {named}")
    print("\nSelect part of a corpus with NAME:PREFIX, e.g. essen:kinder (file names starting with 'kinder').")
    return 0


def _cmd_corpus_info(args: argparse.Namespace) -> int:
    corpus = _load_data(args.name, quiet=args.json)
    stats = corpus.stats()
    if args.json:
        print(json.dumps({"name": args.name, **stats.__dict__}, default=str))
    else:
        print(f"{args.name}\n{stats}")
        if corpus.skipped:
            print(f"skipped files: {len(corpus.skipped)}")
    return 0


def _markov_factory(args: argparse.Namespace) -> Callable[[], MarkovModel]:
    from .models import MarkovModel

    return lambda: MarkovModel(args.order, context=args.context)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import BitsPerNote, cross_validate
    from .models import MarkovModel

    corpus = _load_data(args.corpus, quiet=args.json)
    start = time.perf_counter()
    factory: Callable[[], MelodyModel]
    fit = None
    if args.model_kind == "gru":
        factory, fit = _gru_factory(args), _gru_fit(args)
    else:
        factory = _markov_factory(args)

    def report(fold: int, result: BitsPerNote) -> None:
        if not args.json:
            print(f"  fold {fold + 1}/{args.folds}: {result.pitch:.3f} pitch bits per note", flush=True)

    result = cross_validate(factory, corpus, folds=args.folds, seed=args.seed, fit=fit, on_fold=report)
    out: dict[str, object] = {
        "model": factory().name,
        "corpus": args.corpus,
        "melodies": len(corpus),
        **result.as_dict(),
    }
    if args.model_kind == "gru":
        baseline = cross_validate(lambda: MarkovModel(2, context="pitch"), corpus, folds=args.folds, seed=args.seed)
        out["baseline"] = {"model": MarkovModel(2, context="pitch").name, **baseline.as_dict()}
    out["seconds"] = round(time.perf_counter() - start, 2)
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{out['model']} on {args.corpus} ({len(corpus)} melodies), {args.folds}-fold cross-validation:")
        print(f"  pitch: {result.pitch_bits_per_note:.3f} bits per note (+/- {result.pitch_std:.3f} across folds)")
        print(f"  note (pitch and duration): {result.note_bits_per_note:.3f} bits per event")
        if "baseline" in out:
            print(f"  Markov order 2 on the same folds: {baseline.pitch_bits_per_note:.3f} pitch bits per note")
    return 0


def _gru_config(args: argparse.Namespace) -> GRUConfig:
    from .models import GRUConfig

    return GRUConfig(embedding_size=args.embedding, hidden_units=args.hidden, layers=args.layers, dropout=args.dropout)


def _gru_factory(args: argparse.Namespace) -> Callable[[], MelodyModel]:
    from .models import GRUModel

    config = _gru_config(args)
    return lambda: GRUModel(config, seed=args.seed)


def _gru_fit(args: argparse.Namespace) -> Callable[[MelodyModel, Corpus, int], object]:
    def fit(model: MelodyModel, train: Corpus, fold: int) -> object:
        return model.fit(  # type: ignore[call-arg]
            train,
            epochs=args.epochs,
            batch_size=args.batch_size,
            learning_rate=args.learning_rate,
            patience=args.patience,
            seed=args.seed + fold,
            progress=not getattr(args, "json", False),
        )

    return fit


def _cmd_generate(args: argparse.Namespace) -> int:
    from .models import MarkovModel, load_model
    from .models.sampling import allowed_pitches
    from .music import Melody

    # typos fail before any model loads
    primer = Melody.from_notation(args.primer) if args.primer else None
    pitch_range = (args.pitch_range[0], args.pitch_range[1]) if args.pitch_range else None
    allowed_pitches(pitch_range, args.scale)
    model: MelodyModel
    if args.model == "markov":
        corpus = _load_data(args.corpus)
        model = MarkovModel(args.order, context=args.context).fit(corpus)
    elif args.model == "default":
        from .models import load_default

        model = load_default()
    else:
        model = load_model(args.model)
    results = model.generate(
        primer,
        args.length,
        temperature=args.temperature,
        top_k=args.top_k,
        top_p=args.top_p,
        n=args.n,
        seed=args.seed,
        include_primer=not args.no_primer,
        pitch_range=pitch_range,
        scale=args.scale,
    )
    out = Path(args.out)
    for i, melody in enumerate(results):
        target = out if len(results) == 1 else out.with_name(f"{out.stem}-{i + 1}{out.suffix}")
        melody.to_midi(target)
        print(f"wrote {target}: {melody.to_notation()}")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    corpus = _load_data(args.corpus)
    model = _markov_factory(args)().fit(corpus)
    path = model.save(args.out)
    print(f"trained {model.name} on {args.corpus} ({len(corpus)} melodies); saved to {path}")
    return 0


def _cmd_train_gru(args: argparse.Namespace) -> int:
    from .models import GRUModel, load_default, load_model

    if not str(args.out).endswith(".keras"):
        raise JupymuseError(f"--out must name a .keras file, not '{args.out}'")
    corpus = _load_data(args.corpus)
    model: GRUModel
    if args.start_from:
        loaded = load_default(fresh=True) if args.start_from == "default" else load_model(args.start_from)
        if not isinstance(loaded, GRUModel):
            raise JupymuseError(f"--from must name a GRU model (.keras), not '{args.start_from}'")
        model = loaded
    else:
        model = _gru_factory(args)()  # type: ignore[assignment]
    _gru_fit(args)(model, corpus, 0)
    path = model.save(args.out)
    history = model.history
    last = history.epochs[-1] if history and history.epochs else {}
    summary = f"; validation {last['val_bits']:.3f} bits per event" if "val_bits" in last else ""
    how = history.stopped if history else "completed"
    print(f"trained {model.name} on {args.corpus} ({len(corpus)} melodies, {how}){summary}; saved to {path}")
    return 0


def _add_markov_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--order", type=int, default=2, help="events of context (default 2)")
    p.add_argument(
        "--context",
        choices=("note", "pitch"),
        default="note",
        help="remember previous notes (pitch+duration) or pitches/durations apart (default note)",
    )


def _add_fold_options(p: argparse.ArgumentParser) -> None:
    """What every ``evaluate`` cross-validates on: the corpus and the number of folds."""
    p.add_argument("--corpus", default="bach-chorales:pearce185", help="corpus name or MIDI folder")
    p.add_argument("--folds", type=int, default=10, help="number of folds (default 10)")


def _add_gru_options(p: argparse.ArgumentParser, epochs: int) -> None:
    p.add_argument("--epochs", type=int, default=epochs, help=f"passes over the data (default {epochs})")
    p.add_argument("--hidden", type=int, default=256, help="GRU units (default 256)")
    p.add_argument("--layers", type=int, default=1, help="GRU layers (default 1)")
    p.add_argument("--embedding", type=int, default=64, help="pitch embedding size (default 64)")
    p.add_argument("--dropout", type=float, default=0.2, help="dropout while training (default 0.2)")
    p.add_argument("--batch-size", type=int, default=32, help="melody windows per batch (default 32)")
    p.add_argument("--learning-rate", type=float, default=2e-3, help="Adam learning rate (default 0.002)")
    p.add_argument("--patience", type=int, default=5, help="epochs without improvement before stopping (default 5)")
    p.add_argument("--seed", type=int, default=0, help="seed for weights, split and batch order (default 0)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="jupymuse", description="Algorithmic melody composition: corpora, models, evaluation."
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"jupymuse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    corpus = sub.add_parser("corpus", help="list and inspect the built-in corpora")
    csub = corpus.add_subparsers(dest="corpus_command", required=True)
    clist = csub.add_parser("list", help="list the built-in corpora")
    clist.set_defaults(func=_cmd_corpus_list)
    cinfo = csub.add_parser("info", help="statistics of a corpus (converts and caches it on first use)")
    cinfo.add_argument("name", help="corpus name like bach-chorales or essen:kinder, or a folder of MIDI files")
    cinfo.add_argument("--json", action="store_true", help="print one JSON object")
    cinfo.set_defaults(func=_cmd_corpus_info)

    ev = sub.add_parser("evaluate", help="cross-validate a model: bits per note (lower is better)")
    evsub = ev.add_subparsers(dest="model_kind", required=True)
    evm = evsub.add_parser("markov", help="the Markov chain")
    _add_markov_options(evm)
    _add_fold_options(evm)
    evm.add_argument("--seed", type=int, default=0, help="seed that fixes the folds (default 0)")
    evm.add_argument("--json", action="store_true", help="print one JSON object (with pitch_bits_per_note)")
    evm.set_defaults(func=_cmd_evaluate)
    evg = evsub.add_parser("gru", help="the GRU (trains one network per fold; minutes)")
    _add_gru_options(evg, epochs=40)
    _add_fold_options(evg)
    evg.add_argument(
        "--json", action="store_true", help="print one JSON object (pitch_bits_per_note, and the Markov baseline's)"
    )
    evg.set_defaults(func=_cmd_evaluate)

    gen = sub.add_parser("generate", help="continue a primer melody and write a MIDI file")
    gen.add_argument(
        "--model",
        default="default",
        help="'default' (the shipped GRU), 'markov' (trained now on --corpus) or a saved model file",
    )
    _add_markov_options(gen)
    gen.add_argument("--corpus", default="bach-chorales", help="corpus for --model markov (default bach-chorales)")
    gen.add_argument("--primer", default="", help='start melody in text notation, e.g. "G4:4 G4 D5 D5"')
    gen.add_argument("--length", type=int, default=64, help="events (notes or rests) to generate (default 64)")
    gen.add_argument(
        "--temperature", type=float, default=1.0, help="randomness: 0 = always the likeliest, 1 = as learned"
    )
    gen.add_argument("--top-k", type=int, default=None, help="sample only among the k likeliest notes")
    gen.add_argument(
        "--top-p", type=float, default=None, help="sample only among the likeliest notes covering p of the probability"
    )
    gen.add_argument("-n", type=int, default=1, help="number of melodies (files get -1, -2, ... suffixes)")
    gen.add_argument("--seed", type=int, default=None, help="seed for reproducible results")
    gen.add_argument("--no-primer", action="store_true", help="write only the continuation, not the primer")
    gen.add_argument(
        "--pitch-range", type=int, nargs=2, metavar=("LOW", "HIGH"), help="allow only MIDI pitches LOW..HIGH"
    )
    gen.add_argument("--scale", default=None, help='allow only the notes of a key, e.g. "G major" or "E minor"')
    gen.add_argument("--out", default="melody.mid", help="MIDI file to write (default melody.mid)")
    gen.set_defaults(func=_cmd_generate)

    tr = sub.add_parser("train", help="train a model and save it")
    trsub = tr.add_subparsers(dest="model_kind", required=True)
    trm = trsub.add_parser("markov", help="the Markov chain (counts, seconds)")
    _add_markov_options(trm)
    trm.add_argument("--corpus", default="bach-chorales", help="corpus name or MIDI folder")
    trm.add_argument("--out", default="markov.json", help="model file to write (default markov.json)")
    trm.set_defaults(func=_cmd_train)
    trg = trsub.add_parser("gru", help="the GRU network (minutes; Ctrl-C stops and keeps the best weights)")
    _add_gru_options(trg, epochs=30)
    trg.add_argument("--corpus", default="bach-chorales", help="corpus name or MIDI folder")
    trg.add_argument("--from", dest="start_from", default=None, help="continue training 'default' or a .keras file")
    trg.add_argument("--out", default="gru.keras", help="model file to write (default gru.keras)")
    trg.set_defaults(func=_cmd_train_gru)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jupymuse`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except JupymuseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
