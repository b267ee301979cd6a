"""Filling a gap: new notes for the steps ``[start, end)`` of a melody that fit what comes before AND after.

The models read left to right: they say how likely the next note is given the notes before it,
never given the notes after. Yet they can fill a gap honestly, by *importance resampling*:

1. **Propose.** Draw ``proposals`` candidate spans (64 by default) from the notes before the gap,
   exactly as ``generate`` would continue them (same temperature, top-k/top-p, locks and style),
   until each candidate fills the gap to the step (only lengths that still fit are drawn, so the
   span keeps its length exactly and the notes after it stay where they are).
2. **Weigh.** For each candidate, ask the model how likely the *real* notes after the gap are once
   it has heard that candidate: w = P(after | before, candidate) (the first ``SUFFIX_NOTES`` notes
   after the gap). A candidate that leads naturally into what follows gets a large weight; one that
   ends on a wild leap away from the next note, a tiny one.
3. **Resample.** Pick ``n`` candidates at random in proportion to their weights (with replacement:
   a candidate far better than the rest may come back more than once).

What the result is drawn from (as the number of proposals grows): the proposals' own distribution
times the weight, q(span) x P(after | before, span). At temperature 1 with no top-k/top-p or locks,
q is the model's P(span | before) with one liberty: at each note only lengths that still fit in the
gap are drawn (renormalised among them), so the result is the model's P(span | before, after) among
spans that fit, up to how strongly that renormalisation favours some of them. With other settings q
is shaped as ``generate`` shapes it, so the settings keep their meaning (a low temperature still gives
safer notes): the span as those settings would continue the music, weighted by how well it leads into
what follows.

**Temperature 0** is deterministic (whatever the seed): the best span found, by
P(span | before) x P(after | before, span). When the gap held one note, every single note that fills
it is tried (each pitch the model knows and the settings allow, lasting the whole gap), so the best
one-note fill is found exactly: for a Markov chain of order 1, the note x maximising
P(previous -> x) P(x -> next). Otherwise the candidates are the greedy span and ``proposals - 1``
spans drawn at temperature 1 (with seed 0), and the best of them wins.

**Cost.** ``proposals`` spans are drawn and each is scored over the span and the notes after it:
about ``proposals x (span events + SUFFIX_NOTES)`` model steps. The GRU runs every candidate side
by side (:mod:`.gru_spans`: one matrix product per step for all 64), 0.1-0.2 s for a 2-bar gap
on two busy cores (``benchmarks/infill.py``); a Markov chain scores each candidate with ``log_prob``
from its last ``order`` notes before the gap. The weights say how much each candidate counted;
when one candidate takes nearly all of the weight, more proposals give more varied results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from .. import arguments
from ..errors import ModelError
from ..music import Melody
from ..music.events import REST, Event
from .gaps import SUFFIX_NOTES, Gap, find_gap
from .generation import MAX_GENERATED_EVENTS, check_sampling, check_seed, locked, no_pitch_left, style_weights
from .gru_numpy import _one_thread
from .sampling import allowed_pitches
from .sampling_settings import SamplingSettings
from .span_draw import Reader, Rule, Shaping, draw_spans
from .span_rules import FillRule, RowState

if TYPE_CHECKING:
    from .generation import GeneratesMelodies

__all__ = ["MAX_PROPOSALS", "SUFFIX_NOTES", "FillOptions", "Fills", "infill"]

MAX_PROPOSALS = 4096
"""Most candidate spans one call draws (``proposals``); ``n`` is at most ``proposals``."""
NOT_FOR_SPANS = ("length", "bars", "ending")
"""Sampling settings a span has no use for: it keeps its own length."""
Scorer = Callable[[list[list[Event]]], tuple[np.ndarray, np.ndarray]]


class FillOptions(TypedDict, total=False):
    """The ``SamplingSettings`` fields ``infill`` and ``vary`` take as keywords (a span keeps its length)."""

    temperature: float
    top_k: int | None
    top_p: float | None
    duration_temperature: float | None
    duration_top_p: float | None
    pitch_range: tuple[int, int] | None
    scale: str | Iterable[int] | None
    key_lock: bool
    range_lock: bool
    style: str | Mapping[str, float] | None


@dataclass(frozen=True)
class Fills:
    """What a fill or variation returns: the melodies, and how much each counted."""

    melodies: list[Melody]
    weights: np.ndarray
    """Each returned candidate's share of the weight of all candidates (at temperature 0: its share of
    P(span | before) P(after | before, span) among the candidates tried)."""
    effective: float
    """How many candidates effectively counted (1 / sum of squared shares): 1 when one took all."""


def fills(
    model_name: str, gap: Gap, spans: list[list[Event]], draw_from: int, shares: np.ndarray, picks: list[int]
) -> Fills:
    """The chosen ``spans`` (candidates ``picks`` of all, whose shares of the weight are ``shares``) as
    filled melodies; each one's ``meta`` says the model (``generated_by``) and its share (``weight``)."""
    melodies = []
    for events, i in zip(spans, picks, strict=True):
        filled = gap.filled(events, draw_from)
        meta = {**filled.meta, "generated_by": model_name, "weight": float(shares[i])}
        melodies.append(filled.replace(meta=meta))
    return Fills(melodies, shares[picks], float(1 / np.sum(shares**2)))


