"""PianoRoll speed in a real JupyterLab and headless Chromium (the browser tests' setup).

Prints: the paint time of one pan or zoom step with 10,000 notes (target <= 16 ms per frame), the
time from running a cell that shows a roll to its first paint with the kernel warm (target <=
300 ms), the time from the first click on Play to sound (SoundFont transfer, AudioWorklet,
parsing), then, with the SoundFont loaded, click Play -> heard (target <= 150 ms), click a key ->
heard (target <= 100 ms) and the playhead's lead over the sound (target within 50 ms), measured as
tests/e2e/audio_probe.py describes. Needs Chromium at /usr/bin/chromium (see .ci/run).

    python benchmarks/roll_browser.py [--frames 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright
from tests.e2e.audio_probe import measure, stop_if_playing, summary
from tests.e2e.lab import CHROMIUM, CHROMIUM_ARGS, enable_test_hooks, execute, open_notebook, running_lab

SETUP = """import jupymuse
from jupymuse import Melody, Note
many = Melody([Note(48 + (i * 7) % 36, i * 2, 2) for i in range(10_000)])
roll = jupymuse.PianoRoll(many, height=360)
roll"""

SHOW_AND_TIME = """
async (code) => {
  const app = window.jupyterapp;
  const panel = window.__jmPanel;
  const count = () => document.querySelectorAll('.jm-canvas[data-view]').length;
  const before = count();
  panel.content.activeCellIndex = panel.content.widgets.length - 1;
  await app.commands.execute('notebook:insert-cell-below');
  panel.content.activeCell.model.sharedModel.setSource(code);
  const t0 = performance.now();
  await app.commands.execute('notebook:run-cell');
  while (count() <= before) await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
}
"""

FRAMES = """
([frames]) => {
  const root = document.querySelector('.jupymuse-roll');
  const times = [];
  for (let i = 0; i < frames; i++) times.push(root.__jupymuseFrame('pan', 40));
  for (let i = 0; i < frames; i++) times.push(root.__jupymuseFrame('zoom', i % 2 ? 1.1 : 1 / 1.1));
  return times;
}
"""

FRAME_MEANS = """
([frames]) => {
  // one step is near the browser clock's 0.1 ms, so the mean is timed over all steps in one go
  const root = document.querySelector('.jupymuse-roll');
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) root.__jupymuseFrame('pan', 40);
  const t1 = performance.now();
  for (let i = 0; i < frames; i++) root.__jupymuseFrame('zoom', i % 2 ? 1.1 : 1 / 1.1);
  return [(t1 - t0) / frames, (performance.now() - t1) / frames];
}
"""

STUDIO = """import jupymuse
studio = jupymuse.Studio(melody="G4:4 G4:4 D5:4 D5:4 E5:4 E5:4 D5:8")
studio.length.value = 64
studio.n.value = 1
studio.generate(64, n=1, seed=0)  # warm: the model is loaded and its sampling loop compiled
studio.undo()
studio"""

GENERATE_TO_DRAWN = """
async () => {
  const root = document.querySelector('.jupymuse-studio');
  const canvas = root.querySelector('.jm-canvas');
  const button = [...root.querySelectorAll('button')].find((b) => b.textContent.includes('Generate'));
  const before = Number(canvas.dataset.notes);
  const t0 = performance.now();
  button.click();
  while (Number(canvas.dataset.notes) <= before) await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
}
"""

TO_SOUND = """
async () => {
  const root = document.querySelector('.jupymuse-roll');
  const t0 = performance.now();
  root.querySelector('.jm-play').click();
  while (root.__jupymuseLevel() <= 0.001) {
    await new Promise((r) => setTimeout(r, 5));
    if (performance.now() - t0 > 30000) return -1;
  }
  return performance.now() - t0;
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5, help="clicks on Play and on a key, each (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_lab(Path(tmp)) as lab, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        enable_test_hooks(page)  # __jupymuseFrame and __jupymuseLevel on the roll
        page.set_default_timeout(60_000)
        open_notebook(page, lab, "bench.ipynb", [SETUP])
        page.wait_for_selector(".jm-canvas[data-view]")
        frames = page.evaluate(FRAMES, [args.frames])
        pans, zooms = frames[: args.frames], frames[args.frames :]
        print(
            f"10,000 notes, 1280 px wide: paint per pan step median {statistics.median(pans):.2f} ms "
            f"(max {max(pans):.2f}); per zoom step median {statistics.median(zooms):.2f} ms "
            f"(max {max(zooms):.2f}); target <= 16 ms"
        )
        pan_mean, zoom_mean = page.evaluate(FRAME_MEANS, [1000])
        print(f"the same, mean of 1,000 steps timed together: pan {pan_mean:.2f} ms, zoom {zoom_mean:.2f} ms")
        firsts = [page.evaluate(SHOW_AND_TIME, "jupymuse.PianoRoll('C4:4 D4 E4 F4 G4:8 ' * 8)") for _ in range(5)]
        print(
            f"run cell -> first paint of a new roll (kernel warm, 40 notes): median {statistics.median(firsts):.0f} ms "
            f"(runs {', '.join(f'{t:.0f}' for t in firsts)}); target <= 300 ms"
        )
        execute(page, "roll.melody = Melody.from_notation('C4:4 E4 G4 C5:8', tempo=120)")
        to_sound = page.evaluate(TO_SOUND)
        status = execute(page, "print(roll.audio_status)").strip()
        print(
            f"first Play -> sound (6 MB SoundFont sent, AudioWorklet added, parsed): {to_sound:.0f} ms, synth: {status}"
        )
        stop_if_playing(page)
        figures = measure(page, args.runs, seconds_per_step=60 / (120 * 4))
        print(f"SoundFont loaded, {args.runs} runs: {summary(figures)}; targets 150, 100, within 50 ms")
        open_notebook(page, lab, "studio.ipynb", [STUDIO])
        page.wait_for_selector(".jupymuse-studio .jm-canvas[data-view]")
        clicks = []
        for i in range(5):
            clicks.append(page.evaluate(GENERATE_TO_DRAWN))
            execute(page, f"studio.undo(); studio.seed.value = {i + 1}")
        runs = ", ".join(f"{t:.0f}" for t in clicks)
        print(
            f"Studio: click Generate -> 64-note continuation drawn (default GRU, kernel warm): "
            f"median {statistics.median(clicks):.0f} ms ({runs}); target <= 200 ms"
        )
        browser.close()


if __name__ == "__main__":
    main()
