"""The ``jupymuse`` argument parser: every flag, its help, and the range argparse checks it against."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any, NoReturn

from ..models.attribution import MAX_EXPLAINED_NOTES
from ..models.endings import ENDINGS
from ..models.formats import MAX_ORDER
from ..models.generation import MAX_CANDIDATES
from ..models.infill import MAX_PROPOSALS, NOT_FOR_SPANS
from ..models.sampling_settings import FIELD_HELP, SamplingSettings
from ..models.vary import KEEPS
from ..music.note import MAX_STEPS
from . import commands, explain, revise
from .checks import MAX_EVENTS, MAX_LENGTH, SEED, bars_arg, real, setting_arg, span_arg, whole

EPILOG = f"""\
exit status: 0 done; 1 the work failed on the way (a file could not be read or written, out of
memory); 2 the command cannot be carried out as given (a bad option value, an unknown corpus or model,
a damaged input file, an output that exists or cannot be written); 130 interrupted by Ctrl-C.
Every error is one line starting with 'error:'.

output files: --out must be in an existing folder (none is created). An existing file is replaced
only with --force, and never when it is an input (the --model, --from or --primer-file file, a
--corpus MIDI file).

limits: --length is at most {MAX_LENGTH} events, and -n times --length at most {MAX_EVENTS}. explain takes
melodies of at most {MAX_EXPLAINED_NOTES} notes (its --index counts notes from 0, rests not counted). Every
value is checked before a corpus or model loads; --folds is compared with the corpus size, and
--length with the model's longest note, as soon as they are known, before any work."""


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one ``error:`` line (exit status 2), like the commands'."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def _sub(sub: argparse._SubParsersAction[Parser], name: str, help: str, description: str | None = None) -> Parser:
    """A subcommand's parser, with the exit status and output rules below its help."""
    return sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_markov_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--order", type=whole(0, MAX_ORDER), default=2, help="events of context (default 2)")
    p.add_argument(
        "--context",
        choices=("note", "pitch"),
        default="note",
        help="remember previous notes (pitch+duration) or pitches/durations apart (default note)",
    )


def _add_fold_options(p: argparse.ArgumentParser) -> None:
    """What every ``evaluate`` cross-validates on: the corpus and the number of folds."""
    p.add_argument("--corpus", default="bach-chorales:pearce185", help="corpus name or MIDI folder")
    p.add_argument(
        "--folds", type=whole(2), default=10, help="number of folds, 2 to the number of melodies (default 10)"
    )


def _add_gru_options(p: argparse.ArgumentParser, epochs: int) -> None:
    p.add_argument("--epochs", type=whole(1, 100_000), default=epochs, help=f"passes over the data (default {epochs})")
    p.add_argument("--hidden", type=whole(1, 4096), default=256, help="GRU units (default 256)")
    p.add_argument("--layers", type=whole(1, 8), default=1, help="GRU layers (default 1)")
    p.add_argument("--embedding", type=whole(1, 1024), default=64, help="pitch embedding size (default 64)")
    p.add_argument("--dropout", type=real(0, 1), default=0.2, help="dropout while training, in [0, 1) (default 0.2)")
    p.add_argument("--batch-size", type=whole(1, 4096), default=32, help="melody windows per batch (default 32)")
    p.add_argument(
        "--learning-rate", type=real(0, 1, open_low=True, open_high=False), default=2e-3, help="Adam (default 0.002)"
    )
    p.add_argument(
        "--patience", type=whole(0), default=5, help="epochs without improvement before stopping (default 5)"
    )
    p.add_argument("--seed", type=SEED, default=0, help="seed for weights, split and batch order (default 0)")


def _add_sampling_options(p: argparse.ArgumentParser, leave_out: tuple[str, ...] = ()) -> None:
    """One flag per ``SamplingSettings`` field (``--top-p`` for ``top_p``), its help and checks the field's own,
    but for the fields ``leave_out`` names.

    Every flag's default is "the model's": a flag left out keeps the model's recommended setting.
    """
    for f in dataclasses.fields(SamplingSettings):
        if f.name in leave_out:
            continue
        flag = "--" + f.name.replace("_", "-")
        default = getattr(SamplingSettings(), f.name)
        shown = f" (default: the model's setting, else {_shown(default)})"
        kind: dict[str, Any] = {"type": setting_arg(f.name), "default": None}
        if f.name == "pitch_range":
            kind.update(nargs=2, metavar=("LOW", "HIGH"))
        elif f.name == "ending":
            kind = {"choices": ENDINGS, "default": None}
        elif isinstance(default, bool):
            kind = {"action": argparse.BooleanOptionalAction, "default": None}
        p.add_argument(flag, dest=f.name, help=FIELD_HELP[f.name] + shown, **kind)


def _shown(value: object) -> str:
    """A default as the help says it: ``none``, ``on``/``off``, ``1``."""
    if value is None or isinstance(value, bool):
        return {None: "none", True: "on", False: "off"}[value]
    return f"{value:g}" if isinstance(value, float) else str(value)


