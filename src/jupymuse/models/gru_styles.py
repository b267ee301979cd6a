"""Styles of a GRU model: labelling training melodies with their style, and teaching a trained model a
new style from a few melodies; and, below, the map of the whole style mechanism.

``fit({"irish": corpus, ...})`` labels each melody with ``meta["style"]`` (:func:`tag_styles`);
:func:`grow_styles` adds a style to a trained network: every weight is kept and the new style's
vector starts at the mean of the others, so only that vector needs to be learned (a few hundred notes
are enough to place it).

Where styles live
-----------------
A *style vector* is one learned row of ``S`` (``style_size`` numbers per style name in
``GRUConfig.styles``); at every step the network adds ``S w`` to its input, ``w`` being the step's
*style weights*: one-hot for one style, a mix (``{"chorale": 0.5, "irish": 0.5}``, summing to 1)
that interpolates the vectors, or zero for "no style".

* The data: ``corpus/builtin_styles.py`` names the built-in styles, the corpora each is made of and
  the fixed held-out split (``split_style``) that ``scripts/train_default.py`` and the benchmarks use.
* Settings: ``gru_config.py`` (``GRUConfig.styles``, ``style_size``, the limits on names);
  ``gru_io.py`` stores them in the model file; ``default.py`` ``default_styles`` reads the shipped
  model's.
* Learnt: this module tags the melodies; ``tokens.py`` carries each melody's style index
  (``EncodedMelody.style``); ``training_data.py`` turns it into one-hot weights per window (a
  ``STYLE_DROPOUT`` share without, so the network also learns "any style"); ``gru_net.py`` holds
  ``S`` (the ``style_embedding`` layer); ``training.py`` trains that layer alone for ``add_style``.
* Asked for and mixed: ``sampling_settings.py`` (the ``style`` field: a name or a mix, checked;
  ``chorale=1,irish=1`` on the command line); ``generation.py`` ``style_weights`` turns it into
  ``w`` for the model's styles; the Studio's Style and "Mixed with" controls (``studio/face.py``)
  and ``studio/settings.py`` (drops a style the chosen model lacks) build that setting.
* Sampled: ``gru_numpy.py`` (``NumpyGRU.style_table``: ``S`` folded into the first layer's input
  weights) and, with ``engine="tensorflow"``, ``gru_sampler.py``.
* Scored: ``gru.py`` ``log_prob(style=...)`` and ``style_scores`` (bits under each style: the style
  a melody is most like); ``quality/style.py`` ``StyleClassifier`` judges generated music with
  Markov chains trained on each style's real melodies only (``benchmarks/generation_quality.py``).
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
