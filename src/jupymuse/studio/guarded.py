"""``GuardedDropdown``: a dropdown that refuses a choice the page cannot have made, and says so.

ipywidgets' own dropdown raises deep in the comm handler when the page sends a choice outside its list
(a changed page, a stale view, a fuzzer): the error goes to the server log, and the page keeps showing
a choice the kernel never took. This one tells the student in the Studio's status line, sends its own
state back so the page shows the kept choice again, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets


class GuardedDropdown(w.Dropdown):  # type: ignore[misc]
    """A ``Dropdown`` whose page-sent choices are checked before they are taken.

    Args:
        refused: called with a sentence naming the control, what the page sent and the limit.
        name: the control's name in that sentence (its label).
        **kwargs: as for ``ipywidgets.Dropdown``.
    """

    def __init__(self, refused: Callable[[str], None], name: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._refused = refused
        self.name = name

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Take the page's state, unless its choice is not one of the options (then say so, keep all)."""
        if "index" in sync_data:
            index, count = sync_data["index"], len(self.options)
            whole = isinstance(index, int) and not isinstance(index, bool)
            if not (whole and 0 <= index < count):
                self._refuse(f"the page sent choice {index!r}, but it has {count} (0 to {count - 1})")
                return
        try:
            super().set_state(sync_data)
        except (traitlets.TraitError, ValueError, TypeError) as exc:
            self._refuse(str(exc))

    def _refuse(self, why: str) -> None:
        self._refused(f"{self.name}: {why}; nothing was changed.")
        self.send_state()  # the page shows the choice the kernel kept
