"""The numpy engine: the trained GRU run with numpy alone, for composing and scoring without TensorFlow.

The shipped network is small (one layer of 256 units): one step is a few hundred thousand
multiply-adds, well under a millisecond in numpy, with nothing to import or compile first. So this is
what ``GRUModel`` uses by default to generate and to score; TensorFlow is for training (and for the
compiled sampler of :mod:`jupymuse.models.gru_sampler`, which pays off for large batches). Both
compute the same network (see :mod:`jupymuse.models.gru_net` for its equations); the tests hold their
next-step probabilities equal to 1e-5.

:func:`sample` is the sampling loop to read: for every step of every candidate, run the network one
event further, take the pitch distribution, remove what the constraints forbid, shape it (temperature,
top-k, top-p), draw a pitch; then the same for its duration, which reads the chosen pitch.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import numpy as np

from ..music.events import Event
from .guidance import guide, is_guided
from .sampling import GenerationProbs, draw_rows, log_softmax, shape, to_symbols

if TYPE_CHECKING:
    from .generation import SamplingRequest
    from .gru_config import GRUConfig
    from .gru_weights import GRUWeights

States = list[np.ndarray]
"""The state of each GRU layer, (candidates, units)."""
P = ParamSpec("P")
R = TypeVar("R")


class _OneBLASThread:
    """BLAS on one thread while the engine runs: its products are small ((16, 256) x (256, 768) at most
    per step), and a second BLAS thread only waits for the first. On a busy machine that wait is
    ruinous: 7.8 ms instead of 0.1 ms per product measured on a 2-core machine with one other busy
    process. Process-wide (BLAS has one setting), counted so overlapping calls restore it once, last.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._limiter: Any = None

    def __enter__(self) -> None:
        with self._lock:
            if self._users == 0:
                self._limiter = _controller().limit(limits=1, user_api="blas")
            self._users += 1

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                self._limiter.restore_original_limits()
                self._limiter = None


@functools.cache
def _controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


_one_thread = _OneBLASThread()


def one_blas_thread(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with BLAS on one thread (see :class:`_OneBLASThread`)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _one_thread:
            return func(*args, **kwargs)

    return wrapper


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)))  # the logistic function, without overflow warnings


