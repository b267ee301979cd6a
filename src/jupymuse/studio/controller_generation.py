"""The Studio controller's Generate: continue the melody, Continue from here, Regenerate, Cancel, and the
candidates each gives (browse them, Accept one).

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`). A Generate runs now or in a
worker thread (one at a time, with training); its result is dropped when cancelled or when the melody
was edited meanwhile, and otherwise becomes one step of the history, its first candidate shown. A Fill
or Vary (``controller_revision.py``) is a job of the same kind with a ``Revision``: it runs, is
cancelled, browsed, accepted and regenerated the same way.

**Keep the seed.** Every job draws with the Seed box's seed, so changing one setting (temperature,
style...) and pressing Generate, Fill or Vary again changes only what that setting changes; the same
settings give the same candidates again. Only Regenerate asks for a new idea: it draws a new seed,
puts it in the Seed box, and asks the same job again.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from typing import Any

from .. import arguments
from ..errors import JupymuseError
from ..models.sampling_settings import SamplingSettings
from ..music import Melody
from .candidates import Candidates
from .controller_state import ControllerState
from .events import BusyChanged, PlayRequested, SeedChanged
from .history import State
from .revision import Revision


@dataclass(frozen=True)
class Job:
    """One Generate, as asked: what the history calls it, what it continues, and what it is told."""

    label: str
    """The step's name in the history ("Generate", "Continue from note 3"...)."""
    steps: int | None
    """Events per candidate (None: the settings' length)."""
    primer: Melody
    shown: Melody
    """The melody when it started: an edit made while generating wins over the result."""
    overrides: dict[str, Any]
    """Settings replaced for this Generate (``n``, ``seed``, sampling fields)."""
    note: str = ""
    """Said before the status line's count of candidates."""
    revision: Revision | None = None
    """A Fill or Vary of ``primer``'s span (None: a Generate, which continues ``primer``)."""


