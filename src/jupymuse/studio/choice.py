"""Which model the studio uses: the shipped GRU, a Markov chain fitted on a corpus, or the student's own.

The shipped GRU and the Markov chains are made on first use (loading the GRU reads its weights with
numpy, a fraction of a second; fitting a chain reads its corpus), so showing a studio costs neither.
Not thread-safe on its own: the controller changes it under its lock, and ``get`` loads one model at a
time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..arguments import shown
from ..errors import ArgumentTypeError, JupymuseError
from ..models.protocol import MelodyModel
from ..models.sampling_settings import SamplingSettings

DEFAULT = "GRU (shipped default)"
MARKOV = {f"Markov order {k}": k for k in (1, 2, 3)}
NAMES = {"default": DEFAULT, **{f"markov-{k}": label for label, k in MARKOV.items()}}
"""The names a studio accepts for the built-in choices, and their labels."""


REPORT_SECONDS = 0.25
"""The least time between two progress lines while a corpus converts."""


def corpus_progress(corpus: str, say: Callable[[str], None]) -> Callable[[int, int], None]:
    """A ``load_corpus`` progress callback that tells ``say`` how far the first conversion is (4 lines/s at most)."""
    last = 0.0

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.perf_counter()
        if done in (0, total) or now - last >= REPORT_SECONDS:
            last = now
            say(f"Converting {corpus} from music21 (first time only): {done} of {total} files…")

    return report


def check_model(model: object) -> MelodyModel:
    """``model`` if it is a model object: one with ``name``, ``fit``, ``generate``, ``log_prob`` and ``save``
    (a ``MelodyModel``), checked before the studio offers it (its label is made from ``name``).

    Raises:
        ArgumentTypeError: anything else, naming the value.
    """
    if not isinstance(model, MelodyModel):
        raise ArgumentTypeError(
            f"model must be one of {', '.join(NAMES)} or a model object (a MelodyModel such as a MarkovModel "
            f"or GRUModel, with name, fit, generate, log_prob and save), not {shown(model)}"
        )
    return model


def check_corpus(name: object) -> str:
    """``name`` if it is text: the name of the corpus the Markov chains fit on (read when one is chosen).

    Raises:
        ArgumentTypeError: anything else, naming the value.
    """
    if not isinstance(name, str):
        raise ArgumentTypeError(f"corpus must be a corpus name (text) such as 'bach-chorales', not {shown(name)}")
    return name


def label_of(model: MelodyModel) -> str:
    """The label of a model object the student brings (or trains in the studio)."""
    return f"yours: {model.name}"


class ModelChoice:
    """The labels to choose from, the chosen one, and the models made so far.

    Args:
        model: ``"default"``, ``"markov-1"``/``"markov-2"``/``"markov-3"`` or a model object.
        corpus: the corpus the Markov chains are fitted on.

    Raises:
        JupymuseError: an unknown name, a model that is not a model object or a corpus name that is not text.
    """

    def __init__(self, model: str | MelodyModel, corpus: str) -> None:
        self.labels: list[str] = [DEFAULT, *MARKOV]
        self.corpus = check_corpus(corpus)
        self._models: dict[str, MelodyModel] = {}
        self._loading = threading.Lock()
        if isinstance(model, str):
            if model not in NAMES:
                raise JupymuseError(f"model must be one of {', '.join(NAMES)} or a model object, not {model!r}")
            self.chosen = NAMES[model]
        else:
            self.chosen = self.add(model)

    def add(self, model: MelodyModel) -> str:
        """Offer ``model`` (replacing an earlier one of the same name) and return its label.

        Raises:
            ArgumentTypeError: ``model`` is not a model object.
        """
        label = label_of(check_model(model))
        self._models[label] = model
        if label not in self.labels:
            self.labels.append(label)
        return label

    def choose(self, label: str) -> bool:
        """Choose the model labelled ``label``; whether the choice changed."""
        if label not in self.labels:
            raise JupymuseError(f"no model labelled {label!r}: choose one of {', '.join(self.labels)}")
        changed = label != self.chosen
        self.chosen = label
        return changed

    def set_corpus(self, name: str) -> None:
        """Fit the Markov chains on ``name`` from now on (each is refitted when next used)."""
        self.corpus = check_corpus(name)
        for label in MARKOV:
            self._models.pop(label, None)

    def recommended(self) -> SamplingSettings:
        """The chosen model's recommended sampling settings, without loading it: the shipped GRU's are
        read from its file's settings alone, a Markov chain's are the model as trained."""
        from ..models.default import default_sampling

        if self.chosen == DEFAULT:
            return default_sampling()
        model = self._models.get(self.chosen)
        recommended = getattr(model, "sampling", None)
        return recommended if isinstance(recommended, SamplingSettings) else SamplingSettings()

    def loaded(self) -> dict[str, MelodyModel]:
        """The models made so far, by label."""
        return dict(self._models)

    def needs_fit(self) -> bool:
        """Whether the chosen model is a Markov chain not fitted on the corpus yet (a slow first use)."""
        return self.chosen in MARKOV and self.chosen not in self._models

    def get(
        self,
        label: str | None = None,
        on_fit: Callable[[str], None] = lambda _: None,
        on_fitted: Callable[[str], None] = lambda _: None,
    ) -> MelodyModel:
        """The model ``label`` (default: the chosen one), made now if it is the first use.

        ``on_fit`` hears what is being fitted, ``on_fitted`` what was fitted and how long it took,
        before any other caller waiting for the same model gets it. Call it without holding the
        controller's lock: loading the GRU or fitting a chain takes seconds.
        """
        label, corpus = label or self.chosen, self.corpus
        ready = self._models.get(label)
        if ready is not None:  # made already: never waits behind another model's fit
            return ready
        with self._loading:
            model = self._models.get(label)
            if model is not None:
                return model
            if label == DEFAULT:
                from ..models import load_default

                model = load_default()
            else:
                from ..corpus import load_corpus
                from ..models import MarkovModel

                on_fit(f"Fitting {label} on {corpus}…")
                t0 = time.perf_counter()
                melodies = load_corpus(corpus, progress=corpus_progress(corpus, on_fit))
                model = MarkovModel(MARKOV[label]).fit(melodies)
                took = time.perf_counter() - t0
                left_out = f"; {len(melodies.skipped)} files could not be read" if melodies.skipped else ""
                on_fitted(f"{label} fitted on {corpus} ({len(melodies)} melodies{left_out}) in {took:.1f} s.")
            if self.corpus == corpus:  # the corpus did not change meanwhile
                self._models[label] = model
            return model
