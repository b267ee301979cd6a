/**
 * The JS half of the boundary contract: every case of tests/contract/boundary.json (limits,
 * message names, synced traits, the note codec, monophony, editing ops, key names) checked against
 * the widget's own code. tests/test_contract.py checks the Python half against the same file.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  FIELDS,
  MAX_ABC_BYTES,
  MAX_MIDI_BYTES,
  MAX_PITCH,
  MAX_STEP,
  MAX_TEMPO,
  MAX_VELOCITY,
  MIN_DURATION,
  MIN_PITCH,
  MIN_TEMPO,
  MIN_VELOCITY,
  ROW_BYTES,
  ROW_FIELDS,
} from "../src/limits";
import { decodeNotes, encodeNotes, type Note } from "../src/notes";
import { FROM_PYTHON, TO_PYTHON, TRAITS } from "../src/protocol";
import { evidenceColour, surpriseColour } from "../src/roll/draw";
import { addNote, deleteNotes, monophonic, moveNotes, resizeNotes } from "../src/roll/editing";
import { scalePitchClasses } from "../src/roll/scale";
import { SCORE_TO_PYTHON, SCORE_TRAITS } from "../src/score/protocol";

/** A note row as the fixture writes it: [pitch, start, duration, velocity]. */
type Row = [number, number, number, number];

type Op =
  | { kind: "add"; note: Row }
  | { kind: "move"; indices: number[]; d_step: number; d_pitch: number }
  | { kind: "resize"; indices: number[]; d_steps: number }
  | { kind: "delete"; indices: number[] };

interface Boundary {
  limits: {
    min_pitch: number;
    max_pitch: number;
    min_velocity: number;
    max_velocity: number;
    min_duration: number;
    max_step: number;
    max_notes: number;
    min_tempo: number;
    max_tempo: number;
    max_midi_bytes: number;
    max_abc_bytes: number;
    row_fields: string[];
    row_bytes: number;
  };
  messages: { to_python: string[]; from_python: string[]; score_to_python: string[] };
  /** Each widget's synced traits (by class name), written from Python by scripts/write_contract.py. */
  traits: Record<string, { name: string; python: string; ts: string }[]>;
  codec: { name: string; notes: Row[]; hex: string }[];
  monophony: { name: string; notes: Row[]; expected: Row[] }[];
  edits: { name: string; before: Row[]; op: Op; raw: Row[]; after: Row[] }[];
  keys: { name: string; pitch_classes: number[] | null }[];
  surprise_colours: { bits: number; rgb: [number, number, number] }[];
  evidence_colours: { bits: number; rgb: [number, number, number] }[];
}

const FIXTURE = new URL("../../tests/contract/boundary.json", import.meta.url);
const boundary = JSON.parse(readFileSync(FIXTURE, "utf8")) as Boundary;

const toNote = ([pitch, start, duration, velocity]: Row): Note => ({ pitch, start, duration, velocity });
const toNotes = (rows: readonly Row[]): Note[] => rows.map(toNote);
const toRows = (notes: readonly Note[]): Row[] =>
  notes.map((n) => [n.pitch, n.start, n.duration, n.velocity]);
/** Rows in a fixed order, to compare lists that may differ only in order. */
const sorted = (rows: readonly Row[]): Row[] => [...rows].sort((a, b) => a.join().localeCompare(b.join()));
const hexOf = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
const bytesOf = (hex: string): ArrayBuffer =>
  new Uint8Array((hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))).buffer;

/** The widget's editing op for a fixture op (the same calls the roll makes). */
function apply(before: Note[], op: Op): Note[] {
  switch (op.kind) {
    case "add":
      return addNote(before, toNote(op.note)).notes;
    case "move":
      return moveNotes(before, new Set(op.indices), op.d_step, op.d_pitch);
    case "resize":
      return resizeNotes(before, new Set(op.indices), op.d_steps, MIN_DURATION);
    case "delete":
      return deleteNotes(before, new Set(op.indices));
  }
}

