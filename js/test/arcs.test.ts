/** The arcs of "what the model listened to": decoding the synced value, thickness, geometry, edge marks. */
import { describe, expect, it } from "vitest";
import type { Note } from "../src/notes";
import {
  arcWidth,
  decodeListened,
  edgeMarks,
  LEAST_BITS,
  type Listened,
  listenedArcs,
  MAX_ARC_WIDTH,
  noteTop,
} from "../src/roll/arcs";
import { evidenceColour } from "../src/roll/draw";
import { pan, pitchToY, stepToX, zoomX } from "../src/roll/geometry";
import { testViewport } from "./viewport";

/** Eight quarter notes rising from C4 (step 0, 4, 8, ...). */
const notes: Note[] = Array.from({ length: 8 }, (_, i) => ({
  pitch: 60 + i,
  start: 4 * i,
  duration: 4,
  velocity: 100,
}));
const heard: Listened = {
  note: 7,
  sources: [
    { index: 0, pitch: 1.0, rhythm: 0.5 },
    { index: 5, pitch: 0.3, rhythm: -0.2 },
    { index: 6, pitch: 0.01, rhythm: 0.02 },
  ],
};

describe("the synced value", () => {
  it("reads Python's form and nothing for {}", () => {
    expect(decodeListened({}, 8)).toBeNull();
    expect(decodeListened(null, 8)).toBeNull();
    expect(decodeListened({ note: 3, sources: [[0, 1, 0.5]] }, 8)).toEqual({
      note: 3,
      sources: [{ index: 0, pitch: 1, rhythm: 0.5 }],
    });
  });

  it("draws nothing for a note the roll does not have, and drops sources that are not earlier notes", () => {
    expect(decodeListened({ note: 8, sources: [] }, 8)).toBeNull(); // the notes changed meanwhile
    const got = decodeListened(
      {
        note: 3,
        sources: [
          [3, 1, 1],
          [-1, 1, 1],
          [1.5, 1, 1],
          [0, Number.NaN, 1],
          [2, 1, 1],
        ],
      },
      8,
    );
    expect(got?.sources.map((s) => s.index)).toEqual([2]);
  });
});

describe("thickness", () => {
  it("is 1 px and 3 px per bit, at most 10 px", () => {
    expect(arcWidth(1)).toBe(4);
    expect(arcWidth(2)).toBe(7);
    expect(arcWidth(3)).toBe(MAX_ARC_WIDTH);
    expect(arcWidth(30)).toBe(MAX_ARC_WIDTH);
  });

  it("draws nothing below a twentieth of a bit, nor for a negative part", () => {
    expect(arcWidth(LEAST_BITS)).toBeCloseTo(1.15);
    expect(arcWidth(0.049)).toBe(0);
    expect(arcWidth(-1)).toBe(0);
    expect(arcWidth(Number.NaN)).toBe(0);
  });
});

describe("geometry", () => {
  const v = testViewport({ pitchTop: 80 });

  it("joins the middle of each source's top edge to the explained note's, pitch solid and rhythm under it", () => {
    const arcs = listenedArcs(v, notes, heard);
    expect(arcs.map((a) => [a.source, a.kind])).toEqual([
      [0, "pitch"],
      [0, "rhythm"],
      [5, "pitch"],
    ]); // note 5's rhythm part is negative, note 6's parts are under 0.05 bits: not drawn
    const [pitch, rhythm] = arcs as [(typeof arcs)[0], (typeof arcs)[0]];
    expect([pitch.x0, pitch.y0]).toEqual(noteTop(v, notes[0] as Note));
    expect([pitch.x1, pitch.y1]).toEqual([stepToX(v, 30), pitchToY(v, 67) + 1]);
    expect(pitch.width).toBe(4);
    expect(rhythm.width).toBe(2.5);
    expect(rhythm.cy).toBeGreaterThan(pitch.cy); // its peak lies under the pitch arc's
    expect(pitch.cy).toBeLessThan(Math.min(pitch.y0, pitch.y1)); // curves rise over both ends
    expect(pitch.cy).toBeGreaterThanOrEqual(v.ruler + 2); // never over the ruler
  });

  it("follow pan and zoom: the ends stay on their notes", () => {
    for (const moved of [pan(v, 100, 30), zoomX(v, 2, 300)]) {
      const [a] = listenedArcs(moved, notes, heard);
      expect([a?.x0, a?.y0]).toEqual(noteTop(moved, notes[0] as Note));
      expect([a?.x1, a?.y1]).toEqual(noteTop(moved, notes[7] as Note));
    }
  });

  it("marks the sources out of view at the edge they lie beyond, apart from each other", () => {
    expect(edgeMarks(v, notes, heard)).toEqual([]);
    const later = testViewport({ pitchTop: 80, step0: 25 }); // notes 1-6 end by step 24
    const marks = edgeMarks(later, notes, heard);
    expect(marks.map((m) => [m.source, m.side])).toEqual([
      [0, "left"],
      [5, "left"],
    ]);
    expect(marks[0]?.label).toBe("◀ note 1 +1.5");
    expect(marks[0]?.x).toBe(later.keys + 2);
    expect(Math.abs((marks[1]?.y ?? 0) - (marks[0]?.y ?? 0))).toBeGreaterThanOrEqual(13);
    const high = testViewport({ pitchTop: 62 }); // rows up to D4: notes from E4 up are above
    const above = edgeMarks(high, notes, heard);
    expect(above.map((m) => [m.source, m.side])).toEqual([
      [7, "above"],
      [5, "above"],
      [6, "above"],
    ]);
    expect(above[0]?.label).toBe("▲ note 8 (explained)");
    const early = edgeMarks(testViewport({ pitchTop: 80, width: 300 }), notes, heard); // steps 0-21 shown
    expect(early.map((m) => m.label)).toEqual(["▶ note 8 (explained)", "▶ note 7 +0.0"]);
    expect(above[2]?.y).toBe((above[1]?.y ?? 0) + 13); // stacked, not on top of each other
  });
});

describe("style evidence colours", () => {
  it("are grey at 0, purple for the style and orange against it, full at ±2 bits", () => {
    expect(evidenceColour(0, 1)).toBe("rgba(150,150,150,1)");
    expect(evidenceColour(2, 1)).toBe("rgba(150,60,200,1)");
    expect(evidenceColour(9, 1)).toBe("rgba(150,60,200,1)");
    expect(evidenceColour(-2, 0.5)).toBe("rgba(230,140,30,0.5)");
  });
});
