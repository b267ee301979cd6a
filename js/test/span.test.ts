/**
 * The selected span (roll/span.ts) and how a press on a note changes the selection (input/mouse.ts
 * `pickNote`): what the Studio's Fill, Vary and "New from selection" are told to work on.
 */
import { describe, expect, it } from "vitest";
import { pickNote } from "../src/input/mouse";
import type { Note } from "../src/notes";
import { accented } from "../src/roll/draw";
import {
  extendTo,
  NO_SPAN,
  notesInSpan,
  rulerSpan,
  spanFrom,
  spanOfNotes,
  spansEqual,
} from "../src/roll/span";

const n = (pitch: number, start: number, duration = 4): Note => ({ pitch, start, duration, velocity: 100 });
/** Bar 1: four quarters; bar 2: a half and two quarters (4 steps per quarter, 16 per bar). */
const TUNE = [n(67, 0), n(67, 4), n(74, 8), n(74, 12), n(76, 16, 8), n(74, 24), n(72, 28)];
const press = (mods: { shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean } = {}): MouseEvent =>
  ({ shiftKey: false, ctrlKey: false, metaKey: false, ...mods }) as MouseEvent;

describe("the span of the selected notes", () => {
  it("runs from the first selected start to the last selected end", () => {
    expect(spanOfNotes(TUNE, new Set([2, 4]))).toEqual([8, 24]);
    expect(spanOfNotes(TUNE, new Set([5]))).toEqual([24, 28]);
  });
  it("is none for no note, or indices the notes no longer have", () => {
    expect(spanOfNotes(TUNE, new Set())).toEqual(NO_SPAN);
    expect(spanOfNotes(TUNE, new Set([99]))).toEqual(NO_SPAN);
  });
  it("selects the notes that start inside it, and only those", () => {
    expect([...notesInSpan(TUNE, [16, 32])]).toEqual([4, 5, 6]);
    expect([...notesInSpan(TUNE, [10, 17])]).toEqual([3, 4]); // 74@8 starts before 10: outside
    expect(notesInSpan(TUNE, NO_SPAN).size).toBe(0);
  });
});

describe("Shift+click and Ctrl+click on a note", () => {
  it("Shift+click selects every note between the selection and the note clicked", () => {
    expect([...pickNote(new Set([1]), 4, press({ shiftKey: true }))]).toEqual([1, 2, 3, 4]);
    expect([...pickNote(new Set([5]), 2, press({ shiftKey: true }))]).toEqual([2, 3, 4, 5]);
    expect([...extendTo(new Set([1, 3]), 6)]).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it("Shift+click with nothing selected selects the note alone", () => {
    expect([...pickNote(new Set(), 3, press({ shiftKey: true }))]).toEqual([3]);
  });
  it("Ctrl (or Cmd) + click adds a note or takes it out", () => {
    expect([...pickNote(new Set([1]), 4, press({ ctrlKey: true }))].sort()).toEqual([1, 4]);
    expect([...pickNote(new Set([1, 4]), 4, press({ metaKey: true }))]).toEqual([1]);
  });
  it("a plain click selects the note alone, unless it is selected (then the selection is dragged together)", () => {
    expect([...pickNote(new Set([1, 2]), 5, press())]).toEqual([5]);
    expect([...pickNote(new Set([1, 2]), 2, press())]).toEqual([1, 2]);
  });
});

describe("the ruler selects steps", () => {
  it("a click selects the whole bar under it", () => {
    expect(rulerSpan(21.5, 21.5, false, 1, 16)).toEqual([16, 32]);
    expect(rulerSpan(0.2, 0.2, false, 4, 12)).toEqual([0, 12]);
  });
  it("a drag selects the steps under it, widened to the grid, either way", () => {
    expect(rulerSpan(17.3, 30.2, true, 4, 16)).toEqual([16, 32]);
    expect(rulerSpan(30.2, 17.3, true, 4, 16)).toEqual([16, 32]);
    expect(rulerSpan(9.5, 10.1, true, 1, 16)).toEqual([9, 11]);
  });
  it("never starts before step 0 and is at least one grid step", () => {
    expect(rulerSpan(-3, 2, true, 4, 16)).toEqual([0, 4]);
    expect(rulerSpan(8, 8, true, 4, 16)).toEqual([8, 12]);
  });
});

describe("a span from Python's selection trait", () => {
  it("keeps two whole steps with start < end, and reads anything else as none", () => {
    expect(spanFrom([16, 32])).toEqual([16, 32]);
    for (const bad of [[0, 0], [5, 3], [-1, 4], [1.5, 4], "16,32", null, [1, 2, 3]]) {
      expect(spanFrom(bad)).toEqual(NO_SPAN);
    }
    expect(spansEqual([1, 2], [1, 2])).toBe(true);
    expect(spansEqual([1, 2], [1, 3])).toBe(false);
  });
});

describe("the accent colour marks a filled span's notes", () => {
  it("from accent_from to accent_to, or to the end when accent_to is -1", () => {
    const marked = (accentFrom: number, accentTo: number): number[] =>
      TUNE.flatMap((note, i) => (accented(note, { accentFrom, accentTo }) ? [i] : []));
    expect(marked(16, 32)).toEqual([4, 5, 6]);
    expect(marked(8, 16)).toEqual([2, 3]);
    expect(marked(16, -1)).toEqual([4, 5, 6]);
    expect(marked(-1, 16)).toEqual([]);
  });
});
