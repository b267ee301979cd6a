/**
 * The selected span of steps [start, end), which the Studio's Fill, Vary and "New from selection" work
 * on: the selected notes' (first start, last end), or the steps dragged on the ruler (a click there: its
 * bar), snapped to the grid. Shift+click selects every note between the selection and the note clicked.
 * Pure functions, unit-tested in node; the roll reports the span to Python as its `selection` trait.
 */
import type { Note } from "../notes";

/** A span of steps [start, end); [0, 0] is none. */
export type Span = [number, number];

export const NO_SPAN: Span = [0, 0];

/** The span the selected notes cover: [first start, last end) ([0, 0] when none is selected). */
export function spanOfNotes(notes: readonly Note[], selected: ReadonlySet<number>): Span {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const i of selected) {
    const n = notes[i];
    if (!n) continue;
    start = Math.min(start, n.start);
    end = Math.max(end, n.start + n.duration);
  }
  return end > start ? [start, end] : NO_SPAN;
}

/** The notes that start inside [start, end): what a span selects (and what Fill and Vary rewrite). */
export function notesInSpan(notes: readonly Note[], [start, end]: Span): Set<number> {
  const out = new Set<number>();
  notes.forEach((n, i) => {
    if (n.start >= start && n.start < end) out.add(i);
  });
  return out;
}

/**
 * Shift+click on note `index`: every note from the first selected (or `index`) to the last, `index`
 * included (notes are kept in time order, so these are the notes between).
 */
export function extendTo(selected: ReadonlySet<number>, index: number): Set<number> {
  const ends = [...selected, index];
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const out = new Set<number>();
  for (let i = lo; i <= hi; i++) out.add(i);
  return out;
}

/**
 * The span a press on the ruler at step `from`, released at step `to`, selects: a click (not
 * `dragged`) its whole bar; a drag the steps under it, widened to the grid (`grid` steps, at least 1)
 * so a note on the grid is wholly in or out; never before step 0.
 */
export function rulerSpan(
  from: number,
  to: number,
  dragged: boolean,
  grid: number,
  stepsPerBar: number,
): Span {
  if (!dragged) {
    const bar = Math.max(0, Math.floor(from / stepsPerBar)) * stepsPerBar;
    return [bar, bar + stepsPerBar];
  }
  const g = Math.max(1, grid);
  const start = Math.max(0, Math.floor(Math.min(from, to) / g) * g);
  const end = Math.max(start + g, Math.ceil(Math.max(from, to) / g) * g);
  return [start, end];
}

export function spansEqual(a: Span, b: Span): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** A span from Python's `selection` trait as the roll keeps it: two whole steps, start < end, else none. */
export function spanFrom(value: unknown): Span {
  if (!Array.isArray(value) || value.length !== 2) return NO_SPAN;
  const [start, end] = value as unknown[];
  if (!Number.isInteger(start) || !Number.isInteger(end)) return NO_SPAN;
  return (start as number) >= 0 && (start as number) < (end as number)
    ? [start as number, end as number]
    : NO_SPAN;
}
