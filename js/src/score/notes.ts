/**
 * The score's notes without the DOM: which melody note an SVG element draws (from its id, see
 * `jupymuse/music/score.py`: `{prefix}n{index}` and `{prefix}n{index}-{part}` for tied parts) and
 * which note sounds at a step (from the note spans Python sends).
 */

const NOTE_ID = /^jm[0-9a-f]+-n(\d+)(?:-\d+)?$/;

/** The melody note index an SVG note id draws, or -1 for any other id (rests, glyphs, stems). */
export function noteIndexOf(id: string): number {
  const m = NOTE_ID.exec(id);
  return m ? Number(m[1]) : -1;
}

/** The elements drawing each note index (a tied note has several). */
export function notesByIndex<E extends { id: string }>(elements: Iterable<E>): Map<number, E[]> {
  const out = new Map<number, E[]>();
  for (const e of elements) {
    const index = noteIndexOf(e.id);
    if (index < 0) continue;
    const list = out.get(index);
    if (list) list.push(e);
    else out.set(index, [e]);
  }
  return out;
}

/**
 * The index of the note sounding at `step`, or -1 (a rest, before or after the melody, stopped).
 * `spans` is flat `[start0, end0, start1, end1, ...]` in melody order (starts ascending: a melody is
 * monophonic), so a binary search finds the last note starting at or before `step`.
 */
export function soundingNote(spans: readonly number[], step: number | null): number {
  if (step === null || !Number.isFinite(step)) return -1;
  let lo = 0;
  let hi = Math.floor(spans.length / 2) - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[2 * mid] as number) <= step) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && step < (spans[2 * found + 1] as number) ? found : -1;
}

/** Move class `cls` from the elements of note `before` to those of note `after` (-1: none). */
export function moveMark<E extends { classList: { add(c: string): void; remove(c: string): void } }>(
  byIndex: ReadonlyMap<number, readonly E[]>,
  cls: string,
  before: number,
  after: number,
): void {
  for (const e of byIndex.get(before) ?? []) e.classList.remove(cls);
  for (const e of byIndex.get(after) ?? []) e.classList.add(cls);
}
