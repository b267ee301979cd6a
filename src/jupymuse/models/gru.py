"""``GRUModel``: a recurrent network that learns melodies (embedding -> GRU -> softmax), on Keras 3.

It reads a melody one event at a time and predicts the next (pitch, then its duration); training
minimises the cross-entropy L = -sum_t log p_t(s_t) with Adam. The network and its equations are
in :mod:`jupymuse.models.gru_net`, the token scheme in :mod:`jupymuse.models.tokens`, the training
loop in :mod:`jupymuse.models.training`, sampling in :mod:`jupymuse.models.gru_sampler`, the model
file in :mod:`jupymuse.models.gru_io`.

Two engines run a trained network (``GRUModel(engine=...)``, or ``model.engine = ...``):

* ``"numpy"`` (the default): :mod:`jupymuse.models.gru_numpy`, no TensorFlow at all. Loading a model
  file, generating and scoring (``log_prob``, the why-views) import nothing heavy and compile nothing.
* ``"tensorflow"``: the Keras network, and for ``generate`` the XLA-compiled sampler of
  :mod:`jupymuse.models.gru_sampler`. It imports TensorFlow (seconds, 700 MB) and compiles once per
  candidate count (seconds); warm, it is 1.5-2.4x faster than numpy on a CPU
  (``benchmarks/classroom.py``), which pays off for thousands of candidates in one process, or a GPU.

Both compute the same probabilities (to 1e-5); their random draws differ, so a seed gives one melody
per engine. TensorFlow is imported only to train, to save, to use ``model.network``, or with
``engine="tensorflow"``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from .. import arguments
from ..errors import ModelError
from ..music import Melody
from ..music.events import N_PITCH_SYMBOLS, Event, melody_events
from .ending_choice import Hazards
from .generation import GeneratesMelodies, SamplingRequest, check_grid, no_pitch_left, style_weights
from .gru_config import GRUConfig
from .gru_io import read_gru, write_gru
from .gru_styles import StyleArg, tag_styles
from .guidance import is_guided
from .markov import duration_base
from .protocol import NoteLogProbs
from .sampling import GenerationProbs
from .tfimport import ensure_tensorflow
from .validation_split import split_validation

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

    from .gru_numpy import NumpyGRU
    from .training import TrainingEvent
    from .training_history import TrainingHistory

ESCAPE = 1e-4
"""Probability kept for events the token scheme cannot express, so no melody is impossible."""
ENGINES = ("numpy", "tensorflow")
"""What runs a trained network for ``generate`` and scoring (see the module docstring)."""


class GRUModel(GeneratesMelodies):
    """A GRU melody model with the same interface as ``MarkovModel`` (``fit``, ``generate``, ...).

    Args:
        config: network shape and vocabulary (``GRUConfig()`` if None).
        seed: seed of the initial weights (and the default seed of ``fit``).
        engine: ``"numpy"`` or ``"tensorflow"``: what generates and scores (see the module docstring).
    """

    def __init__(self, config: GRUConfig | None = None, *, seed: int = 0, engine: str = "numpy") -> None:
        self.config = config or GRUConfig()
        self.seed = seed
        self.engine = engine
        self.history: TrainingHistory | None = None
        self._net: keras.Model | None = None
        self._weights: list[np.ndarray] | None = None  # the trained weights, while the network is not built
        self._numpy: NumpyGRU | None = None
        self._fitted = False
        self._samplers: dict[bool, Callable[..., Any]] = {}
        self._scorer: Callable[..., Any] | None = None
        self._stop = threading.Event()

    # ------------------------------------------------------------------ basics
    @property
    def name(self) -> str:
        """e.g. ``"GRU (1 x 256 units)"``, or ``"GRU (1 x 256 units, 4 styles)"``."""
        styles = f", {len(self.styles)} styles" if self.styles else ""
        return f"GRU ({self.config.layers} x {self.config.hidden_units} units{styles})"

    @property
    def styles(self) -> tuple[str, ...]:
        """The styles the network is conditioned on (``generate(style=...)``); empty without styles."""
        return self.config.styles

    @property
    def can_end(self) -> bool:
        """Whether the network predicts the end of a melody (``generate(ending="model")``)."""
        return self.config.end_event

    @property
    def is_fitted(self) -> bool:
        """Whether the model has been trained (or loaded)."""
        return self._fitted

    @property
    def steps_per_quarter(self) -> int:
        """The grid the model works on."""
        return self.config.steps_per_quarter

    @property
    def engine(self) -> str:
        """``"numpy"`` or ``"tensorflow"``: what runs the network for ``generate`` and scoring."""
        return self._engine

    @engine.setter
    def engine(self, value: str) -> None:
        if value not in ENGINES:
            raise ModelError(f"engine must be one of {', '.join(map(repr, ENGINES))}, not {value!r}")
        self._engine = value

    @property
    def network(self) -> keras.Model:
        """The Keras network (built on first use, which imports TensorFlow); ``model.network.summary()``
        shows its layers. Changing its weights by hand? Call :meth:`weights_changed` after."""
        if self._net is None:
            ensure_tensorflow()
            from .gru_net import build_network

            self._net = build_network(self.config, self.seed)
            if self._weights is not None:
                self._net.set_weights(self._weights)
        return self._net

    def weights_changed(self) -> None:
        """Forget what was derived from the network's weights (the numpy engine, compiled functions)."""
        if self._net is not None:
            self._weights = None
        self._numpy, self._samplers, self._scorer = None, {}, None

    def _numpy_engine(self) -> NumpyGRU:
        """The numpy engine for the current weights (made once per set of weights)."""
        if self._numpy is None:
            from .gru_numpy import NumpyGRU
            from .gru_weights import GRUWeights

            weights = self._weights if self._weights is not None else self.network.get_weights()
            self._numpy = NumpyGRU(self.config, GRUWeights.from_list(self.config, weights))
        return self._numpy

    def __repr__(self) -> str:
        return f"<GRUModel {self.name}: {'trained' if self._fitted else 'not trained'}>"

    def _require_fitted(self) -> None:
        if not self._fitted:
            raise ModelError("this GRU model has not been trained yet: call model.fit(corpus) first")

    def _check_grid(self, melody: Melody, what: str) -> None:
        if len(melody):
            check_grid(melody.steps_per_quarter, self.steps_per_quarter, f"{what} uses")

    def _parts(self) -> Any:
        from .gru_net import NetworkParts

        return NetworkParts(self.network, self.config)

    # ------------------------------------------------------------------ training
    def stop(self) -> None:
        """Ask a running ``fit`` (in another thread) to stop after the current batch, keeping the best weights."""
        self._stop.set()

    def fit(
        self,
        melodies: Iterable[Melody] | Mapping[str, Iterable[Melody]],
        *,
        epochs: int = 30,
        validation: float | Iterable[Melody] = 0.1,
        augment_transpose: bool = True,
        callbacks: Sequence[Callable[[TrainingEvent], None] | keras.callbacks.Callback] = (),
        batch_size: int = 32,
        learning_rate: float = 2e-3,
        patience: int | None = 5,
        seed: int | None = None,
        strategy: tf.distribute.Strategy | None = None,
        progress: bool = True,
        train_only: Sequence[str] = (),
    ) -> Self:
        """Train on ``melodies``, continuing from the current weights; returns the model.

        Args:
            melodies: a ``Corpus`` or list (held in memory), or a re-iterable stream such as
                ``jupymuse.corpus.stream_midi_folder(path)`` (read again every epoch); for a model
                with styles, a dict from style name to such melodies (``{"irish": corpus, ...}``;
                a melody's ``meta["style"]`` says the same).
            epochs: passes over the data (each pass sees every transposition).
            validation: fraction of the melodies held out to measure bits per note after each
                epoch (every k-th melody of a stream), or the validation melodies themselves;
                0 for none (then no early stopping and the last weights are kept).
            augment_transpose: also train on each melody moved to every key that fits the range.
            callbacks: functions called with a ``TrainingEvent`` after every batch and epoch, and/or
                Keras callbacks.
            patience: stop when validation has not improved for this many epochs (None: never).
            seed: fixes the split, the batch order and dropout (default: the model's seed).
            strategy: a ``tf.distribute`` strategy (e.g. ``MirroredStrategy``) to train on several devices.
            progress: show a progress bar (notebook or terminal).
            train_only: names of the only network layers to change (all when empty).

        Ctrl-C (or :meth:`stop`) ends training cleanly: the model keeps the best weights so far.
        """
        ensure_tensorflow()
        from .training import FitSettings, Trainer
        from .training_data import TrainingData
        from .training_history import TrainingHistory

        if not isinstance(epochs, int) or epochs < 1:
            raise ModelError(f"epochs must be a whole number of at least 1, not {epochs!r}")
        if batch_size < 1 or not learning_rate > 0:
            raise ModelError("batch_size must be at least 1 and learning_rate more than 0")
        seed = self.seed if seed is None else seed
        if isinstance(melodies, Mapping):
            melodies = tag_styles(melodies, self.styles)
        grid = getattr(melodies, "steps_per_quarter", self.steps_per_quarter)  # a stream says its grid
        check_grid(grid, self.steps_per_quarter, "the melodies use")
        train, valid = split_validation(melodies, validation, seed)
        data = TrainingData(
            self.config,
            train,
            valid,
            augment=augment_transpose,
            check=lambda m: self._check_grid(m, "a training melody"),
        )
        settings = FitSettings(epochs, batch_size, learning_rate, patience, seed, progress, tuple(train_only))
        self.history = self.history or TrainingHistory()
        self._stop.clear()
        network = self.network
        self.weights_changed()
        trained = Trainer(self.config, data, settings).run(
            network,
            model_seed=self.seed,
            history=self.history,
            callbacks=callbacks,
            should_stop=self._stop.is_set,
            strategy=strategy,
        )
        self.weights_changed()
        self._fitted = self._fitted or trained > 0
        return self

    def add_style(
        self,
        name: str,
        melodies: Iterable[Melody],
        *,
        epochs: int = 40,
        learning_rate: float = 0.01,
        validation: float | Iterable[Melody] = 0.1,
        seed: int | None = None,
        progress: bool = True,
    ) -> Self:
        """Learn a new style ``name`` from ``melodies`` (a MIDI folder's worth: a few hundred notes do).

        Only the new style's vector is trained; everything the model knew stays as it was, so the
        other styles compose exactly as before. Then ``generate(style=name)`` composes in it.

        A call that fails (no melodies, a melody on another grid, ...) leaves the model as it was.

        Raises:
            ModelError: the model has no styles or already has ``name``, or too few notes.
        """
        from .gru_styles import grow_styles

        self._require_fitted()
        before = (self.config, self._net, self._weights, self._numpy, self._samplers, self._scorer)
        config, weights = grow_styles(self.config, self.network, name)
        self.config, self._net, self._weights = config, None, weights
        self.weights_changed()
        try:
            return self.fit(
                {name: list(melodies)},
                epochs=epochs,
                learning_rate=learning_rate,
                validation=validation,
                seed=seed,
                progress=progress,
                patience=5,
                train_only=("style_embedding",),
            )
        except BaseException:  # the new style never arrived: the model is the one before the call
            self.config, self._net, self._weights, self._numpy, self._samplers, self._scorer = before
            raise

    # ------------------------------------------------------------------ scoring
    def _run_scorer(
        self,
        pitch_in: np.ndarray,
        dur_in: np.ndarray,
        pos_in: np.ndarray,
        style: StyleArg = None,
        pitches: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
        """For token inputs (T,) under ``style``: ln P(pitch | the melody goes on) (T, pitches),
        ln P(duration | pitch ``pitches[t]``) (T, durations) when ``pitches`` (indexes) are given, and
        ln P(the melody ends) (T)."""
        weights = style_weights(self.styles, style, self.name)
        arrays = tuple(np.asarray(a, np.int64) for a in (pitch_in, dur_in, pos_in))
        if self.engine == "numpy":
            net = self._numpy_engine()
            pitch_lp, end_lp, h = net.score(arrays[0], arrays[1], arrays[2], weights)
            return pitch_lp, None if pitches is None else net.duration_logp(h, np.asarray(pitches)), end_lp
        if self._scorer is None:
            from .gru_net import make_scorer

            self._scorer = make_scorer(self._parts(), self.network, self.config.layers)
        row = np.zeros(len(self.styles)) if weights is None else weights
        styles = np.broadcast_to(row, (1, len(pitch_in), len(row))).astype(np.float32)
        out = self._scorer(*(a.astype(np.int32)[None] for a in arrays), styles)
        pitch_lp, dur_lp, end_lp = (np.asarray(a, dtype=np.float64) for a in out)
        chosen = None if pitches is None else dur_lp[np.arange(len(dur_lp)), np.asarray(pitches)]
        return pitch_lp, chosen, end_lp

    def log_prob(self, melody: Melody, *, style: StyleArg = None) -> NoteLogProbs:
        """ln P of each event of ``melody`` given the events before it (pitch part and whole event).

        ``style`` (one of ``model.styles`` or a mix) scores the melody as that style; comparing
        styles tells which one a melody is most like (see :meth:`style_scores`). Events the token
        scheme cannot express (a pitch out of range, an unusual duration) keep a probability of about
        ``ESCAPE`` spread evenly, so they are very surprising but possible.
        """
        melody = arguments.melody(melody)
        self._require_fitted()
        self._check_grid(melody, "the melody")
        events = melody_events(melody)
        if not events:
            style_weights(self.styles, style, self.name)
            return NoteLogProbs((), np.zeros(0), np.zeros(0))
        ts = self.config.tokens
        enc = ts.encode(melody)
        near = np.array([ts.nearest_pitch_index(p) for p, _ in events])
        pitch_lp, dur_lp, _ = self._run_scorer(enc.pitch_in, enc.duration_in, enc.position_in, style, near)
        assert dur_lp is not None
        t = np.arange(len(events))
        p_idx = np.array([ts.pitch_index(p) if ts.pitch_index(p) is not None else -1 for p, _ in events])
        d_idx = np.array([ts.duration_index(d) if ts.duration_index(d) is not None else -1 for _, d in events])
        p_net = np.where(p_idx >= 0, np.exp(pitch_lp[t, np.maximum(p_idx, 0)]), 0.0)
        pitch = np.log((1 - ESCAPE) * p_net + ESCAPE / N_PITCH_SYMBOLS)
        d_net = np.where(d_idx >= 0, np.exp(dur_lp[t, np.maximum(d_idx, 0)]), 0.0)
        base = np.array([duration_base(d) for _, d in events])
        note = pitch + np.log((1 - ESCAPE) * d_net + ESCAPE * base)
        return NoteLogProbs(tuple(events), pitch, note)

    def style_scores(self, melody: Melody) -> dict[str, float]:
        """Bits per event of ``melody`` under each of the model's styles, likeliest style first.

        A classifier for free: the style with the fewest bits is the one the melody is most like.
        """
        melody = arguments.melody(melody)
        if not self.styles:
            raise ModelError(f"{self.name} knows no styles; train one with GRUConfig(styles=...)")
        scores = {}
        for name in self.styles:
            lp = self.log_prob(melody, style=name)
            scores[name] = float(-lp.note.mean() / np.log(2)) if len(lp.note) else 0.0
        return dict(sorted(scores.items(), key=lambda kv: kv[1]))

    def _removed_scores(
        self, cut: Melody, style: StyleArg, among: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray] | None:
        from .gru_attribution import removed_scores

        return removed_scores(self, cut, style, among)

    def end_probabilities(self, melody: Melody, *, style: StyleArg = None) -> np.ndarray:
        """P(the melody ends here) before each event of ``melody`` and after its last: shape (events + 1,)."""
        melody = arguments.melody(melody)
        self._require_fitted()
        if not self.can_end:
            raise ModelError(f"{self.name} has not learned where melodies end")
        pitch_in, dur_in, pos_in = self._inputs_after(melody)
        return np.asarray(np.exp(self._run_scorer(pitch_in, dur_in, pos_in, style)[2]))

    def _inputs_after(self, melody: Melody) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The token inputs of ``melody`` plus one more step: what comes after its last event."""
        self._check_grid(melody, "the melody")
        ts = self.config.tokens
        enc = ts.encode(melody)
        if not len(enc):
            return tuple(np.array([v], np.int32) for v in (ts.n_pitches, ts.n_durations, 0))  # type: ignore[return-value]
        last = int(enc.target[-1])
        return (
            np.append(enc.pitch_in, last // ts.n_durations),
            np.append(enc.duration_in, last % ts.n_durations),
            np.append(enc.position_in, ts.position(melody.end, melody.steps_per_bar)),
        )

    def pitch_distributions(self, melody: Melody, *, style: StyleArg = None) -> np.ndarray:
        """P(next pitch) before each event of ``melody`` and after its last: shape (events + 1, 129).

        Column ``p`` is MIDI pitch ``p``, column 128 the rest. Row ``t`` is what the model expected
        just before event ``t`` (given that the melody goes on); the last row is its guess for the
        note after the melody.
        """
        melody = arguments.melody(melody)
        self._require_fitted()
        ts = self.config.tokens
        pitch_lp = self._run_scorer(*self._inputs_after(melody), style)[0]
        out = np.zeros((pitch_lp.shape[0], N_PITCH_SYMBOLS))
        out[:, ts.pitch_values] = np.exp(pitch_lp)
        return out

    # ------------------------------------------------------------------ generation
    def _grid(self) -> int | None:
        return self.steps_per_quarter

    def _longest_duration(self) -> int | None:
        return max(self.config.tokens.durations)

    def _end_hazards(self, request: SamplingRequest) -> Hazards | None:
        """P(end) along a melody, with the request's style and strength (``ending="model"``, cadences)."""
        from .gru_endings import end_hazards

        return (lambda m: end_hazards(self, m, request.style, request.style_strength)) if self.can_end else None

    def _sample(self, request: SamplingRequest, record: bool) -> tuple[list[list[Event]], GenerationProbs | None]:
        """All candidates at once: the numpy engine's loop, or the compiled one of ``gru_sampler.make_sampler``."""
        ts = self.config.tokens
        if not request.allowed[ts.pitch_values][: ts.rest_index].any():
            raise no_pitch_left()
        if self.engine == "numpy" or is_guided(request.style, request.style_strength):
            from .gru_numpy import sample  # guidance (a style strength other than 1): the numpy loop

            return sample(self._numpy_engine(), request, record)
        ensure_tensorflow()
        from .gru_sampler import make_sampler, read_samples, sampler_request

        if record not in self._samplers:
            self._samplers[record] = make_sampler(self._parts(), self.config, record=record)
        output = self._samplers[record](sampler_request(self.config, request))
        return read_samples(ts, output, request, record)

    def warm_up(self, candidates: Iterable[int] = (1, 2, 4, 8, 16), *, record: bool = False) -> dict[int, float]:
        """Compile the sampling loop ahead for ``candidates`` (candidate counts); seconds per count.

        Only the ``"tensorflow"`` engine compiles; the numpy engine needs no warm-up (this is then instant).

        The compiled loop has one shape per candidate-row count (a power of two up to 16, see
        ``gru_sampler.slots``): primers up to 512 events and continuations up to 256 share it. After
        this, no ``generate`` of up to 16 candidates waits for a compilation (nor the first
        ``pitch_distributions``, whose scorer is traced here too).
        """
        from .gru_sampler import slots

        self._require_fitted()
        primer = Melody.from_notation("C4:4", steps_per_quarter=self.steps_per_quarter)
        took: dict[int, float] = {}
        if self._scorer is None:  # the why-views' scorer is traced once, for every length
            self.pitch_distributions(primer)
        for n in dict.fromkeys(slots(1, 1, c)[2] for c in candidates):
            t0 = time.perf_counter()
            if record:
                self.generate(primer, 1, n=n, seed=0, return_probs=True)
            else:
                self.generate(primer, 1, n=n, seed=0)
            took[n] = time.perf_counter() - t0
        return took

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model to a ``.keras`` file (Keras weights plus jupymuse's JSON settings; no pickle).

        The file is written to a temporary name first and renamed, so a crash never leaves half a file.
        The path is checked before TensorFlow is imported (seconds) to read the network's weights.
        """
        path = arguments.path(path)
        self._require_fitted()
        history = [] if self.history is None else self.history.epochs
        return write_gru(
            Path(path), self.network, config=self.config, seed=self.seed, history=history, sampling=self.sampling
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, engine: str = "numpy") -> GRUModel:
        """Read a model written by :meth:`save`: settings and weights only, no code runs from the file,
        and no TensorFlow is imported (``engine`` as in ``GRUModel``).

        Raises:
            ArgumentTypeError: ``path`` is not a file path (text or a ``pathlib.Path``).
            ModelFileError: missing, damaged, truncated, not a GRU model, or incompatible.
        """
        saved = read_gru(Path(arguments.path(path)))  # every check of the file itself; no TensorFlow
        from .training_history import TrainingHistory

        model = cls(saved.config, seed=saved.seed, engine=engine)
        model._weights = saved.weights
        model.sampling = saved.sampling
        model.history = TrainingHistory(epochs=saved.history)
        model._fitted = True
        return model
