"""The Training tab's words and panel: the progress beside the bar, and the end-of-training offer.

HTML strings from the controller's data (``TrainingEnd``, ``TrainingOffer``), in JupyterLab's theme
colours so they read in Light and Dark, with ``data-*`` attributes a test (or a screen reader's
user, through the text) can check.
"""

from __future__ import annotations

import html
import math

from .training_offer import TrainingEnd, TrainingOffer

INK = "var(--jp-ui-font-color1, #1f1f1f)"
PANEL = "var(--jp-layout-color2, #eeeeee)"
BRAND = "var(--jp-brand-color1, #1976d2)"
"""The panel's edge and the new model's bar: 4.0:1 on Light's panel (#1976d2 on #eee), 3.2:1 on Dark's
(#2196f3 on #424242)."""
BAR_PX = 160
"""Length of the longer bar."""


def progress_words(progress: float | None, running: bool, end: TrainingEnd | None) -> str:
    """Beside the bar: ``"37% of all batches"`` while training, ``"stopped at 37%"`` once it ended."""
    if end is not None and not running:
        if end.how == "completed" and end.percent == 100:
            return "finished: 100%"
        where = f"{end.percent}%" if end.percent is not None else f"{end.batches} batches"
        return {"early stopping": f"stopped early at {where}", "interrupted": f"interrupted at {where}"}.get(
            end.how, f"stopped at {where}"
        )
    if progress is None:
        return "getting ready…" if running else ""
    percent = math.floor(100 * progress)
    return f"{percent}% of all batches" if running else f"ended at {percent}%"


def _bar(bits: float | None, longest: float, filled: bool) -> str:
    """A bar as long as ``bits`` (the longer one ``BAR_PX``): the new model's filled, the current one's outlined
    in the text colour, so both read in either theme."""
    if bits is None or longest <= 0:
        return ""
    width = max(4, round(BAR_PX * bits / longest))
    paint = f"background:{BRAND}" if filled else f"border:2px solid {INK}"
    return (
        f'<span aria-hidden="true" style="display:inline-block;box-sizing:border-box;width:{width}px;height:12px;'
        f'vertical-align:middle;{paint}"></span>'
    )


def _figure(bits: float | None) -> str:
    return "not measured" if bits is None else f"{bits:.2f}"


def offer_panel(offer: TrainingOffer | None) -> str:
    """The end-of-training panel: how far it got, both figures side by side, and what was chosen."""
    if offer is None:
        return ""
    end, name = offer.end, html.escape(offer.model.name)
    best = f", best weights from epoch {end.best_epoch}" if end.best_epoch else ""
    longest = max((b for b in (offer.new_bits, offer.current_bits) if b is not None), default=0.0)
    rows = [
        ("jm-offer-new", f"New model: {name}{best}", offer.new_bits, True),
        ("jm-offer-current", f"Current model: {html.escape(offer.current)}", offer.current_bits, False),
    ]
    body = "".join(  # label, then figure and bar: on one line when there is room, the figure below when not
        f'<div class="{cls}" style="display:flex;flex-wrap:wrap;align-items:center;column-gap:12px;margin:3px 0">'
        f'<div style="flex:0 1 360px;min-width:0">{label}</div>'
        f'<div style="flex:0 0 auto;white-space:nowrap"><b style="display:inline-block;min-width:3.2em">'
        f"{_figure(bits)}</b> {_bar(bits, longest, filled)}</div></div>"
        for cls, label, bits, filled in rows
    )
    verdict = {
        "new": "The new model predicts these melodies better.",
        "current": "The current model predicts these melodies better.",
    }.get(offer.better, "")
    choice = {
        "new": "You chose the new model: it is in use now.",
        "current": "You kept the current model; the new one is not used.",
    }.get(offer.chosen, "The current model stays in use until you press <b>Use the new model</b>.")
    note = f'<div style="font-size:12px">Note: {html.escape(offer.note)}.</div>' if offer.note else ""
    data = (
        f' data-new-bits="{_figure(offer.new_bits)}" data-current-bits="{_figure(offer.current_bits)}"'
        f' data-chosen="{offer.chosen}" data-how="{html.escape(end.how)}" data-percent="{end.percent}"'
    )
    return (
        f'<div class="jm-training-end" role="group" aria-label="Training result"{data} '
        f'style="color:{INK};background:{PANEL};border-left:4px solid {BRAND};padding:8px 12px;'
        f'margin:6px 0;font-size:13px;line-height:1.45;max-width:680px;box-sizing:border-box">'
        f'<div style="font-weight:600;font-size:14px">Training {html.escape(end.words())}.</div>'
        f"<div>Pitch bits per note on the same {offer.melodies} validation melodies the training held out: how "
        "surprised each model is by the real next note (lower is better).</div>"
        f'<div style="margin:4px 0">{body}</div>'
        f"<div>{verdict}</div>{note}<div>{choice}</div></div>"
    )
