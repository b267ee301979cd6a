/**
 * The toolbar above the roll and what it reaches: play, loop, follow the playhead, tempo, snap, the note length a
 * click draws, instrument, velocity, scale, fit and help; MIDI and ABC files (open, drop, download), MusicXML
 * download (all written and read by the kernel, named after the melody's title); and recording from a MIDI keyboard.
 * Settings are traits: the toolbar writes them, Python keeps them, `showSettings` shows them back.
 */
import type { AnyModel } from "@anywidget/types";
import { MidiRecorder } from "./audio/record";
import { MAX_ABC_BYTES, MAX_MIDI_BYTES, MAX_TEMPO, MAX_VELOCITY, MIN_TEMPO, MIN_VELOCITY } from "./limits";
import { type Disposer, disposeAll, listen, onModel } from "./listen";
import { copyBuffer, send } from "./messages";
import type { Playback } from "./playback";
import type { Model } from "./protocol";
import type { RollController } from "./roll/controller";
import { endOf, setVelocity } from "./roll/editing";
import { snapNearest } from "./roll/geometry";
import { lengthLabel } from "./roll/length";
import { showStatus, type Ui } from "./ui";

/** The traits' values in the toolbar's controls (after Python changed them, and at the start). */
export function showSettings(ui: Ui, model: AnyModel<Model>): void {
  ui.tempo.value = String(Math.round(model.get("tempo")));
  ui.snap.value = String(model.get("snap"));
  ui.program.value = String(model.get("program"));
  ui.loop.checked = model.get("loop");
  ui.follow.checked = model.get("follow");
  ui.scale.checked = model.get("show_scale");
  ui.velocity.value = String(model.get("velocity"));
  showLength(ui.length, model.get("note_length"));
}

/**
 * Show `sixteenths` in the note-length choice: one of its lengths, or (a length drawn by dragging,
 * say a 5/16) an extra option named after it, which goes again when another length is shown.
 */
export function showLength(select: HTMLSelectElement, sixteenths: number): void {
  const value = String(sixteenths);
  for (const option of [...select.options]) if (option.dataset.drawn !== undefined) option.remove();
  if (![...select.options].some((option) => option.value === value)) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = lengthLabel(sixteenths);
    option.dataset.drawn = "";
    select.insertBefore(option, [...select.options].find((o) => Number(o.value) > sixteenths) ?? null);
  }
  select.value = value;
}

