/**
 * Playback for one roll, wrapping the page's audio transport: start and stop (Play button, Space,
 * Python's play()/stop()), previews of single pitches, and the synth in use reported to Python and
 * shown in the status line. The transport itself (audio/transport.ts) knows nothing of the widget.
 */
import type { AnyModel } from "@anywidget/types";
import { level, type Transport } from "./audio/transport";
import { send } from "./messages";
import type { Model } from "./protocol";
import type { RollController } from "./roll/controller";
import { showStatus, type Ui } from "./ui";

export class Playback {
  constructor(
    private readonly model: AnyModel<Model>,
    private readonly ui: Ui,
    private readonly transport: Transport,
    private readonly roll: RollController,
  ) {}

  get playing(): boolean {
    return this.transport.playing;
  }

  /** Play the roll's notes from the start (with the toolbar's tempo, loop and instrument). */
  async start(): Promise<void> {
    const { model, ui, roll } = this;
    try {
      const synth = await this.transport.play(roll.notes, {
        secondsPerStep: 60 / (model.get("tempo") * roll.stepsPerQuarter()),
        loop: model.get("loop"),
        program: model.get("program"),
        onEnd: () => {
          ui.play.textContent = "▶ Play";
          roll.schedule();
        },
      });
      ui.play.textContent = "■ Stop";
      showStatus(ui, synth.kind === "soundfont" ? "" : `Sound: ${synth.kind}`, synth.kind !== "soundfont");
      send(model, { type: "audio-status", status: synth.kind });
      roll.schedule();
    } catch (err) {
      showStatus(ui, `Audio could not start: ${err instanceof Error ? err.message : String(err)}`, true);
      send(model, { type: "audio-status", status: `failed: ${String(err)}` });
    }
  }

  stop(): void {
    this.transport.stop();
    this.ui.play.textContent = "▶ Play";
    this.roll.schedule();
  }

  /** Play if stopped, stop if playing. */
  toggle(): void {
    if (this.transport.playing) this.stop();
    else void this.start();
  }

  /** A short note now: drawing a note, clicking a key, a key on the MIDI keyboard. */
  preview(pitch: number, velocity = this.model.get("velocity")): void {
    this.transport.preview(pitch, velocity, this.model.get("program")).catch((err: unknown) => {
      showStatus(this.ui, `Audio could not start: ${String(err)}`, true);
    });
  }

  /** The playhead in steps (at the audio being heard), or null when stopped. */
  position(): number | null {
    return this.transport.position();
  }

  /** Peak level of the page's audio output right now (0: silence). */
  level(): number {
    return level();
  }

  /** Silence this roll (the widget is going away). */
  dispose(): void {
    this.transport.stop();
  }
}
