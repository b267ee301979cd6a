"""``Switch``: an on/off setting drawn as a button with a tick box, so its tooltip shows.

ipywidgets' ``Checkbox`` puts its own description in the ``title`` of both the box and the text, so a
tooltip set on it is never seen. A ``ToggleButton`` shows its tooltip; the tick-box icon says that it
is a setting that stays on or off, not an action.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .layout import fits

ON, OFF = "check-square-o", "square-o"
"""The Font Awesome 4 icons (the ones ipywidgets ships) of a ticked and an empty box."""


class Switch(w.ToggleButton):  # type: ignore[misc]
    """A setting that is on or off (``value``), with a ticked or empty box before its ``description``."""

    def __init__(self, value: bool, description: str, **kwargs: Any) -> None:
        super().__init__(value=value, description=description, icon=ON if value else OFF, layout=fits(), **kwargs)
        self.add_class("jm-switch")
        self.observe(self._tick, "value")

    def _tick(self, change: dict[str, Any]) -> None:
        self.icon = ON if change["new"] else OFF
