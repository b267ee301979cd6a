"""Styles of a GRU model: labelling training melodies with their style, and teaching a trained model a
new style from a few melodies.

A style-conditioned network (``GRUConfig(styles=...)``) reads one learned vector per style at every
step (see :mod:`jupymuse.models.gru_net`). ``fit({"irish": corpus, ...})`` labels each melody with
``meta["style"]``; :func:`grow_styles` adds a style to a trained network: every weight is kept and the
new style's vector starts at the mean of the others, so only that vector needs to be learned (a few
hundred notes are enough to place it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ModelError
from ..music import Melody

if TYPE_CHECKING:
    import keras

    from .gru_config import GRUConfig

StyleArg = str | Mapping[str, float] | None
"""A style name, a mix of styles with weights, or None (no style)."""


def tag_styles(by_style: Mapping[str, Iterable[Melody]], known: tuple[str, ...]) -> Iterable[Melody]:
    """The melodies of every style, each with its style in ``meta["style"]``.

    Lists stay lists (held in memory); if any style's melodies are a stream, the result is a stream too.

    Raises:
        ModelError: a style the model does not know.
    """
    for name in by_style:
        if name not in known:
            hint = f"its styles are: {', '.join(known)}" if known else "create it with GRUConfig(styles=(...))"
            raise ModelError(f"the model has no style {name!r} to train; {hint}")
    if all(isinstance(v, Sequence) for v in by_style.values()):
        return [_tagged(m, name) for name, ms in by_style.items() for m in ms]
    return _TaggedStream(by_style)


def _tagged(m: Melody, style: str) -> Melody:
    return m.replace(meta={**m.meta, "style": style})


class _TaggedStream:
    """A re-iterable stream of every style's melodies, tagged as they are read."""

    def __init__(self, by_style: Mapping[str, Iterable[Melody]]) -> None:
        self.by_style = by_style

    def __iter__(self) -> Iterator[Melody]:
        for name, melodies in self.by_style.items():
            for m in melodies:
                yield _tagged(m, name)


def grow_styles(config: GRUConfig, network: keras.Model, name: str) -> tuple[GRUConfig, list[np.ndarray]]:
    """The settings and weights of ``network`` with one more style, ``name``, starting at the mean style.

    Raises:
        ModelError: the model has no styles, or already has ``name``.
    """
    if not config.styles:
        raise ModelError("only a model trained with styles can learn a new one: GRUConfig(styles=(...))")
    if not isinstance(name, str) or name in config.styles:
        raise ModelError(f"the new style needs a name the model does not have yet, not {name!r}")
    grown = replace(config, styles=(*config.styles, name))  # checks the name and the number of styles
    weights = []
    for variable in network.weights:  # the order ``set_weights`` of a network built from ``grown`` takes
        w = np.asarray(variable.numpy())
        if variable.path.startswith("style_embedding/"):
            w = np.vstack([w, w.mean(axis=0, keepdims=True)])
        weights.append(w)
    return grown, weights
