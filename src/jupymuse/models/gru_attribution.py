"""The GRU's note attribution done fast: every "this melody without note j" read in one batch.

:func:`jupymuse.models.attribution.attribute` removes each earlier note in turn and scores the
explained note again. Done one melody at a time that is ``index`` full passes; here the passes share
all the work they can. Removing note ``j`` (its rest neighbours merge into one rest, every later note
keeps its time) changes the network's input at one step only: the steps before it read the same
events, and the steps after it read the same events at the same bar positions. So each removal is a
row that starts from the original state just before the change, reads one new input (the merged rest,
or the begin marker when the first note goes), then the original inputs up to the explained note.
Rows join as the original melody goes by and all advance together: one matrix product per step.
A test checks the result against removing the notes one melody at a time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..music import Melody
from ..music.events import N_PITCH_SYMBOLS, REST, melody_events
from .attribution import Removal, removals
from .generation import style_weights
from .gru import ESCAPE
from .gru_numpy import _one_thread
from .markov import duration_base
from .sampling import log_softmax

if TYPE_CHECKING:
    from .gru import GRUModel
    from .gru_numpy import NumpyGRU
    from .gru_styles import StyleArg
    from .tokens import EncodedMelody


def _layer_states(net: NumpyGRU, x0: np.ndarray) -> list[np.ndarray]:
    """Every layer's state after each step of the original melody: (steps, units) per layer."""
    out: list[np.ndarray] = []
    x = x0
    for layer in range(len(net.w.cells)):
        if layer:
            x = net._project(layer, out[-1])
        h = np.zeros(net.config.hidden_units)
        seq = np.empty((len(x), net.config.hidden_units))
        for t in range(len(x)):
            h = net._cell(layer, x[t], h)
            seq[t] = h
        out.append(seq)
    return out


class _Rows:
    """The GRU's recurrent weights in float32 for many rows at once: the removals' passes are the bulk
    of the work (64 notes: 2,000 row-steps; 512 notes: 131,000), and float32 halves it. The scores
    stay within 1e-4 bits of float64 (a test)."""

    def __init__(self, net: NumpyGRU) -> None:
        self.net, self.units = net, net.config.hidden_units
        self.cells = [(k.astype(np.float32), r.astype(np.float32), b.astype(np.float32)) for k, r, b in net.w.cells]

    def cell(self, layer: int, x: np.ndarray, h: np.ndarray) -> np.ndarray:
        """One GRU update of rows ``h`` (float32); ``x`` is the layer's projected input (rows or one row)."""
        _, recurrent, bias = self.cells[layer]
        u = self.units
        hx = h @ recurrent
        hx += bias[1]
        gates = x[..., : 2 * u] + hx[:, : 2 * u]
        np.tanh(gates * 0.5, out=gates)
        gates += 1.0
        gates *= 0.5  # the update and reset gates: the logistic function, as tanh (no overflow)
        z, r = gates[:, :u], gates[:, u:]
        new = np.tanh(x[..., 2 * u :] + r * hx[:, 2 * u :])
        return np.asarray(new + z * (h - new))

    def advance(self, x: np.ndarray, states: list[np.ndarray]) -> list[np.ndarray]:
        """One step of every row: ``x`` is the first layer's input (rows, or one row shared by all)."""
        out: list[np.ndarray] = []
        for layer, h in enumerate(states):
            if layer:
                kernel, _, bias = self.cells[layer]
                x = out[-1] @ kernel + bias[0]
            out.append(self.cell(layer, x, h))
        return out


THREADS = max(1, min(4, os.cpu_count() or 1))
"""Row groups run side by side, each with BLAS on one thread: rows never wait for each other, while
BLAS's own threads wait at every small product, ruinously on a busy machine (512 notes: 7 s with BLAS
on two threads and another busy process, 0.9 s as two groups; see :class:`gru_numpy._OneBLASThread`)."""
GROUP = 96
"""Fewest removals worth a group of their own (below that a thread costs more than it saves)."""


@dataclass(frozen=True)
class _Batch:
    """What every row group reads: the original inputs and states, and each row's first new input."""

    x0: np.ndarray
    """The first layer's input at each original step (float32)."""
    layers: list[np.ndarray]
    """Each layer's original state after each step before the last (float64)."""
    joins: np.ndarray
    """The step at which each row reads its new input (rows sorted by it)."""
    special: np.ndarray
    """Each row's new input (the merged rest, or the begin marker), projected (float32)."""
    starts: list[Removal]
    """Each row's removal, in the same order."""


