"""``Studio``: the main screen. A piano roll, a model, sampling controls, and views of *why*.

Built from ipywidgets controls around a ``PianoRoll`` (so every setting is ordinary widget state,
saved with the notebook) plus SVG views drawn in Python (``svg.py``). Generation and training run
in a worker thread: the kernel keeps answering the page (Cancel, Stop) and the page never freezes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

import ipywidgets as w

from ..errors import JupymuseError
from ..models.protocol import MelodyModel
from ..models.sampling import allowed_pitches, shape
from ..music import Melody
from ..music.events import melody_events
from ..music.melody import key_name, scale_of
from . import svg
from .piano_roll import PianoRoll

DEFAULT = "GRU (shipped default)"
MARKOV = {f"Markov order {k}": k for k in (1, 2, 3)}


def guess_key(melody: Melody) -> str | None:
    """The melody's key, or the major/harmonic-minor key that holds most of its notes.

    Ties (a short melody fits several keys) go to the key whose tonic opens, then closes, the
    melody, and then to major.
    """
    if melody.key:
        return melody.key
    pcs = [p % 12 for p in melody.pitches]
    if not pcs:
        return None

    def score(key: tuple[int, str]) -> float:
        tonic, mode = key
        scale = scale_of(mode)
        fits = sum((pc - tonic) % 12 in scale for pc in pcs)
        return fits + 0.6 * (pcs[0] == tonic) + 0.3 * (pcs[-1] == tonic) + 0.05 * (mode == "major")

    return key_name(*max(((t, m) for t in range(12) for m in ("major", "minor")), key=score))


class Studio(w.VBox):  # type: ignore[misc]
    """Compose with a model: draw a primer, Generate, browse candidates, Accept, and see why.

    Args:
        model: ``"default"`` (the shipped GRU), ``"markov-1"``/``"markov-2"``/``"markov-3"``
            (fitted on ``corpus`` when first chosen), or any model object (``MarkovModel``,
            ``GRUModel`` or your own ``MelodyModel``).
        melody: the starting melody (a ``Melody`` or text notation).
        corpus: the corpus the Markov choices are fitted on.
    """

    def __init__(
        self,
        model: str | MelodyModel = "default",
        melody: Melody | str | None = None,
        *,
        corpus: str = "bach-chorales",
    ) -> None:
        self.roll = PianoRoll(melody, height=300)
        self.corpus_name = corpus
        self._models: dict[str, MelodyModel] = {}
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._cancel = threading.Event()
        self._stop_requested = threading.Event()
        self.candidates: list[Melody] = []
        self._primer: Melody | None = None
        self._before: Melody | None = None
        self.curve: tuple[list[float], list[tuple[int, float]]] = ([], [])

        options = [DEFAULT, *MARKOV]
        if not isinstance(model, str):
            label = f"yours: {model.name}"
            self._models[label] = model
            options.append(label)
            chosen = label
        else:
            names = {"default": DEFAULT, **{f"markov-{k}": f"Markov order {k}" for k in (1, 2, 3)}}
            if model not in names:
                raise JupymuseError(f"model must be one of {', '.join(names)} or a model object, not {model!r}")
            chosen = names[model]
        style = {"description_width": "initial"}
        self.model_picker = w.Dropdown(options=options, value=chosen, description="Model", style=style)
        corpora = list(dict.fromkeys([corpus, "bach-chorales", "essen:kinder", "essen", "oneills"]))
        self.corpus = w.Dropdown(options=corpora, value=corpus, description="Corpus", style=style)
        self.epochs = w.IntSlider(value=5, min=1, max=50, description="Epochs", style=style)
        self.train_button = w.Button(description="Train a GRU", icon="graduation-cap")
        self.temperature = w.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.05, description="Temperature", style=style)
        self.top_k = w.IntSlider(value=0, min=0, max=40, description="Top-k (0 = all)", style=style)
        self.top_p = w.FloatSlider(value=1.0, min=0.05, max=1.0, step=0.05, description="Top-p", style=style)
        self.length = w.IntSlider(value=32, min=1, max=256, description="Notes", style=style)
        self.n = w.IntSlider(value=4, min=1, max=16, description="Candidates", style=style)
        self.seed = w.IntText(value=0, description="Seed", style=style, layout=w.Layout(width="130px"))
        self.key_lock = w.Checkbox(value=False, description="Stay in key", indent=False)
        self.range_lock = w.Checkbox(value=False, description="Stay in range", indent=False)
        self.surprise = w.Checkbox(value=False, description="Shade surprise", indent=False)
        self.generate_button = w.Button(description="Generate", button_style="primary", icon="magic")
        self.cancel_button = w.Button(description="Cancel", disabled=True)
        self.prev_button = w.Button(description="◀", disabled=True, layout=w.Layout(width="40px"))
        self.next_button = w.Button(description="▶", disabled=True, layout=w.Layout(width="40px"))
        self.accept_button = w.Button(description="Accept", disabled=True, button_style="success")
        self.regenerate_button = w.Button(description="Regenerate", disabled=True)
        self.undo_button = w.Button(description="Undo", disabled=True)
        self.candidate_label = w.HTML("")
        self.status = w.HTML("", layout=w.Layout(min_height="20px"))
        self.strip = w.HTML("")
        self.matrix = w.HTML("")
        self.train_view = w.HTML(svg.loss_curve([], []))
        self.train_progress = w.FloatProgress(
            value=0, min=0, max=1, description="Training", layout=w.Layout(visibility="hidden")
        )
        self.stop_button = w.Button(description="Stop training", disabled=True, button_style="warning")
        self.table = w.HTML("")
        self._candidate = 0

        controls = w.VBox(
            [
                w.HBox([self.model_picker, self.corpus, self.seed, self.key_lock, self.range_lock, self.surprise]),
                w.HBox([self.temperature, self.top_k, self.top_p]),
                w.HBox([self.length, self.n]),
                w.HBox(
                    [
                        self.generate_button,
                        self.cancel_button,
                        self.prev_button,
                        self.candidate_label,
                        self.next_button,
                        self.accept_button,
                        self.regenerate_button,
                        self.undo_button,
                    ]
                ),
                self.status,
            ]
        )
        why = w.HBox([self.strip, self.matrix])
        train = w.VBox(
            [
                w.HBox([self.train_button, self.epochs, self.train_progress, self.stop_button]),
                self.train_view,
                self.table,
            ]
        )
        tabs = w.Tab(children=[why, train])
        tabs.set_title(0, "Why this note?")
        tabs.set_title(1, "Training")
        super().__init__([controls, self.roll, tabs])
        self.add_class("jupymuse-studio")

        self.generate_button.on_click(lambda _: self.generate(background=True))
        self.regenerate_button.on_click(lambda _: self.generate(background=True, primer=self._primer))
        self.cancel_button.on_click(lambda _: self._cancel.set())
        self.accept_button.on_click(lambda _: self.accept())
        self.undo_button.on_click(lambda _: self.undo())
        self.prev_button.on_click(lambda _: self.show_candidate(self._candidate - 1))
        self.next_button.on_click(lambda _: self.show_candidate(self._candidate + 1))
        self.stop_button.on_click(lambda _: self._stop_training())
        self.train_button.on_click(lambda _: self.train(self.corpus.value, epochs=int(self.epochs.value)))
        self.corpus.observe(lambda _: self._on_corpus_change(), "value")
        for control in (self.temperature, self.top_k, self.top_p):
            control.observe(lambda _: self.explain(), "value")
        self.model_picker.observe(lambda _: self._on_model_change(), "value")
        self.surprise.observe(lambda _: self.explain(), "value")
        self.roll.observe(lambda _: self.explain(), "selected")
        self.roll.observe(lambda _: self._after_edit(), "notes")
        self._training_model: Any = None

    # ------------------------------------------------------------------ state
    @property
    def melody(self) -> Melody:
        """The melody on the roll."""
        return self.roll.melody

    @melody.setter
    def melody(self, value: Melody) -> None:
        self.roll.melody = value

    @property
    def model(self) -> MelodyModel:
        """The chosen model (the shipped GRU and the Markov chains load on first use)."""
        label = self.model_picker.value
        if label not in self._models:
            if label == DEFAULT:
                from ..models import load_default

                self._models[label] = load_default()
            else:
                from ..corpus import load_corpus
                from ..models import MarkovModel

                self._say(f"Fitting {label} on {self.corpus_name}…")
                self._models[label] = MarkovModel(MARKOV[label]).fit(load_corpus(self.corpus_name, progress=False))
        return self._models[label]

    @model.setter
    def model(self, value: MelodyModel) -> None:
        label = f"yours: {value.name}"
        self._models[label] = value
        if label not in self.model_picker.options:
            self.model_picker.options = [*self.model_picker.options, label]
        self.model_picker.value = label

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#333"
        self.status.value = f'<span style="color:{colour}">{text}</span>'

    def _busy(self, busy: bool) -> None:
        self.generate_button.disabled = busy
        self.cancel_button.disabled = not busy
        if busy:
            self.generate_button.icon = "spinner"
        else:
            self.generate_button.icon = "magic"

    # ------------------------------------------------------------------ generation
    def _options(self) -> dict[str, Any]:
        primer = self._primer or self.melody
        key = guess_key(primer) if self.key_lock.value else None
        pitches = primer.pitches
        span = (max(0, min(pitches) - 2), min(127, max(pitches) + 2)) if self.range_lock.value and pitches else None
        return {
            "temperature": float(self.temperature.value),
            "top_k": int(self.top_k.value) or None,
            "top_p": float(self.top_p.value) if self.top_p.value < 1 else None,
            "n": int(self.n.value),
            "seed": int(self.seed.value),
            "scale": key,
            "pitch_range": span,
        }

    def generate(
        self, steps: int | None = None, *, primer: Melody | None = None, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """Continue the melody on the roll (or ``primer``) with the chosen model and settings.

        Shows the first candidate after the primer, in the accent colour, and returns all of them.
        ``overrides`` replace control values (``temperature=0.5``, ``n=2``, ``seed=3``...). With
        ``background=True`` (the Generate button) it runs in a worker thread and returns [].
        """
        start = primer if primer is not None else self._primer_from_roll()
        if background:
            if self._worker is not None and self._worker.is_alive():
                self._say("Still working: wait, or press Cancel.", error=True)
                return []
            self._worker = threading.Thread(target=self._generate_safely, args=(steps, start, overrides), daemon=True)
            self._worker.start()
            return []
        return self._generate(steps, start, overrides)

    def _primer_from_roll(self) -> Melody:
        """The melody on the roll, or up to and including the selected note (continue from there)."""
        melody = self.melody
        sel = self.roll.selected
        if 0 <= sel < len(melody) - 1 and not self.candidates:
            return melody.replace(notes=melody.notes[: sel + 1])
        return melody

    def _generate_safely(self, steps: int | None, primer: Melody, overrides: dict[str, Any]) -> None:
        try:
            if self._generate(steps, primer, overrides):
                self.roll.play()  # hear the result at once
        except JupymuseError as exc:
            self._say(str(exc), error=True)
        except Exception as exc:  # a worker thread must report, not die silently
            self._say(f"Generation failed: {type(exc).__name__}: {exc}", error=True)
        finally:
            self._busy(False)

    def _generate(self, steps: int | None, primer: Melody, overrides: dict[str, Any]) -> list[Melody]:
        self._cancel.clear()
        self._busy(True)
        try:
            model = self.model
            self._primer = primer
            options = {**self._options(), **overrides}
            t0 = time.perf_counter()
            self._say(f"Generating with {model.name}…")
            candidates = model.generate(primer, steps or int(self.length.value), **options)
            if self._cancel.is_set():
                self._say("Cancelled: the melody is as it was.")
                return []
            self._before = self._before if self.candidates else primer
            self.candidates = candidates
            self.show_candidate(0)
            took = (time.perf_counter() - t0) * 1000
            self._say(f"{len(candidates)} candidates from {model.name} in {took:.0f} ms: browse, Accept or Regenerate.")
            return candidates
        finally:
            self._busy(False)

    def show_candidate(self, index: int) -> None:
        """Put candidate ``index`` after the primer on the roll."""
        if not self.candidates or self._primer is None:
            return
        self._candidate = index % len(self.candidates)
        self._showing = True
        self.roll.melody = self._primer.extend(self.candidates[self._candidate])
        self._showing = False
        self.roll.accent_from = self._primer.end
        self.candidate_label.value = f"{self._candidate + 1} / {len(self.candidates)}"
        for b in (self.prev_button, self.next_button, self.accept_button, self.regenerate_button, self.undo_button):
            b.disabled = False
        self.explain()

    def accept(self) -> None:
        """Keep the candidate on the roll as part of the melody."""
        self.candidates = []
        self._primer = None
        self._before = None
        self.roll.accent_from = -1
        self.candidate_label.value = ""
        for b in (self.prev_button, self.next_button, self.accept_button, self.regenerate_button):
            b.disabled = True
        self._say("Accepted.")

    def undo(self) -> None:
        """Drop the candidates and put back the melody from before Generate."""
        if self._before is not None:
            self._showing = True
            self.roll.melody = self._before
            self._showing = False
        self.accept()
        self.undo_button.disabled = True
        self._say("Back to the melody before Generate.")

    def _after_edit(self) -> None:
        if getattr(self, "_showing", False):
            return
        if self.candidates:  # the student edited the roll: what is there now is the melody
            self.accept()
        self.explain()

    def _on_model_change(self) -> None:
        self.explain()

    def _on_corpus_change(self) -> None:
        """Markov chains are refitted on the new corpus when next used."""
        self.corpus_name = self.corpus.value
        for label in MARKOV:
            self._models.pop(label, None)
        self.explain()

    # ------------------------------------------------------------------ why
    def explain(self) -> None:
        """Redraw the surprise shading, the probability strip and (for Markov models) the heatmap."""
        try:
            self._explain()
        except JupymuseError as exc:
            self._say(str(exc), error=True)

    def _explain(self) -> None:
        if self._training_model is not None:
            return
        melody = self.melody
        model = self.model
        if self.surprise.value and len(melody):
            self.roll.shade(model.log_prob(melody).note_surprise)
        elif self.roll.shading:
            self.roll.shade(None)
        dists = model.pitch_distributions(melody) if hasattr(model, "pitch_distributions") else None
        events = melody_events(melody)
        # the step explained: the selected note's, else the next note after the melody
        notes_to_events = [i for i, (p, _) in enumerate(events) if p != 128]
        sel = self.roll.selected
        step = notes_to_events[sel] if 0 <= sel < len(notes_to_events) else len(events)
        if dists is not None and step < len(dists):
            shaped = shape(
                dists[step] * allowed_pitches(),
                float(self.temperature.value),
                int(self.top_k.value) or None,
                float(self.top_p.value) if self.top_p.value < 1 else None,
            )
            actual = events[step][0] if step < len(events) else None
            what = f"before note {sel + 1}" if step < len(events) else "for the next note"
            self.strip.value = svg.probability_strip(shaped, title=f"{model.name}: P(pitch) {what}", highlight=actual)
        from ..models import MarkovModel

        if isinstance(model, MarkovModel) and model.order >= 1:
            self.matrix.value = self._heatmap(model, events[:step])
        else:
            self.matrix.value = ""

    @staticmethod
    def _heatmap(model: Any, history: list[tuple[int, int]]) -> str:
        """The transition matrix with the current context's row outlined.

        At most 30 rows are drawn: the current context and the most frequent others (for order 2 and
        3, those ending with the current note, so the student sees how longer memory changes a row).
        """
        from ..music.notation import pitch_name

        tm = model.transition_matrix("pitch")

        def label(p: int, d: int) -> str:
            name = "r" if p == 128 else pitch_name(p)
            return f"{name}:{d}" if model.context == "note" else name

        recent = [label(p, d) for p, d in history[-model.order :]]
        current = (
            " ".join(["start"] * (model.order - len(recent)) + recent)
            if len(recent) < model.order
            else " ".join(recent)
        )
        candidates = list(range(len(tm.rows)))
        if model.order > 1:
            last = current.split(" ")[-1]
            candidates = [i for i, r in enumerate(tm.rows) if r.split(" ")[-1] == last]
        # at most 30 rows: the current context and the most frequent others, in the table's order
        busiest = sorted(candidates, key=lambda i: -float(tm.counts[i].sum()))
        exact = [i for i in candidates if tm.rows[i] == current]
        rows = sorted(set(exact + busiest[: 30 - len(exact)]))
        names = [tm.rows[i] for i in rows]
        highlight = names.index(current) if current in names else None
        return svg.heatmap(names, tm.cols, tm.probs[rows], highlight_row=highlight)

    # ------------------------------------------------------------------ training
    def train(
        self,
        corpus: Iterable[Melody] | str,
        *,
        epochs: int = 5,
        background: bool = True,
        config: Any = None,
        **fit: Any,
    ) -> Any:
        """Train a new GRU on ``corpus`` with a live curve; swap it in when done (Stop keeps the best).

        Also fills the table of bits per note on a held-out part of ``corpus`` for the models held.
        Returns the thread (``background=True``) or the trained model.
        """
        from ..corpus import Corpus, load_corpus
        from ..models import GRUConfig, GRUModel

        data = load_corpus(corpus, progress=False) if isinstance(corpus, str) else Corpus(list(corpus))
        split = data.split(valid=0.1, test=0.1, seed=0)
        model = GRUModel(config or GRUConfig())
        self._training_model = model
        batches: list[float] = []
        vals: list[tuple[int, float]] = []
        last_draw = [0.0]

        self._stop_requested.clear()
        self.curve = ([], [])
        self.train_view.value = svg.loss_curve([], [])

        def hook(event: Any) -> None:
            if self._stop_requested.is_set():  # Stop may come before fit has started listening
                model.stop()
            if event.kind == "batch":
                batches.append(event.loss_bits)
            elif event.val_bits is not None:
                vals.append((event.step, event.val_bits))
            now = time.perf_counter()
            if event.kind == "epoch" or now - last_draw[0] > 0.25:  # at most 4 redraws a second
                last_draw[0] = now
                self.curve = (list(batches), list(vals))
                self.train_view.value = svg.loss_curve(batches, vals)
                self.train_progress.value = min(1.0, event.epoch / epochs)

        extra = list(fit.pop("callbacks", []))

        def run() -> GRUModel:
            self.train_progress.layout.visibility = "visible"
            self.stop_button.disabled = False
            self._say(f"Training a GRU on {len(split.train)} melodies for up to {epochs} epochs…")
            try:
                model.fit(
                    split.train,
                    epochs=epochs,
                    validation=list(split.valid),
                    callbacks=[hook, *extra],
                    progress=False,
                    **fit,
                )
                self.curve = (list(batches), list(vals))
                self.train_view.value = svg.loss_curve(batches, vals)
                self._training_model = None
                self.model = model
                self._fill_table(split.test)
                history = model.history
                self._say(f"Training {history.stopped if history else 'done'}: the new GRU is in use.")
            except JupymuseError as exc:
                self._say(str(exc), error=True)
            finally:
                self._training_model = None
                self.stop_button.disabled = True
                self.train_progress.value = 1.0
            return model

        if not background:
            return run()
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self._worker = thread
        return thread

    def _stop_training(self) -> None:
        if self._training_model is not None:
            self._stop_requested.set()
            self._training_model.stop()
            self._say("Stopping after this batch; the best weights so far are kept.")

    def _fill_table(self, test: Iterable[Melody]) -> None:
        from ..evaluate import bits_per_note

        rows = []
        melodies = [m for m in test if len(m)]
        for label, model in self._models.items():
            try:
                score = bits_per_note(model, melodies)
            except (JupymuseError, ValueError):
                continue
            rows.append((label, score.pitch, score.note))
        self.table.value = svg.bits_table(rows)
