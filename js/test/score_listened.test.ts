/** The score's marks of "what the model listened to", without a browser: the value read, which parts are drawn, their thickness and place, the text. */
import { describe, expect, it } from "vitest";
import { LEAST_BITS as ROLL_LEAST_BITS } from "../src/roll/arcs";
import { OUTLINES } from "../src/roll/palette";
import {
  bar,
  explainedText,
  LEAST_BITS,
  PITCH_COLOUR,
  RHYTHM_COLOUR,
  readListened,
  ring,
  sourceText,
  THICKNESS,
  thickness,
} from "../src/score/listened";
import { notesByIndex } from "../src/score/notes";

describe("the synced value", () => {
  it("reads Python's shape: the explained note and each source's index, pitch bits and rhythm bits", () => {
    expect(
      readListened({
        note: 7,
        sources: [
          [3, 1.25, 0.5],
          [6, 0.2, -0.1],
        ],
      }),
    ).toEqual({
      note: 7,
      sources: [
        { index: 3, pitch: 1.25, rhythm: 0.5 },
        { index: 6, pitch: 0.2, rhythm: -0.1 },
      ],
    });
    expect(readListened({ note: 0, sources: [] })).toEqual({ note: 0, sources: [] });
  });

  it("is nothing for {} or a value of another shape, and skips rows it cannot read", () => {
    for (const value of [
      {},
      null,
      undefined,
      3,
      "x",
      { note: 1.5, sources: [] },
      { note: 2 },
      { sources: [] },
    ]) {
      expect(readListened(value)).toBeNull();
    }
    const rows = [
      [1, 0.5],
      [1.5, 1, 1],
      ["2", 1, 1],
      [2, Number.NaN, 1],
      [3, 1, Number.POSITIVE_INFINITY],
      "x",
      [4, 1, 2],
    ];
    expect(readListened({ note: 5, sources: rows })?.sources).toEqual([{ index: 4, pitch: 1, rhythm: 2 }]);
  });
});

describe("a mark's thickness", () => {
  it("grows with the bits from a visible least to a most, and is nothing below the roll's least bits", () => {
    expect(LEAST_BITS).toBe(ROLL_LEAST_BITS);
    expect(thickness(0)).toBe(0);
    expect(thickness(-1)).toBe(0);
    expect(thickness(Number.NaN)).toBe(0);
    expect(thickness(0.049)).toBe(0);
    expect(thickness(0.05)).toBeCloseTo(THICKNESS.least + 0.008);
    expect(thickness(1)).toBeCloseTo(0.28);
    expect(thickness(1)).toBeLessThan(thickness(2));
    expect(thickness(3)).toBeCloseTo(THICKNESS.most);
    expect(thickness(30)).toBe(THICKNESS.most);
  });
});

describe("the marks' places", () => {
  // a notehead in verovio's units: 180 units a staff space
  const head = { x: 1000, y: 1166, width: 200, height: 180 };

  it("ring the head, clear of it by a third of a space whatever the stroke", () => {
    for (const bits of [0.1, 1, 5]) {
      const r = ring(head, 180, bits);
      expect([r.cx, r.cy]).toEqual([1100, 1256]);
      expect(r.width).toBeCloseTo(thickness(bits) * 180);
      expect(r.rx - r.width / 2).toBeCloseTo(100 + 60); // the stroke's inner edge
      expect(r.ry - r.width / 2).toBeCloseTo(90 + 60);
    }
  });

  it("put the rhythm bar under the staff or the note's lowest point, under the head, as thick as its bits", () => {
    const b = bar(head, 1436, 180, 2);
    expect(b.y).toBeCloseTo(1436 + 126);
    expect(b.height).toBeCloseTo(thickness(2) * 180);
    expect(b.x).toBeLessThan(head.x);
    expect(b.x + b.width).toBeGreaterThan(head.x + head.width);
    expect(bar(head, 1900, 180, 2).y).toBeCloseTo(1900 + 126);
  });
});

describe("the marked notes' text", () => {
  it("says each source's bits, counted from 1 as the Studio's text, and which marks it has", () => {
    expect(sourceText({ index: 3, pitch: 1.25, rhythm: 0.5 }, 7)).toBe(
      "Note 4: the model listened to it for note 8, +1.75 bits (pitch +1.25, rhythm +0.50); ringed for pitch, barred for rhythm",
    );
    expect(sourceText({ index: 0, pitch: 0.4, rhythm: -0.1 }, 1)).toBe(
      "Note 1: the model listened to it for note 2, +0.30 bits (pitch +0.40, rhythm -0.10); ringed for pitch",
    );
    expect(sourceText({ index: 2, pitch: 0.03, rhythm: 0.5 }, 9)).toBe(
      "Note 3: the model listened to it for note 10, +0.53 bits (pitch +0.03, rhythm +0.50); barred for rhythm",
    );
    expect(sourceText({ index: 0, pitch: 0, rhythm: -0.2 }, 1)).toBe(
      "Note 1: the model listened to it for note 2, -0.20 bits (pitch +0.00, rhythm -0.20)",
    );
  });

  it("names the explained note and its sources", () => {
    const sources = [
      { index: 3, pitch: 1, rhythm: 0 },
      { index: 0, pitch: 0.5, rhythm: 0.1 },
    ];
    expect(explainedText({ note: 7, sources })).toBe(
      "Note 8: the note explained; the model listened most to notes 4, 1",
    );
    expect(explainedText({ note: 7, sources: sources.slice(0, 1) })).toBe(
      "Note 8: the note explained; the model listened most to note 4",
    );
    expect(explainedText({ note: 0, sources: [] })).toBe(
      "Note 1: the note explained; no earlier note is marked",
    );
  });
});

describe("the marked notes", () => {
  it("are the listened value's indexes, found by the score's note ids (tied parts after the first)", () => {
    const ids = ["jmab-n0", "jmab-r1", "jmab-n1", "jmab-n2", "jmab-n2-1", "jmab-n3"];
    const byIndex = notesByIndex(ids.map((id) => ({ id })));
    const value = readListened({
      note: 3,
      sources: [
        [2, 1, 0.2],
        [0, 0.3, 0],
      ],
    });
    const drawn = value?.sources.map((s) => byIndex.get(s.index)?.[0]?.id);
    expect(drawn).toEqual(["jmab-n2", "jmab-n0"]);
    expect(byIndex.get(value?.note ?? -1)?.map((e) => e.id)).toEqual(["jmab-n3"]);
  });

  it("use the roll's arc colours (its light shades: the paper is white), which stand out on white (3:1 and more)", () => {
    expect([PITCH_COLOUR, RHYTHM_COLOUR]).toEqual([OUTLINES.pitchArc[0], OUTLINES.rhythmArc[0]]);
    const lum = (hex: string): number => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const colour of [PITCH_COLOUR, RHYTHM_COLOUR])
      expect(1.05 / (lum(colour) + 0.05)).toBeGreaterThanOrEqual(3);
    expect(PITCH_COLOUR).not.toBe(RHYTHM_COLOUR);
  });
});
