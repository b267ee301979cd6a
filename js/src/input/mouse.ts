/**
 * Pointer input on the roll's canvas, one code path for a mouse, a finger and a pen (Pointer Events,
 * with the pointer captured from press to release and `touch-action: none` on the canvas so a finger
 * draws instead of scrolling the page): a click or tap on empty space draws a note of the current
 * note length (roll/length.ts), a drag there draws the length dragged (and makes it the current one);
 * drag a note to move it (the selection moves together) or its right edge to resize it; Shift+drag
 * selects with a rubber band, Shift+click on a note selects every note from the selection to it, Ctrl
 * (Cmd)+click adds a note to the selection or takes it out, a click on the ruler selects its bar and a
 * drag there the steps under it (the span Fill and Vary work on, roll/span.ts), middle-drag pans, double-click (double-tap) deletes, the wheel scrolls
 * and zooms, and a press on the keyboard plays its pitch. A press that moves less than the tap slop
 * (larger for a finger) is a click: it never nudges a note. Drags change the roll's notes locally
 * while the pointer moves; only the release commits (one edit, one message to Python); a cancelled
 * pointer (the browser took the gesture) puts the notes back as they were.
 */
import type { AnyModel } from "@anywidget/types";
import { MIN_DURATION } from "../limits";
import { type Disposer, disposeAll, listen } from "../listen";
import type { Playback } from "../playback";
import type { Model } from "../protocol";
import { type Drag, type RollController, rulerSelection } from "../roll/controller";
import { addNote, hitTest, moveNotes, notesEqual, resizeNotes, selectInBox } from "../roll/editing";
import { pan, snapDown, snapNearest, xToStep, yToPitch, zoomX, zoomY } from "../roll/geometry";
import { draggedLength } from "../roll/length";
import { extendTo } from "../roll/span";
import type { Ui } from "../ui";

/** How far (px) a press may wander and still be a click or tap: a finger is less exact than a mouse. */
const SLOP: Readonly<Record<string, number>> = { mouse: 3, pen: 4, touch: 8 };
/** Width (px) of the grab zone at a note's right edge that resizes it, per pointer type. */
const EDGE: Readonly<Record<string, number>> = { mouse: 6, pen: 8, touch: 14 };

/** The pointer that owns the press in progress: other pointers (a second finger) wait until it lifts. */
interface Owner {
  id: number;
  slop: number;
  x: number;
  y: number;
  /** Moved past the slop since the press: from then on the drag follows the pointer. */
  moved: boolean;
}

/** Where event `e` happened, in pixels from the canvas's top left corner. */
function canvasPoint(canvas: HTMLCanvasElement, e: MouseEvent): { x: number; y: number } {
  const r = canvas.getBoundingClientRect();
  return { x: e.clientX - r.left, y: e.clientY - r.top };
}

/** Send the rest of pointer `id`'s events to the canvas, wherever it goes (the window listeners are the fallback). */
function capture(canvas: HTMLCanvasElement, id: number): void {
  try {
    canvas.setPointerCapture(id);
  } catch {
    // a pointer the browser no longer knows: the window still hears its move and release
  }
}

/**
 * A press at (x, y) on the note area starts a drag: a pan (middle button), a move or resize (on a
 * note; an unselected note becomes the selection, or joins it with Shift), a rubber band (Shift on
 * empty space) or a new note of the current length, heard as it is drawn.
 */
