"""Sound in sync, measured in a real JupyterLab and Chromium with the real SoundFont synth.

Once the SoundFont is loaded: a click on Play is heard within 150 ms, a click on a key of the roll's
keyboard within 100 ms, and the playhead is within 50 ms of the sound (how it is measured:
``audio_probe.py``); Stop silences at once. And the view follows the playhead through a long melody
while ``follow`` is on (the toolbar's "follow" box), without fighting a hand scroll, and does not
when it is off.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from typing import Any

import pytest

from .audio_probe import measure, stop_if_playing, summary
from .test_piano_roll_browser import Roll, wait_for

pytestmark = pytest.mark.browser

PLAY_TO_SOUND_MS = 150
KEY_TO_SOUND_MS = 100
PLAYHEAD_TO_SOUND_MS = 50
RUNS = 5

TEMPO = 120
SECONDS_PER_STEP = 60 / (TEMPO * 4)  # four steps per quarter
MELODY = f"roll = jupymuse.PianoRoll('C4:4 E4:4 G4:4 C5:8', height=240)\nroll.tempo = {TEMPO}\nroll"


def load_soundfont(page: Any, kernel: Callable[[str], str]) -> None:
    """The first Play: the kernel sends the SoundFont, the worklet starts; then stop."""
    play = page.locator(".jm-play").first
    play.click()
    wait_for(kernel, "print(roll.audio_status)", "soundfont", timeout=30)
    page.wait_for_function("document.querySelector('.jupymuse-roll').__jupymuseLevel() > 0.001", timeout=10_000)
    stop_if_playing(page)


def test_play_and_key_clicks_sound_at_once_with_the_playhead_on_the_sound(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = notebook(["import jupymuse", MELODY])
    Roll(page)
    load_soundfont(page, kernel)
    figures = measure(page, RUNS, SECONDS_PER_STEP)
    line = summary(figures)
    print(line)
    assert statistics.median(figures["play"]) <= PLAY_TO_SOUND_MS, line
    assert statistics.median(figures["key"]) <= KEY_TO_SOUND_MS, line
    assert abs(statistics.median(figures["playhead"])) <= PLAYHEAD_TO_SOUND_MS, line


LOUDEST = """
async ([after, during]) => {
  const root = document.querySelector('.jupymuse-roll');
  await new Promise((r) => setTimeout(r, after));
  let loudest = 0;
  for (const t0 = performance.now(); performance.now() - t0 < during; ) {
    loudest = Math.max(loudest, root.__jupymuseLevel());
    await new Promise((r) => setTimeout(r, 20));
  }
  return loudest;
}
"""


def test_stop_silences_at_once(notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]) -> None:
    """No note starts after Stop, though the next ones were already handed to the synth (0.5 s ahead)."""
    page = notebook(["import jupymuse", MELODY])
    Roll(page)
    load_soundfont(page, kernel)
    play = page.locator(".jm-play").first
    play.click()
    page.wait_for_function("document.querySelector('.jupymuse-roll').__jupymuseLevel() > 0.01")
    page.wait_for_timeout(200)  # E4 is due 0.5 s after C4: in the synth's queue now
    play.click()
    loudest = page.evaluate(LOUDEST, [100, 1500])
    assert loudest < 0.01, loudest  # a note peaks near 0.1; the reverb's tail after Stop stays near 0.002


SAMPLE_PLAYHEAD = """
async ([ms]) => {
  const canvas = document.querySelector('.jm-canvas');
  const out = [];
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await new Promise((r) => requestAnimationFrame(r));
    const at = canvas.dataset.playhead;
    if (!at) continue;
    const v = JSON.parse(canvas.dataset.view);
    out.push([Number(at), v.step0, v.step0 + (v.width - v.keys) / v.pxPerStep]);
  }
  return out;
}
"""


def visible_steps(page: Any) -> float:
    v = json.loads(page.locator(".jm-canvas").first.get_attribute("data-view"))
    return float((v["width"] - v["keys"]) / v["pxPerStep"])


def sample(page: Any, ms: int) -> list[tuple[float, float, float]]:
    """(playhead, first and last visible step) at each painted frame for ``ms`` while playing."""
    samples = [(float(a), float(b), float(c)) for a, b, c in page.evaluate(SAMPLE_PLAYHEAD, [ms])]
    assert len(samples) > 20, samples
    return samples


def scroll_to_start(page: Any) -> None:
    """A hand scroll (the wheel over the notes) back to step 0."""
    box = page.locator(".jm-canvas").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(-20_000, 0)
    page.wait_for_function("JSON.parse(document.querySelector('.jm-canvas').dataset.view).step0 === 0")


def test_the_view_follows_the_playhead_unless_follow_is_off(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    """A 192-step melody zoomed to < 32 steps a page: with follow on the playhead never leaves the view.

    A hand scroll while playing is not fought (the view stays where the user put it); with follow
    off the view stays and the playhead runs off its edge.
    """
    cells = [
        "import jupymuse",
        "roll = jupymuse.PianoRoll('C4:2 D4:2 E4:2 F4:2 ' * 24, height=200)\nroll.tempo = 300\nroll",
    ]
    page = notebook(cells)
    Roll(page)
    assert kernel("print(roll.follow)").strip() == "True"
    assert page.locator(".jm-follow").first.is_checked()
    page.locator(".jupymuse-roll").first.focus()
    for _ in range(30):  # zoom in ("+"): the melody is many pages long now
        if visible_steps(page) < 32:
            break
        page.keyboard.press("Equal")
        page.wait_for_timeout(50)
    assert visible_steps(page) < 32

    page.locator(".jm-play").first.click()  # 192 steps of 50 ms: 9.6 s
    on = sample(page, 3500)
    outside = [s for s in on if not s[1] <= s[0] <= s[2]]
    assert not outside, outside[:5]
    assert max(s[0] for s in on) > 40  # it played past the first page...
    assert len({round(s[1], 3) for s in on}) >= 2  # ...and the page turned
    scroll_to_start(page)  # the user looks back while it plays on
    looking_back = sample(page, 1000)
    assert {s[1] for s in looking_back} == {0}, looking_back[-3:]  # not fought
    assert looking_back[-1][0] > looking_back[-1][2]
    stop_if_playing(page)

    page.locator(".jm-follow").first.click()
    wait_for(kernel, "print(roll.follow)", "False")
    scroll_to_start(page)
    page.locator(".jm-play").first.click()
    off = sample(page, 3500)
    stop_if_playing(page)
    assert len({round(s[1], 3) for s in off}) == 1  # the view stays put...
    assert any(s[0] > s[2] for s in off), off[-3:]  # ...and the playhead runs off its right edge
