/**
 * Mouse input on the roll's canvas: draw a note by dragging on empty space, move or resize notes
 * (the selection moves together), rubber-band select, middle-drag pan, double-click delete, wheel
 * scroll and zoom, and a click on the keyboard to hear a pitch. Drags change the roll's notes
 * locally while the mouse moves; only the release commits (one edit, one message to Python).
 */
import type { AnyModel } from "@anywidget/types";
import { MIN_DURATION } from "../limits";
import { type Disposer, disposeAll, listen } from "../listen";
import type { Playback } from "../playback";
import type { Model } from "../protocol";
import type { RollController } from "../roll/controller";
import { addNote, hitTest, moveNotes, notesEqual, resizeNotes, selectInBox } from "../roll/editing";
import { pan, snapDown, snapNearest, xToStep, yToPitch, zoomX, zoomY } from "../roll/geometry";
import type { Ui } from "../ui";

/** Wire the mouse to `roll`; the disposer removes every listener. */
export function attachMouse(
  model: AnyModel<Model>,
  ui: Ui,
  roll: RollController,
  playback: Playback,
): Disposer {
  const point = (e: MouseEvent): { x: number; y: number } => {
    const r = ui.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onDown = (e: MouseEvent): void => {
    ui.root.focus({ preventScroll: true }); // scrolling now would move the note away from the mouse
    ui.popover.hidden = true;
    const { x, y } = point(e);
    const { view, notes, selected } = roll;
    if (y < view.ruler) return;
    if (e.button === 1) {
      roll.drag = { kind: "pan", x, y };
      return;
    }
    if (x < view.keys) {
      playback.preview(yToPitch(view, y));
      return;
    }
    const hit = hitTest(view, notes, x, y);
    if (hit) {
      if (!selected.has(hit.index))
        roll.selected = e.shiftKey ? new Set([...selected, hit.index]) : new Set([hit.index]);
      roll.drag =
        hit.part === "end"
          ? { kind: "resize", x, before: notes, base: notes }
          : { kind: "move", x, y, before: notes, base: notes };
      roll.schedule();
      return;
    }
    if (e.shiftKey) {
      roll.drag = { kind: "band", x0: x, y0: y, x1: x, y1: y };
      return;
    }
    const pitch = yToPitch(view, y);
    const start = snapDown(xToStep(view, x), roll.snap());
    const added = addNote(notes, {
      pitch,
      start,
      duration: roll.gridStep(),
      velocity: model.get("velocity"),
    });
    roll.drag = { kind: "draw", index: added.index, start, before: notes };
    roll.notes = added.notes;
    roll.selected = new Set([added.index]);
    playback.preview(pitch);
    roll.schedule();
  };

  const onMove = (e: MouseEvent): void => {
    const drag = roll.drag;
    if (!drag) return;
    const { x, y } = point(e);
    const { view } = roll;
    if (drag.kind === "draw") {
      const { index, start } = drag;
      const end = Math.max(start + 1, snapNearest(xToStep(view, x), roll.snap()) || start + 1);
      roll.notes = roll.notes.map((m, i) => (i === index ? { ...m, duration: end - start } : m));
    } else if (drag.kind === "move") {
      const dStep = snapNearest((x - drag.x) / view.pxPerStep, roll.snap());
      const dPitch = yToPitch(view, y) - yToPitch(view, drag.y);
      roll.notes = moveNotes(drag.base, roll.selected, dStep, dPitch);
    } else if (drag.kind === "resize") {
      const dSteps = snapNearest((x - drag.x) / view.pxPerStep, roll.snap());
      roll.notes = resizeNotes(drag.base, roll.selected, dSteps, MIN_DURATION);
    } else if (drag.kind === "band") {
      roll.drag = { ...drag, x1: x, y1: y };
      roll.selected = selectInBox(
        roll.notes,
        xToStep(view, drag.x0),
        xToStep(view, x),
        yToPitch(view, drag.y0),
        yToPitch(view, y),
      );
    } else if (drag.kind === "pan") {
      roll.viewByUser(pan(view, drag.x - x, y - drag.y));
      roll.drag = { ...drag, x, y };
    }
    roll.schedule();
  };

  const onUp = (): void => {
    const d = roll.drag;
    roll.drag = null;
    if (!d) return;
    if (d.kind === "draw") roll.commit(roll.notes, "draw", d.before);
    else if ((d.kind === "move" || d.kind === "resize") && !notesEqual(roll.notes, d.before)) {
      roll.commit(roll.notes, d.kind, d.before);
    }
    roll.schedule();
  };

  const onDouble = (e: MouseEvent): void => {
    const { x, y } = point(e);
    const hit = hitTest(roll.view, roll.notes, x, y);
    if (hit) roll.deleteNotes(new Set([hit.index]));
  };

  const onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const { x, y } = point(e);
    const { view } = roll;
    if (e.ctrlKey || e.metaKey) {
      const factor = Math.exp(-e.deltaY * 0.002);
      roll.viewByUser(e.altKey ? zoomY(view, factor, y) : zoomX(view, factor, x));
    } else if (e.shiftKey) roll.viewByUser(pan(view, e.deltaY || e.deltaX, 0));
    else roll.viewByUser(pan(view, e.deltaX, -e.deltaY));
  };

  return disposeAll([
    listen(ui.canvas, "mousedown", onDown),
    listen(window, "mousemove", onMove),
    listen(window, "mouseup", onUp),
    listen(ui.canvas, "dblclick", onDouble),
    listen(ui.canvas, "wheel", onWheel, { passive: false }),
    listen(ui.canvas, "contextmenu", (e) => e.preventDefault()),
  ]);
}
