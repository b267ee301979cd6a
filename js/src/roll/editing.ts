/**
 * Editing commands on a list of notes: pure functions returning new lists, unit-tested in node.
 * The roll applies them locally while the mouse moves and sends the result to Python, which
 * validates it and applies the monophony rule (mirrored here by `monophonic` for the preview).
 */
import { MAX_PITCH, MAX_STEP, MAX_VELOCITY, MIN_DURATION, MIN_PITCH, MIN_VELOCITY } from "../limits";
import type { Note } from "../notes";
import { stepToX, type Viewport, xToStep, yToPitch } from "./geometry";

export interface Hit {
  index: number;
  /** "end": the grab zone at the right edge (resize); "body": anywhere else (move). */
  part: "body" | "end";
}

const byStart = (a: Note, b: Note): number => a.start - b.start || b.pitch - a.pitch;

/** The note under (x, y), preferring the resize zone within `edge` pixels of a note's end. */
export function hitTest(v: Viewport, notes: readonly Note[], x: number, y: number, edge = 6): Hit | null {
  const pitch = yToPitch(v, y);
  const step = xToStep(v, x);
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i] as Note;
    if (n.pitch !== pitch) continue;
    const x1 = stepToX(v, n.start + n.duration);
    if (step >= n.start && step < n.start + n.duration) {
      return { index: i, part: x1 - x <= Math.min(edge, (x1 - stepToX(v, n.start)) / 3) ? "end" : "body" };
    }
  }
  return null;
}

/** The same rule as Python's `Melody`: on one start the highest note stays; overlaps are cut. */
export function monophonic(notes: readonly Note[]): Note[] {
  const sorted = [...notes].sort(byStart);
  const out: Note[] = [];
  for (const n of sorted) {
    const prev = out[out.length - 1];
    if (prev) {
      if (n.start === prev.start) continue;
      if (n.start < prev.start + prev.duration)
        out[out.length - 1] = { ...prev, duration: n.start - prev.start };
    }
    out.push({ ...n });
  }
  return out;
}

function clampVelocity(velocity: number): number {
  return Math.min(MAX_VELOCITY, Math.max(MIN_VELOCITY, Math.round(velocity)));
}

export function clampNote(n: Note): Note {
  return {
    pitch: Math.min(MAX_PITCH, Math.max(MIN_PITCH, Math.round(n.pitch))),
    start: Math.min(MAX_STEP, Math.max(0, Math.round(n.start))),
    duration: Math.min(MAX_STEP, Math.max(MIN_DURATION, Math.round(n.duration))),
    velocity: clampVelocity(n.velocity),
  };
}

/** `notes` plus a new note; returns the new list and the new note's index in it. */
export function addNote(notes: readonly Note[], note: Note): { notes: Note[]; index: number } {
  const added = clampNote(note);
  const out = [...notes, added].sort(byStart);
  return { notes: out, index: out.indexOf(added) };
}

/** Move the selected notes by whole steps and semitones (kept inside the MIDI range and step >= 0). */
export function moveNotes(
  notes: readonly Note[],
  selected: ReadonlySet<number>,
  dStep: number,
  dPitch: number,
): Note[] {
  let ds = Math.round(dStep);
  let dp = Math.round(dPitch);
  for (const i of selected) {
    const n = notes[i];
    if (!n) continue;
    ds = Math.max(ds, -n.start);
    dp = Math.min(Math.max(dp, MIN_PITCH - n.pitch), MAX_PITCH - n.pitch);
  }
  return notes.map((n, i) => (selected.has(i) ? { ...n, start: n.start + ds, pitch: n.pitch + dp } : n));
}

/** Lengthen or shorten the selected notes by `dSteps` (never below `minimum` steps). */
export function resizeNotes(
  notes: readonly Note[],
  selected: ReadonlySet<number>,
  dSteps: number,
  minimum = MIN_DURATION,
): Note[] {
  return notes.map((n, i) =>
    selected.has(i) ? { ...n, duration: Math.max(minimum, Math.round(n.duration + dSteps)) } : n,
  );
}

export function deleteNotes(notes: readonly Note[], selected: ReadonlySet<number>): Note[] {
  return notes.filter((_, i) => !selected.has(i));
}

/** Set the velocity of the selected notes. */
export function setVelocity(notes: readonly Note[], selected: ReadonlySet<number>, velocity: number): Note[] {
  const v = clampVelocity(velocity);
  return notes.map((n, i) => (selected.has(i) ? { ...n, velocity: v } : n));
}

/** Indices of the notes that touch the box [step0, step1) x [pitchLo, pitchHi] (rubber band). */
export function selectInBox(
  notes: readonly Note[],
  step0: number,
  step1: number,
  pitchLo: number,
  pitchHi: number,
): Set<number> {
  const [s0, s1] = step0 <= step1 ? [step0, step1] : [step1, step0];
  const [p0, p1] = pitchLo <= pitchHi ? [pitchLo, pitchHi] : [pitchHi, pitchLo];
  const out = new Set<number>();
  notes.forEach((n, i) => {
    if (n.pitch >= p0 && n.pitch <= p1 && n.start < s1 && n.start + n.duration > s0) out.add(i);
  });
  return out;
}

/** The selected notes, moved so the first starts at step 0 (a clipboard). */
export function copyNotes(notes: readonly Note[], selected: ReadonlySet<number>): Note[] {
  const chosen = notes.filter((_, i) => selected.has(i));
  const first = chosen.reduce((m, n) => Math.min(m, n.start), Number.POSITIVE_INFINITY);
  return chosen.map((n) => ({ ...n, start: n.start - first }));
}

/** `notes` with `clip` pasted at step `at`; the pasted notes replace what they overlap. */
export function pasteNotes(
  notes: readonly Note[],
  clip: readonly Note[],
  at: number,
): { notes: Note[]; pasted: Set<number> } {
  const placed = clip.map((n) => clampNote({ ...n, start: n.start + at }));
  if (placed.length === 0) return { notes: [...notes], pasted: new Set() };
  const lo = Math.min(...placed.map((n) => n.start));
  const hi = Math.max(...placed.map((n) => n.start + n.duration));
  const kept = notes.filter((n) => n.start + n.duration <= lo || n.start >= hi);
  const out = [...kept, ...placed].sort(byStart);
  return { notes: out, pasted: new Set(placed.map((n) => out.indexOf(n))) };
}

/** The end of the last note (0 for none). */
export function endOf(notes: readonly Note[]): number {
  return notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0);
}

export function notesEqual(a: readonly Note[], b: readonly Note[]): boolean {
  return (
    a.length === b.length &&
    a.every((n, i) => {
      const m = b[i] as Note;
      return (
        n.pitch === m.pitch && n.start === m.start && n.duration === m.duration && n.velocity === m.velocity
      );
    })
  );
}

/** The notes of `after` that `before` does not hold (same pitch, start and duration): what an update added. */
export function newNotes(before: readonly Note[], after: readonly Note[]): Note[] {
  const key = (n: Note): string => `${n.pitch}:${n.start}:${n.duration}`;
  const old = new Set(before.map(key));
  return after.filter((n) => !old.has(key(n)));
}
