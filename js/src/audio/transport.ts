/**
 * Playback: one AudioContext per page (made inside the first user gesture), notes scheduled on the
 * audio clock a short window ahead, a playhead at the audio being heard (the output timestamp, not
 * the rendered time), loop, and an analyser other code (and tests) can read.
 */
import type { Note } from "../notes";
import { testHooksWanted } from "../testhooks";
import { dueNotes, heardTime, playheadAt, type Timing, timingOf } from "./schedule";
import { createSynth, type Synth } from "./synth";

let shared: { ctx: AudioContext; analyser: AnalyserNode } | null = null;

/** The page's audio context and its analyser (created on first use; call from a user gesture). */
export function audioContext(): { ctx: AudioContext; analyser: AnalyserNode } {
  if (!shared) {
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    analyser.connect(ctx.destination);
    shared = { ctx, analyser };
    if (testHooksWanted()) (globalThis as { __jupymuseAudio?: unknown }).__jupymuseAudio = shared; // for tests
  }
  return shared;
}

/** Peak absolute sample value the analyser sees right now (0 = silence). */
export function level(): number {
  if (!shared) return 0;
  const data = new Float32Array(shared.analyser.fftSize);
  shared.analyser.getFloatTimeDomainData(data);
  let peak = 0;
  for (const v of data) peak = Math.max(peak, Math.abs(v));
  return peak;
}

export interface PlayOptions {
  secondsPerStep: number;
  loop: boolean;
  program: number;
  onEnd: () => void;
}

/** Seconds from Play to the first note: time for the notes to reach the audio thread before they are due. */
export const START_LEAD = 0.05;
/**
 * Seconds of notes handed to the synth ahead of the clock (the scheduler wakes every TICK_MS): enough
 * to ride out a busy page, few enough that the worklet's queue (re-sorted on every event) stays short.
 */
const LOOKAHEAD = 0.5;
const TICK_MS = 25;

/** The audio-clock time being heard now (what the playhead shows). */
export function heardNow(): number {
  return shared ? heardTime(shared.ctx, performance.now()) : 0;
}

/** Plays notes on a synth; `position()` is the playhead in steps, at the audio being heard. */
export class Transport {
  private synth: Promise<Synth> | null = null;
  private timer: number | null = null;
  private timing: Timing | null = null;
  playing = false;

  constructor(private readonly soundFont: () => Promise<ArrayBuffer>) {}

  /** The synth (created on first call, inside a user gesture). */
  getSynth(): Promise<Synth> {
    if (!this.synth) {
      const { ctx, analyser } = audioContext();
      this.synth = ctx.resume().then(() => createSynth(ctx, analyser, this.soundFont));
      this.synth.catch(() => {
        this.synth = null;
      });
    }
    return this.synth;
  }

  /** A short note now (drawing a note, clicking a key). */
  async preview(pitch: number, velocity: number, program: number): Promise<void> {
    const synth = await this.getSynth();
    const { ctx } = audioContext();
    synth.setProgram(program);
    synth.noteOn(pitch, velocity, ctx.currentTime);
    synth.noteOff(pitch, ctx.currentTime + 0.35);
  }

  /**
   * Play `notes` from the first one, START_LEAD from now. Notes go to the synth a look-ahead window
   * at a time, timed on the audio clock (the synth's clock is the context's, see shim.ts).
   */
  async play(notes: readonly Note[], opts: PlayOptions): Promise<Synth> {
    this.stop();
    const synth = await this.getSynth();
    const { ctx } = audioContext();
    synth.setProgram(opts.program);
    const sorted = [...notes].sort((a, b) => a.start - b.start);
    const timing = timingOf(sorted, ctx.currentTime + START_LEAD, opts.secondsPerStep, opts.loop);
    const cursor = { index: 0, pass: 0 };
    const end = timing.started + timing.length * timing.secondsPerStep;
    this.timing = timing;
    this.playing = true;
    const tick = (): void => {
      if (!this.playing || this.timing !== timing) return;
      for (const { note, on, off } of dueNotes(sorted, timing, cursor, ctx.currentTime + LOOKAHEAD)) {
        synth.noteOn(note.pitch, note.velocity, on);
        synth.noteOff(note.pitch, off);
      }
      if (!timing.loop && heardNow() >= end) {
        this.stop();
        opts.onEnd();
        return;
      }
      this.timer = window.setTimeout(tick, TICK_MS);
    };
    tick();
    return synth;
  }

  /** Playhead in steps (the audio being heard now), or null when stopped. */
  position(): number | null {
    if (!this.playing || !this.timing) return null;
    return playheadAt(this.timing, heardNow()) ?? this.timing.origin + this.timing.length;
  }

  stop(): void {
    this.playing = false;
    this.timing = null;
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    this.synth?.then((s) => s.stopAll()).catch(() => undefined);
  }
}
