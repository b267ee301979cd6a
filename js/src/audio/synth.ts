/**
 * Sound for the roll: the SoundFont synth (spessasynth in an AudioWorklet, with the General MIDI
 * SoundFont that pretty_midi installs, sent by the kernel) or, where AudioWorklet is missing
 * (plain-http servers) or the SoundFont cannot be had, a simple oscillator synth that says so.
 */
import { WorkletSynthesizer } from "spessasynth_lib";
import processorSource from "spessasynth_lib/dist/spessasynth_processor.min.js";
import { PROCESSOR_SHIM } from "./shim";

export interface Synth {
  /** "soundfont", or "fallback: <why>". */
  readonly kind: string;
  noteOn(pitch: number, velocity: number, time: number): void;
  noteOff(pitch: number, time: number): void;
  setProgram(program: number): void;
  /** Silence everything now, notes handed over for later included. */
  stopAll(): void;
}

const CHANNEL = 0;
const workletAdded = new WeakMap<BaseAudioContext, Promise<void>>();

function addWorklet(ctx: AudioContext): Promise<void> {
  let done = workletAdded.get(ctx);
  if (!done) {
    // the shim keeps the synth on the context's clock and lets Stop drop queued notes (see shim.ts)
    const url = URL.createObjectURL(new Blob([PROCESSOR_SHIM, processorSource], { type: "text/javascript" }));
    done = ctx.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
    workletAdded.set(ctx, done);
  }
  return done;
}

class SoundFontSynth implements Synth {
  readonly kind = "soundfont";
  constructor(private readonly synth: WorkletSynthesizer) {}
  noteOn(pitch: number, velocity: number, time: number): void {
    this.synth.noteOn(CHANNEL, pitch, velocity, { time });
  }
  noteOff(pitch: number, time: number): void {
    this.synth.noteOff(CHANNEL, pitch, { time });
  }
  setProgram(program: number): void {
    this.synth.programChange(CHANNEL, program);
  }
  stopAll(): void {
    this.synth.stopAll(true);
  }
}

/** A triangle-wave synth with a short envelope: audible, honest, needs nothing. */
export class OscillatorSynth implements Synth {
  private voices = new Map<number, { osc: OscillatorNode; gain: GainNode }[]>();
  constructor(
    private readonly ctx: BaseAudioContext,
    private readonly out: AudioNode,
    readonly kind: string,
  ) {}
  noteOn(pitch: number, velocity: number, time: number): void {
    const osc = this.ctx.createOscillator();
    const gain = this.ctx.createGain();
    osc.type = "triangle";
    osc.frequency.value = 440 * 2 ** ((pitch - 69) / 12);
    const t = Math.max(time, this.ctx.currentTime);
    gain.gain.setValueAtTime(0, t);
    gain.gain.linearRampToValueAtTime((0.25 * velocity) / 127, t + 0.01);
    osc.connect(gain).connect(this.out);
    osc.start(t);
    const list = this.voices.get(pitch) ?? [];
    list.push({ osc, gain });
    this.voices.set(pitch, list);
  }
  noteOff(pitch: number, time: number): void {
    const voice = this.voices.get(pitch)?.shift();
    if (!voice) return;
    const t = Math.max(time, this.ctx.currentTime);
    voice.gain.gain.setTargetAtTime(0, t, 0.03);
    voice.osc.stop(t + 0.3);
  }
  setProgram(): void {}
  stopAll(): void {
    for (const list of this.voices.values()) for (const v of list) v.osc.stop();
    this.voices.clear();
  }
}

/**
 * The best synth this page can run: the SoundFont one when AudioWorklet exists and the SoundFont
 * arrives, else the oscillator one with the reason in its `kind`.
 */
export async function createSynth(
  ctx: AudioContext,
  out: AudioNode,
  soundFont: () => Promise<ArrayBuffer>,
): Promise<Synth> {
  if (!ctx.audioWorklet) {
    return new OscillatorSynth(
      ctx,
      out,
      "fallback: this page is not https or localhost, so AudioWorklet is missing",
    );
  }
  let font: ArrayBuffer;
  try {
    font = await soundFont();
  } catch (err) {
    return new OscillatorSynth(ctx, out, `fallback: ${err instanceof Error ? err.message : String(err)}`);
  }
  await addWorklet(ctx);
  const synth = new WorkletSynthesizer(ctx);
  synth.connect(out);
  await synth.soundBankManager.addSoundBank(font.slice(0), "gm"); // it transfers the buffer: pass a copy
  await synth.isReady;
  return new SoundFontSynth(synth);
}
