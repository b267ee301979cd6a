/**
 * "What the model listened to": the synced `listened` value the roll (roll/arcs.ts) and the score
 * (score/listened.ts) both draw, read once here. Python checks every value it sends
 * (jupymuse/widget/listened.py); this reading only guards against a page a step behind.
 */

/** The synced value: `{}` or `{note, sources: [[index, pitch bits, rhythm bits], ...]}`. */
export interface ListenedState {
  note?: number;
  sources?: [number, number, number][];
}

/** One earlier note and the bits it gave the explained note's pitch and rhythm. */
export interface Source {
  index: number;
  pitch: number;
  rhythm: number;
}

/** The explained note and its sources, in the order Python chose (relied on together, then largest). */
export interface Listened {
  note: number;
  sources: Source[];
}

/** Smallest part drawn or marked, in bits (Python's `listened_top.LEAST_BITS`). */
export const LEAST_BITS = 0.05;

/**
 * The value as a drawing reads it, for a melody of `count` notes (no bound when omitted); null for
 * nothing, or a value that is not one. A source that is not an earlier note, or not finite, is skipped.
 */
export function decodeListened(value: unknown, count = Number.POSITIVE_INFINITY): Listened | null {
  if (typeof value !== "object" || value === null) return null;
  const { note, sources } = value as { note?: unknown; sources?: unknown };
  if (typeof note !== "number" || !Number.isInteger(note) || note < 0 || note >= count) return null;
  if (!Array.isArray(sources)) return null;
  const out: Source[] = [];
  for (const row of sources) {
    if (!Array.isArray(row) || row.length !== 3) continue;
    const [index, pitch, rhythm] = row as unknown[];
    const ok = [index, pitch, rhythm].every((x) => typeof x === "number" && Number.isFinite(x));
    if (ok && Number.isInteger(index) && (index as number) >= 0 && (index as number) < note) {
      out.push({ index: index as number, pitch: pitch as number, rhythm: rhythm as number });
    }
  }
  return { note, sources: out };
}
