"""Measuring sound in the page: when a click is heard, and where the playhead is then.

Shared by tests/e2e/test_audio_sync_browser.py and benchmarks/roll_browser.py. How it measures, all
in the real page (real JupyterLab, Chromium, the widget's SoundFont synth in its AudioWorklet):

* the **event**: the ``timeStamp`` of the real click on Play, or of the ``mousedown`` on a key of
  the roll's keyboard, caught by a capturing listener on the window;
* the **sound**: an ``AnalyserNode`` tapped off the widget's own analyser (the last node before the
  context's destination, so it sees exactly what goes out), with a 32768-sample window. The probe
  waits for that window to be silent before the click, then polls it; the first sample above
  ``THRESHOLD`` is the onset, placed on the audio clock at ``currentTime - (samples after it) /
  sampleRate``, to within a render quantum or two (3-6 ms), however late the poll ran;
* **heard**: the onset's audio time turned into the page's clock through the context's output
  timestamp (``getOutputTimestamp()``: which audio time the output device plays at which
  ``performance.now()``), i.e. the moment it leaves for the speakers, output latency included.
  Headless Chromium has no speaker, so this is as close to "heard" as the page can know;
* the **playhead**: the widget's own playhead (``__jupymusePlayhead()``, the position it draws),
  sampled every few ms after the onset; each sample says when the playhead was at the first note
  (``sample time - steps past it * seconds per step``), the median of these is compared with when
  the first note was heard.
"""

from __future__ import annotations

import json
import statistics
from typing import Any

THRESHOLD = 0.002
"""An onset: the first sample louder than this (the SoundFont's piano at velocity 100 peaks near 0.1)."""
QUIET = 0.0008
"""Silence before a click: the whole analyser window below this (reverb tails die down first)."""

ARM = """
async ([kind, quiet, threshold]) => {
  const audio = globalThis.__jupymuseAudio;
  const root = document.querySelector('.jupymuse-roll');
  if (!audio.tap) {
    audio.tap = audio.ctx.createAnalyser();
    audio.tap.fftSize = 32768;
    audio.analyser.connect(audio.tap);
    // a new analyser's window is all zeros: let a whole window of real output fill it first
    await new Promise((r) => setTimeout(r, (1000 * audio.tap.fftSize) / audio.ctx.sampleRate + 100));
  }
  const { ctx, tap } = audio;
  const buf = new Float32Array(tap.fftSize);
  const peak = () => {
    tap.getFloatTimeDomainData(buf);
    let p = 0;
    for (const v of buf) p = Math.max(p, Math.abs(v));
    return p;
  };
  for (let i = 0; i < 1500 && peak() >= quiet; i++) await new Promise((r) => setTimeout(r, 10));
  if (peak() >= quiet) return { error: `no silence before the click (peak ${peak()})` };
  const probe = { kind, event: null, onset: null, samples: [], done: false, error: null };
  window.__jmProbe = probe;
  const onEvent = (e) => {
    const hit = kind === 'play' ? e.type === 'click' && e.target.closest?.('.jm-play')
      : e.type === 'mousedown' && e.target.closest?.('.jm-canvas');
    if (hit && probe.event === null) probe.event = e.timeStamp;
  };
  window.addEventListener('click', onEvent, true);
  window.addEventListener('mousedown', onEvent, true);
  const finish = (error) => {
    probe.error = error;
    probe.done = true;
    window.removeEventListener('click', onEvent, true);
    window.removeEventListener('mousedown', onEvent, true);
  };
  const poll = () => {
    const now = performance.now();
    if (probe.onset === null && probe.event !== null) {
      tap.getFloatTimeDomainData(buf);
      const rendered = ctx.currentTime;
      const stamp = ctx.getOutputTimestamp();
      const i = buf.findIndex((v) => Math.abs(v) > threshold);
      if (i >= 0) {
        const at = rendered - (buf.length - i) / ctx.sampleRate;
        probe.onset = {
          audioTime: at,
          heard: stamp.performanceTime + (at - stamp.contextTime) * 1000,
          rendered: now - (rendered - at) * 1000,
        };
      }
    }
    if (probe.onset !== null && kind === 'play') {
      const step = root.__jupymusePlayhead();
      if (step !== null) probe.samples.push([performance.now(), step]);
    }
    const since = probe.onset ? now - probe.onset.rendered : 0;
    if (probe.onset !== null && (kind !== 'play' || since > 400)) finish(null);
    else if (probe.event !== null && now - probe.event > 8000) finish('no sound within 8 s');
    else setTimeout(poll, 3);
  };
  poll();
  return { error: null };
}
"""


