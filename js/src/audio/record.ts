/** Recording from a MIDI keyboard through Web MIDI, where the browser offers it. */
import type { Note } from "../notes";

export class MidiRecorder {
  private access: MIDIAccess | null = null;
  private take: { t0: number; held: Map<number, { start: number; velocity: number }>; notes: Note[] } | null =
    null;

  /** Whether this browser has Web MIDI at all. */
  static available(): boolean {
    return typeof navigator.requestMIDIAccess === "function";
  }

  get recording(): boolean {
    return this.take !== null;
  }

  /**
   * Start listening to every MIDI input; returns how many there are (0: nothing recorded).
   * `stepAt(ms)` turns milliseconds since the start into a (snapped) step; `onNote` hears each key.
   */
  async start(
    stepAt: (ms: number) => number,
    onNote: (pitch: number, velocity: number) => void,
  ): Promise<number> {
    this.access ??= await navigator.requestMIDIAccess();
    const take = {
      t0: performance.now(),
      held: new Map<number, { start: number; velocity: number }>(),
      notes: [] as Note[],
    };
    const onMessage = (ev: MIDIMessageEvent): void => {
      if (this.take !== take || !ev.data) return;
      const [status = 0, pitch = 0, velocity = 0] = ev.data;
      const kind = status & 0xf0;
      const step = stepAt(performance.now() - take.t0);
      if (kind === 0x90 && velocity > 0) {
        take.held.set(pitch, { start: step, velocity });
        onNote(pitch, velocity);
      } else if (kind === 0x80 || (kind === 0x90 && velocity === 0)) {
        const on = take.held.get(pitch);
        take.held.delete(pitch);
        if (on)
          take.notes.push({
            pitch,
            start: on.start,
            duration: Math.max(1, step - on.start),
            velocity: on.velocity,
          });
      }
    };
    for (const input of this.access.inputs.values()) input.onmidimessage = onMessage;
    if (this.access.inputs.size > 0) this.take = take;
    return this.access.inputs.size;
  }

  /** Stop; the notes played, with steps counted from the start of the take. */
  stop(): Note[] {
    const notes = this.take?.notes ?? [];
    this.take = null;
    return notes;
  }

  dispose(): void {
    this.take = null;
    this.access?.inputs.forEach((input) => {
      input.onmidimessage = null;
    });
  }
}
