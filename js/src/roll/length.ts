/**
 * The note length a click draws (the toolbar's "note" choice, the `note_length` trait): kept in
 * sixteenth notes like `snap`, so it means the same music whatever the roll's grid. A click on empty
 * space draws one note of this length; a drag draws the length dragged and makes that the new choice
 * (as does resizing a note), so the next click repeats what was just drawn. Pure functions.
 */
import { snapNearest } from "./geometry";

/** The lengths the toolbar offers, in sixteenth notes (Python's default, 4, is a quarter note). */
export const NOTE_LENGTHS: readonly [string, number][] = [
  ["1/16", 1],
  ["1/8", 2],
  ["dotted 1/8", 3],
  ["1/4", 4],
  ["dotted 1/4", 6],
  ["1/2", 8],
  ["dotted 1/2", 12],
  ["whole", 16],
];

/** The longest length a click draws (four whole notes; Python's `note_length` limit). */
export const MAX_NOTE_LENGTH = 64;

/** The length a click draws, in steps of a grid with `stepsPerQuarter` steps per quarter note (at least one). */
export function lengthToSteps(sixteenths: number, stepsPerQuarter: number): number {
  const steps = Math.round((sixteenths * stepsPerQuarter) / 4);
  return Number.isFinite(steps) ? Math.max(1, steps) : Math.max(1, stepsPerQuarter);
}

/** A drawn or resized note's `steps` as a length to remember, in sixteenths (kept within 0-64, never 0). */
export function stepsToLength(steps: number, stepsPerQuarter: number): number {
  const sixteenths = (Math.max(1, steps) * 4) / stepsPerQuarter;
  return Math.min(MAX_NOTE_LENGTH, sixteenths);
}

/** The length as a musician names it: "1/4", "dotted 1/8", or a fraction of a whole note ("5/16", "1/12"). */
export function lengthLabel(sixteenths: number): string {
  const named = NOTE_LENGTHS.find(([, value]) => Math.abs(value - sixteenths) < 1e-9);
  if (named) return named[0];
  const whole = sixteenths / 16;
  for (let den = 1; den <= 960; den++) {
    const num = Math.round(whole * den);
    if (num > 0 && Math.abs(num / den - whole) < 1e-9) return den === 1 ? `${num} whole` : `${num}/${den}`;
  }
  return `${Math.round(sixteenths * 100) / 100}/16`;
}

/**
 * The length of a note drawn from `start` while the pointer is at `step`: to the nearest grid line
 * (`snap` steps; 0: whole steps), and never shorter than `minimum` steps (one grid step), even when
 * the pointer has gone back past the note's start.
 */
export function draggedLength(start: number, step: number, snap: number, minimum: number): number {
  return Math.max(minimum, Math.round(snapNearest(step, snap) - start));
}
