"""The picture and text saved beside a displayed roll follow its melody (issue 20, point 2).

A real ``PianoRoll`` is displayed through a real IPython shell whose display publisher records what a
kernel would send: the first output, then ``update_display_data`` for the same display id once the
melody has been quiet for the delay, carrying a picture and a text that name the new notes.
"""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

import jupymuse
from jupymuse.music import as_melody
from jupymuse.widget.live_picture import LivePicture
from jupymuse.widget.picture import Roll

WIDGET = "application/vnd.jupyter.widget-view+json"


class Recorder(DisplayPublisher):
    """Keeps each published output (data, display id, whether it updates one) as a kernel would send it."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.sent: list[tuple[dict[str, Any], str, bool]] = []

    def publish(
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: str | None = None,
        *,
        transient: dict[str, Any] | None = None,
        update: bool = False,
        **kwargs: Any,
    ) -> None:
        self.sent.append((data, (transient or {}).get("display_id", ""), update))


@pytest.fixture
def sent() -> Iterator[list[tuple[dict[str, Any], str, bool]]]:
    shell = InteractiveShell.instance()
    recorder = Recorder()
    before = shell.display_pub
    shell.display_pub = recorder
    try:
        yield recorder.sent
    finally:
        shell.display_pub = before


def melody(count: int) -> str:
    """``count`` quarter notes climbing a C major scale."""
    names = ["C4", "D4", "E4", "F4", "G4", "A4", "B4", "C5"]
    return " ".join(f"{names[i % len(names)]}:4" for i in range(count))


def _in_fresh_thread(work: Callable[[], object]) -> None:
    """Run ``work`` in a thread of its own: no event loop runs there, whatever the suite's main thread
    holds (the browser tests' Playwright keeps one running), as in a script or a kernel's cell."""
    failed: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # re-raised in the test's thread
            failed.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    if failed:
        raise failed[0]


def test_a_displayed_roll_updates_its_output_after_the_melody_changes(
    sent: list[tuple[dict[str, Any], str, bool]],
) -> None:
    async def run() -> None:
        roll = jupymuse.PianoRoll()
        roll._ipython_display_()
        live = roll._live_picture
        live._delay = 0.05
        assert len(sent) == 1
        first, display_id, update = sent[0]
        assert display_id == live.display_id
        assert not update
        assert WIDGET in first
        assert "0 notes" in first["text/plain"]
        roll.melody = as_melody(melody(34))
        roll.tempo = 96.0  # a second change inside the delay: one update, with both
        assert live.pending
        assert len(sent) == 1
        await asyncio.sleep(0.3)
        assert not live.pending
        assert len(sent) == 2
        data, again, update = sent[1]
        assert again == display_id
        assert update
        assert "34 notes" in data["text/plain"], data["text/plain"]
        assert data[WIDGET] == first[WIDGET]  # the live view stays in the output
        assert data["image/png"] != first["image/png"]
        assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
        assert data["image/svg+xml"].count("<rect") > first["image/svg+xml"].count("<rect") + 30
        expected = Roll.of_widget(roll)
        assert expected.total == 34
        assert data["text/plain"] == expected.text("PianoRoll", "run the cell for the live editor")

    _in_fresh_thread(lambda: asyncio.run(run()))


def test_changes_while_a_drag_goes_on_wait_for_quiet(sent: list[tuple[dict[str, Any], str, bool]]) -> None:
    async def run() -> None:
        roll = jupymuse.PianoRoll()
        roll._ipython_display_()
        roll._live_picture._delay = 0.2
        for step in range(6):  # one note every 0.1 s: each change pushes the update back
            roll.melody = as_melody(melody(step + 1))
            await asyncio.sleep(0.1)
        assert len(sent) == 1
        await asyncio.sleep(0.4)
        assert len(sent) == 2
        assert "6 notes" in sent[1][0]["text/plain"]

    _in_fresh_thread(lambda: asyncio.run(run()))


def test_no_update_before_the_roll_is_shown_or_without_a_loop(sent: list[tuple[dict[str, Any], str, bool]]) -> None:
    _in_fresh_thread(lambda: _without_a_loop(sent))


def _without_a_loop(sent: list[tuple[dict[str, Any], str, bool]]) -> None:
    roll = jupymuse.PianoRoll()
    live = LivePicture(roll._repr_mimebundle_, delay=0.0)
    live.changed()
    live.flush()
    assert sent == []  # never shown: nothing to update
    live.show()
    live.changed()  # no running loop (a script): nothing scheduled
    assert not live.pending
    assert len(sent) == 1
    roll.melody = as_melody(melody(3))
    live.flush()
    assert len(sent) == 2
    assert sent[1][2]
    assert "3 notes" in sent[1][0]["text/plain"]


def test_showing_a_roll_twice_keeps_one_display_id(sent: list[tuple[dict[str, Any], str, bool]]) -> None:
    roll = jupymuse.PianoRoll(melody(2))
    roll._ipython_display_()
    roll._ipython_display_()
    assert [(s[1], s[2]) for s in sent] == [(roll._live_picture.display_id, False)] * 2
    assert "2 notes" in sent[0][0]["text/plain"]
