"""The compiled TensorFlow sampler: every candidate at once, the whole loop compiled by XLA.

It samples exactly as the numpy engine's readable loop (:func:`jupymuse.models.gru_numpy.sample`)
does: run the network one event further, take the pitch distribution, remove what the constraints
forbid, shape it (temperature, top-k, top-p), draw a pitch, then its duration. It draws with its own
random numbers (Gumbel noise from the seed), so the same seed gives other notes than the numpy
engine, and it reads the primer's bar positions from the token scheme's durations. It pays off for
large batches (many candidates, long continuations) and on a GPU; ``GRUModel(engine="tensorflow")``
selects it. :func:`make_sampler` builds it; it takes one :class:`SamplerRequest` (tensors), built from
a ``SamplingRequest`` by :func:`sampler_request`. The tests check that its distributions are the
numpy engine's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import tensorflow as tf

from ..music.events import Event
from .generation import SamplingRequest
from .gru_net import NetworkParts
from .sampling import GenerationProbs, to_symbols

if TYPE_CHECKING:
    from .gru_config import GRUConfig
    from .tokens import TokenScheme

NEG_INF = float("-inf")
PRIMER_SLOTS = 512
"""Primers of up to this many events share one compiled shape (longer ones: a power of two)."""
STEP_SLOTS = 256
"""Continuations of up to this many events share one compiled shape (longer ones: a multiple of it)."""
CANDIDATE_SLOTS = 16
"""Candidates are rounded up to a power of two up to this (beyond it, to a multiple of it)."""


def slots(primer: int, steps: int, n: int) -> tuple[int, int, int]:
    """The compiled shape serving a request: (primer slots, step slots, candidate rows).

    XLA compiles once per concrete shape, and the number of candidates is a shape (the GRU state is
    (n, units)); the primer and step counts are only loop bounds, so their buffers have one fixed
    size up to the Studio's limits (512 primer events, 256 steps) and the loops stop early. That
    leaves five shapes (1, 2, 4, 8, 16 candidates) for everything a Studio asks.
    """
    primer_slots = max(PRIMER_SLOTS, 1 << max(primer - 1, 0).bit_length())
    step_slots = max(1, -(-steps // STEP_SLOTS)) * STEP_SLOTS
    rows = 1 << max(n - 1, 0).bit_length() if n <= CANDIDATE_SLOTS else -(-n // CANDIDATE_SLOTS) * CANDIDATE_SLOTS
    return primer_slots, step_slots, rows


class SamplerRequest(NamedTuple):
    """The compiled sampler's one argument: a generation request as tensors (see :func:`sampler_request`)."""

    primer_pitch: tf.Tensor
    """int32 [slots]: the pitch index of each primer event, zero-padded to a power of two."""
    primer_duration: tf.Tensor
    """int32 [slots]: the duration index of each primer event, padded alike."""
    primer_length: tf.Tensor
    """int32 []: how many primer events are real."""
    first_onset: tf.Tensor
    """int32 []: the step the primer's first event starts on."""
    steps_per_bar: tf.Tensor
    """int32 []"""
    step_slots: tf.Tensor
    """int32 [slots]: the output's length, at least ``steps`` (see :func:`slots`; only its length counts)."""
    steps: tf.Tensor
    """int32 []: steps to generate (the sampling loop's count)."""
    n: tf.Tensor
    """int32 []: candidate rows computed, at least the candidates asked for (see :func:`slots`)."""
    temperature: tf.Tensor
    """float32 []"""
    top_k: tf.Tensor
    """int32 []: at least the vocabulary size turns it off."""
    top_p: tf.Tensor
    """float32 []: more than 1 turns it off."""
    duration_temperature: tf.Tensor
    """float32 []"""
    duration_top_p: tf.Tensor
    """float32 []: more than 1 turns it off."""
    allowed: tf.Tensor
    """bool [pitch head classes]: the pitch indexes the constraints allow, and whether the melody may end."""
    style: tf.Tensor
    """float32 [styles]: the style weights (zeros: no style; no entries for a network without styles)."""
    seed: tf.Tensor
    """int64 [2]"""


SIGNATURE = SamplerRequest(
    primer_pitch=tf.TensorSpec([None], tf.int32),
    primer_duration=tf.TensorSpec([None], tf.int32),
    primer_length=tf.TensorSpec([], tf.int32),
    first_onset=tf.TensorSpec([], tf.int32),
    steps_per_bar=tf.TensorSpec([], tf.int32),
    step_slots=tf.TensorSpec([None], tf.int32),
    steps=tf.TensorSpec([], tf.int32),
    n=tf.TensorSpec([], tf.int32),
    temperature=tf.TensorSpec([], tf.float32),
    top_k=tf.TensorSpec([], tf.int32),
    top_p=tf.TensorSpec([], tf.float32),
    duration_temperature=tf.TensorSpec([], tf.float32),
    duration_top_p=tf.TensorSpec([], tf.float32),
    allowed=tf.TensorSpec([None], tf.bool),
    style=tf.TensorSpec([None], tf.float32),
    seed=tf.TensorSpec([2], tf.int64),
)
"""The shapes and types of a ``SamplerRequest``: the compiled sampler's input signature."""

