"""The GRU's Keras network and its compiled scorer (imports TensorFlow: load it lazily).

Network, for every step ``t`` (see :mod:`jupymuse.models.tokens` for what the inputs are)::

    x_t = [E_pitch(pitch_{t-1}); E_dur(duration_{t-1}); E_pos(position_t); S w]    embeddings
    h_t = GRU(x_t, h_{t-1})                                                   one or more layers
    P(pitch_t)                 = softmax(W_p h_t + b_p)                        output "pitch"
    P(duration_t | pitch_t)    = softmax(W_d relu(W_h h_t + E_next(pitch_t)) + b_d)   "duration"

The GRU layer is Keras's: z = sigma(W_z x + U_z h + b), r = sigma(W_r x + U_r h + b),
h~ = tanh(W_h x + r * (U_h h) + b), h_t = z * h_{t-1} + (1 - z) * h~, the design's
h_t = tanh(W_hh h_{t-1} + W_hs s_{t-1} + b_h) with gates that let it remember longer.

``S w`` is the style: ``S`` holds one learned vector per style (``GRUConfig.styles``) and ``w`` is
the style weights of the step (one-hot for one style, a mix for ``{"chorale": 0.5, "irish": 0.5}``,
which interpolates the vectors, zero for "no style"). A network without styles has no ``S w``. With
``GRUConfig.end_event`` the pitch head has one more class after the rest: "the melody ends here".

The chain rule P(pitch, duration) = P(pitch) P(duration | pitch) keeps the output small (pitches
plus durations instead of every pair), which makes sampling fast, and gives the pitch probability
that IDyOM-style evaluation needs directly. Sampling, one event at a time, is in
:mod:`jupymuse.models.gru_sampler`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import tensorflow as tf

if TYPE_CHECKING:
    import keras

    from .gru_config import GRUConfig

NEG_INF = float("-inf")


def build_network(config: GRUConfig, seed: int) -> keras.Model:
    """The training network: token inputs (batch, time) to pitch and duration logits."""
    import keras
    from keras import layers

    ts = config.tokens
    init = iter(range(seed * 100, seed * 100 + 100))

    def glorot() -> keras.initializers.Initializer:
        return keras.initializers.GlorotUniform(seed=next(init))

    def emb(n: int, size: int, name: str) -> layers.Embedding:
        return layers.Embedding(
            n, size, name=name, embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=next(init))
        )

    pitch = keras.Input((None,), dtype="int32", name="pitch")
    duration = keras.Input((None,), dtype="int32", name="duration")
    position = keras.Input((None,), dtype="int32", name="position")
    next_pitch = keras.Input((None,), dtype="int32", name="next_pitch")
    side = max(config.embedding_size // 2, 1)
    parts = [
        emb(ts.n_pitches + 1, config.embedding_size, "pitch_embedding")(pitch),
        emb(ts.n_durations + 1, side, "duration_embedding")(duration),
        emb(ts.max_position, side, "position_embedding")(position),
    ]
    inputs = {"pitch": pitch, "duration": duration, "position": position, "next_pitch": next_pitch}
    if config.styles:
        inputs["style"] = keras.Input((None, len(config.styles)), dtype="float32", name="style")
        style_layer = layers.Dense(
            config.style_size,
            use_bias=False,
            name="style_embedding",
            kernel_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=next(init)),
        )
        parts.append(style_layer(inputs["style"]))
    x = layers.Concatenate(name="event")(parts)
    for i in range(config.layers):
        if config.dropout:
            x = layers.Dropout(config.dropout, seed=next(init), name=f"dropout_{i}")(x)
        x = layers.GRU(
            config.hidden_units,
            return_sequences=True,
            name=f"gru_{i}",
            kernel_initializer=glorot(),
            recurrent_initializer=keras.initializers.Orthogonal(seed=next(init)),
        )(x)
    if config.dropout:
        x = layers.Dropout(config.dropout, seed=next(init), name="dropout_out")(x)
    pitch_logits = layers.Dense(config.n_outputs, name="pitch_out", kernel_initializer=glorot())(x)
    hidden = layers.Dense(config.duration_units, name="duration_context", kernel_initializer=glorot())(x)
    hidden = layers.Add(name="duration_mix")(
        [hidden, emb(ts.n_pitches, config.duration_units, "duration_pitch")(next_pitch)]
    )
    hidden = layers.Activation("relu", name="duration_relu")(hidden)
    duration_logits = layers.Dense(ts.n_durations, name="duration_out", kernel_initializer=glorot())(hidden)
    return keras.Model(
        inputs,
        {"pitch": pitch_logits, "duration": duration_logits},
        name="jupymuse_gru",
    )


class NetworkParts:
    """The network's layers by role, for the step-by-step sampling loop and the scorer."""

    def __init__(self, net: keras.Model, config: GRUConfig) -> None:
        self.pitch_embedding = net.get_layer("pitch_embedding")
        self.duration_embedding = net.get_layer("duration_embedding")
        self.position_embedding = net.get_layer("position_embedding")
        self.cells = [net.get_layer(f"gru_{i}").cell for i in range(config.layers)]
        self.pitch = net.get_layer("pitch_out")
        self.duration_context = net.get_layer("duration_context")
        self.duration_pitch = net.get_layer("duration_pitch")
        self.duration = net.get_layer("duration_out")
        self.style = net.get_layer("style_embedding") if config.styles else None
        self.units = config.hidden_units
        self.n_pitches = config.tokens.n_pitches

    def event(self, pitch: tf.Tensor, duration: tf.Tensor, position: tf.Tensor, style: tf.Tensor) -> tf.Tensor:
        """The GRU's input for events (any leading shape): the embeddings, and the style vector if any."""
        parts = [self.pitch_embedding(pitch), self.duration_embedding(duration), self.position_embedding(position)]
        if self.style is not None:
            parts.append(self.style(style))
        return tf.concat(parts, axis=-1)


def make_scorer(parts: NetworkParts, net: keras.Model, n_layers: int) -> Callable[..., Any]:
    """A compiled function: log P(pitch) (T, P), log P(duration | each pitch) (T, P, D) and log P(end) (T)
    for one melody under the style weights ``style`` (1, T, styles).

    P(pitch) is given that the melody goes on (renormalised without the end-of-melody class), as
    IDyOM-style evaluation asks; log P(end) is -inf for a network without the end class.
    """
    spec = tf.TensorSpec([1, None], tf.int32)

    @tf.function(input_signature=[spec, spec, spec, tf.TensorSpec([1, None, None], tf.float32)])
    def score(pitch: tf.Tensor, duration: tf.Tensor, position: tf.Tensor, style: tf.Tensor) -> tuple[tf.Tensor, ...]:
        x = parts.event(pitch, duration, position, style)
        for i in range(n_layers):
            x = net.get_layer(f"gru_{i}")(x)
        h = x[0]  # (T, units)
        logits = parts.pitch(h)
        everything = tf.nn.log_softmax(logits, axis=-1)
        end_logp = everything[:, -1] if logits.shape[-1] > parts.n_pitches else tf.fill([tf.shape(h)[0]], NEG_INF)
        pitch_logp = tf.nn.log_softmax(logits[:, : parts.n_pitches], axis=-1)
        context = parts.duration_context(h)[:, None, :]  # (T, 1, U)
        every_pitch = parts.duration_pitch.embeddings[None, :, :]  # (1, P, U)
        dur_logp = tf.nn.log_softmax(parts.duration(tf.nn.relu(context + every_pitch)), axis=-1)
        return pitch_logp, dur_logp, end_logp

    return score
