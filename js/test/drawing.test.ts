/**
 * Drawing like Song Maker (issue 20, points 3 and 9): the note length a click draws (roll/length.ts),
 * the outlines chosen per theme (roll/colour.ts, roll/palette.ts) and the gap that keeps repeated
 * notes of one pitch apart (roll/draw.ts `noteBox`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contrast, over, parseColour, type Rgba } from "../src/roll/colour";
import { noteBox } from "../src/roll/draw";
import {
  draggedLength,
  lengthLabel,
  lengthToSteps,
  MAX_NOTE_LENGTH,
  NOTE_LENGTHS,
  stepsToLength,
} from "../src/roll/length";
import { OUTLINES, readPalette } from "../src/roll/palette";
import { testViewport } from "./viewport";

const boundary = JSON.parse(
  readFileSync(new URL("../../tests/contract/boundary.json", import.meta.url), "utf-8"),
) as { limits: { max_note_length: number } };

describe("note length", () => {
  it("offers the usual lengths, a quarter note among them, in sixteenths", () => {
    expect(NOTE_LENGTHS.map(([, v]) => v)).toEqual([1, 2, 3, 4, 6, 8, 12, 16]);
    expect(NOTE_LENGTHS.find(([, v]) => v === 4)?.[0]).toBe("1/4");
    expect(MAX_NOTE_LENGTH).toBe(boundary.limits.max_note_length);
  });

  it("converts sixteenths to steps of any grid, never below one step", () => {
    expect(lengthToSteps(4, 4)).toBe(4); // a quarter on the sixteenth grid
    expect(lengthToSteps(4, 12)).toBe(12); // on a triplet grid
    expect(lengthToSteps(1, 1)).toBe(1); // a sixteenth on a quarter grid is still a note
    expect(lengthToSteps(16, 960)).toBe(3840);
    expect(lengthToSteps(Number.NaN, 4)).toBe(4);
  });

  it("remembers a drawn length in sixteenths, within Python's limit", () => {
    expect(stepsToLength(6, 4)).toBe(6);
    expect(stepsToLength(4, 12)).toBeCloseTo(4 / 3);
    expect(stepsToLength(1000, 4)).toBe(MAX_NOTE_LENGTH);
    expect(stepsToLength(0, 4)).toBe(1);
    expect(lengthToSteps(stepsToLength(5, 4), 4)).toBe(5);
  });

  it("names lengths as musicians do", () => {
    expect(lengthLabel(4)).toBe("1/4");
    expect(lengthLabel(6)).toBe("dotted 1/4");
    expect(lengthLabel(5)).toBe("5/16");
    expect(lengthLabel(10)).toBe("5/8");
    expect(lengthLabel(32)).toBe("2 whole");
    expect(lengthLabel(4 / 3)).toBe("1/12");
  });

  it("follows a drag to the nearest grid line, at least one grid step long", () => {
    expect(draggedLength(8, 13.6, 1, 1)).toBe(6); // to step 14
    expect(draggedLength(8, 14.5, 4, 4)).toBe(8); // quarter grid: to step 16
    expect(draggedLength(8, 9.2, 4, 4)).toBe(4); // back near the start: one grid step
    expect(draggedLength(8, 2, 1, 1)).toBe(1); // left of the start
    expect(draggedLength(8, 10.4, 0, 1)).toBe(2); // free: whole steps
  });
});

describe("colours", () => {
  it("reads the forms a theme and the canvas write", () => {
    expect(parseColour("#fff")).toEqual([255, 255, 255, 1]);
    expect(parseColour(" #212121 ")).toEqual([33, 33, 33, 1]);
    expect(parseColour("#00000080")?.[3]).toBeCloseTo(0.5, 2);
    expect(parseColour("rgba(255, 255, 255, 0.87)")).toEqual([255, 255, 255, 0.87]);
    expect(parseColour("rgb(10 20 30 / 50%)")).toEqual([10, 20, 30, 0.5]);
    expect(parseColour("white")).toEqual([255, 255, 255, 1]);
    expect(parseColour("var(--x)")).toBeNull();
    expect(parseColour("rgb(1, 2)")).toBeNull();
  });

  it("measures WCAG contrast, compositing translucent colours", () => {
    expect(contrast([0, 0, 0, 1], [255, 255, 255, 1])).toBeCloseTo(21, 5);
    expect(contrast([255, 255, 255, 1], [255, 255, 255, 1])).toBeCloseTo(1, 5);
    expect(over([0, 0, 0, 0.5], [255, 255, 255, 1])).toEqual([127.5, 127.5, 127.5, 1]);
  });
});

describe("note outlines stand out from the roll in any theme", () => {
  const themes: [string, string][] = [
    ["JupyterLab Light", "#ffffff"],
    ["JupyterLab Dark", "#111111"],
    ["Dark grey", "#212121"],
    ["mid grey", "#777777"],
    ["white by name", "white"],
  ];
  for (const [name, background] of themes) {
    it(`generated and selected outlines, and the pitch and rhythm arcs, >= 3:1 on ${name}`, () => {
      const p = readPalette((v) => (v === "--jp-layout-color1" ? background : ""));
      const bg = parseColour(background) as Rgba;
      expect(contrast(parseColour(p.accentOutline) as Rgba, bg)).toBeGreaterThanOrEqual(3);
      expect(contrast(parseColour(p.selectionOutline) as Rgba, bg)).toBeGreaterThanOrEqual(3);
      expect(contrast(parseColour(p.pitchArc) as Rgba, bg)).toBeGreaterThanOrEqual(3);
      expect(contrast(parseColour(p.rhythmArc) as Rgba, bg)).toBeGreaterThanOrEqual(3);
    });
  }

  it("the old orange on white was below 3:1 (issue 20): the light theme's outline is darker", () => {
    const white: Rgba = [255, 255, 255, 1];
    const oldFill = over([214, 120, 30, 0.45 + (0.55 * 100) / 127], white);
    expect(contrast(oldFill, white)).toBeLessThan(3);
    expect(readPalette(() => "").accentOutline).toBe(OUTLINES.accentOutline[0]);
    expect(readPalette((v) => (v === "--jp-layout-color1" ? "#111111" : "")).accentOutline).toBe(
      OUTLINES.accentOutline[1],
    );
  });

  it("a background it cannot read gets the light theme's outlines", () => {
    const p = readPalette(
      (v) => (v === "--jp-layout-color1" ? "color-mix(in srgb, red, blue)" : ""),
      (css) => css,
    );
    expect(p.accentOutline).toBe(OUTLINES.accentOutline[0]);
  });
});

describe("repeated notes of one pitch", () => {
  const view = testViewport();
  const note = (start: number, duration: number) => ({ pitch: 60, start, duration, velocity: 100 });

  it("leave a gap of background between them", () => {
    const a = noteBox(view, note(0, 4)) as NonNullable<ReturnType<typeof noteBox>>;
    const b = noteBox(view, note(4, 4)) as NonNullable<ReturnType<typeof noteBox>>;
    expect(a.x).toBe(44);
    expect(b.x).toBe(44 + 48);
    expect(b.x - (a.x + a.w)).toBe(2);
    expect(a.y).toBe(b.y);
  });

  it("keep a one-pixel gap when narrow, and whole pixels at any scroll", () => {
    const narrow = { ...view, pxPerStep: 1.3, step0: 0.37 };
    const a = noteBox(narrow, note(0, 4)) as NonNullable<ReturnType<typeof noteBox>>;
    const b = noteBox(narrow, note(4, 4)) as NonNullable<ReturnType<typeof noteBox>>;
    expect(b.x - (a.x + a.w)).toBe(1);
    for (const v of [a.x, a.w, a.y, a.h]) expect(Number.isInteger(v)).toBe(true);
  });

  it("a note left of the keyboard is not painted", () => {
    expect(noteBox({ ...view, step0: 10 }, note(0, 4))).toBeNull();
  });
});