@dataclass(frozen=True)
class Setup:
    """One call's checked settings."""

    n: int
    proposals: int
    seed: int | None
    shaping: Shaping
    allowed: np.ndarray
    style: np.ndarray | None


def prepare(
    model: GeneratesMelodies,
    gap: Gap,
    counts: tuple[object, object],
    seed: object,
    sampling: object,
    options: Mapping[str, object],
) -> Setup:
    """Every setting of a call checked against the gap ``gap``, before any work.

    Raises:
        SettingError: ``n`` not 1 to ``proposals``, ``proposals`` not 1 to ``MAX_PROPOSALS``, or too many
            proposals for the span's length.
        ModelError: a setting a span has no use for (``length``, ``bars``, ``ending``), a bad setting
            or style, a bad seed, or constraints that leave no pitch.
    """
    n, proposals = counts
    proposals = arguments.whole(proposals, "proposals", 1, MAX_PROPOSALS)
    n = arguments.whole(n, f"n (at most proposals, {proposals})", 1, proposals)
    seed = check_seed(seed)
    if "style_strength" in options:
        raise ModelError(
            "style_strength applies to continuations (generate): a fill or variation is weighted by the notes "
            "around it, which already carry their style; leave style_strength out"
        )
    for name in NOT_FOR_SPANS:
        if name in options:
            raise ModelError(f"{name} does not apply here: the span keeps its own length ({gap.length} steps)")
    base = check_sampling(sampling)
    settings = (model.sampling if base is None else base).replace(**options)
    style = style_weights(model.styles, settings.style, model.name)
    allowed = allowed_pitches(*locked(settings, gap.kept))
    if proposals * gap.length > MAX_GENERATED_EVENTS:
        raise ModelError(
            f"proposals x span = {proposals:,} x {gap.length:,} steps is over {MAX_GENERATED_EVENTS:,}: "
            "ask for fewer proposals or a shorter span"
        )
    temperature, top_k, top_p = settings.pitch_settings
    shaping = Shaping(temperature, top_k, top_p, *settings.duration_settings)
    return Setup(n, proposals, seed, shaping, allowed, style)


def backend(model: GeneratesMelodies, gap: Gap, style: np.ndarray | None, draw_from: int) -> tuple[Reader, Scorer]:
    """The model's reader (to draw spans) and scorer (to weigh them).

    Raises:
        ModelError: a model that is neither a Markov chain nor a GRU.
    """
    from .gru import GRUModel
    from .markov import MarkovModel

    if isinstance(model, GRUModel):
        from .gru_spans import GRUReader, score_rows

        reader = GRUReader(model, style, gap.melody.steps_per_bar)
        return reader, lambda spans: score_rows(reader, gap, spans, draw_from)
    if isinstance(model, MarkovModel):
        from .chain_spans import ChainReader, score_by_log_prob

        chain = model
        return ChainReader(chain), lambda spans: score_by_log_prob(chain, gap, spans, draw_from, chain.order)
    raise ModelError(f"{model.name} cannot fill or vary a span: that needs a MarkovModel or a GRUModel")


def excluding(score: Scorer, exclude: list[Event]) -> Scorer:
    """``score`` giving no chance to the span ``exclude`` (unless every candidate is that span)."""

    def scored(spans: list[list[Event]]) -> tuple[np.ndarray, np.ndarray]:
        span_lp, after = score(spans)
        other = np.array([span != exclude for span in spans])
        return span_lp, np.where(other, after, -np.inf) if other.any() else after

    return scored


