/**
 * What the score marks for "which earlier notes did the model listen to", without the DOM: the synced
 * `listened` value (Python's `jupymuse/widget/listened.py`, the same value the roll draws as arcs) read
 * defensively, each source's marks (a ring round its head for the bits it gave the explained note's
 * pitch, a bar under the staff for the bits it gave its rhythm), their thickness and place in the
 * score's own units, and the text a screen reader says for each marked note.
 *
 * The rules are the roll's arcs' (roll/arcs.ts, the saved picture's widget/picture_arcs.py): the same
 * notes, pitch in dark teal and rhythm in brown (the roll's colours on a light background: the score's
 * paper is white in every theme), a part of less than `LEAST_BITS` (or negative) drawn as nothing but
 * named in the note's text, and thickness growing with the bits up to 3 bits.
 */
import { decodeListened, LEAST_BITS, type Listened, type Source } from "../listened";

export { LEAST_BITS, type Listened, type Source };

/** The ring's colour (pitch) and the bar's (rhythm), the roll's arcs': on the score's white paper, 6.6:1 and 5.8:1. */
export const PITCH_COLOUR = "#00695c";
export const RHYTHM_COLOUR = "#8d5a00";

/** A mark's thickness in staff spaces: `least + perBit * bits`, at most `most` (reached at 3 bits). */
export const THICKNESS = { least: 0.12, perBit: 0.16, most: 0.6 } as const;

/** The synced value as marks, or null for none (the shared reading: ../listened.ts). */
export function readListened(value: unknown): Listened | null {
  return decodeListened(value);
}

/** A part's mark thickness in staff spaces for `bits`; 0 (no mark) below `LEAST_BITS`. */
export function thickness(bits: number): number {
  if (!(bits >= LEAST_BITS)) return 0;
  return Math.min(THICKNESS.most, THICKNESS.least + THICKNESS.perBit * bits);
}

/** A box in the score's units (y down), as `getBBox` gives it. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The pitch ring round a notehead `head`: an ellipse a third of a space clear of it. */
export function ring(
  head: Box,
  space: number,
  bits: number,
): { cx: number; cy: number; rx: number; ry: number; width: number } {
  const width = thickness(bits) * space;
  const clear = space / 3 + width / 2;
  return {
    cx: head.x + head.width / 2,
    cy: head.y + head.height / 2,
    rx: head.width / 2 + clear,
    ry: head.height / 2 + clear,
    width,
  };
}

/**
 * The rhythm bar under a note: as wide as its head (and a little more), below the staff's lowest line
 * or the note's own lowest point (a stem down, ledger lines), whichever is lower.
 */
export function bar(head: Box, below: number, space: number, bits: number): Box {
  const height = thickness(bits) * space;
  const margin = space / 4;
  return { x: head.x - margin, y: below + space * 0.7, width: head.width + 2 * margin, height };
}

/** A signed figure as the text writes it: "+1.25", "-0.30". */
function signed(bits: number): string {
  return `${bits >= 0 ? "+" : "-"}${Math.abs(bits).toFixed(2)}`;
}

/** What a screen reader says for source `s` of explained note `note` (numbers counted from 1, as the Studio's text). */
export function sourceText(s: Source, note: number): string {
  const drawn = [
    thickness(s.pitch) ? "ringed for pitch" : "",
    thickness(s.rhythm) ? "barred for rhythm" : "",
  ];
  return (
    `Note ${s.index + 1}: the model listened to it for note ${note + 1}, ${signed(s.pitch + s.rhythm)} bits ` +
    `(pitch ${signed(s.pitch)}, rhythm ${signed(s.rhythm)})${drawn.some(Boolean) ? `; ${drawn.filter(Boolean).join(", ")}` : ""}`
  );
}

/** What a screen reader says for the explained note. */
export function explainedText(listened: Listened): string {
  const head = `Note ${listened.note + 1}: the note explained`;
  if (!listened.sources.length) return `${head}; no earlier note is marked`;
  const named = listened.sources.map((s) => s.index + 1).join(", ");
  return `${head}; the model listened most to note${listened.sources.length > 1 ? "s" : ""} ${named}`;
}