function startDrag(
  model: AnyModel<Model>,
  roll: RollController,
  playback: Playback,
  e: PointerEvent,
  x: number,
  y: number,
): void {
  const { view, notes, selected } = roll;
  if (e.button === 1) {
    roll.drag = { kind: "pan", x, y };
    return;
  }
  const hit = hitTest(view, notes, x, y, EDGE[e.pointerType] ?? EDGE.mouse);
  roll.span = null; // a press on the notes chooses notes: the span is theirs again
  if (hit) {
    roll.selected = pickNote(selected, hit.index, e);
    roll.drag =
      hit.part === "end"
        ? { kind: "resize", index: hit.index, x, before: notes, base: notes }
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
  const added = addNote(notes, { pitch, start, duration: roll.noteSteps(), velocity: model.get("velocity") });
  roll.drag = { kind: "draw", index: added.index, start, x, dragged: false, before: notes };
  roll.notes = added.notes;
  roll.selected = new Set([added.index]);
  playback.preview(pitch);
  roll.schedule();
}

/**
 * The selection after a press on note `index`: Shift selects every note from the selection to it, Ctrl
 * (Cmd) adds it or takes it out; a plain press selects it alone unless it is selected (then the
 * selection stays, to be dragged together).
 */
export function pickNote(selected: ReadonlySet<number>, index: number, e: MouseEvent): Set<number> {
  if (e.shiftKey && selected.size) return extendTo(selected, index);
  if (e.ctrlKey || e.metaKey) {
    const out = new Set(selected);
    if (!out.delete(index)) out.add(index);
    return out;
  }
  return selected.has(index) ? new Set(selected) : new Set([index]);
}

/** The pointer of `drag` is at (x, y): the drawn note's length, the moved or resized notes, the band or the view follow it. */
function followDrag(roll: RollController, drag: Drag, x: number, y: number): void {
  const { view } = roll;
  if (drag.kind === "draw") {
    const { index, start } = drag;
    const duration = draggedLength(start, xToStep(view, x), roll.snap(), roll.gridStep());
    roll.drag = { ...drag, dragged: true };
    roll.notes = roll.notes.map((m, i) => (i === index ? { ...m, duration } : m));
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
  } else if (drag.kind === "span") {
    roll.drag = { ...drag, to: xToStep(view, x), dragged: true };
  } else if (drag.kind === "pan") {
    roll.viewByUser(pan(view, drag.x - x, y - drag.y));
    roll.drag = { ...drag, x, y };
  }
}

/**
 * Drag `d` ended: released, its edit is committed (one Undo step, one message to Python; a drawn or
 * resized length becomes the next click's); `cancelled` (the browser took the gesture), the notes go back.
 */
function finishDrag(roll: RollController, d: Drag, cancelled: boolean): void {
  if (d.kind === "span") {
    if (!cancelled) roll.selectSpan(rulerSelection(roll, d));
  } else if (cancelled) {
    if (d.kind === "draw" || d.kind === "move" || d.kind === "resize") roll.notes = d.before;
  } else if (d.kind === "draw") {
    const drawn = roll.notes[d.index];
    if (d.dragged && drawn) roll.rememberLength(drawn.duration); // before the monophony rule cuts it
    roll.commit(roll.notes, "draw", d.before);
  } else if ((d.kind === "move" || d.kind === "resize") && !notesEqual(roll.notes, d.before)) {
    const resized = d.kind === "resize" ? roll.notes[d.index] : undefined;
    if (resized) roll.rememberLength(resized.duration);
    roll.commit(roll.notes, d.kind, d.before);
  }
}

/** The wheel at (x, y): Ctrl/Cmd zooms time (with Alt, pitches) about the pointer, Shift scrolls time, else both ways. */
function wheelView(roll: RollController, e: WheelEvent, x: number, y: number): void {
  const { view } = roll;
  if (e.ctrlKey || e.metaKey) {
    const factor = Math.exp(-e.deltaY * 0.002);
    roll.viewByUser(e.altKey ? zoomY(view, factor, y) : zoomX(view, factor, x));
  } else if (e.shiftKey) roll.viewByUser(pan(view, e.deltaY || e.deltaX, 0));
  else roll.viewByUser(pan(view, e.deltaX, -e.deltaY));
}

/** Wire the pointer (mouse, touch, pen) to `roll`; the disposer removes every listener. */
export function attachMouse(
  model: AnyModel<Model>,
  ui: Ui,
  roll: RollController,
  playback: Playback,
): Disposer {
  let owner: Owner | null = null;
  const point = (e: MouseEvent): { x: number; y: number } => canvasPoint(ui.canvas, e);

  /** A press: on the keyboard it plays the pitch; on the note area its pointer becomes the owner and starts a drag. */
  const onDown = (e: PointerEvent): void => {
    if (owner !== null && owner.id === e.pointerId) end(e, false); // its release never came (focus left the page)
    if (owner !== null || !e.isPrimary || (e.button !== 0 && e.button !== 1)) return;
    ui.root.focus({ preventScroll: true }); // scrolling now would move the note away from the pointer
    ui.popover.hidden = true;
    const { x, y } = point(e);
    if (y < roll.view.ruler && (x < roll.view.keys || e.button !== 0)) return;
    if (x < roll.view.keys && e.button === 0) {
      playback.preview(yToPitch(roll.view, y));
      return;
    }
    owner = { id: e.pointerId, slop: SLOP[e.pointerType] ?? SLOP.mouse ?? 3, x, y, moved: false };
    capture(ui.canvas, e.pointerId);
    if (y < roll.view.ruler) {
      const step = xToStep(roll.view, x); // the ruler: a click selects its bar, a drag the steps under it
      roll.drag = { kind: "span", from: step, to: step, dragged: false };
      roll.schedule();
    } else startDrag(model, roll, playback, e, x, y);
  };

  const onMove = (e: PointerEvent): void => {
    const drag = roll.drag;
    if (!drag || !owner || e.pointerId !== owner.id) return;
    const { x, y } = point(e);
    if (!owner.moved) {
      if (Math.hypot(x - owner.x, y - owner.y) < owner.slop) return; // still a click or a tap
      owner.moved = true;
    }
    followDrag(roll, drag, x, y);
    roll.schedule();
  };

  /** The owner lifted (`cancelled`: the browser took the gesture): commit the drag, or put the notes back. */
  const end = (e: PointerEvent, cancelled: boolean): void => {
    if (!owner || e.pointerId !== owner.id) return;
    owner = null;
    const d = roll.drag;
    roll.drag = null;
    if (!d) return;
    finishDrag(roll, d, cancelled);
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
    wheelView(roll, e, x, y);
  };

  return disposeAll([
    listen(ui.canvas, "pointerdown", onDown),
    listen(window, "pointermove", onMove),
    listen(window, "pointerup", (e) => end(e, false)),
    listen(window, "pointercancel", (e) => end(e, true)),
    listen(ui.canvas, "lostpointercapture", (e) => end(e, false)), // released without a pointerup reaching us
    listen(ui.canvas, "dblclick", onDouble),
    listen(ui.canvas, "wheel", onWheel, { passive: false }),
    listen(ui.canvas, "contextmenu", (e) => e.preventDefault()),
  ]);
}
