import { describe, expect, it } from "vitest";
import { decodeNotes, encodeNotes, type Note } from "../src/notes";
import { octaveLabel } from "../src/roll/draw";
import {
  addNote,
  copyNotes,
  deleteNotes,
  hitTest,
  monophonic,
  moveNotes,
  newNotes,
  pasteNotes,
  resizeNotes,
  selectInBox,
  setVelocity,
} from "../src/roll/editing";
import {
  clampView,
  fitContent,
  pitchToY,
  reveal,
  snapDown,
  snapNearest,
  stepToX,
  type Viewport,
  visibleNotes,
  visibleRange,
  xToStep,
  yToPitch,
  zoomX,
} from "../src/roll/geometry";
import { History } from "../src/roll/history";
import { scalePitchClasses } from "../src/roll/scale";
import { SentStates } from "../src/roll/sent";
import { testViewport } from "./viewport";

const n = (pitch: number, start: number, duration = 4, velocity = 100): Note => ({
  pitch,
  start,
  duration,
  velocity,
});
const view: Viewport = {
  step0: 0,
  pitchTop: 72,
  pxPerStep: 10,
  pxPerPitch: 8,
  keys: 40,
  ruler: 16,
  width: 640,
  height: 336,
};

describe("notes codec", () => {
  it("round-trips int32 little-endian rows", () => {
    const notes = [n(60, 0), n(62, 4, 2, 80), n(127, 1_000_000, 1, 1)];
    const buffer = encodeNotes(notes);
    expect(buffer.byteLength).toBe(48);
    expect(new DataView(buffer).getInt32(16, true)).toBe(62);
    expect(decodeNotes(buffer)).toEqual(notes);
    expect(decodeNotes(new DataView(buffer, 16, 16))).toEqual([notes[1]]);
    expect(decodeNotes(null)).toEqual([]);
  });
});

describe("geometry", () => {
  it("maps steps and pitches to pixels and back", () => {
    expect(stepToX(view, 4)).toBe(80);
    expect(xToStep(view, 80)).toBe(4);
    expect(pitchToY(view, 72)).toBe(16);
    expect(yToPitch(view, 16)).toBe(72);
    expect(yToPitch(view, 23.9)).toBe(72);
    expect(yToPitch(view, 24)).toBe(71);
    for (let p = 40; p < 72; p++) expect(yToPitch(view, pitchToY(view, p) + 1)).toBe(p);
  });
  it("snaps to the grid, triplets included", () => {
    expect(snapDown(7.9, 4)).toBe(4);
    expect(snapNearest(6.1, 4)).toBe(8);
    expect(snapDown(3.9, 4 / 3)).toBeCloseTo(8 / 3);
    expect(snapDown(3.9, 0)).toBe(3);
  });
  it("zooms around the mouse and stays inside the MIDI range", () => {
    const z = zoomX(view, 2, 240);
    expect(xToStep(z, 240)).toBeCloseTo(xToStep(view, 240));
    expect(z.pxPerStep).toBe(20);
    expect(clampView({ ...view, pitchTop: 500, step0: -5 })).toMatchObject({ pitchTop: 128, step0: 0 });
  });
  it("fits the content and finds only visible notes", () => {
    const notes = [n(60, 0), n(64, 4), n(67, 200)];
    const fit = fitContent(view, notes);
    const shown = visibleNotes(fit, notes);
    expect(shown).toEqual([0, 1, 2]);
    expect(visibleNotes(view, [n(60, 0), n(30, 4), n(64, 100)])).toEqual([0]);
  });
  it("scans only the visible part of 10,000 notes", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => n(60 + (i % 12), i * 4));
    const v = { ...view, step0: 20_000 };
    const shown = visibleNotes(v, many);
    expect(shown.length).toBeLessThan(20);
    expect(many[shown[0] as number]?.start).toBeGreaterThanOrEqual(19_996);
  });
});

describe("editing", () => {
  it("hit-tests bodies and resize edges", () => {
    const notes = [n(60, 0, 8)];
    const y = pitchToY(view, 60) + 4;
    expect(hitTest(view, notes, stepToX(view, 2), y)).toEqual({ index: 0, part: "body" });
    expect(hitTest(view, notes, stepToX(view, 8) - 2, y)).toEqual({ index: 0, part: "end" });
    expect(hitTest(view, notes, stepToX(view, 9), y)).toBeNull();
    expect(hitTest(view, notes, stepToX(view, 2), y + 8)).toBeNull();
  });
  it("applies the same monophony rule as Python", () => {
    expect(monophonic([n(64, 4), n(60, 0, 8), n(67, 4, 8)])).toEqual([n(60, 0, 4), n(67, 4, 8)]);
  });
  it("adds, moves, resizes and deletes", () => {
    const { notes, index } = addNote([n(60, 0), n(64, 8)], n(62, 4));
    expect(index).toBe(1);
    expect(notes.map((x) => x.pitch)).toEqual([60, 62, 64]);
    const moved = moveNotes(notes, new Set([1, 2]), 4, 2);
    expect(moved.map((x) => [x.pitch, x.start])).toEqual([
      [60, 0],
      [64, 8],
      [66, 12],
    ]);
    expect(moveNotes(notes, new Set([0]), -10, 100)[0]).toEqual(n(127, 0));
    expect(resizeNotes(notes, new Set([0]), -10)[0]?.duration).toBe(1);
    expect(deleteNotes(notes, new Set([0, 2]))).toEqual([n(62, 4)]);
    expect(setVelocity(notes, new Set([1]), 300)[1]?.velocity).toBe(127);
  });
  it("selects with a rubber band, copies and pastes", () => {
    const notes = [n(60, 0), n(62, 4), n(64, 8), n(65, 12)];
    const sel = selectInBox(notes, 5, 1, 59, 63);
    expect([...sel]).toEqual([0, 1]);
    const clip = copyNotes(notes, sel);
    expect(clip).toEqual([n(60, 0), n(62, 4)]);
    const { notes: after, pasted } = pasteNotes(notes, clip, 8);
    expect(after.map((x) => [x.pitch, x.start])).toEqual([
      [60, 0],
      [62, 4],
      [60, 8],
      [62, 12],
    ]);
    expect([...pasted].sort()).toEqual([2, 3]);
  });
});

