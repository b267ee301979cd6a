"""The ``explain`` command: which earlier notes the model listened to for one note, and style evidence.

It prints ``model.attribution(melody, index).to_text(top)`` (each earlier note's contribution in bits,
by occlusion: see :mod:`jupymuse.models.attribution`) and, with ``--evidence``, the melody's style
evidence (:mod:`jupymuse.models.style_evidence`). Everything the command line says is checked before a
model or corpus loads: the model and its styles, the melody, and the note to explain (an empty melody,
one of more than ``MAX_EXPLAINED_NOTES`` notes, an index past the end, a step in a rest), and that a
Markov chain is not asked for style evidence.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelError, SettingError
from .checks import UsageError, check_corpus, check_model_file
from .commands import check_styles, load_model_for
from .primer import FILE_FLAG, read_primer

if TYPE_CHECKING:
    from ..models.gru_styles import StyleArg
    from ..music import Melody

__all__ = ["ExplainPlan", "explain", "plan_explain"]

NO_EVIDENCE = "a Markov chain knows no styles, so it has no style evidence: use a GRU with styles (the default)"


@dataclass(frozen=True)
class ExplainPlan:
    """A checked ``explain``: everything known before a model loads."""

    melody: Melody
    index: int
    """The note to explain, counted from 0 (rests are not counted)."""
    model_file: Path | None


def _markov(model: str, model_file: Path | None) -> bool:
    return model == "markov" or (model_file is not None and model_file.suffix.lower() == ".json")


def check_evidence(model: str, model_file: Path | None) -> None:
    """Refuse ``--evidence`` for a model without styles, from its settings alone (no model loads)."""
    from ..models.default import default_styles
    from ..models.gru_io import read_gru

    if _markov(model, model_file):
        raise UsageError("--evidence", NO_EVIDENCE)
    styles = default_styles() if model_file is None else read_gru(model_file, weights=False).config.styles
    if not styles:
        raise UsageError("--evidence", "the model knows no styles, so it has no style evidence: train one with styles")


def plan_explain(args: argparse.Namespace) -> ExplainPlan:
    """Every check of ``explain`` that needs no model."""
    from ..models.attribution import MAX_EXPLAINED_NOTES, explained_note

    model_file = check_model_file("--model", args.model, ("default", "markov"), (".json", ".keras"))
    check_styles(args.model, model_file, args.style)
    if args.evidence:
        check_evidence(args.model, model_file)
    if args.model == "markov":
        check_corpus("--corpus", args.corpus)
    melody = read_primer(args.primer, args.primer_file, args.tune)
    source = "--primer" if args.primer_file is None else FILE_FLAG
    if len(melody.notes) > MAX_EXPLAINED_NOTES:  # the library's own message suggests a Python slice
        raise UsageError(
            source,
            f"the melody has {len(melody.notes):,} notes; explain takes melodies of at most "
            f"{MAX_EXPLAINED_NOTES:,} (each earlier note costs one more scoring): give the part around the note",
        )
    index = -1 if args.index is None and args.step is None else args.index
    try:
        i = explained_note(melody, index, step=args.step)
    except ModelError as exc:  # the melody: empty, or too long
        raise UsageError(source, str(exc)) from None
    except SettingError as exc:  # the note: not one of the melody's, or a step in a rest
        raise UsageError("--step" if args.step is not None else "--index", str(exc)) from None
    return ExplainPlan(melody, i, model_file)


def _evidence_style(style: StyleArg) -> str | None:
    """The style whose notes the evidence lists: the one named by ``--style``, else the likeliest."""
    return style if isinstance(style, str) else None


def explain(args: argparse.Namespace) -> int:
    """Print the top ``--top`` contributions to the note's probability, and with ``--evidence`` its style evidence."""
    from ..models.generation import GeneratesMelodies

    plan = plan_explain(args)
    model = load_model_for(args, plan.model_file)
    if not isinstance(model, GeneratesMelodies):
        raise UsageError("--model", f"{model.name} cannot explain its notes")
    attribution = model.attribution(plan.melody, plan.index, style=args.style)
    print(attribution.to_text(args.top))
    if args.evidence:
        evidence = model.style_evidence(plan.melody)
        print()
        print(evidence.to_text(_evidence_style(args.style), k=args.top))
    return 0
