/**
 * Keyboard shortcuts while the roll has focus (the list the "?" popover shows, ui.ts SHORTCUTS):
 * delete, undo/redo, select all/none, copy/paste, arrows, fit, zoom, play. Handled keys stop here
 * so Jupyter's own shortcuts stay out.
 */
import { type Disposer, listen } from "../listen";
import type { Playback } from "../playback";
import type { RollController } from "../roll/controller";
import type { Ui } from "../ui";

/** Arrow key -> (steps, semitones) the selection moves, given one grid step and the pitch step. */
const ARROWS = new Map<string, (step: number, pitch: number) => [number, number]>([
  ["arrowup", (_, pitch) => [0, pitch]],
  ["arrowdown", (_, pitch) => [0, -pitch]],
  ["arrowleft", (step) => [-step, 0]],
  ["arrowright", (step) => [step, 0]],
]);

/** Run the shortcut for `e`; false when it is not one of the roll's. */
function handle(e: KeyboardEvent, ui: Ui, roll: RollController, playback: Playback): boolean {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  const arrow = ARROWS.get(key);
  if ((key === "delete" || key === "backspace") && roll.selected.size) roll.deleteNotes();
  else if (mod && key === "z" && !e.shiftKey) roll.undo();
  else if (mod && (key === "y" || (key === "z" && e.shiftKey))) roll.redo();
  else if (mod && key === "a") {
    roll.span = null;
    roll.selected = new Set(roll.notes.map((_, i) => i));
  } else if (mod && key === "c") roll.copy();
  else if (mod && key === "v" && roll.clipboard.length) roll.paste();
  else if (key === "escape") {
    roll.selected = new Set();
    roll.span = null;
    ui.popover.hidden = true;
  } else if (arrow && roll.selected.size) roll.nudge(...arrow(roll.gridStep(), e.shiftKey ? 12 : 1));
  else if (key === "f" && !mod) roll.fit();
  else if (key === " ") playback.toggle();
  else if (key === "?") ui.popover.hidden = !ui.popover.hidden;
  else if ((key === "+" || key === "=") && !mod) roll.zoomTime(1.25);
  else if (key === "-" && !mod) roll.zoomTime(0.8);
  else return false;
  return true;
}

/** Wire the keyboard to `roll`; the disposer removes the listener. */
export function attachKeys(ui: Ui, roll: RollController, playback: Playback): Disposer {
  return listen(ui.root, "keydown", (e) => {
    if (!handle(e, ui, roll, playback)) return;
    e.preventDefault();
    e.stopPropagation(); // keep Jupyter's own shortcuts out while the roll has focus
    roll.schedule();
  });
}