def _add_output(p: argparse.ArgumentParser, default: str, what: str) -> None:
    p.add_argument("--out", default=default, help=f"{what} to write, in an existing folder (default {default})")
    p.add_argument("--force", action="store_true", help="replace --out if it exists (never an input file)")


def _add_corpus_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    corpus = _sub(sub, "corpus", "list and inspect the built-in corpora")
    csub = corpus.add_subparsers(dest="corpus_command", required=True)
    clist = _sub(csub, "list", "list the built-in corpora")
    clist.set_defaults(func=commands.corpus_list)
    cinfo = _sub(csub, "info", "statistics of a corpus (converts and caches it on first use)")
    cinfo.add_argument("name", help="corpus name like bach-chorales or essen:kinder, or a folder of MIDI files")
    cinfo.add_argument("--json", action="store_true", help="print one JSON object")
    cinfo.set_defaults(func=commands.corpus_info)


def _add_evaluate_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    ev = _sub(sub, "evaluate", "cross-validate a model: bits per note (lower is better)")
    evsub = ev.add_subparsers(dest="model_kind", required=True)
    evm = _sub(evsub, "markov", "the Markov chain")
    _add_markov_options(evm)
    _add_fold_options(evm)
    evm.add_argument("--seed", type=SEED, default=0, help="seed that fixes the folds (default 0)")
    evm.add_argument("--json", action="store_true", help="print one JSON object (with pitch_bits_per_note)")
    evm.set_defaults(func=commands.evaluate)
    evg = _sub(evsub, "gru", "the GRU, alone and with the short-term model (trains networks per fold; minutes)")
    _add_gru_options(evg, epochs=40)
    _add_fold_options(evg)
    evg.add_argument(
        "--networks",
        type=whole(1, 16),
        default=1,
        help="networks per fold, from seeds --seed, --seed + 1, ...; more than one are averaged (default 1)",
    )
    evg.add_argument(
        "--json", action="store_true", help="print one JSON object (pitch_bits_per_note, and the Markov baseline's)"
    )
    evg.set_defaults(func=commands.evaluate)


def _add_model_options(p: argparse.ArgumentParser) -> None:
    """The model a command uses: the shipped GRU, a Markov chain trained now, or a saved file."""
    p.add_argument(
        "--model",
        default="default",
        help="'default' (the shipped GRU), 'markov' (trained now on --corpus) or a saved model file",
    )
    _add_markov_options(p)
    p.add_argument("--corpus", default="bach-chorales", help="corpus for --model markov (default bach-chorales)")


def _add_primer_options(p: argparse.ArgumentParser, what: str, *, required: bool) -> None:
    """``--primer`` (text notation) or ``--primer-file`` (a MIDI, MusicXML or ABC file), one of the two, and
    ``--tune`` to pick a tune of an ABC file."""
    p.add_argument(
        "--tune",
        type=whole(0),
        default=None,
        metavar="N",
        help="the tune X:N of an ABC --primer-file holding several (default: its first tune)",
    )
    source = p.add_mutually_exclusive_group(required=required)
    source.add_argument("--primer", default=None, help=f'{what} in text notation, e.g. "G4:4 G4 D5 D5"')
    source.add_argument(
        "--primer-file",
        default=None,
        metavar="FILE",
        help=f"{what} from a MIDI (.mid, .midi), MusicXML (.musicxml, .xml) or ABC (.abc, at most 1 MiB) file, "
        "on a grid of sixteenth notes (shorter notes are rounded to it)",
    )


def _add_generate_command(sub: argparse._SubParsersAction[Parser]) -> None:
    gen = _sub(sub, "generate", "continue a primer melody and write a MIDI file")
    _add_model_options(gen)
    _add_primer_options(gen, "start melody", required=False)
    _add_sampling_options(gen)
    gen.add_argument(
        "-n",
        type=whole(1, MAX_CANDIDATES),
        default=1,
        help=f"number of melodies; files get -1, -2, ... suffixes (n x length at most {MAX_EVENTS})",
    )
    gen.add_argument("--seed", type=SEED, default=None, help="seed for reproducible results")
    gen.add_argument("--no-primer", action="store_true", help="write only the continuation, not the primer")
    _add_output(gen, "melody.mid", "MIDI (.mid), MusicXML (.musicxml) or ABC (.abc) file")
    gen.set_defaults(func=commands.generate)


def _add_explain_command(sub: argparse._SubParsersAction[Parser]) -> None:
    exp = _sub(
        sub,
        "explain",
        "which earlier notes the model listened to for one note of a melody (bits each gives), and its style evidence",
    )
    _add_model_options(exp)
    _add_primer_options(exp, "the melody", required=True)
    note = exp.add_mutually_exclusive_group()
    note.add_argument(
        "--index",
        type=whole(
            -MAX_EXPLAINED_NOTES, MAX_EXPLAINED_NOTES - 1, f"a melody explained has at most {MAX_EXPLAINED_NOTES}"
        ),
        default=None,
        metavar="N",
        help="the note to explain, counted from 0 without the rests; -1 is the last (default: the last note)",
    )
    note.add_argument(
        "--step",
        type=whole(0, MAX_STEPS),
        default=None,
        metavar="S",
        help="or the note sounding at grid step S (from 0)",
    )
    exp.add_argument(
        "--style",
        type=setting_arg("style"),
        default=None,
        help="score as one of the model's styles, or a mix like irish=2,german=1 (default: no style)",
    )
    exp.add_argument(
        "--top",
        type=whole(1, MAX_EXPLAINED_NOTES),
        default=5,
        metavar="K",
        help="contributions (and notes of evidence) listed (default 5)",
    )
    exp.add_argument(
        "--evidence",
        action="store_true",
        help="also print the style evidence: the bits each style adds over no style, and the notes that sound most "
        "like the likeliest style (or --style); a GRU with styles only",
    )
    exp.set_defaults(func=explain.explain)


