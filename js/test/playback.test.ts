/**
 * Playback timing (src/audio/schedule.ts), the follow-the-playhead paging (src/roll/geometry.ts)
 * and the worklet shim's hold on the pinned spessasynth processor (src/audio/shim.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { dueNotes, heardTime, playheadAt, timingOf } from "../src/audio/schedule";
import { PROCESSOR_SHIM, SHIM_NEEDS } from "../src/audio/shim";
import type { Note } from "../src/notes";
import { followFrame, followPlayhead, stepInView, type Viewport, xToStep } from "../src/roll/geometry";

const n = (start: number, duration = 2, pitch = 60): Note => ({ pitch, start, duration, velocity: 100 });
// 16 steps across 640 px of notes: steps 0..16 visible
const view: Viewport = {
  step0: 0,
  pitchTop: 72,
  pxPerStep: 40,
  pxPerPitch: 10,
  keys: 40,
  ruler: 16,
  width: 680,
  height: 256,
};

describe("playback timing", () => {
  const melody = [n(4), n(6), n(8, 4)]; // first note at step 4, ends at 12
  const timing = timingOf(melody, 10, 0.125, false);

  it("starts at the first note and lasts to the end of the last", () => {
    expect(timing).toEqual({ origin: 4, started: 10, secondsPerStep: 0.125, length: 8, loop: false });
    expect(timingOf([], 1, 0.1, false)).toMatchObject({ origin: 0, length: 1 });
  });

  it("hands over only the notes due inside the window, each once", () => {
    const cursor = { index: 0, pass: 0 };
    expect(dueNotes(melody, timing, cursor, 10.3).map((t) => [t.on, t.off])).toEqual([
      [10, 10.25],
      [10.25, 10.5],
    ]);
    expect(dueNotes(melody, timing, cursor, 10.3)).toEqual([]);
    expect(dueNotes(melody, timing, cursor, 99).map((t) => t.on)).toEqual([10.5]);
    expect(dueNotes(melody, timing, cursor, 999)).toEqual([]);
  });

  it("goes round again when looping, one pass later", () => {
    const loop = { ...timing, loop: true };
    const cursor = { index: 0, pass: 0 };
    const ons = dueNotes(melody, loop, cursor, 11.3).map((t) => t.on);
    expect(ons).toEqual([10, 10.25, 10.5, 11, 11.25]);
    expect(cursor).toEqual({ index: 2, pass: 1 });
  });

  it("puts the playhead on the audio clock: the origin before the start, null after the end", () => {
    expect(playheadAt(timing, 9.9)).toBe(4);
    expect(playheadAt(timing, 10.5)).toBe(8);
    expect(playheadAt(timing, 11)).toBe(12);
    expect(playheadAt(timing, 11.2)).toBeNull();
    expect(playheadAt({ ...timing, loop: true }, 11.25)).toBe(6);
  });

  it("hears the output timestamp's time moved on to now, never past what was rendered", () => {
    const stamp = { contextTime: 5, performanceTime: 1000 };
    const ctx = { currentTime: 5.05, getOutputTimestamp: () => stamp };
    expect(heardTime(ctx, 1020)).toBeCloseTo(5.02, 9);
    expect(heardTime(ctx, 1200)).toBe(5.05);
    // no timestamp yet (or none in this browser): the rendered time less the latencies
    const bare = { currentTime: 2, baseLatency: 0.01, outputLatency: 0.03 };
    expect(heardTime(bare, 0)).toBeCloseTo(1.96, 9);
    expect(
      heardTime({ ...bare, getOutputTimestamp: () => ({ contextTime: 0, performanceTime: 0 }) }, 0),
    ).toBeCloseTo(1.96, 9);
  });
});

describe("follow the playhead", () => {
  it("leaves the view alone while the playhead is in it", () => {
    expect(stepInView(view, 0)).toBe(true);
    expect(stepInView(view, 15.9)).toBe(true);
    expect(followPlayhead(view, 8)).toBe(view);
  });

  it("turns the page when the playhead passes the right edge", () => {
    expect(stepInView(view, 16)).toBe(false);
    const next = followPlayhead(view, 16.1);
    expect(next.step0).toBeCloseTo(16.1 - 16 * 0.02, 9);
    expect(stepInView(next, 16.1)).toBe(true);
    expect(xToStep(next, next.width) - next.step0).toBeCloseTo(16, 9); // same zoom: a page, not a zoom
    expect({ ...next, step0: 0 }).toEqual(view);
  });

  it("comes back when a loop starts over before the left edge, never before step 0", () => {
    const later = { ...view, step0: 40 };
    expect(followPlayhead(later, 0.2).step0).toBe(0);
    expect(followPlayhead(later, 20).step0).toBeCloseTo(20 - 0.32, 9);
  });

  it("keeps a playhead moving through a long melody in view, page after page", () => {
    let v = view;
    for (let step = 0; step < 200; step += 0.37) {
      v = followPlayhead(v, step);
      expect(stepInView(v, step)).toBe(true);
    }
    expect(v.step0).toBeGreaterThan(180);
  });
});

describe("a hand scroll during playback", () => {
  it("is not fought: the view stays while the playhead is out of it", () => {
    const back = { ...view, step0: 0 }; // the user looks back while the playhead is at 40
    expect(followFrame(back, 40, true)).toEqual({ view: back, paused: true });
  });

  it("ends when the playhead walks into the view: then the pages turn again", () => {
    const ahead = { ...view, step0: 48 }; // the user looks ahead of the playhead at 40
    expect(followFrame(ahead, 40, true)).toEqual({ view: ahead, paused: true });
    const met = followFrame(ahead, 50, true);
    expect(met).toEqual({ view: ahead, paused: false });
    const turned = followFrame(met.view, 64.5, met.paused);
    expect(turned.paused).toBe(false);
    expect(stepInView(turned.view, 64.5)).toBe(true);
    expect(turned.view.step0).toBeGreaterThan(64);
  });
});

describe("the worklet shim", () => {
  const require = createRequire(import.meta.url);
  const processor = readFileSync(
    require.resolve("spessasynth_lib/dist/spessasynth_processor.min.js"),
    "utf8",
  );

  it("finds the internals it needs in the pinned spessasynth processor", () => {
    for (const name of SHIM_NEEDS) expect(processor, name).toContain(name);
    // the processor calls registerProcessor once, by the name the shim shadows
    expect(processor.match(/registerProcessor\(/g)).toHaveLength(1);
  });

  it("is a module-scope registerProcessor that syncs the clock and empties the queue on stopAll", () => {
    expect(PROCESSOR_SHIM).toContain("const registerProcessor = (name, Processor) =>");
    expect(PROCESSOR_SHIM).toContain("synthCore.currentTime = currentTime");
    expect(PROCESSOR_SHIM).toContain("eventQueue.length = 0");
  });
});
