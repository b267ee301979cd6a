/**
 * Pitch classes of a key name ("G major", "E minor" as harmonic minor, "D dorian"), as Python's `Key.parse`
 * reads it ("-" is a flat, as in music21: "E-- major" is D major).
 */
const LETTERS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const SCALES = new Map<string, readonly number[]>([
  ["major", [0, 2, 4, 5, 7, 9, 11]],
  ["minor", [0, 2, 3, 5, 7, 8, 11]], // harmonic minor: what jupymuse means by a minor key
  ["dorian", [0, 2, 3, 5, 7, 9, 10]],
  ["phrygian", [0, 1, 3, 5, 7, 8, 10]],
  ["lydian", [0, 2, 4, 6, 7, 9, 11]],
  ["mixolydian", [0, 2, 4, 5, 7, 9, 10]],
  ["aeolian", [0, 2, 3, 5, 7, 8, 10]],
  ["locrian", [0, 1, 3, 5, 6, 8, 10]],
]);

export function scalePitchClasses(key: string): Set<number> | null {
  const parts = key.replaceAll("-", "b").trim().split(/\s+/);
  if (parts.length !== 2) return null;
  const [tonic = "", mode = ""] = parts;
  const base = LETTERS[tonic.charAt(0).toUpperCase()];
  const accidentals = tonic.slice(1);
  if (base === undefined || !/^[#b]*$/.test(accidentals)) return null;
  const steps = SCALES.get(mode.toLowerCase());
  if (!steps) return null;
  const pc = base + (accidentals.match(/#/g)?.length ?? 0) - (accidentals.match(/b/g)?.length ?? 0);
  return new Set(steps.map((s) => (((pc + s) % 12) + 12) % 12));
}