REVISE_TEXT = """\
The span is --bars FIRST-LAST (bars counted from 1 at step 0, so a pickup is in bar 1; --bars 3 is one
bar) or --span START:END in grid steps (4 a quarter note). Its edges must fall between notes, and it
lies within the melody. --proposals candidates are drawn as generate draws them (the sampling flags
below), each weighed by how well the model then predicts the notes after the span; -n of them are
picked by weight (at --temperature 0: the best). Every note outside the span stays as it was."""


def _add_revise_command(sub: argparse._SubParsersAction[Parser], name: str, help: str) -> Parser:
    """``fill`` or ``vary``: the model, the melody and its span, the counts, the sampling flags (a span keeps
    its own length: no --length, --bars or --ending) and the output."""
    p = _sub(sub, name, help, f"{help[0].upper()}{help[1:]}.\n\n{REVISE_TEXT}")
    _add_model_options(p)
    _add_primer_options(p, "the melody", required=True)
    span = p.add_mutually_exclusive_group(required=True)
    span.add_argument(  # not args.bars: that is the sampling setting fill and vary leave out
        "--bars", dest="span_bars", type=bars_arg, default=None, metavar="FIRST-LAST", help=f"the bars to {name}"
    )
    span.add_argument("--span", type=span_arg, default=None, metavar="START:END", help=f"the steps to {name}")
    p.add_argument(
        "--proposals",
        type=whole(1, MAX_PROPOSALS),
        default=64,
        help=f"candidates drawn and weighed (default 64; proposals x span steps at most {MAX_EVENTS:,})",
    )
    p.add_argument(
        "-n",
        type=whole(1, MAX_PROPOSALS),
        default=1,
        help="number of results, at most --proposals; files get -1, -2, ... suffixes (default 1)",
    )
    p.add_argument("--seed", type=SEED, default=None, help="seed for reproducible results")
    _add_sampling_options(p, leave_out=NOT_FOR_SPANS)
    _add_output(p, f"{name}.mid", "MIDI (.mid), MusicXML (.musicxml) or ABC (.abc) file")
    return p


def _add_revise_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    fill = _add_revise_command(sub, "fill", "fill a span of a melody anew, to lead into what follows, and write it")
    fill.set_defaults(func=revise.fill)
    vary = _add_revise_command(
        sub, "vary", "vary the phrase in a span: new pitches on its rhythm, or a new rhythm on its pitches"
    )
    vary.add_argument(
        "--keep",
        choices=KEEPS,
        default="rhythm",
        help="what stays: the rhythm (new pitches) or the pitches (a new rhythm) (default rhythm)",
    )
    vary.add_argument(
        "--contour",
        action="store_true",
        help="with --keep rhythm: each new pitch moves up, down or stays as the old one did",
    )
    vary.set_defaults(func=revise.vary)


def _add_train_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    tr = _sub(sub, "train", "train a model and save it")
    trsub = tr.add_subparsers(dest="model_kind", required=True)
    trm = _sub(trsub, "markov", "the Markov chain (counts, seconds)")
    _add_markov_options(trm)
    trm.add_argument("--corpus", default="bach-chorales", help="corpus name or MIDI folder")
    _add_output(trm, "markov.json", "model file (.json)")
    trm.set_defaults(func=commands.train_markov)
    trg = _sub(trsub, "gru", "the GRU network (minutes; Ctrl-C stops, saves the best weights so far, exits 130)")
    _add_gru_options(trg, epochs=30)
    trg.add_argument("--corpus", default="bach-chorales", help="corpus name or MIDI folder")
    trg.add_argument("--from", dest="start_from", default=None, help="continue training 'default' or a .keras file")
    _add_output(trg, "gru.keras", "model file (.keras)")
    trg.set_defaults(func=commands.train_gru)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    from .. import __version__

    parser = Parser(
        prog="jupymuse",
        description="Algorithmic melody composition: corpora, models, evaluation, and what a model listened to.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"jupymuse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_corpus_commands(sub)
    _add_evaluate_commands(sub)
    _add_generate_command(sub)
    _add_revise_commands(sub)
    _add_explain_command(sub)
    _add_train_commands(sub)
    frz = _sub(sub, "freeze", "keep the pictures of a saved notebook's rolls, drop their live widget views")
    frz.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help=".ipynb files, changed in place")
    frz.set_defaults(func=commands.freeze)
    return parser