describe("history", () => {
  it("undoes and redoes snapshots", () => {
    const h = new History();
    const a = [n(60, 0)];
    const b = [n(60, 0), n(62, 4)];
    h.push(a);
    expect(h.undo(b)).toEqual(a);
    expect(h.redo(a)).toEqual(b);
    expect(h.redo(b)).toBeNull();
    h.push(b);
    expect(h.canRedo).toBe(false);
  });
});

describe("scales", () => {
  it("reads key names like Python", () => {
    expect([...(scalePitchClasses("G major") ?? [])].sort((x, y) => x - y)).toEqual([0, 2, 4, 6, 7, 9, 11]);
    expect(scalePitchClasses("E minor")?.has(3)).toBe(true); // harmonic minor: D#
    expect(scalePitchClasses("Bb major")?.has(10)).toBe(true);
    expect(scalePitchClasses("H major")).toBeNull();
  });
});

describe("keyboard labels", () => {
  it("name the C of each octave as Python's pitch_name does, whatever the key", () => {
    expect(octaveLabel(60)).toBe("C4");
    expect(octaveLabel(0)).toBe("C-1");
    expect(octaveLabel(120)).toBe("C9");
    expect(octaveLabel(71)).toBe("C4"); // any pitch: the C of its octave
  });
});

describe("the view follows what Python adds", () => {
  const view = testViewport({ width: 600 });
  const phrase = (start: number, count: number, pitch = 60): Note[] =>
    Array.from({ length: count }, (_, i) => ({
      pitch: pitch + (i % 5),
      start: start + 4 * i,
      duration: 4,
      velocity: 100,
    }));

  it("leaves the view alone when the new notes are visible", () => {
    expect(reveal(view, phrase(4, 3))).toEqual(view);
    expect(reveal(view, [])).toEqual(view);
  });

  it("pans to a continuation that starts beyond the right edge, keeping the zoom", () => {
    const next = reveal(view, phrase(64, 4));
    const r = visibleRange(next);
    expect(next.pxPerStep).toBe(view.pxPerStep);
    expect(r.step0).toBeLessThanOrEqual(64);
    expect(r.step1).toBeGreaterThanOrEqual(80);
  });

  it("zooms out when a long continuation cannot fit, and finds notes above the view", () => {
    const long = phrase(16, 64);
    const r = visibleRange(reveal(view, long));
    expect(r.step0).toBeLessThanOrEqual(16);
    expect(r.step1).toBeGreaterThanOrEqual(16 + 4 * 64);
    const high = visibleRange(reveal(view, phrase(0, 2, 96)));
    expect(high.pitchHi).toBeGreaterThanOrEqual(97);
    expect(high.pitchLo).toBeLessThanOrEqual(96);
  });

  it("counts as new only the notes an update added", () => {
    const before = phrase(0, 3);
    const after = [...before, ...phrase(12, 2, 70)];
    expect(newNotes(before, after)).toEqual(phrase(12, 2, 70));
    expect(newNotes(after, after)).toEqual([]);
  });
});

describe("answers to edits a busy kernel sends late", () => {
  const n = (pitch: number, start: number) => ({ pitch, start, duration: 4, velocity: 100 });
  const one = [n(64, 0)];
  const two = [n(64, 0), n(65, 4)];
  const three = [n(64, 0), n(65, 4), n(67, 8)];

  it("are not shown over newer edits, and the last answer is", () => {
    const sent = new SentStates();
    sent.sent(one);
    sent.sent(two);
    sent.sent(three);
    expect(sent.arrived(one)).toBe(false); // the first click's answer after three clicks: keep the three
    expect(sent.arrived(two)).toBe(false);
    expect(sent.arrived(three)).toBe(true);
  });

  it("confirm older edits too when a newer answer comes first", () => {
    const sent = new SentStates();
    sent.sent(one);
    sent.sent(two);
    expect(sent.arrived(two)).toBe(true);
    expect(sent.arrived(two)).toBe(true); // nothing waits any more: Python's state shows
  });

  it("never hide Python's own change", () => {
    const sent = new SentStates();
    sent.sent(one);
    sent.sent(two);
    expect(sent.arrived([n(60, 0)])).toBe(true); // e.g. Generate or a file opened while edits waited
    expect(sent.arrived(one)).toBe(true); // and the edits it replaced wait no more
  });
});
