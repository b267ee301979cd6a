/**
 * Playback: one AudioContext per page (made inside the first user gesture), notes scheduled on the
 * audio clock, a playhead read from that clock, loop, and an analyser other code (and tests) can read.
 */
import type { Note } from "../notes";
import { testHooksWanted } from "../testhooks";
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

/** Plays notes on a synth; `position()` is the playhead in steps, read from the audio clock. */
export class Transport {
  private synth: Promise<Synth> | null = null;
  private started = 0;
  private length = 0;
  private timer: number | null = null;
  private opts: PlayOptions | null = null;
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

  async play(notes: readonly Note[], opts: PlayOptions): Promise<Synth> {
    this.stop();
    const synth = await this.getSynth();
    const { ctx } = audioContext();
    synth.setProgram(opts.program);
    this.opts = opts;
    const first = notes.reduce((m, n) => Math.min(m, n.start), Number.POSITIVE_INFINITY);
    const origin = Number.isFinite(first) ? first : 0;
    const end = notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0);
    this.length = Math.max(1, end - origin);
    this.started = ctx.currentTime + 0.05;
    this.playing = true;
    const schedule = (t0: number): void => {
      for (const n of notes) {
        const on = t0 + (n.start - origin) * opts.secondsPerStep;
        synth.noteOn(n.pitch, n.velocity, on);
        synth.noteOff(n.pitch, on + n.duration * opts.secondsPerStep);
      }
    };
    schedule(this.started);
    const lengthSeconds = this.length * opts.secondsPerStep;
    const tick = (): void => {
      if (!this.playing) return;
      if (ctx.currentTime >= this.started + lengthSeconds - 0.1) {
        if (opts.loop && notes.length) {
          this.started += lengthSeconds;
          schedule(this.started);
        } else if (ctx.currentTime >= this.started + lengthSeconds) {
          this.stop();
          opts.onEnd();
          return;
        }
      }
      this.timer = window.setTimeout(tick, 25);
    };
    tick();
    this.origin = origin;
    return synth;
  }

  private origin = 0;

  /** Playhead in steps, or null when stopped. */
  position(): number | null {
    if (!this.playing || !this.opts || !shared) return null;
    const elapsed = Math.max(0, shared.ctx.currentTime - this.started);
    return this.origin + elapsed / this.opts.secondsPerStep;
  }

  stop(): void {
    this.playing = false;
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    this.synth?.then((s) => s.stopAll()).catch(() => undefined);
  }
}
