"""What the model listened to, for the Studio: the selected note's attribution and the style evidence.

The selected note is explained by occlusion (:mod:`jupymuse.models.attribution`): each earlier note
is taken out in turn and the bits the model's chance of the selected note loses are that note's
contribution, its pitch and rhythm parts apart. The model reads the same context as the next-pitch
view (``explain.context_window``: at most ``WINDOW`` = 512 notes ending with the selected one), so a
selection late in a long melody costs what one 512 notes long does. The roll draws the strongest few
(:mod:`jupymuse.widget.listened_top`) as arcs, the score marks the same notes, and
``listened_views.py`` says them in words for the "Why this note?" tab and screen readers. Nothing
here imports a widget: the controller runs without ipywidgets.

Style evidence (:mod:`jupymuse.models.style_evidence`) is the other shading of the roll: for each note,
the bits the Studio's style (or, with none chosen, the style the melody is most like) adds over no
style, with every style's total.

Models are asked through protocols, never by class: one with ``attribution`` is asked for it (the GRU
shares the work of its removals), any other scoring model is explained by the plain occlusion loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..models.attribution import Attribution, attribute
from ..models.protocol import MelodyModel
from ..music import Melody
from .events import Heard, StyleShading
from .explain import context_window
from .settings import Settings

if TYPE_CHECKING:
    from ..models.style_evidence import StyleEvidence

__all__ = ["Attributes", "HasStyleEvidence", "evidence", "hear"]


@runtime_checkable
class Attributes(Protocol):
    """A model that explains a note by its own (quicker) attribution."""

    def attribution(self, melody: Melody, index: int | None = None, *, style: Any = None) -> Attribution: ...


@runtime_checkable
class HasStyleEvidence(Protocol):
    """A model that says which notes sound like each of its styles."""

    @property
    def styles(self) -> tuple[str, ...]: ...

    def style_evidence(self, melody: Melody) -> StyleEvidence: ...


def hear(model: MelodyModel, melody: Melody, selected: int, style: Any = None) -> Heard:
    """What ``model`` listened to for note ``selected`` of ``melody`` (scored as ``style``).

    Raises:
        JupymuseError: the model refuses (a grid it was not trained on, a style it does not know...).
    """
    window, _ = context_window(melody, selected)
    offset = selected - (len(window.notes) - 1)
    if isinstance(model, Attributes):
        found = model.attribution(window, -1, style=style)
    else:
        found = attribute(model, window, -1, style=style)
    return Heard(found, offset)


def evidence(model: MelodyModel, melody: Melody, settings: Settings) -> StyleShading | None:
    """The style evidence the roll shades: for the Studio's style (the larger share of a mix), else for
    the style the melody is most like; None for a model without styles."""
    if not isinstance(model, HasStyleEvidence) or not model.styles:
        return None
    found = model.style_evidence(melody)
    style = settings.for_model(model).style
    chosen = style if isinstance(style, str) else max(style, key=lambda s: style[s]) if style else None
    name = chosen or found.likeliest
    return StyleShading(name, found.of(name), tuple(found.totals.items()), chosen is not None)
