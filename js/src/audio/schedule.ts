/**
 * Timing of playback, as pure functions (unit-tested without a browser): which notes to hand the
 * synth next (a short look-ahead window, so Stop is immediate and a long melody never floods the
 * audio thread), where the playhead is at a given audio time, and which audio time is being heard.
 */
import type { Note } from "../notes";

/** One run of Play: the notes' step origin, its audio start time, its length and whether it loops. */
export interface Timing {
  /** The step that sounds at `started` (the first note's start). */
  origin: number;
  /** Audio-clock time (AudioContext seconds) at which `origin` sounds. */
  started: number;
  secondsPerStep: number;
  /** Steps from `origin` to the end of the last note (at least 1). */
  length: number;
  loop: boolean;
}

/** The next note to schedule: its index in the (start-sorted) notes and the pass of the loop. */
export interface Cursor {
  index: number;
  pass: number;
}

/** A note on the audio clock. */
export interface Timed {
  note: Note;
  on: number;
  off: number;
}

/** The timing of `notes` played from their first note at audio time `started`. */
export function timingOf(
  notes: readonly Note[],
  started: number,
  secondsPerStep: number,
  loop: boolean,
): Timing {
  let first = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const n of notes) {
    first = Math.min(first, n.start);
    end = Math.max(end, n.start + n.duration);
  }
  const origin = Number.isFinite(first) ? first : 0;
  return { origin, started, secondsPerStep, length: Math.max(1, end - origin), loop };
}

/**
 * The notes (sorted by start) whose onset falls before `until`, from `cursor` on; moves the cursor
 * past them (into the next pass of the loop when looping).
 */
export function dueNotes(notes: readonly Note[], t: Timing, cursor: Cursor, until: number): Timed[] {
  const out: Timed[] = [];
  const passSeconds = t.length * t.secondsPerStep;
  for (;;) {
    const note = notes[cursor.index];
    if (!note) {
      if (!t.loop || notes.length === 0) break;
      cursor.index = 0;
      cursor.pass += 1;
      continue;
    }
    const on = t.started + cursor.pass * passSeconds + (note.start - t.origin) * t.secondsPerStep;
    if (on >= until) break;
    out.push({ note, on, off: on + note.duration * t.secondsPerStep });
    cursor.index += 1;
  }
  return out;
}

/** The playhead in steps at audio time `time` (the origin before the start; null once a non-looping run ended). */
export function playheadAt(t: Timing, time: number): number | null {
  const elapsed = Math.max(0, time - t.started) / t.secondsPerStep;
  if (t.loop) return t.origin + (elapsed % t.length);
  return elapsed > t.length ? null : t.origin + elapsed;
}

/** The parts of an AudioContext `heardTime` reads (so it can be unit-tested with plain numbers). */
export interface OutputClock {
  readonly currentTime: number;
  readonly baseLatency?: number;
  readonly outputLatency?: number;
  getOutputTimestamp?: () => AudioTimestamp;
}

/**
 * The audio-clock time of what leaves the speakers at performance time `now`: the output
 * timestamp's context time moved on to `now`, never past what has been rendered; where the browser
 * gives no timestamp, the rendered time less the reported latencies.
 */
export function heardTime(ctx: OutputClock, now: number): number {
  const stamp = ctx.getOutputTimestamp?.();
  if (stamp?.contextTime !== undefined && stamp.performanceTime) {
    return Math.min(ctx.currentTime, stamp.contextTime + (now - stamp.performanceTime) / 1000);
  }
  return ctx.currentTime - (ctx.baseLatency ?? 0) - (ctx.outputLatency ?? 0);
}
