"""The GRU's weights as plain numpy arrays, by role, and where a model file keeps each one.

Keras's ``model.weights.h5`` names layers by class and order (``layers/embedding_2/vars/0``), not by
the names ``gru_net.build_network`` gives them; :func:`weight_layout` is that naming for a network
built from a ``GRUConfig``: the same order as ``keras.Model.get_weights()``, with each weight's path
in the file and its shape. So a model file can be read with h5py alone, without TensorFlow, and the
same list fits ``network.set_weights``. A test builds real networks of every kind and checks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .gru_config import GRUConfig

Layer = tuple[np.ndarray, np.ndarray]
"""A dense layer: kernel (inputs, outputs) and bias (outputs,)."""


def weight_layout(config: GRUConfig) -> list[tuple[str, str, tuple[int, ...]]]:
    """``(role, path in the weights file, shape)`` of every weight, in ``get_weights()`` order."""
    ts, e, h, u = config.tokens, config.embedding_size, config.hidden_units, config.duration_units
    side = max(e // 2, 1)
    counts: dict[str, int] = {}

    def path(kind: str, var: int, cell: bool = False) -> str:
        k = counts[kind] - 1
        return f"layers/{kind}{'' if k == 0 else f'_{k}'}/{'cell/' if cell else ''}vars/{var}"

    out: list[tuple[str, str, tuple[int, ...]]] = []

    def add(role: str, kind: str, shapes: Sequence[tuple[int, ...]], cell: bool = False) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        out.extend((f"{role}.{i}", path(kind, i, cell), s) for i, s in enumerate(shapes))

    add("pitch_embedding", "embedding", [(ts.n_pitches + 1, e)])
    add("duration_embedding", "embedding", [(ts.n_durations + 1, side)])
    add("position_embedding", "embedding", [(ts.max_position, side)])
    inputs = e + 2 * side
    if config.styles:
        add("style_embedding", "dense", [(len(config.styles), config.style_size)])
        inputs += config.style_size
    for i in range(config.layers):
        add(f"gru_{i}", "gru", [(inputs, 3 * h), (h, 3 * h), (2, 3 * h)], cell=True)
        inputs = h
    add("duration_context", "dense", [(h, u), (u,)])
    add("duration_pitch", "embedding", [(ts.n_pitches, u)])
    add("duration_out", "dense", [(u, ts.n_durations), (ts.n_durations,)])
    add("pitch_out", "dense", [(h, config.n_outputs), (config.n_outputs,)])
    return out


@dataclass(frozen=True)
class GRUWeights:
    """Every weight of a GRU network, by role (float64, for exact scoring)."""

    pitch_embedding: np.ndarray
    duration_embedding: np.ndarray
    position_embedding: np.ndarray
    style_embedding: np.ndarray | None
    """(styles, style_size), or None for a network without styles."""
    cells: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]
    """Each GRU layer's kernel (inputs, 3 units), recurrent kernel (units, 3 units) and bias (2, 3 units):
    Keras's gate order z, r, h and its reset_after form (input and recurrent biases apart)."""
    duration_context: Layer
    duration_pitch: np.ndarray
    duration_out: Layer
    pitch_out: Layer

    @classmethod
    def from_list(cls, config: GRUConfig, arrays: Sequence[np.ndarray]) -> GRUWeights:
        """The weights in :func:`weight_layout` order (``network.get_weights()``, or a model file's)."""
        by_role: dict[str, list[np.ndarray]] = {}
        for (role, _, shape), a in zip(weight_layout(config), arrays, strict=True):
            if tuple(a.shape) != shape:
                raise ValueError(f"weight {role} has shape {a.shape}, expected {shape}")
            by_role.setdefault(role.split(".")[0], []).append(np.asarray(a, np.float64))

        def one(role: str) -> np.ndarray:
            return by_role[role][0]

        def dense(role: str) -> Layer:
            kernel, bias = by_role[role]
            return kernel, bias

        cells = tuple((k, r, b) for k, r, b in (by_role[f"gru_{i}"] for i in range(config.layers)))
        return cls(
            pitch_embedding=one("pitch_embedding"),
            duration_embedding=one("duration_embedding"),
            position_embedding=one("position_embedding"),
            style_embedding=one("style_embedding") if config.styles else None,
            cells=cells,
            duration_context=dense("duration_context"),
            duration_pitch=one("duration_pitch"),
            duration_out=dense("duration_out"),
            pitch_out=dense("pitch_out"),
        )

    def to_list(self) -> list[np.ndarray]:
        """The weights in :func:`weight_layout` order, as float32 (what ``network.set_weights`` takes)."""
        arrays = [self.pitch_embedding, self.duration_embedding, self.position_embedding]
        if self.style_embedding is not None:
            arrays.append(self.style_embedding)
        for cell in self.cells:
            arrays.extend(cell)
        arrays += [*self.duration_context, self.duration_pitch, *self.duration_out, *self.pitch_out]
        return [a.astype(np.float32) for a in arrays]