SamplerOutput = tuple[tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]
"""Pitch and duration indexes (n, step slots), and when recording the raw and the shaped pitch
distributions (n, step slots, pitches)."""


def sampler_request(config: GRUConfig, request: SamplingRequest) -> SamplerRequest:
    """``request`` as the compiled sampler's tensors.

    Sizes are rounded up (see :func:`slots`) so one compiled loop serves most requests instead of
    being built again for every length; the extra candidate rows are dropped by :func:`read_samples`.
    """
    ts = config.tokens
    start = request.primer
    enc = ts.encode(start)
    allowed = request.allowed[ts.pitch_values]
    if config.end_event:
        allowed = np.append(allowed, request.may_end)
    style = np.zeros(len(config.styles), np.float32) if request.style is None else request.style
    seed = int(np.random.default_rng().integers(2**62)) if request.seed is None else request.seed
    primer_slots, step_slots, rows = slots(len(enc), request.steps, request.n)
    padded = np.zeros(primer_slots, np.int32)
    padded[: len(enc)] = enc.target
    return SamplerRequest(
        primer_pitch=tf.constant(padded // ts.n_durations, tf.int32),
        primer_duration=tf.constant(padded % ts.n_durations, tf.int32),
        primer_length=tf.constant(len(enc), tf.int32),
        first_onset=tf.constant(start.notes[0].start if len(start) else 0, tf.int32),
        steps_per_bar=tf.constant(start.steps_per_bar, tf.int32),
        step_slots=tf.zeros(step_slots, tf.int32),
        steps=tf.constant(request.steps, tf.int32),
        n=tf.constant(rows, tf.int32),
        temperature=tf.constant(request.temperature, tf.float32),
        top_k=tf.constant(min(request.top_k or ts.n_pitches + ts.n_durations, 2**31 - 1), tf.int32),
        top_p=tf.constant(2.0 if request.top_p is None else request.top_p, tf.float32),
        duration_temperature=tf.constant(request.duration_temperature, tf.float32),
        duration_top_p=tf.constant(2.0 if request.duration_top_p is None else request.duration_top_p, tf.float32),
        allowed=tf.constant(allowed),
        style=tf.constant(style, tf.float32),
        seed=tf.constant([seed % 2**62, 0], tf.int64),
    )


def read_samples(
    ts: TokenScheme, output: SamplerOutput, request: SamplingRequest, record: bool
) -> tuple[list[list[Event]], GenerationProbs | None]:
    """The events of each candidate (MIDI pitch or ``REST``, steps) and, if ``record``, the distributions.

    A candidate the model ended (its end-of-melody class drawn) stops there.
    """
    steps, n = request.steps, request.n
    pitches, durs = np.asarray(output[0])[:n, :steps], np.asarray(output[1])[:n, :steps]
    events = []
    for i in range(request.n):
        ended = np.flatnonzero(pitches[i] >= ts.n_pitches)
        length = int(ended[0]) if len(ended) else steps
        events.append(
            [
                (int(ts.pitch_values[p]), int(ts.durations[d]))
                for p, d in zip(pitches[i, :length], durs[i, :length], strict=True)
            ]
        )
    if not record:
        return events, None
    raw, shaped = (np.asarray(a)[:n, :steps] if steps else np.zeros((request.n, 0, ts.n_pitches)) for a in output[2:])
    return events, GenerationProbs(to_symbols(ts, raw), to_symbols(ts, shaped))


# ---------------------------------------------------------------------- shaping (TensorFlow)
def shape_logits(logp: tf.Tensor, temperature: tf.Tensor, top_k: tf.Tensor, top_p: tf.Tensor) -> tf.Tensor:
    """Temperature, then top-k, then top-p on log-probabilities (n, K); dropped entries become -inf.

    The rules of :func:`jupymuse.models.sampling.shape`, except for exact ties: here an entry is
    ranked by how many are strictly likelier, so every entry tied at the top-k cut-off is kept (k = 2
    over 0.4, 0.3, 0.3 keeps three), and tied entries share the top-p mass before them (all kept or all
    dropped); ``sampling.shape`` keeps exactly k and breaks top-p ties by index. Probabilities computed
    by a network are practically never exactly equal. No sort: for K of a few dozen, comparing every
    entry with every other (n, K, K) is a handful of fused ops, where a sort is the slowest op of the
    whole step on a CPU.
    """
    scaled = logp / tf.maximum(temperature, 1e-6)
    p = tf.nn.softmax(scaled, axis=1)
    likelier = tf.cast(p[:, None, :] > p[:, :, None], p.dtype)  # [n, i, j]: is j likelier than i?
    rank = tf.reduce_sum(likelier, axis=2)  # how many are likelier than i
    in_top_k = rank < tf.cast(top_k, p.dtype)
    mass_top_k = tf.reduce_sum(tf.where(in_top_k, p, 0.0), axis=1, keepdims=True)
    before = tf.reduce_sum(likelier * p[:, None, :], axis=2) / mass_top_k  # mass strictly likelier
    keep = tf.logical_and(in_top_k, before < top_p)
    return tf.where(keep, scaled, NEG_INF)


def _choose(
    logp: tf.Tensor, temperature: tf.Tensor, top_k: tf.Tensor, top_p: tf.Tensor, seed: tf.Tensor
) -> tuple[tf.Tensor, tf.Tensor]:
    """One index per row drawn from the shaped distribution (Gumbel-max), and the shaped log-weights.

    At temperature 0 the likeliest index (the first of ties) is taken.
    """
    shaped = shape_logits(logp, temperature, top_k, top_p)
    noise = tf.random.stateless_uniform(tf.shape(shaped), seed, minval=1e-20, maxval=1.0)
    drawn = tf.argmax(shaped - tf.math.log(-tf.math.log(noise)), axis=1, output_type=tf.int32)
    greedy = tf.argmax(logp, axis=1, output_type=tf.int32)
    return tf.where(temperature > 0, drawn, greedy), shaped


def _drawn_from(shaped: tf.Tensor, logp: tf.Tensor, temperature: tf.Tensor) -> tf.Tensor:
    """The distribution a choice was drawn from (one-hot on the argmax at temperature 0)."""
    greedy = tf.one_hot(tf.argmax(logp, axis=1), tf.shape(logp)[1], dtype=logp.dtype)
    return tf.where(temperature > 0, tf.nn.softmax(shaped, axis=1), greedy)


# ---------------------------------------------------------------------- the compiled loop
class _Stepper:
    """The network one event further for a batch of candidates, its state carried by hand."""

    def __init__(self, parts: NetworkParts, config: GRUConfig) -> None:
        self.style: tf.Tensor | None = None  # the style rows (n, styles), set by ``start`` while tracing
        self.parts = parts
        self.ts = config.tokens
        self.dur_values = tf.constant(self.ts.durations, dtype=tf.int32)

    def start(self, req: SamplerRequest) -> tuple[list[tf.Tensor], tf.Tensor, tf.Tensor, tf.Tensor]:
        """Zero states, the begin marker as input, the first onset; the style rows for every step."""
        n = req.n
        self.style = tf.tile(req.style[None, :], [n, 1])
        states = [tf.zeros((n, self.parts.units)) for _ in self.parts.cells]
        pitch_in, dur_in = tf.fill((n,), self.ts.n_pitches), tf.fill((n,), self.ts.n_durations)
        return states, pitch_in, dur_in, tf.fill((n,), req.first_onset)

    def step(
        self, states: list[tf.Tensor], pitch_in: tf.Tensor, dur_in: tf.Tensor, onset: tf.Tensor, spb: tf.Tensor
    ) -> tuple[list[tf.Tensor], tf.Tensor]:
        """The new states and the top layer's output after reading one event."""
        pos = tf.minimum(tf.math.floormod(onset, spb), self.ts.max_position - 1)
        x = self.parts.event(pitch_in, dur_in, pos, self.style)
        new_states = []
        for cell, h in zip(self.parts.cells, states, strict=True):
            x, _ = cell(x, [h])
            new_states.append(x)
        return new_states, x

    def duration_logp(self, h: tf.Tensor, pitch: tf.Tensor) -> tf.Tensor:
        """ln P(duration | state, chosen pitch) (for the end of melody: as after the lowest pitch, unused)."""
        pitch = tf.where(pitch < self.ts.n_pitches, pitch, 0)
        hidden = tf.nn.relu(self.parts.duration_context(h) + self.parts.duration_pitch(pitch))
        return tf.nn.log_softmax(self.parts.duration(hidden), axis=1)

    def invariants(self, states: list[tf.Tensor]) -> list[tuple[tf.Tensor, tf.TensorShape]]:
        """The states' shapes for the loops (the number of candidates is known only at run time)."""
        return [(st, tf.TensorShape([None, self.parts.units])) for st in states]


def _read_primer(net: _Stepper, req: SamplerRequest) -> tuple[list[tf.Tensor], tf.Tensor, tf.Tensor, tf.Tensor]:
    """The primer, teacher-forced through the same step function the sampling uses.

    Returns the state after the primer and the next input: the primer's last event.
    """
    states, pitch_in, dur_in, onset = net.start(req)
    invariants = net.invariants(states)
    t = tf.constant(0)
    while t < req.primer_length:  # a while, not a range: its count is no compile-time constant for XLA
        tf.autograph.experimental.set_loop_options(shape_invariants=invariants)
        states, _ = net.step(states, pitch_in, dur_in, onset, req.steps_per_bar)
        pitch_in = tf.fill((req.n,), req.primer_pitch[t])
        dur_in = tf.fill((req.n,), req.primer_duration[t])
        onset = onset + tf.gather(net.dur_values, dur_in)
        t += 1
    return states, pitch_in, dur_in, onset


def _generate(
    net: _Stepper,
    req: SamplerRequest,
    start: tuple[list[tf.Tensor], tf.Tensor, tf.Tensor, tf.Tensor],
    record: bool,
) -> SamplerOutput:
    """Sample every step slot from the state ``start``; see :data:`SamplerOutput`."""
    states, pitch_in, dur_in, onset = start
    invariants = net.invariants(states)
    size = tf.shape(req.step_slots)[0]  # fixed buffers; the loop stops after req.steps
    out_p = tf.TensorArray(tf.int32, size=size, element_shape=[None])
    out_d = tf.TensorArray(tf.int32, size=size, element_shape=[None])
    raw = tf.TensorArray(tf.float32, size=size if record else 0)
    drawn = tf.TensorArray(tf.float32, size=size if record else 0)
    mask = tf.where(req.allowed, 0.0, NEG_INF)[None, :]
    g = tf.constant(0)
    while g < req.steps:  # as in _read_primer: one compiled loop for every step count
        tf.autograph.experimental.set_loop_options(shape_invariants=invariants)
        states, h = net.step(states, pitch_in, dur_in, onset, req.steps_per_bar)
        logits = net.parts.pitch(h)
        logp = tf.nn.log_softmax(logits, axis=1) + mask
        step_seed = tf.stack([req.seed[0], req.seed[1] * 1_000_003 + tf.cast(g, tf.int64)])
        pitch_in, shaped = _choose(logp, req.temperature, req.top_k, req.top_p, step_seed)
        dur_in, _ = _choose(
            net.duration_logp(h, pitch_in),
            req.duration_temperature,
            req.top_k,
            req.duration_top_p,
            step_seed + tf.constant([0, 500_000], tf.int64),
        )
        out_p = out_p.write(g, pitch_in)
        out_d = out_d.write(g, dur_in)
        if record:  # the distributions over the pitches (given the melody goes on), only for return_probs
            n_p = net.ts.n_pitches
            raw = raw.write(g, tf.nn.softmax(logits[:, :n_p], axis=1))  # the model's own, before any limit
            chosen = _drawn_from(shaped, logp, req.temperature)[:, :n_p]
            drawn = drawn.write(g, chosen / tf.maximum(tf.reduce_sum(chosen, axis=1, keepdims=True), 1e-30))
        onset = onset + tf.gather(net.dur_values, dur_in)
        g += 1
    empty = tf.zeros((req.n, 0, net.ts.n_pitches))
    return (
        tf.transpose(out_p.stack()),
        tf.transpose(out_d.stack()),
        tf.transpose(raw.stack(), [1, 0, 2]) if record else empty,
        tf.transpose(drawn.stack(), [1, 0, 2]) if record else empty,
    )


def make_sampler(parts: NetworkParts, config: GRUConfig, record: bool) -> Callable[[SamplerRequest], SamplerOutput]:
    """A compiled function that runs the primer and then samples the step slots for ``n`` candidates.

    The primer runs through the same step function first (teacher forcing: each input is the
    primer's event), and sampling continues from that state with the primer's last event as the
    first input. So the first generated event follows the primer exactly as in training, and no
    primer event is fed twice or skipped. Compiled with XLA (which fuses the step's small ops: about
    2.4x faster than the plain graph on CPU); a new compilation happens only for a new (primer slots,
    step slots, candidate rows) shape, which :func:`sampler_request` rounds up to few sizes (:func:`slots`).
    """
    net = _Stepper(parts, config)

    def sample(req: SamplerRequest) -> SamplerOutput:
        return _generate(net, req, _read_primer(net, req), record)

    compiled: Callable[[SamplerRequest], SamplerOutput] = tf.function(
        sample, jit_compile=True, input_signature=[SIGNATURE]
    )
    return compiled
