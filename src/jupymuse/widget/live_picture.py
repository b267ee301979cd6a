"""Keeps the picture and text saved beside a displayed widget following its melody.

A widget's output holds the live view plus a static picture and a text line (``picture.picture_bundle``),
which is what nbconvert, GitHub and a reopened notebook show. Computed once when the cell ran, they
would show the melody of that moment ("0 notes"). ``LivePicture`` displays the bundle under a
``display_id`` and, after each change, once the melody has been quiet for ``delay`` seconds, sends
``update_display`` with a fresh bundle, so the front end replaces the output in place and saves the
current picture. The delay is measured on the kernel's asyncio loop, so updates go out from the main
thread when the kernel is idle; with no loop (a plain script) there is no output to update.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any, Protocol

Bundle = tuple[dict[str, Any], dict[str, Any]]

DELAY = 1.5
"""Seconds of quiet after a change before the output is updated (a drag in progress is not interrupted)."""


class Publish(Protocol):
    """Sends a bundle to the front end: a new output (``update`` False) or a replacement of ``display_id``'s."""

    def __call__(self, bundle: Bundle, display_id: str, update: bool) -> None: ...


def ipython_publish(bundle: Bundle, display_id: str, update: bool) -> None:
    """Publishes through IPython's display machinery (``display_data`` / ``update_display_data``)."""
    from IPython.display import display, update_display

    data, metadata = bundle
    if update:
        update_display(data, metadata=metadata, raw=True, display_id=display_id)  # type: ignore[no-untyped-call]
    else:
        display(data, metadata=metadata, raw=True, display_id=display_id)  # type: ignore[no-untyped-call]


class LivePicture:
    """Shows ``bundle()`` under one display id and republishes it ``delay`` seconds after the last change."""

    def __init__(
        self, bundle: Callable[[], Bundle], *, delay: float = DELAY, publish: Publish = ipython_publish
    ) -> None:
        self._bundle = bundle
        self._delay = delay
        self._publish = publish
        self.display_id = f"jupymuse-{uuid.uuid4().hex}"
        self._shown = False
        self._pending: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> bool:
        """Whether an update waits for the melody to be quiet."""
        return self._pending is not None

    def show(self) -> None:
        """Displays the bundle as a new output; later changes update this output (and any other showing it)."""
        self._publish(self._bundle(), self.display_id, False)
        self._shown = True

    def changed(self, _change: object = None) -> None:
        """Notes a change: the output is updated once no other change came for ``delay`` seconds.

        Before the widget was shown there is nothing to update. Outside a running asyncio loop (a script,
        where no front end keeps outputs) nothing is scheduled.
        """
        if not self._shown:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self._delay, self.flush)

    def flush(self) -> None:
        """Updates the output now with the current bundle (a pending update is done here)."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if self._shown:
            self._publish(self._bundle(), self.display_id, True)
