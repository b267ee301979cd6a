"""The Studio's face: a first row with what a beginner needs, the rest folded under "More".

The first row holds Generate, the candidates (◀ 1 / 4 ▶, Accept, Regenerate), Fill and Vary (on the
span selected on the roll), Undo/Redo, Style, Length in bars and Play; "More" opens the model, seed,
sampling, key, meter, locks, the style mix, what Vary keeps, New from selection and Open ABC.
Whether "More" is open is the toggle's own widget state: it lasts as long as the Studio (shown again,
or the page reloaded, it opens as it was) and is saved with the notebook's widget state. Every control
carries a plain tooltip (``tips.py``), and the dropdowns refuse a choice the page cannot have made
(``guarded.py``). A mixin of ``Studio`` (``app.py``), which owns the controller and the roll.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from ..arguments import shown
from ..errors import ArgumentTypeError
from ..music.key import Key
from ..music.keys import guess_key
from .choice import DEFAULT, MARKOV
from .guarded import GuardedDropdown
from .layout import fits, labelled, row, sized, slider
from .revision import KEEPS
from .settings import Settings
from .switch import Switch
from .tips import NO_STYLES, TIPS

if TYPE_CHECKING:
    from .controller import StudioController
    from .roll import StudioRoll

KEYS = tuple(Key.from_pitch_class(t, mode) for mode in ("major", "minor") for t in range(12))
"""The 24 keys the key control offers (after "detected"), its values their names (``"G major"``)."""
METERS = ((2, 2), (2, 4), (3, 4), (4, 4), (5, 4), (3, 8), (6, 8), (9, 8), (12, 8))
"""The time signatures the meter control offers (a melody's own other one is added)."""
BARS = (1, 2, 4, 8, 16, 32)
"""The lengths in bars the Length control offers (0 there means: the number of notes under More)."""

CONTROLS = {
    "generate_button": "generate",
    "cancel_button": "cancel",
    "prev_button": "prev",
    "next_button": "next",
    "accept_button": "accept",
    "regenerate_button": "regenerate",
    "continue_button": "continue",
    "fill_button": "fill",
    "vary_button": "vary",
    "vary_keep": "vary_keep",
    "contour": "contour",
    "new_from_button": "new_from",
    "abc_text": "abc_text",
    "open_abc_button": "open_abc",
    "undo_button": "undo",
    "redo_button": "redo",
    "play_button": "play",
    "style_picker": "style",
    "bars": "length",
    "more_button": "more",
    "model_picker": "model",
    "corpus": "corpus",
    "seed": "seed",
    "n": "n",
    "temperature": "temperature",
    "top_k": "top_k",
    "top_p": "top_p",
    "length": "notes",
    "ending": "ending",
    "key_picker": "key",
    "meter": "meter",
    "key_lock": "key_lock",
    "range_lock": "range_lock",
    "surprise": "surprise",
    "evidence": "evidence",
    "mix_with": "mix_with",
    "mix": "mix",
    "style_strength": "style_strength",
    "epochs": "epochs",
    "train_corpus": "train_corpus",
}
"""Each control's attribute on the Studio and its tooltip in ``TIPS``."""
LABELS = {
    "style_picker": ("Style", "190px"),
    "bars": ("Length", "170px"),
    "model_picker": ("Model", "250px"),
    "corpus": ("Corpus", "290px"),
    "seed": ("Seed", "140px"),
    "ending": ("Ending", "260px"),
    "key_picker": ("Key", "230px"),
    "meter": ("Meter", "130px"),
    "mix_with": ("Mixed with", "220px"),
    "train_corpus": ("Train on", "290px"),
    "vary_keep": ("Vary", "300px"),
}
"""The controls shown after a label of their own (so their tooltips show), with the label and the width."""


def style_of(first: str, second: str, share: float) -> str | dict[str, float] | None:
    """The ``style`` setting of the style controls: one style, a mix ``{first: share, second: 1 - share}``, or none."""
    if first and second and first != second:
        return {first: round(share, 4), second: round(1 - share, 4)}
    return first or second or None


class Face:
    """The controls of the Studio, their layout and their values as ``Settings`` (mixed into ``Studio``)."""

    controller: StudioController
    roll: StudioRoll
    _rendering: int | None
    generate_button: Any
    cancel_button: Any
    prev_button: Any
    next_button: Any
    accept_button: Any
    regenerate_button: Any
    continue_button: Any
    undo_button: Any
    redo_button: Any
    candidate_label: Any
    status: Any
    legend: Any
    model_picker: Any
    corpus: Any
    epochs: Any
    train_corpus: Any

    def _refused(self, text: str) -> None:
        self.controller.say(text, error=True)

    def _dropdown(self, options: list[Any], value: Any, name: str) -> GuardedDropdown:
        return GuardedDropdown(self._refused, name, options=options, value=value)

    def _labelled(self, name: str) -> Any:
        """The control ``name`` after its label, both showing its tooltip (kept for showing or hiding it)."""
        control = getattr(self, name)
        control.tooltip = TIPS[CONTROLS[name]]
        box = self._boxes[name] = labelled(control, *LABELS[name])
        return box

    def _sampling_controls(self) -> None:
        start, s = self.controller.settings, self.controller.settings.sampling  # the model's recommended ones
        self.temperature = slider(w.FloatSlider, "Temperature", "400px", s.temperature, 0.0, 2.0, 0.05)
        self.top_k = slider(w.IntSlider, "Top-k (0 = all)", "360px", s.top_k or 0, 0, 40)
        self.top_p = slider(w.FloatSlider, "Top-p", "300px", 1.0 if s.top_p is None else s.top_p, 0.05, 1.0, 0.01)
        self.length = slider(w.IntSlider, "Notes & rests", "380px", s.length, 1, 256)
        self.n = slider(w.IntSlider, "Candidates", "300px", start.n, 1, 16)
        self.seed = w.IntText(value=start.seed)
        self.key_lock = Switch(s.key_lock, "Stay in key")
        self.range_lock = Switch(s.range_lock, "Stay in range")
        self.surprise = Switch(start.shade_surprise, "Shade surprise")
        self.evidence = Switch(start.shade_evidence and not start.shade_surprise, "Shade style evidence")
        self._boxes: dict[str, Any] = {}  # the labelled controls' boxes
        self.style_picker = self._dropdown([("any", "")], "", "Style")
        self.mix_with = self._dropdown([("none", "")], "", "Mixed with")
        self.mix = slider(w.FloatSlider, "Share of the first", "330px", 0.5, 0.0, 1.0, 0.05)
        self.mix.disabled = True
        self.style_strength = slider(w.FloatSlider, "Style strength", "330px", s.style_strength, 0.0, 4.0, 0.25)
        self.style_strength.disabled = True
        ending = [("after the notes", "cut"), ("where the model ends", "model"), ("on the final (cadence)", "cadence")]
        self.ending = self._dropdown(ending, s.ending, "Ending")
        bars = s.bars or 0
        self.bars = self._dropdown(self._length_options(bars), bars, "Length")
        self.key_picker = self._dropdown([("detected", "")], "", "Key")
        self.meter = self._dropdown([("4/4", (4, 4))], (4, 4), "Meter")
        self.play_button = w.Button(description="Play", icon="play", layout=fits())
        self.more_button = w.ToggleButton(value=False, description="More", icon="chevron-down", layout=fits("90px"))
        self._draw_facts()

    def _revision_controls(self) -> None:
        """Fill and Vary (first row), and under More what Vary keeps, New from selection and Open ABC."""
        self.fill_button = w.Button(description="Fill", icon="paint-brush", disabled=True, layout=fits())
        self.vary_button = w.Button(description="Vary", icon="random", disabled=True, layout=fits())
        self.vary_keep = self._dropdown([(text, keep) for keep, text in KEEPS.items()], "rhythm", "Vary")
        self.contour = Switch(False, "Keep contour")
        self.new_from_button = w.Button(description="New from selection", disabled=True, layout=fits())
        self.abc_text = w.Textarea(placeholder="X:1\nT:…\nK:G\nGABc d2B2|…", rows=3, layout=sized("320px"))
        self.open_abc_button = w.Button(description="Open ABC", icon="folder-open", layout=fits())

    def _length_options(self, bars: int) -> list[tuple[str, int]]:
        counts = sorted({*BARS, bars} - {0})
        return [(f"{self.length.value} notes", 0), *((f"{b} bar{'s' if b != 1 else ''}", b) for b in counts)]

    def _controls_box(self) -> Any:
        for name, tip in CONTROLS.items():
            getattr(self, name).tooltip = TIPS[tip]
        put = self._labelled
        first = [
            self.generate_button,
            self.cancel_button,
            self.prev_button,
            self.candidate_label,
            self.next_button,
            self.accept_button,
            self.regenerate_button,
            self.continue_button,
            self.fill_button,
            self.vary_button,
            self.undo_button,
            self.redo_button,
            put("style_picker"),
            put("bars"),
            self.play_button,
            self.more_button,
        ]
        self.more = w.VBox(
            [
                row([put("model_picker"), put("corpus"), put("seed"), self.n]),
                row([self.temperature, self.top_k, self.top_p]),
                row([self.length, put("ending"), put("key_picker"), put("meter")]),
                row([self.key_lock, self.range_lock, self.surprise, self.evidence]),
                row([put("mix_with"), self.mix, self.style_strength]),
                row([put("vary_keep"), self.contour, self.new_from_button, self.abc_text, self.open_abc_button]),
            ]
        )
        self.more.add_class("jm-more")
        self._show_more()
        self._show_corpus()
        return w.VBox([row(first), self.status, self.legend, self.more])

    def _settings(self) -> Settings:
        """The controls' values as the controller's settings."""
        style = style_of(str(self.style_picker.value), str(self.mix_with.value), float(self.mix.value))
        sampling = self.controller.settings.sampling.replace(  # the model's other settings (durations...) kept
            temperature=float(self.temperature.value),
            top_k=int(self.top_k.value) or None,
            top_p=float(self.top_p.value) if self.top_p.value < 1 else None,
            length=int(self.length.value),
            bars=int(self.bars.value) or None,
            key_lock=bool(self.key_lock.value),
            range_lock=bool(self.range_lock.value),
            style=style,
            style_strength=float(self.style_strength.value),
            ending=str(self.ending.value),
        )
        n, seed, shade = int(self.n.value), int(self.seed.value), bool(self.surprise.value)
        return Settings(sampling, n=n, seed=seed, shade_surprise=shade, shade_evidence=bool(self.evidence.value))

    # ------------------------------------------------------------------ reactions
    def _wire_face(self) -> None:
        self.more_button.observe(lambda _: self._show_more(), "value")
        self.play_button.on_click(lambda _: self.roll.play())
        self.length.observe(lambda _: self._notes_chosen(), "value")
        self.key_picker.observe(lambda _: self._key_chosen(), "value")
        self.meter.observe(lambda _: self._meter_chosen(), "value")
        self.mix_with.observe(lambda _: self._draw_mix(), "value")
        self.style_picker.observe(lambda _: self._draw_mix(), "value")
        self.vary_keep.observe(lambda _: self._draw_contour(), "value")

    def _one_shading(self, change: dict[str, Any]) -> None:
        """The two shadings are one choice (none, surprise or style evidence): turning one on turns the other off.

        Observed before the controller hears either, so it never hears both on."""
        if change["new"]:
            other = self.evidence if change["owner"] is self.surprise else self.surprise
            other.value = False

    @property
    def more_open(self) -> bool:
        """Whether "More" is open (the toggle's widget state: kept with the Studio and the notebook)."""
        return bool(self.more_button.value)

    @more_open.setter
    def more_open(self, value: bool) -> None:
        try:
            self.more_button.value = value
        except traitlets.TraitError:  # the toggle's own words name a trait the student never saw
            raise ArgumentTypeError(f"more_open must be True or False, not {shown(value)}") from None

    def _show_more(self) -> None:
        self.more.layout.display = "flex" if self.more_button.value else "none"
        self.more_button.icon = "chevron-up" if self.more_button.value else "chevron-down"

    def _show_corpus(self) -> None:
        """The corpus picker is shown only while a Markov chain (which it fits) is chosen."""
        self._boxes["corpus"].layout.display = "" if self.controller.chosen in MARKOV else "none"

    def _notes_chosen(self) -> None:
        """A number of notes chosen under More is the length from now on: Length says "N notes"."""
        with self._quiet():
            self.bars.options = self._length_options(int(self.bars.value))
            self.bars.value = 0
        self.controller.configure(self._settings())

    def _key_chosen(self) -> None:
        if self._rendering != threading.get_ident():
            self.roll.key = str(self.key_picker.value)  # the roll says the restyle to the controller
            self._draw_facts()

    def _meter_chosen(self) -> None:
        if self._rendering != threading.get_ident():
            self.roll.time_signature = tuple(self.meter.value)
            self._draw_facts()

    def _draw_contour(self) -> None:
        """ "Keep contour" applies to new pitches on the same rhythm only."""
        self.contour.disabled = self.vary_keep.value != "rhythm"

    def _draw_mix(self) -> None:
        first, second = self.style_picker.value, self.mix_with.value
        self.mix.disabled = not (first and second and first != second)
        self.style_strength.disabled = not (first or second)  # a strength needs a style to lead

    def _offer_styles(self) -> None:
        """The style pickers list the chosen model's styles ("any" alone, and disabled, for a model without)."""
        from ..models.default import default_styles

        c = self.controller
        styles = default_styles() if c.chosen == DEFAULT else getattr(c.models().get(c.chosen), "styles", ())
        for picker, none in ((self.style_picker, "any"), (self.mix_with, "none")):
            keep = picker.value if picker.value in styles else ""
            picker.options = [(none, ""), *((s, s) for s in styles)]
            picker.value = keep
            picker.disabled = not styles
        self.evidence.disabled = not styles
        self.evidence.tooltip = TIPS["evidence"] if styles else NO_STYLES
        if not styles:
            self.evidence.value = False
        self._draw_mix()

    def _draw_facts(self) -> None:
        """The key and meter controls and "Stay in key" show the melody's key (given or detected) and metre."""
        melody = self.controller.melody
        detected = guess_key(melody.replace(key=None))
        keys = list(KEYS) if melody.key is None or melody.key in KEYS else [*KEYS, melody.key]
        meters = list(METERS) if melody.time_signature in METERS else [*METERS, melody.time_signature]
        with self._quiet():
            self.key_picker.options = [(f"detected: {detected or 'none yet'}", ""), *((str(k),) * 2 for k in keys)]
            self.key_picker.value = str(melody.key) if melody.key is not None else ""
            self.meter.options = [(f"{a}/{b}", (a, b)) for a, b in meters]
            self.meter.value = melody.time_signature
        used = guess_key(melody)
        self.key_lock.description = f"Stay in key ({used})" if used else "Stay in key (no notes yet)"

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """Change controls without their changes counting as the student's."""
        outer, self._rendering = self._rendering, threading.get_ident()
        try:
            yield
        finally:
            self._rendering = outer