/** Hand the browser a file to save (the MIDI file Python exported). */
export function downloadFile(name: string, bytes: DataView, type = "audio/midi"): void {
  const url = URL.createObjectURL(new Blob([copyBuffer(bytes)], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The MIME type of a downloaded MusicXML file (uncompressed .musicxml). */
export const MUSICXML_TYPE = "application/vnd.recordare.musicxml+xml";
/** The MIME type of a downloaded ABC tune (plain text, as abcnotation.com serves it). */
export const ABC_TYPE = "text/vnd.abc";
/** How long the page waits for the kernel to answer a download before saying that none answered. */
export const KERNEL_WAIT_MS = 5000;
export const NO_KERNEL =
  "No kernel answered: Python writes the file, so run the notebook first (or call melody.to_musicxml(path) or melody.to_abc()).";

/** Whether `name` is an ABC file (opened as text) rather than a MIDI file. */
export function isAbc(name: string): boolean {
  return name.toLowerCase().endsWith(".abc");
}

/** Why file `name` of `size` bytes is too large to open (an ABC or a MIDI file has its own limit); "" if it is not. */
export function tooLarge(name: string, size: number): string {
  const [kind, limit] = isAbc(name) ? ["ABC", MAX_ABC_BYTES] : ["MIDI", MAX_MIDI_BYTES];
  if (size <= limit) return "";
  const mib = (n: number): string => (n / 2 ** 20).toFixed(n % 2 ** 20 ? 1 : 0);
  return `${name} is ${mib(size)} MiB; the roll opens ${kind} files up to ${mib(limit)} MiB.`;
}

/** A file asked of the kernel: `onSilence` runs when no answer comes in time (no kernel, e.g. a saved page). */
export class KernelRequests {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onSilence: () => void,
    private readonly waitMs = KERNEL_WAIT_MS,
  ) {}

  /** Send with `send`; a send that fails at once (no comm) is silence too. */
  ask(send: () => void): void {
    this.arrived();
    try {
      send();
    } catch {
      this.onSilence();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onSilence();
    }, this.waitMs);
  }

  /** The kernel answered (the file, or an error saying why not). */
  arrived(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  get waiting(): boolean {
    return this.timer !== null;
  }
}

/** Write trait `name` and send it to Python. */
function setTrait<K extends keyof Model>(model: AnyModel<Model>, name: K, value: Model[K]): void {
  model.set(name, value);
  model.save_changes();
}

/**
 * The controls that are traits (scale, loop, follow, snap, note length, instrument, tempo, velocity):
 * each change written to its trait, a tempo or velocity out of range refused in the status line; a new
 * velocity also applies to the selected notes (one Undo step).
 */
function attachSettings(model: AnyModel<Model>, ui: Ui, roll: RollController): Disposer {
  const onTempo = (): void => {
    const t = Number(ui.tempo.value);
    if (Number.isFinite(t) && t >= MIN_TEMPO && t <= MAX_TEMPO) setTrait(model, "tempo", t);
    else
      showStatus(ui, `Tempo must be between ${MIN_TEMPO} and ${MAX_TEMPO} quarter notes per minute.`, true);
  };
  const onVelocity = (): void => {
    const v = Number(ui.velocity.value);
    if (!Number.isInteger(v) || v < MIN_VELOCITY || v > MAX_VELOCITY) {
      ui.velocity.value = String(model.get("velocity"));
      showStatus(ui, `Velocity must be a whole number from ${MIN_VELOCITY} to ${MAX_VELOCITY}.`, true);
      return;
    }
    setTrait(model, "velocity", v);
    if (roll.selected.size) roll.commit(setVelocity(roll.notes, roll.selected, v), "velocity");
  };
  return disposeAll([
    listen(ui.scale, "change", () => setTrait(model, "show_scale", ui.scale.checked)),
    listen(ui.loop, "change", () => setTrait(model, "loop", ui.loop.checked)),
    listen(ui.follow, "change", () => setTrait(model, "follow", ui.follow.checked)),
    onModel(model, "change:follow", () => {
      ui.follow.checked = model.get("follow");
    }),
    listen(ui.snap, "change", () => setTrait(model, "snap", Number(ui.snap.value))),
    listen(ui.length, "change", () => setTrait(model, "note_length", Number(ui.length.value))),
    onModel(model, "change:note_length", () => showLength(ui.length, model.get("note_length"))),
    listen(ui.program, "change", () => setTrait(model, "program", Number(ui.program.value))),
    listen(ui.tempo, "change", onTempo),
    listen(ui.velocity, "change", onVelocity),
  ]);
}

/**
 * MIDI, MusicXML and ABC files: download (written by the kernel; a MusicXML or ABC request with no
 * answer is reported by `downloads`), Open… and a file dropped on the roll, MIDI or ABC by its name
 * (too large a file refused here, the notes before it kept for Undo; the kernel reads it).
 */
function attachFiles(
  model: AnyModel<Model>,
  ui: Ui,
  roll: RollController,
  downloads: KernelRequests,
): Disposer {
  const importFile = async (file: File): Promise<void> => {
    const refused = tooLarge(file.name, file.size);
    if (refused) {
      showStatus(ui, refused, true);
      model.set("error", refused); // a Studio shows the roll's refusals in its own status line
      model.save_changes();
      return;
    }
    roll.history.push(roll.notes);
    const type = isAbc(file.name) ? "import-abc" : "import-midi";
    send(model, { type, name: file.name }, [await file.arrayBuffer()]);
  };
  const onFile = (): void => {
    const f = ui.file.files?.[0];
    if (f) void importFile(f);
    ui.file.value = "";
  };
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    const f = e.dataTransfer?.files?.[0];
    if (f) void importFile(f);
  };
  return disposeAll([
    listen(ui.download, "click", () => send(model, { type: "export-midi" })),
    listen(ui.musicxml, "click", () => downloads.ask(() => send(model, { type: "export-musicxml" }))),
    listen(ui.abc, "click", () => downloads.ask(() => send(model, { type: "export-abc" }))),
    () => downloads.arrived(),
    listen(ui.open, "click", () => ui.file.click()),
    listen(ui.file, "change", onFile),
    listen(ui.root, "dragover", (e) => e.preventDefault()),
    listen(ui.root, "drop", onDrop),
  ]);
}

/**
 * Recording from a MIDI keyboard (the button hidden where Web MIDI is missing): Rec starts, each key
 * heard as played; Stop rec appends the take after the melody's end as one edit.
 */
function attachRecording(model: AnyModel<Model>, ui: Ui, roll: RollController, playback: Playback): Disposer {
  const recorder = new MidiRecorder();
  ui.record.hidden = !MidiRecorder.available();
  const onRecord = async (): Promise<void> => {
    if (recorder.recording) {
      const offset = endOf(roll.notes);
      const take = recorder.stop().map((n) => ({ ...n, start: n.start + offset }));
      ui.record.textContent = "● Rec";
      if (take.length) roll.commit([...roll.notes, ...take], "record");
      return;
    }
    try {
      const stepAt = (ms: number): number =>
        snapNearest((ms / 1000) * (model.get("tempo") / 60) * roll.stepsPerQuarter(), roll.snap());
      if ((await recorder.start(stepAt, (pitch, velocity) => playback.preview(pitch, velocity))) === 0) {
        showStatus(ui, "No MIDI keyboard is connected.", true);
      } else {
        ui.record.textContent = "■ Stop rec";
        showStatus(ui, "Recording from the MIDI keyboard: play, then press Stop rec.");
      }
    } catch (err) {
      showStatus(ui, `MIDI input is not available here (${String(err)}).`, true);
    }
  };
  return disposeAll([listen(ui.record, "click", () => void onRecord()), () => recorder.dispose()]);
}

/** Wire the toolbar, file open/drop and MIDI recording; the disposer removes all of it. */
export function attachToolbar(
  model: AnyModel<Model>,
  ui: Ui,
  roll: RollController,
  playback: Playback,
  downloads: KernelRequests,
): Disposer {
  return disposeAll([
    listen(ui.play, "click", () => playback.toggle()),
    attachSettings(model, ui, roll),
    listen(ui.fit, "click", () => {
      roll.fit();
      roll.schedule();
    }),
    listen(ui.help, "click", () => {
      ui.popover.hidden = !ui.popover.hidden;
    }),
    attachFiles(model, ui, roll, downloads),
    attachRecording(model, ui, roll, playback),
  ]);
}