class StudioGeneration(ControllerState):
    """``generate``, ``continue_from``, ``regenerate``, ``cancel``, ``show_candidate``, ``browse``, ``accept``."""

    def primer(self) -> Melody:
        """What Generate continues: the whole melody, or while candidates are browsed the melody they follow
        (a new batch replaces them; it never accepts the one shown; a Fill's or Vary's candidate shown is
        continued, as it is on the roll). A selected note only says what to explain; continuing from it
        (which replaces the notes after it) is :meth:`continue_from`."""
        with self._lock:
            shown = self._doc.candidates
            if shown and shown.primer is not None and shown.revision is None:
                return shown.primer
            return self._doc.melody

    def after(self, index: int | None = None) -> int:
        """How many notes :meth:`continue_from` would replace after note ``index`` (default: the selected)."""
        with self._lock:
            i = self._selected if index is None else index
            return len(self._doc.melody) - 1 - i if 0 <= i < len(self._doc.melody) else 0

    # ------------------------------------------------------------------ starting one
    def generate(
        self, steps: int | None = None, *, primer: Melody | None = None, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """Continue the melody (or ``primer``) with the chosen model and settings; show the first candidate.

        ``overrides`` replace settings for this call (``temperature=0.5``, ``n=2``, ``seed=3``...). With
        ``background=True`` it runs in a worker thread and returns [] (see :meth:`wait`).

        Raises:
            ArgumentTypeError: a ``primer`` that is not a ``Melody`` (checked before any work).
        """
        if primer is not None:
            arguments.melody(primer, "primer")
        return self._start("Generate", steps, primer, background, overrides)

    def continue_from(
        self, index: int | None = None, steps: int | None = None, *, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """Replace the notes after note ``index`` (default: the selected one) with a continuation of the
        notes up to and including it: "Continue from here". One step of the history (Undo brings the
        replaced notes back), and the status says how many notes were replaced.

        Raises:
            JupymuseError: no such note, or no note after it (in a worker: said in the status line).
        """
        with self._lock:
            i = self._selected if index is None else index
            melody = self._doc.melody
        if background and self._refuse_busy():  # before the hint below, which names Generate (disabled now)
            return []
        if not 0 <= i < len(melody) - 1:
            text = "Select a note before the last one to continue from it (Generate continues after the last)."
            if background:
                self.say(text, error=True)
                return []
            raise JupymuseError(text)
        replaced = len(melody) - 1 - i
        note = f"Continued from note {i + 1}: the {replaced} notes after it are replaced (Undo brings them back). "
        label = f"Continue from note {i + 1}"
        return self._start(label, steps, melody.replace(notes=melody.notes[: i + 1]), background, overrides, note)

    def regenerate(self, *, background: bool = True) -> list[Melody]:
        """Generate again after the same primer with a new seed (the settings as they are now otherwise).

        The new seed becomes the settings' seed (reported as ``SeedChanged``), so ``generate`` with it
        after the same primer gives the same candidates again.
        """
        if background and self._refuse_busy():
            return []
        with self._lock:
            seed = self._settings.seed
            while seed == self._settings.seed:
                seed = random.randrange(1, 100_000)
            self._settings = replace(self._settings, seed=seed)
            self._emit(SeedChanged(seed))
            primer, revision = self._doc.candidates.primer, self._doc.candidates.revision
        if revision is not None and primer is not None:
            return self._start(f"Regenerate ({revision.label})", None, primer, background, {}, revision=revision)
        return self._start("Regenerate", None, primer, background, {})

    def cancel(self) -> None:
        """Drop the result of the Generate running now: the melody stays as it was."""
        self._cancel.set()
        if self.busy and self._training is None:
            self.say("Cancelling: the melody stays as it is…")

    def _start(
        self,
        label: str,
        steps: int | None,
        primer: Melody | None,
        background: bool,
        overrides: dict[str, Any],
        note: str = "",
        revision: Revision | None = None,
    ) -> list[Melody]:
        start = primer if primer is not None else self.primer()
        if background and self._refuse_busy():
            return []
        self._cancel.clear()
        job = Job(label, steps, start, self._doc.melody, overrides, note, revision)
        self._emit(BusyChanged(True))
        if background:
            self._workers.start("Generation", self._generate_and_play, job, then=self._idle)
            return []
        try:
            return self._generate(job)
        finally:
            self._idle()

    def _refuse_busy(self) -> bool:
        if self.busy:  # never pointing at a disabled button: Cancel is for a Generate, Stop for a training
            self.say(self._busy_text(), error=True)
        return self.busy

    def _busy_text(self) -> str:
        """Why the studio cannot start more work now, naming only a button that is enabled (each is
        disabled once pressed: Cancel after a cancel, Stop training after a stop)."""
        with self._lock:
            run = self._training
        if run is not None:
            return (
                "A training is stopping: wait for it to end."
                if run.stopping
                else ("A training is running: wait, or press Stop training.")
            )
        if self._cancel.is_set():
            return "Still cancelling the Generate: wait for it to end."
        return "Still generating: wait, or press Cancel."

    def _idle(self) -> None:
        self._emit(BusyChanged(False))

    # ------------------------------------------------------------------ running one
    def _generate_and_play(self, job: Job) -> None:
        if self._generate(job):
            self._emit(PlayRequested())  # hear the result at once

    def _generate(self, job: Job) -> list[Melody]:
        t0 = time.perf_counter()  # the whole wait: loading or fitting the model counts too
        model = self.model
        settings, options = self._settings, dict(job.overrides)
        n, seed = options.pop("n", settings.n), options.pop("seed", settings.seed)
        if job.steps:
            options["length"] = job.steps
        sampling = settings.for_model(model).replace(**options)
        revision = job.revision
        if revision is None:
            self.say(f"Generating with {model.name}…")
            candidates = model.generate(job.primer, n=n, seed=seed, sampling=sampling)
        else:
            self.say(revision.doing)
            candidates = self._revise(model, job.primer, revision, n=n, seed=seed, sampling=sampling)
        with self._lock:
            if self._cancel.is_set():
                self.say("Cancelled: the melody is as it was.")
                return []
            if self._doc.melody.notes != job.shown.notes:
                self.say("The melody changed while generating: press Generate again.")
                return []
            offer, before = Candidates.offer(job.primer, candidates, revision), self._doc.candidates
            same = before.primer == job.primer and before.items == offer.items and before.revision == revision
            if before and same:  # nothing new to show
                self.say("The same settings and seed give the same candidates: change one, or press Regenerate.")
                return candidates
            self._emit(*self._doc.change(job.label, offer.notes_shown(), offer))
        self.explain()
        took = (time.perf_counter() - t0) * 1000
        count = len(candidates)
        made = f"{count} candidate{'s' if count != 1 else ''} from {model.name} in {took:.0f} ms"
        choices = "browse, Accept or Regenerate" if count > 1 else "Accept or Regenerate"  # ◀ ▶ need two
        self.say(f"{job.note}{made}: {choices}.")  # said with the buttons' change (BusyChanged(False) follows)
        return candidates

    @staticmethod
    def _revise(
        model: Any, melody: Melody, revision: Revision, *, n: int, seed: int, sampling: SamplingSettings
    ) -> list[Melody]:
        """The model's fills or variations of ``revision``'s span of ``melody`` (whole melodies)."""
        span = (melody, revision.start, revision.end)
        common: dict[str, Any] = {"n": n, "proposals": revision.proposals, "seed": seed, "sampling": sampling}
        if revision.kind == "fill":
            return list(model.infill(*span, **common))
        return list(model.vary(*span, keep=revision.keep, contour=revision.contour, **common))

    # ------------------------------------------------------------------ its candidates
    def show_candidate(self, index: int) -> None:
        """Put candidate ``index`` (taken modulo their number) after the primer (part of its Generate)."""
        with self._lock:
            if not self._doc.candidates:
                return
            shown = self._doc.candidates.show(index)
            self._emit(*self._doc.show(State(shown.notes_shown(), shown)))
        self._refresh()

    def browse(self, step: int) -> None:
        """Show the candidate ``step`` places on (-1: the previous one, 1: the next)."""
        self.show_candidate(self._doc.candidates.index + step)

    def accept(self) -> None:
        """Keep the candidate shown as part of the melody (Undo still takes the whole Generate back)."""
        with self._lock:
            if not self._doc.candidates:
                return
            self._emit(*self._doc.show(State(self._doc.melody, Candidates())))
            self.say("Accepted.")