class NumpyGRU:
    """The GRU network of ``config`` with ``weights``, one event at a time or over a whole melody.

    The embeddings feed only the first GRU layer's kernel, so each embedding times its share of that
    kernel is kept as one table: reading an event is then three lookups and a sum.
    """

    def __init__(self, config: GRUConfig, weights: GRUWeights) -> None:
        self.config, self.ts, self.w = config, config.tokens, weights
        kernel, _, bias = weights.cells[0]
        e, side = config.embedding_size, max(config.embedding_size // 2, 1)
        self.pitch_table = weights.pitch_embedding @ kernel[:e] + bias[0]  # the input bias added once, here
        self.duration_table = weights.duration_embedding @ kernel[e : e + side]
        self.position_table = weights.position_embedding @ kernel[e + side : e + 2 * side]
        style = weights.style_embedding
        self.style_table = None if style is None else style @ kernel[e + 2 * side :]

    def _first_input(
        self, pitch: np.ndarray, duration: np.ndarray, position: np.ndarray, style: np.ndarray | None
    ) -> np.ndarray:
        """The first layer's input projection (W x + b) for events of any leading shape."""
        x = self.pitch_table[pitch] + self.duration_table[duration] + self.position_table[position]
        if self.style_table is not None and style is not None:
            x = x + style @ self.style_table
        return np.asarray(x)

    def _cell(self, layer: int, x: np.ndarray, h: np.ndarray) -> np.ndarray:
        """One GRU update: ``x`` is the layer's input already projected (W x + b), ``h`` its state."""
        _, recurrent, bias = self.w.cells[layer]
        u = self.config.hidden_units
        hx = h @ recurrent + bias[1]
        zr = _sigmoid(x[..., : 2 * u] + hx[..., : 2 * u])  # the update and reset gates together
        z, r = zr[..., :u], zr[..., u:]
        return np.asarray(z * h + (1.0 - z) * np.tanh(x[..., 2 * u :] + r * hx[..., 2 * u :]))

    def _project(self, layer: int, below: np.ndarray) -> np.ndarray:
        """Layer ``layer``'s input projection from the layer below's output (layers after the first)."""
        kernel, _, bias = self.w.cells[layer]
        return np.asarray(below @ kernel + bias[0])

    def zeros(self, n: int) -> States:
        """The state before any event, for ``n`` candidates."""
        return [np.zeros((n, self.config.hidden_units)) for _ in self.w.cells]

    def step(
        self, states: States, pitch: np.ndarray, duration: np.ndarray, position: np.ndarray, style: np.ndarray | None
    ) -> States:
        """The states after reading one event per candidate (index arrays of shape (n,)); the last is the output."""
        x = self._first_input(pitch, duration, position, style)
        out: States = []
        for layer, h in enumerate(states):
            if layer:
                x = self._project(layer, out[-1])
            out.append(self._cell(layer, x, h))
        return out

    def run(
        self, pitch: np.ndarray, duration: np.ndarray, position: np.ndarray, style: np.ndarray | None
    ) -> tuple[np.ndarray, States]:
        """One melody's events (T,) read in order: the top layer's output (T, units) and the final states (1, units).

        Layer by layer: every input projection of a layer at once, then its recurrence step by step.
        """
        x = self._first_input(pitch, duration, position, style)
        finals = []
        seq = np.zeros((len(pitch), self.config.hidden_units))
        for layer in range(len(self.w.cells)):
            if layer:
                x = self._project(layer, seq)
            h = np.zeros(self.config.hidden_units)
            seq = np.empty_like(seq)
            for t in range(len(pitch)):
                h = self._cell(layer, x[t], h)
                seq[t] = h
            finals.append(h[None, :])
        return seq, finals

    def pitch_logits(self, h: np.ndarray) -> np.ndarray:
        """The pitch head: one logit per pitch, the rest, and the end of the melody when the model has it."""
        kernel, bias = self.w.pitch_out
        return np.asarray(h @ kernel + bias)

    def duration_logp(self, h: np.ndarray, pitch: np.ndarray) -> np.ndarray:
        """ln P(duration | state, pitch index) for states (..., units) and pitch indexes (...)."""
        pitch = np.where(pitch < self.ts.n_pitches, pitch, 0)  # after the end of a melody: unused
        (wc, bc), (wd, bd) = self.w.duration_context, self.w.duration_out
        hidden = np.maximum(h @ wc + bc + self.w.duration_pitch[pitch], 0.0)
        return log_softmax(hidden @ wd + bd)

    def score(
        self, pitch: np.ndarray, duration: np.ndarray, position: np.ndarray, style: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For token inputs (T,): ln P(pitch | the melody goes on) (T, pitches), ln P(the melody ends) (T),
        and the top layer's outputs (T, units) for :meth:`duration_logp`."""
        with _one_thread:
            h, _ = self.run(pitch, duration, position, style)
        logits = self.pitch_logits(h)
        n_p = self.ts.n_pitches
        end = log_softmax(logits)[:, n_p] if logits.shape[1] > n_p else np.full(len(h), -np.inf)
        return log_softmax(logits[:, :n_p]), end, h


@one_blas_thread
def sample(net: NumpyGRU, request: SamplingRequest, record: bool) -> tuple[list[list[Event]], GenerationProbs | None]:
    """``request.n`` continuations of the primer (events until the model ends each), and the distributions.

    The primer is read first (teacher forcing, at its real bar positions, as in training); then every
    step feeds the event just drawn back in. Each candidate draws from its own random stream (child
    ``i`` of the seed), so candidate ``i`` is the same melody whatever ``n`` is. ``record`` keeps, per
    step, the model's own pitch distribution and the shaped one the pitch was drawn from (see
    ``GenerationProbs``).
    """
    ts, n = net.ts, request.n
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(request.seed).spawn(n)]  # one per candidate
    primer = request.primer
    enc = ts.encode(primer)
    style, strength = request.style, request.style_strength
    guided = is_guided(style, strength) and net.style_table is not None
    _, states = net.run(enc.pitch_in, enc.duration_in, enc.position_in, style)
    states = [np.repeat(h, n, axis=0) for h in states]  # every candidate starts from the primer's state
    rows: np.ndarray | None = style
    if guided:  # rows n..2n read the same events without the style (see guidance.py)
        assert style is not None
        _, free = net.run(enc.pitch_in, enc.duration_in, enc.position_in, None)
        states = [np.concatenate([h, np.repeat(f, n, axis=0)]) for h, f in zip(states, free, strict=True)]
        rows = np.concatenate([np.tile(style, (n, 1)), np.zeros((n, len(style)))])
    both = (lambda a: np.concatenate([a, a])) if guided else (lambda a: a)
    if len(enc):  # the first input is the primer's last event, not read yet
        last = int(enc.target[-1])
        pitch, duration = np.full(n, last // ts.n_durations), np.full(n, last % ts.n_durations)
    else:  # or the begin marker
        pitch, duration = np.full(n, ts.n_pitches), np.full(n, ts.n_durations)
    onset = np.full(n, primer.end if len(primer) else 0)
    allowed = request.allowed[ts.pitch_values]
    if net.config.end_event:
        allowed = np.append(allowed, request.may_end)
    durations = np.asarray(ts.durations)
    pitches, lengths, raw, drawn = [], [], [], []
    for _ in range(request.steps):
        position = np.minimum(onset % max(primer.steps_per_bar, 1), ts.max_position - 1)
        states = net.step(states, both(pitch), both(duration), both(position), rows)
        h = states[-1]
        logp = log_softmax(net.pitch_logits(h))
        if guided:
            logp = guide(logp[:n], logp[n:], strength)
        p = np.exp(logp) * allowed  # what the model predicts, less what is forbidden
        q = shape(p / p.sum(axis=1, keepdims=True), request.temperature, request.top_k, request.top_p)
        pitch = draw_rows(q, rngs)
        d = np.exp(net.duration_logp(h[:n], pitch))  # the duration head reads the chosen pitch, styled
        duration = draw_rows(shape(d, request.duration_temperature, request.top_k, request.duration_top_p), rngs)
        pitches.append(pitch)
        lengths.append(duration)
        onset = onset + durations[duration]
        if record:
            n_p = ts.n_pitches
            raw.append(np.exp(log_softmax(logp[:, :n_p])))  # the model's own (guided), before any limit
            drawn.append(q[:, :n_p] / np.maximum(q[:, :n_p].sum(axis=1, keepdims=True), 1e-30))
    events = []
    for c in range(n):
        chosen = [(int(p[c]), int(d[c])) for p, d in zip(pitches, lengths, strict=True)]
        ended = next((t for t, (p, _) in enumerate(chosen) if p >= ts.n_pitches), len(chosen))  # the end class
        events.append([(int(ts.pitch_values[p]), ts.durations[d]) for p, d in chosen[:ended]])
    if not record:
        return events, None
    shape3 = (n, request.steps, ts.n_pitches)
    stacked = [np.stack(a, axis=1) if a else np.zeros(shape3) for a in (raw, drawn)]
    return events, GenerationProbs(to_symbols(ts, stacked[0]), to_symbols(ts, stacked[1]))
