"""The ``fill`` and ``vary`` commands: new notes for a span of a melody, or a variation of its phrase.

``jupymuse fill`` writes ``model.infill(melody, start, end, ...)`` (new notes for the span that lead into
what follows), ``jupymuse vary`` writes ``model.vary(...)`` (new pitches on the span's rhythm, with
``--contour`` moving up and down as before, or a new rhythm on its pitches): see
:mod:`jupymuse.models.infill` and :mod:`jupymuse.models.vary`. The span is ``--bars FIRST-LAST`` (counted
from 1 at step 0, so a pickup is in bar 1) or ``--span START:END`` in grid steps. Everything the
command line says is checked before a model or corpus loads: the melody, the span against it (empty,
past the end, an edge inside a note, no notes to vary), the counts, the sampling flags, the model's
styles and the output files.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SettingError
from .checks import UsageError, check_corpus, check_melody_suffix, check_model_file, check_outputs
from .commands import check_styles, load_model_for, sampling_changes, write_melody
from .primer import FILE_FLAG, read_primer

if TYPE_CHECKING:
    from ..models.gaps import Gap

__all__ = ["RevisePlan", "fill", "plan_revise", "span_steps", "vary"]


@dataclass(frozen=True)
class RevisePlan:
    """A checked ``fill`` or ``vary``: everything known before a model loads."""

    gap: Gap
    changes: dict[str, Any]
    """The sampling settings given on the command line (the model's own fill in the rest)."""
    model_file: Path | None
    targets: list[Path]


def span_steps(args: argparse.Namespace, steps_per_bar: int) -> tuple[str, int, int, str]:
    """The span the command line names: (its flag, start, end in steps, how it reads in words)."""
    if args.span_bars is not None:
        first, last = args.span_bars
        start, end = (first - 1) * steps_per_bar, last * steps_per_bar
        bars = f"bar {first}" if first == last else f"bars {first}-{last}"
        return "--bars", start, end, f"{bars} (steps {start}-{end}, {steps_per_bar} a bar)"
    start, end = args.span
    return "--span", start, end, f"steps {start}-{end}"


def _find_gap(args: argparse.Namespace) -> Gap:
    """The melody's span, checked as the models check it (on the melody's own grid: the model's is known
    once it loads)."""
    from ..models.gaps import find_gap

    melody = read_primer(args.primer, args.primer_file, args.tune)
    source = "--primer" if args.primer_file is None else FILE_FLAG
    if not melody.notes:
        raise UsageError(source, "the melody has no notes: give the melody to revise")
    flag, start, end, words = span_steps(args, melody.steps_per_bar)
    try:
        gap = find_gap(melody, start, end, melody.steps_per_quarter)
    except SettingError as exc:
        raise UsageError(flag, f"{words}: {exc}") from None
    if getattr(args, "keep", None) is not None and not gap.inside:
        raise UsageError(flag, f"{words}: the span has no notes to vary; fill it with 'jupymuse fill' instead")
    return gap


def plan_revise(args: argparse.Namespace) -> RevisePlan:
    """Every check of ``fill`` and ``vary`` that needs no model."""
    from ..models.generation import MAX_GENERATED_EVENTS

    if getattr(args, "contour", False) and args.keep != "rhythm":
        raise UsageError(
            "--contour",
            "goes with --keep rhythm (new pitches that move up and down as the old ones did); --keep pitches keeps "
            "the pitches, and so their contour",
        )
    gap = _find_gap(args)
    if args.n > args.proposals:
        raise UsageError("-n", f"{args.n} results are drawn from --proposals {args.proposals}: at most that many")
    if args.proposals * gap.length > MAX_GENERATED_EVENTS:
        raise UsageError(
            "--proposals",
            f"{args.proposals:,} proposals x {gap.length:,} steps is over {MAX_GENERATED_EVENTS:,}: "
            "ask for fewer proposals or a shorter span",
        )
    changes = sampling_changes(args)
    model_file = check_model_file("--model", args.model, ("default", "markov"), (".json", ".keras"))
    check_styles(args.model, model_file, changes.get("style"))
    folder = check_corpus("--corpus", args.corpus) if args.model == "markov" else None
    inputs = [("the --model file", model_file)] if model_file is not None else []
    if args.primer_file is not None:
        inputs.append(("the --primer-file", Path(args.primer_file).expanduser()))
    targets = check_outputs(args.out, force=args.force, count=args.n, inputs=inputs, input_folder=folder)
    check_melody_suffix(args.out)
    return RevisePlan(gap, changes, model_file, targets)


def _revise(args: argparse.Namespace, what: str) -> int:
    """Load the model, revise the span and write each result; ``what`` is ``"fill"`` or ``"vary"``."""
    from ..models.generation import GeneratesMelodies
    from ..models.sampling_settings import SamplingSettings

    plan = plan_revise(args)
    model = load_model_for(args, plan.model_file)
    if not isinstance(model, GeneratesMelodies):
        raise UsageError("--model", f"{model.name} cannot {what} a span")
    recommended = getattr(model, "sampling", None)
    base = recommended if isinstance(recommended, SamplingSettings) else SamplingSettings()
    sampling = base.replace(**plan.changes)
    gap, n, proposals, seed = plan.gap, args.n, args.proposals, args.seed
    if what == "fill":
        results = model.infill(gap.melody, gap.start, gap.end, n=n, proposals=proposals, seed=seed, sampling=sampling)
    else:
        results = model.vary(
            gap.melody,
            gap.start,
            gap.end,
            keep=args.keep,
            contour=args.contour,
            n=n,
            proposals=proposals,
            seed=seed,
            sampling=sampling,
        )
    for melody, target in zip(results, plan.targets, strict=True):
        write_melody(melody, target)
        span = melody.between(gap.start, gap.end).shift(-gap.start).to_notation()
        print(f"wrote {target}: steps {gap.start}-{gap.end} are now {span} (weight {melody.meta['weight']:.3f})")
    return 0


def fill(args: argparse.Namespace) -> int:
    """Write ``-n`` melodies whose span is filled anew to lead into what follows."""
    return _revise(args, "fill")


def vary(args: argparse.Namespace) -> int:
    """Write ``-n`` variations of the span's phrase (``--keep rhythm`` or ``pitches``, ``--contour``)."""
    return _revise(args, "vary")