def arm(page: Any, kind: str) -> None:
    """Wait for silence, then watch for the next ``kind`` event ("play" or "key") and the sound after it."""
    armed = page.evaluate(ARM, [kind, QUIET, THRESHOLD])
    assert armed["error"] is None, armed["error"]


def result(page: Any, origin: float, seconds_per_step: float) -> dict[str, float]:
    """After the click: ms from the event to the sound heard, and (for Play) the playhead's lead over the sound."""
    page.wait_for_function("window.__jmProbe.done", timeout=15_000)
    probe = page.evaluate("window.__jmProbe")
    assert probe["error"] is None, probe["error"]
    onset, event = probe["onset"], probe["event"]
    out = {"to_sound": onset["heard"] - event, "to_render": onset["rendered"] - event}
    moving = [(t, step) for t, step in probe["samples"] if step > origin + 0.05]
    if moving:
        at_first_note = statistics.median(t - (step - origin) * seconds_per_step * 1000 for t, step in moving)
        out["playhead_lead"] = onset["heard"] - at_first_note  # > 0: the playhead is ahead of the sound
    return out


def key_point(page: Any, pitch: int) -> tuple[float, float]:
    """Where ``pitch``'s key is on the first roll's keyboard (left of the notes), in page pixels."""
    canvas = page.locator(".jm-canvas").first
    box = canvas.bounding_box()
    v = json.loads(canvas.get_attribute("data-view"))
    y = v["ruler"] + (v["pitchTop"] - pitch) * v["pxPerPitch"] + v["pxPerPitch"] / 2
    return box["x"] + v["keys"] / 2, box["y"] + y


def stop_if_playing(page: Any) -> None:
    play = page.locator(".jm-play").first
    if play.inner_text().startswith("■"):
        play.click()


def measure(page: Any, runs: int, seconds_per_step: float, origin: float = 0) -> dict[str, list[float]]:
    """``runs`` times: a real click on Play, then Stop, then a real click on middle C's key, each after silence.

    The first roll on the page must have played once (its SoundFont loaded). Returns the runs of each
    figure: "play" and "key" (ms from the click to the sound heard), "play_rendered" and
    "key_rendered" (to the sound reaching the output node), "playhead" (the playhead's lead in ms).
    """
    out: dict[str, list[float]] = {k: [] for k in ("play", "key", "play_rendered", "key_rendered", "playhead")}
    for _ in range(runs):
        arm(page, "play")
        page.locator(".jm-play").first.click()
        played = result(page, origin, seconds_per_step)
        stop_if_playing(page)
        arm(page, "key")
        page.mouse.click(*key_point(page, 60))
        keyed = result(page, origin, seconds_per_step)
        out["play"].append(played["to_sound"])
        out["play_rendered"].append(played["to_render"])
        out["playhead"].append(played.get("playhead_lead", float("nan")))
        out["key"].append(keyed["to_sound"])
        out["key_rendered"].append(keyed["to_render"])
    return out


def summary(figures: dict[str, list[float]]) -> str:
    """The medians (and every run) of ``measure``'s figures, in one line."""

    def one(name: str) -> str:
        runs = figures[name]
        return f"median {statistics.median(runs):.0f} ms ({', '.join(f'{r:.0f}' for r in runs)})"

    return (
        f"click Play -> heard {one('play')} [reaches the output node {one('play_rendered')}]; "
        f"click a key -> heard {one('key')} [reaches the output node {one('key_rendered')}]; "
        f"playhead ahead of the sound {one('playhead')}"
    )