def complete(
    model: GeneratesMelodies, gap: Gap, rule: Rule, setup: Setup, draw_from: int, exclude: list[Event] | None = None
) -> Fills:
    """Propose, weigh and resample (or, at temperature 0, take the best): see the module docstring.
    ``exclude``: a span never to return while there is another (``vary``: the phrase itself)."""
    reader, score = backend(model, gap, setup.style, draw_from)
    if exclude is not None:
        score = excluding(score, exclude)
    if not (setup.allowed & reader.vocab)[:REST].any():
        raise no_pitch_left()
    history = gap.history(draw_from)
    first_onset = gap.before[0].start if gap.before else draw_from

    def begin(rows: int) -> RowState:
        reader.reset(history, first_onset, rows)
        no_rest = not history or history[-1][0] == REST  # a rest never follows a rest, nor opens a melody
        return RowState.begin(
            rows, draw_from, gap.end, no_rest=no_rest, last_note=gap.before[-1].pitch if gap.before else -1
        )

    with _one_thread:
        if setup.shaping.temperature == 0:
            return best(model.name, gap, rule, setup, (reader, score), begin, draw_from)
        streams = [np.random.default_rng(s) for s in np.random.SeedSequence(setup.seed).spawn(setup.proposals + 1)]
        spans = draw_spans(reader, rule, setup.shaping, streams[:-1], begin(setup.proposals))
        _, after = score(spans)
    shares = np.exp(after - after.max())
    shares /= shares.sum()
    picks = streams[-1].choice(setup.proposals, size=setup.n, p=shares)
    return fills(model.name, gap, [spans[i] for i in picks.tolist()], draw_from, shares, picks.tolist())


def best(
    model_name: str,
    gap: Gap,
    rule: Rule,
    setup: Setup,
    parts: tuple[Reader, Scorer],
    begin: Callable[[int], RowState],
    draw_from: int,
) -> Fills:
    """Temperature 0: the ``n`` best distinct candidates by P(span | before) P(after | before, span)."""
    reader, score = parts
    if rule.single_duration is not None:  # every single note that fills the span
        mask, fixed = rule.pitches(begin(1), np.zeros(1, np.int64), reader.vocab)
        symbols = [int(fixed[0])] if fixed[0] >= 0 else np.flatnonzero(mask[0][:REST]).tolist()
        spans = [[(p, rule.single_duration)] for p in symbols]
    else:
        greedy = draw_spans(reader, rule, setup.shaping, [np.random.default_rng(0)], begin(1))
        model_own = Shaping(1.0, setup.shaping.top_k, setup.shaping.top_p, 1.0, setup.shaping.duration_top_p)
        streams = [np.random.default_rng(s) for s in np.random.SeedSequence(0).spawn(setup.proposals - 1)]
        spans = greedy + (draw_spans(reader, rule, model_own, streams, begin(len(streams))) if streams else [])
    span_lp, after = score(spans)
    total = span_lp + after
    shares = np.exp(total - total.max())
    shares /= shares.sum()
    order, seen = [], set()
    for i in np.argsort(-total, kind="stable").tolist():
        if (key := tuple(spans[i])) not in seen:
            seen.add(key)
            order.append(i)
    picks = [order[k % len(order)] for k in range(setup.n)]  # fewer distinct spans than n: the best again
    return fills(model_name, gap, [spans[i] for i in picks], draw_from, shares, picks)


def infill(
    model: GeneratesMelodies,
    melody: object,
    start: object,
    end: object,
    *,
    n: object = 1,
    proposals: object = 64,
    seed: object = None,
    sampling: SamplingSettings | None = None,
    options: Mapping[str, object],
) -> Fills:
    """``n`` fills of the span ``[start, end)`` of ``melody`` by ``model`` (see the module docstring).

    Raises:
        SettingError: an empty span, one past the melody's end or through a note, or bad ``n``/``proposals``.
        ModelError: an untrained model, a melody on another grid, or bad settings (as ``generate``'s).
    """
    model._require_fitted()
    gap = find_gap(melody, start, end, model._grid())
    setup = prepare(model, gap, (n, proposals), seed, sampling, options)
    rule = FillRule(setup.allowed, gap.length if len(gap.inside) == 1 else None)
    return complete(model, gap, rule, setup, gap.start)
