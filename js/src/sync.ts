/**
 * The roll and Python kept in step. Python owns the melody: edits go out as `set-notes` (Python
 * validates them and writes the synced `notes` back), and trait changes and custom messages
 * coming in are applied to the roll, the toolbar, the status line and playback.
 */
import type { AnyModel } from "@anywidget/types";
import { type Disposer, disposeAll, onModel } from "./listen";
import { send, soundFontArrived } from "./messages";
import { decodeNotes, decodeShading, encodeNotes, type Note } from "./notes";
import type { Playback } from "./playback";
import type { FromPython, Model } from "./protocol";
import type { RollController, SendNotes } from "./roll/controller";
import { ABC_TYPE, downloadFile, type KernelRequests, MUSICXML_TYPE, showSettings } from "./toolbar";
import { showStatus, type Ui } from "./ui";

/** Traits that only change how the roll looks or sounds (all repaint). */
const SETTINGS = [
  "accent_from",
  "accent_to",
  "tempo",
  "snap",
  "program",
  "loop",
  "show_scale",
  "velocity",
  "key",
  "height",
  "time_signature",
  "shading_scale",
] as const;

/** Sends the roll's edits to Python: the note rows and why ("draw", "undo", ...). */
export function notesSender(model: AnyModel<Model>): SendNotes {
  return (notes: readonly Note[], reason: string) =>
    send(model, { type: "set-notes", reason }, [encodeNotes(notes)]);
}

/** Apply what Python sends from now on (and show the current settings and error); the disposer stops it. */
export function syncFromPython(
  model: AnyModel<Model>,
  ui: Ui,
  roll: RollController,
  playback: Playback,
  downloads: KernelRequests,
): Disposer {
  const onNotes = (): void => roll.notesFromPython(decodeNotes(model.get("notes")));
  const onShading = (): void => roll.setShading(decodeShading(model.get("shading")));
  const onListened = (): void => roll.setListened(model.get("listened"));
  const onError = (): void => {
    const error = model.get("error");
    if (error) {
      downloads.arrived(); // a refused export answers too
      showStatus(ui, error, true);
    } else if (ui.status.classList.contains("jm-error")) showStatus(ui, "");
  };
  const onStatusShown = (): void => {
    ui.status.hidden = !model.get("show_status"); // a Studio shows one status line for everything
  };
  const onSettings = (): void => {
    showSettings(ui, model);
    roll.schedule();
  };
  const onMessage = (msg: FromPython, buffers: DataView[]): void => {
    if (msg.type === "soundfont" && buffers[0]) soundFontArrived(buffers[0]);
    else if (msg.type === "soundfont-missing") soundFontArrived(null, msg.reason);
    else if (msg.type === "midi-file" && buffers[0]) downloadFile(msg.name, buffers[0]);
    else if (msg.type === "musicxml-file" && buffers[0]) {
      downloads.arrived();
      downloadFile(msg.name, buffers[0], MUSICXML_TYPE);
    } else if (msg.type === "abc-file" && buffers[0]) {
      downloads.arrived();
      downloadFile(msg.name, buffers[0], ABC_TYPE);
    } else if (msg.type === "play") void playback.start();
    else if (msg.type === "stop") playback.stop();
  };
  const dispose = disposeAll([
    onModel(model, "change:notes", onNotes),
    onModel(model, "change:shading", onShading),
    onModel(model, "change:listened", onListened),
    onModel(model, "change:error", onError),
    onModel(model, "change:show_status", onStatusShown),
    onModel(model, "change:selected", () => roll.selectFromPython(model.get("selected"))),
    onModel(model, "change:selection", () => roll.selectSpanFromPython(model.get("selection"))),
    ...SETTINGS.map((name) => onModel(model, `change:${name}`, onSettings)),
    onModel(model, "msg:custom", onMessage),
  ]);
  onSettings();
  roll.selectSpanFromPython(model.get("selection"));
  onListened();
  onError();
  onStatusShown();
  return dispose;
}