def removed_log_probs(
    net: NumpyGRU, enc: EncodedMelody, changes: list[Removal], style: np.ndarray | None, pitch: int, duration: int
) -> tuple[np.ndarray, np.ndarray]:
    """ln P(pitch index ``pitch``) and ln P(duration index ``duration`` | that pitch) of the melody's
    last event, once per removal in ``changes`` (the network's own figures, before any escape mass)."""
    ts = net.ts
    last = len(enc) - 1
    x0 = net._first_input(enc.pitch_in, enc.duration_in, enc.position_in, style)
    order = np.argsort([c.last for c in changes], kind="stable")
    joins = np.array([changes[i].last + 1 for i in order], dtype=np.int64)
    sp_pitch = np.array([ts.rest_index if changes[i].rest else ts.n_pitches for i in order], dtype=np.int64)
    sp_dur = np.array(
        [ts.nearest_duration_index(changes[i].rest) if changes[i].rest else ts.n_durations for i in order],
        dtype=np.int64,
    )
    with _one_thread:
        batch = _Batch(
            x0=x0.astype(np.float32),
            layers=_layer_states(net, x0[:last]),  # the steps before the last are all any row starts from
            joins=joins,
            special=net._first_input(sp_pitch, sp_dur, enc.position_in[joins], style).astype(np.float32),
            starts=[changes[i] for i in order],
        )
        rows = _Rows(net)
        n_groups = max(1, min(THREADS, len(order) // GROUP))
        groups = [np.arange(len(order))[k::n_groups] for k in range(n_groups)]  # interleaved: even work
        if len(groups) == 1:
            tops = [_run_rows(rows, batch, groups[0])]
        else:
            with ThreadPoolExecutor(len(groups)) as pool:
                tops = list(pool.map(lambda g: _run_rows(rows, batch, g), groups))
    top = np.empty((len(order), rows.units))
    for g, t in zip(groups, tops, strict=True):
        top[order[g]] = t
    pitch_lp = log_softmax(net.pitch_logits(top)[:, : ts.n_pitches])[:, pitch]
    dur_lp = net.duration_logp(top, np.full(len(top), pitch))[:, duration]
    return np.asarray(pitch_lp), np.asarray(dur_lp)


def _run_rows(rows: _Rows, batch: _Batch, group: np.ndarray) -> np.ndarray:
    """The top layer's final state (float64) of the rows ``group`` (indexes in join order, ascending)."""
    joins = batch.joins[group]
    states = [np.zeros((len(group), rows.units), np.float32) for _ in batch.layers]
    active = 0
    for step in range(int(joins[0]), len(batch.x0)):
        if active:
            moved = rows.advance(batch.x0[step], [s[:active] for s in states])
            for s, m in zip(states, moved, strict=True):
                s[:active] = m
        new = active + int(np.searchsorted(joins[active:], step, side="right"))
        if new > active:
            joining = [batch.starts[i] for i in group[active:new]]
            starts = [
                np.stack([seq[c.first] if c.rest else np.zeros(rows.units) for c in joining]).astype(np.float32)
                for seq in batch.layers
            ]
            moved = rows.advance(batch.special[group[active:new]], starts)
            for s, m in zip(states, moved, strict=True):
                s[active:new] = m
            active = new
    return states[-1].astype(np.float64)


def removed_scores(
    model: GRUModel, cut: Melody, style: StyleArg, among: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """ln P(pitch) and ln P(pitch and length) of ``cut``'s last note without each earlier note of
    ``among``, as ``model.log_prob`` gives them (escape mass included), by :func:`removed_log_probs`."""
    ts = model.config.tokens
    events = melody_events(cut)
    note_events = [e for e, (p, _) in enumerate(events) if p != REST][:-1]
    note_events = [note_events[j] for j in among]
    pitch, duration = events[-1]
    weights = style_weights(model.styles, style, model.name)
    net_pitch, net_dur = removed_log_probs(
        model._numpy_engine(),
        ts.encode(cut),
        removals(events, note_events),
        weights,
        ts.nearest_pitch_index(pitch),
        ts.nearest_duration_index(duration),
    )
    p_net = np.exp(net_pitch) if ts.pitch_index(pitch) is not None else np.zeros(len(net_pitch))
    pitch_lp = np.log((1 - ESCAPE) * p_net + ESCAPE / N_PITCH_SYMBOLS)
    d_net = np.exp(net_dur) if ts.duration_index(duration) is not None else np.zeros(len(net_dur))
    return pitch_lp, pitch_lp + np.log((1 - ESCAPE) * d_net + ESCAPE * duration_base(duration))