describe("contract: limits", () => {
  it("match the fixture", () => {
    const l = boundary.limits;
    expect({ MIN_PITCH, MAX_PITCH, MIN_VELOCITY, MAX_VELOCITY, MIN_DURATION, MAX_STEP }).toEqual({
      MIN_PITCH: l.min_pitch,
      MAX_PITCH: l.max_pitch,
      MIN_VELOCITY: l.min_velocity,
      MAX_VELOCITY: l.max_velocity,
      MIN_DURATION: l.min_duration,
      MAX_STEP: l.max_step,
    });
    expect([MIN_TEMPO, MAX_TEMPO]).toEqual([l.min_tempo, l.max_tempo]);
    expect(MAX_MIDI_BYTES).toBe(l.max_midi_bytes);
    expect(MAX_ABC_BYTES).toBe(l.max_abc_bytes);
    expect([...ROW_FIELDS]).toEqual(l.row_fields);
    expect(ROW_BYTES).toBe(l.row_bytes);
    expect(4 * FIELDS).toBe(l.row_bytes);
  });
});

describe("contract: message names", () => {
  it("match the fixture in both directions", () => {
    expect([...TO_PYTHON]).toEqual(boundary.messages.to_python);
    expect([...FROM_PYTHON]).toEqual(boundary.messages.from_python);
    expect([...SCORE_TO_PYTHON]).toEqual(boundary.messages.score_to_python);
  });
});

describe("contract: synced traits", () => {
  /** The trait list of each widget's model, under the Python class's name (as in the fixture). */
  const widgets: Record<string, Readonly<Record<string, string>>> = {
    PianoRoll: TRAITS,
    ScoreView: SCORE_TRAITS,
  };

  it("cover the widgets the fixture lists", () => {
    expect(Object.keys(widgets).sort()).toEqual(Object.keys(boundary.traits).sort());
  });

  it.each(Object.entries(widgets))("%s: names and TypeScript types are the fixture's", (name, traits) => {
    const fixture = boundary.traits[name] ?? [];
    expect(fixture.length).toBeGreaterThan(0);
    expect({ ...traits }).toEqual(Object.fromEntries(fixture.map((t) => [t.name, t.ts])));
  });
});

describe("contract: note codec", () => {
  it.each(boundary.codec.map((c) => [c.name, c] as const))("%s", (_, c) => {
    expect(hexOf(encodeNotes(toNotes(c.notes)))).toBe(c.hex);
    expect(toRows(decodeNotes(bytesOf(c.hex)))).toEqual(c.notes);
  });
});

describe("contract: monophony", () => {
  it.each(boundary.monophony.map((c) => [c.name, c] as const))("%s", (_, c) => {
    expect(toRows(monophonic(toNotes(c.notes)))).toEqual(c.expected);
  });
});

describe("contract: edits", () => {
  it.each(boundary.edits.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const result = apply(toNotes(c.before), c.op);
    expect(sorted(toRows(result))).toEqual(sorted(c.raw)); // the same notes as Python's raw result
    expect(toRows(monophonic(result))).toEqual(c.after);
    expect(toRows(monophonic(toNotes(c.raw)))).toEqual(c.after);
  });
});

describe("contract: key names", () => {
  it.each(boundary.keys.map((c) => [JSON.stringify(c.name), c] as const))("%s", (_, c) => {
    const got = scalePitchClasses(c.name);
    expect(got === null ? null : [...got].sort((a, b) => a - b)).toEqual(c.pitch_classes);
  });
});

describe("contract: surprise colours (the Studio's legend shows the roll's shading)", () => {
  it.each(boundary.surprise_colours.map((c) => [c.bits, c] as const))("%s bits", (_, c) => {
    const [r, g, b] = c.rgb;
    expect(surpriseColour(c.bits, 1)).toBe(`rgba(${r},${g},${b},1)`);
  });
});

describe("contract: style evidence colours (the Studio's legend and the saved picture show the roll's)", () => {
  it.each(boundary.evidence_colours.map((c) => [c.bits, c] as const))("%s bits", (_, c) => {
    const [r, g, b] = c.rgb;
    expect(evidenceColour(c.bits, 1)).toBe(`rgba(${r},${g},${b},1)`);
  });
});

describe("contract: fixture", () => {
  it("has cases in every section", () => {
    const sections = ["codec", "monophony", "edits", "keys", "surprise_colours", "evidence_colours"] as const;
    for (const section of sections) {
      expect(boundary[section].length, section).toBeGreaterThan(0);
    }
  });
});
