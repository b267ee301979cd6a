""" "What the model listened to" in a real JupyterLab and headless Chromium: click a note -> arcs drawn.

Warm (the shipped GRU loaded, one selection done first), a click on a note of the Studio's roll is
timed in the page from the pointer going down to the paint that draws that note's arcs (the canvas's
``data-listened`` naming it): the page's selection, the comm to the kernel, the attribution in the
Studio's worker thread (one scoring per earlier note), the comm back and the paint. Two contexts: the
selected note with 64 notes before it, and with 512 (the most the Studio reads). Targets <= 150 ms and
<= 400 ms (issue 23). Prints the median of ``--runs`` clicks each, alternating between two notes so
every click asks for new arcs. Needs Chromium at /usr/bin/chromium (see .ci/run).

    python benchmarks/listened_browser.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright
from tests.e2e.lab import CHROMIUM, CHROMIUM_ARGS, enable_test_hooks, execute, open_notebook, running_lab

PHRASE = "G4:2 A4 B4 D5 C5 B4 A4 G4 E4 F#4 G4 A4 B4 C5 D5 B4"
"""Sixteen eighth-note-ish notes (2 steps each), repeated to the length wanted."""

STUDIO = """import jupymuse
phrase = {phrase!r}
studio = jupymuse.Studio(melody=" ".join([phrase] * {repeats}), warm_up=False)
studio.model  # the shipped GRU, loaded now
studio"""

NOTES = "import json; print(json.dumps([[n.pitch, n.start, n.duration] for n in studio.melody.notes]))"
"""The Studio's notes as [pitch, start, duration] rows (where to click)."""

CLICK_TIMER = """
([note]) => { window.__jmArcs = new Promise((resolve) => {
  const canvas = document.querySelector('.jupymuse-studio .jm-canvas');
  let t0 = null;
  const down = () => { t0 = performance.now(); };
  canvas.addEventListener('pointerdown', down, { capture: true, once: true });
  const seen = new MutationObserver(() => {
    const v = canvas.dataset.listened;
    if (t0 !== null && v && JSON.parse(v).note === note) {
      seen.disconnect();
      resolve(performance.now() - t0);
    }
  });
  seen.observe(canvas, { attributes: true, attributeFilter: ['data-listened'] });
}); }
"""
"""Starts waiting (in ``window.__jmArcs``) for the paint of note ``note``'s arcs after the next pointer down."""


def note_point(page: Any, kernel_notes: list[list[int]], index: int) -> tuple[float, float]:
    """Bring note ``index`` into view (panning the roll, zoomed so notes are 12 px wide) and return its middle."""
    canvas = page.locator(".jupymuse-studio .jm-canvas").first
    pitch, start, duration = kernel_notes[index][:3]
    view = json.loads(canvas.get_attribute("data-view"))
    if view["pxPerStep"] < 5:
        page.evaluate(
            "(f) => document.querySelector('.jupymuse-studio .jupymuse-roll').__jupymuseFrame('zoom', f)",
            6 / view["pxPerStep"],
        )
        view = json.loads(canvas.get_attribute("data-view"))
    x = view["keys"] + (start + duration / 2 - view["step0"]) * view["pxPerStep"]
    if not view["keys"] + 20 < x < view["width"] - 20:
        page.evaluate(
            "(dx) => document.querySelector('.jupymuse-studio .jupymuse-roll').__jupymuseFrame('pan', dx)",
            x - view["width"] / 2,
        )
        view = json.loads(canvas.get_attribute("data-view"))
        x = view["keys"] + (start + duration / 2 - view["step0"]) * view["pxPerStep"]
    y = view["ruler"] + (view["pitchTop"] - pitch) * view["pxPerPitch"] + view["pxPerPitch"] / 2
    if not view["ruler"] < y < view["height"]:
        raise SystemExit(f"note {index} (pitch {pitch}) is not in the roll's rows: {view}")
    box = canvas.bounding_box()
    return box["x"] + x, box["y"] + y


def time_clicks(page: Any, notes: list[list[int]], picks: tuple[int, int], runs: int) -> list[float]:
    """Click ``picks`` in turn (after one warm-up click each); each click's time to its arcs, in ms."""
    times = []
    for i in range(runs + 2):
        index = picks[i % 2]
        point = note_point(page, notes, index)
        page.evaluate(CLICK_TIMER, [index])
        page.mouse.click(*point)
        elapsed = float(page.evaluate("() => window.__jmArcs"))
        if i >= 2:  # the first of each note warms caches
            times.append(elapsed)
        page.wait_for_timeout(300)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp, running_lab(Path(tmp)) as lab, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        enable_test_hooks(page)  # __jupymuseFrame: pan and zoom the roll to the notes clicked
        for context, repeats in ((64, 5), (512, 34)):  # 80 and 544 notes
            open_notebook(page, lab, f"listened{context}.ipynb", [STUDIO.format(phrase=PHRASE, repeats=repeats)])
            page.locator(".jupymuse-studio .jm-canvas").first.wait_for(state="visible")
            rows = execute(
                page, "import json; print(json.dumps([[n.pitch, n.start, n.duration] for n in studio.melody.notes]))"
            )
            notes = json.loads(rows)
            picks = (context, context + 2)  # 64 (or 512) notes before the first; the window keeps 512 at most
            times = time_clicks(page, notes, picks, args.runs)
            results[context] = times
            print(f"{context}-note context: click -> arcs drawn, median {statistics.median(times):.0f} ms "
                  f"(min {min(times):.0f}, max {max(times):.0f}; {len(times)} clicks)", flush=True)  # fmt: skip
            page.goto("about:blank")
        browser.close()
    targets = {64: 150, 512: 400}
    for context, times in results.items():
        verdict = "meets" if statistics.median(times) <= targets[context] else "MISSES"
        print(f"  {context}: {verdict} the {targets[context]} ms target")


if __name__ == "__main__":
    main()
