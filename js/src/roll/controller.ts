/**
 * The roll's state in one object: notes, selection, view, the drag in progress, clipboard,
 * shading and undo history, plus the one painter (batched to an animation frame) and the
 * "selected" report to Python. Input, toolbar and sync modules change the state through it, so
 * every path to the screen or to Python goes through `paint` and `commit`.
 */
import type { AnyModel } from "@anywidget/types";
import { announcePlayhead } from "../link";
import { send } from "../messages";
import { decodeNotes, decodeShading, type Note } from "../notes";
import type { Model } from "../protocol";
import { decodeListened, type Listened } from "./arcs";
import { draw } from "./draw";
import {
  copyNotes,
  deleteNotes,
  endOf,
  monophonic,
  moveNotes,
  newNotes,
  notesEqual,
  pasteNotes,
} from "./editing";
import { fitContent, followFrame, reveal, type Viewport, zoomX } from "./geometry";
import { History } from "./history";
import { lengthToSteps, stepsToLength } from "./length";
import { type Palette, paletteFor } from "./palette";
import { scalePitchClasses } from "./scale";
import { SentStates } from "./sent";
import { NO_SPAN, notesInSpan, rulerSpan, type Span, spanFrom, spanOfNotes, spansEqual } from "./span";

/**
 * What the pointer (mouse, finger or pen) is doing between press and release. A "draw" starts as a
 * click's note of the current length; once the pointer has `dragged` past the tap slop, its length
 * follows the pointer from `x`. A "resize" knows the grabbed note (`index`): its length is remembered.
 */
export type Drag =
  | { kind: "draw"; index: number; start: number; x: number; dragged: boolean; before: Note[] }
  | { kind: "move"; x: number; y: number; before: Note[]; base: Note[] }
  | { kind: "resize"; index: number; x: number; before: Note[]; base: Note[] }
  | { kind: "band"; x0: number; y0: number; x1: number; y1: number }
  | { kind: "span"; from: number; to: number; dragged: boolean }
  | { kind: "pan"; x: number; y: number };

/** Where playback is (the transport): the roll draws the playhead and keeps painting while playing. */
export interface Playhead {
  readonly playing: boolean;
  position(): number | null;
}

/** Hands an accepted-looking edit to Python (see sync.ts). */
/** The view before the first paint: C6 at the top, a sixteenth 12 px wide (then fitted to the notes). */
export function initialView(height: number): Viewport {
  return { step0: 0, pitchTop: 84, pxPerStep: 12, pxPerPitch: 10, keys: 44, ruler: 16, width: 600, height };
}

export type SendNotes = (notes: readonly Note[], reason: string) => void;

export class RollController {
  notes: Note[];
  shading: Float32Array | null;
  /** What the model listened to for one note (the `listened` trait as synced), drawn as arcs; null: none. */
  listenedState: unknown = null;
  /** The arcs of the last paint (`listenedState` read against the notes shown then). */
  listened: Listened | null = null;
  selected = new Set<number>();
  /** The steps dragged on the ruler (or chosen by Python), [start, end); null: the selected notes' span. */
  span: Span | null = null;
  clipboard: Note[] = [];
  drag: Drag | null = null;
  view: Viewport;
  readonly history = new History();
  private readonly ctx: CanvasRenderingContext2D;
  private frame = 0;
  /** The colours of the last paint: read from the page's theme once it is on the page, again after `themeChanged`. */
  palette: Palette | null = null;
  /** Notes that arrived from Python and must come into view at the next paint with a laid-out canvas. */
  private toReveal: Note[] = [];
  /** Edits sent to Python and not answered yet (see sent.ts). */
  private readonly sent = new SentStates();
  /** The single selected index last told to Python (-1: none or several). */
  private reported = -1;
  /** The selected span last told to Python (the `selection` trait). */
  private reportedSpan: Span = NO_SPAN;
  /** The user moved the view while playing: no page turns until the playhead is in view again. */
  private followPaused = false;
  /** The playhead last announced to a score beside the roll (see link.ts). */
  private announced: number | null = null;

  constructor(
    private readonly model: AnyModel<Model>,
    private readonly canvas: HTMLCanvasElement,
    private readonly playhead: Playhead,
    private readonly sendNotes: SendNotes,
  ) {
    this.ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
    this.notes = decodeNotes(model.get("notes"));
    this.shading = decodeShading(model.get("shading"));
    this.view = fitContent(initialView(model.get("height")), this.notes);
  }

  // ---------------------------------------------------------------- settings read from the traits
  stepsPerQuarter(): number {
    return this.model.get("steps_per_quarter");
  }

  stepsPerBar(): number {
    const [num, den] = this.model.get("time_signature");
    return Math.max(1, Math.round((num * 4 * this.stepsPerQuarter()) / den));
  }

  /** The snap grid in steps (0: free). */
  snap(): number {
    return (this.model.get("snap") * this.stepsPerQuarter()) / 4;
  }

  /** One grid step, at least a whole step: an arrow key's move and the shortest note a drag draws. */
  gridStep(): number {
    return Math.max(1, Math.round(this.snap()) || 1);
  }

  /** The length a click draws, in steps (the `note_length` trait, in sixteenths, on this grid). */
  noteSteps(): number {
    return lengthToSteps(this.model.get("note_length"), this.stepsPerQuarter());
  }

  /** Make `steps` (the length of a note just drawn or resized) the length the next click draws. */
  rememberLength(steps: number): void {
    const length = stepsToLength(steps, this.stepsPerQuarter());
    if (length === this.model.get("note_length")) return;
    this.model.set("note_length", length);
    this.model.save_changes();
  }

  // ---------------------------------------------------------------- painting
  /** Paint now (sizes the canvas to its box, draws, reports the selection to Python). */
  paint(): void {
    this.frame = 0;
    const { canvas, ctx, model } = this;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(100, canvas.clientWidth);
    const h = model.get("height");
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.height = `${h}px`;
    }
    this.view = { ...this.view, width: w, height: h };
    if (this.toReveal.length && canvas.clientWidth > 0) {
      const current = new Set(this.notes); // a later update may have replaced some of them
      this.view = reveal(
        this.view,
        this.toReveal.filter((n) => current.has(n)),
      );
      this.toReveal = [];
    }
    const playhead = this.playhead.position();
    this.follow(playhead);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const band = this.drag?.kind === "band" ? this.drag : null;
    const palette = this.palette ?? paletteFor(canvas);
    this.listened = decodeListened(this.listenedState, this.notes.length);
    if (canvas.isConnected) this.palette = palette; // not yet on the page: no theme to read, ask again
    draw(
      ctx,
      this.view,
      {
        notes: this.notes,
        selected: this.selected,
        stepsPerBar: this.stepsPerBar(),
        stepsPerBeat: this.stepsPerQuarter() * (4 / model.get("time_signature")[1]),
        snap: this.snap(),
        scale: model.get("show_scale") ? scalePitchClasses(model.get("key")) : null,
        playhead,
        band,
        span: this.shownSpan(),
        accentFrom: model.get("accent_from"),
        accentTo: model.get("accent_to"),
        shading: this.shading,
        shadingScale: model.get("shading_scale") === "evidence" ? "evidence" : "surprise",
        listened: this.listened,
      },
      palette,
    );
    canvas.dataset.view = JSON.stringify(this.view);
    canvas.dataset.notes = String(this.notes.length);
    canvas.dataset.selected = [...this.selected].join(",");
    canvas.dataset.selection = this.selectionSpan().join(",");
    canvas.dataset.playhead = playhead === null ? "" : String(playhead);
    if (playhead !== this.announced) {
      this.announced = playhead;
      announcePlayhead(canvas, playhead);
    }
    canvas.dataset.listened = this.listened
      ? JSON.stringify({ note: this.listened.note, sources: this.listened.sources.map((src) => src.index) })
      : "";
    canvas.dataset.shading = this.shading
      ? JSON.stringify(Array.from(this.shading, (b) => Math.round(b * 1000) / 1000))
      : "";
    if (this.playhead.playing) this.schedule();
    this.reportSelection();
  }

  /**
   * Follow the playhead (the `follow` trait): turn the page when it leaves the view. After the user
   * moved the view during playback, wait until the playhead is back in view (see `followFrame`);
   * the next Play follows from the start.
   */
  private follow(playhead: number | null): void {
    if (playhead === null) this.followPaused = false;
    else if (this.model.get("follow")) {
      ({ view: this.view, paused: this.followPaused } = followFrame(this.view, playhead, this.followPaused));
    }
  }

  /** The user scrolled or zoomed: show `view` (and, while playing, let it stand, see `follow`). */
  viewByUser(view: Viewport): void {
    this.view = view;
    if (this.playhead.playing) this.followPaused = true;
    this.schedule();
  }

  /** The page's theme changed: read its colours again and repaint. */
  themeChanged(): void {
    this.palette = null;
    this.schedule();
  }

  /** Paint at the next animation frame (many changes in one frame paint once). */
  schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.paint());
  }

  /** The selected span of steps (see span.ts): the ruler's, else the selected notes'; [0, 0]: none. */
  selectionSpan(): Span {
    return this.span ?? spanOfNotes(this.notes, this.selected);
  }

  /** The span painted on the ruler: the one a ruler drag in progress would select, else the selection's. */
  private shownSpan(): Span | null {
    const d = this.drag;
    const span = d?.kind === "span" ? rulerSelection(this, d) : this.selectionSpan();
    return span[1] > span[0] ? span : null;
  }

  /**
   * Tell Python, once a drag settles, the single selected index (its "why" views follow it) and the
   * selected span (Fill and Vary work on it).
   */
  private reportSelection(): void {
    if (this.drag) return;
    const single = this.selected.size === 1 ? ([...this.selected][0] as number) : -1;
    const span = this.selectionSpan();
    const changed = single !== this.reported || !spansEqual(span, this.reportedSpan);
    if (single !== this.reported) this.model.set("selected", single);
    if (!spansEqual(span, this.reportedSpan)) this.model.set("selection", span);
    this.reported = single;
    this.reportedSpan = span;
    if (changed) this.model.save_changes();
  }

  /** Python chose the span `value` (the `selection` trait): select the notes starting in it, show it. */
  selectSpanFromPython(value: unknown): void {
    const span = spanFrom(value);
    if (spansEqual(span, this.reportedSpan)) return;
    this.reportedSpan = span;
    this.span = span[1] > span[0] ? span : null;
    this.selected = this.span ? notesInSpan(this.notes, span) : new Set();
    this.reported = this.selected.size === 1 ? ([...this.selected][0] as number) : -1;
    this.schedule();
  }

  /** Select span `span` (a ruler drag's): the notes starting in it, and the span itself. */
  selectSpan(span: Span): void {
    this.span = span;
    this.selected = notesInSpan(this.notes, span);
    this.schedule();
  }

  /** Python selected note `index` (-1: none), e.g. clicked in the score: show it (our own report is no news). */
  selectFromPython(index: number): void {
    if (index === this.reported) return;
    this.reported = index;
    this.span = null;
    this.selected = index >= 0 && index < this.notes.length ? new Set([index]) : new Set();
    this.schedule();
  }

  // ---------------------------------------------------------------- edits
  /** Show `next` now and ask Python to make it the melody. */
  commit(next: Note[], reason: string, before: Note[] = this.notes): void {
    this.history.push(before);
    this.listenedState = null; // the arcs were the old notes' (Python clears its value too)
    this.notes = monophonic(next);
    this.sent.sent(this.notes);
    this.sendNotes(this.notes, reason);
    this.schedule();
  }

  private restore(state: Note[] | null, reason: string): void {
    if (!state) return;
    this.notes = state;
    this.selected = new Set();
    this.span = null;
    this.sent.sent(this.notes);
    this.sendNotes(this.notes, reason);
    this.schedule();
  }

  /** Take back the last edit; when the kernel keeps the history (a Studio's), ask it instead. */
  undo(): void {
    if (this.model.get("kernel_undo")) send(this.model, { type: "undo" });
    else this.restore(this.history.undo(this.notes), "undo");
  }

  redo(): void {
    if (this.model.get("kernel_undo")) send(this.model, { type: "redo" });
    else this.restore(this.history.redo(this.notes), "redo");
  }

  /** Delete the notes at `indices` (the selection by default) and select none. */
  deleteNotes(indices: Set<number> = this.selected): void {
    this.selected = new Set();
    this.span = null;
    this.commit(deleteNotes(this.notes, indices), "delete");
  }

  /** Move the selection by steps and semitones. */
  nudge(dStep: number, dPitch: number): void {
    this.commit(moveNotes(this.notes, this.selected, dStep, dPitch), "arrow");
  }

  copy(): void {
    this.clipboard = copyNotes(this.notes, this.selected);
  }

  /** Paste the clipboard after the selection (or after the melody) and select what was pasted. */
  paste(): void {
    const { notes, selected } = this;
    const at = selected.size
      ? Math.max(...[...selected].map((i) => (notes[i] as Note).start + (notes[i] as Note).duration))
      : endOf(notes);
    const pasted = pasteNotes(notes, this.clipboard, at);
    this.commit(pasted.notes, "paste");
    this.selected = pasted.pasted;
    this.span = null;
  }

  // ---------------------------------------------------------------- from Python
  /** Python's melody arrived: show it (a drag in progress wins; its end sends its own result). */
  notesFromPython(incoming: Note[]): void {
    if (!this.sent.arrived(incoming) || this.drag) return;
    if (!notesEqual(incoming, this.notes)) {
      // the span stays where it was (Fill again after changing a setting), its notes are new ones
      const span = this.selectionSpan();
      this.span = span[1] > span[0] && span[0] < endOf(incoming) ? span : null;
      this.selected = new Set();
      // what Python added comes into view, at the next paint that knows the canvas's real size
      this.toReveal = [...this.toReveal, ...newNotes(this.notes, incoming)];
    }
    this.notes = incoming;
    this.schedule();
  }

  setShading(shading: Float32Array | null): void {
    this.shading = shading;
    this.schedule();
  }

  /** Python's `listened` arrived: draw its arcs (read at each paint against the notes shown). */
  setListened(value: unknown): void {
    this.listenedState = value;
    this.schedule();
  }

  // ---------------------------------------------------------------- view
  fit(): void {
    this.viewByUser(fitContent(this.view, this.notes));
  }

  /** Zoom time by `factor` around the middle of the view. */
  zoomTime(factor: number): void {
    this.viewByUser(zoomX(this.view, factor, this.view.width / 2));
  }

  /** Stop painting (the widget is going away). */
  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}

/** The span a ruler drag `d` selects now (span.ts `rulerSpan`, on the roll's grid and bars). */
export function rulerSelection(
  roll: RollController,
  d: { from: number; to: number; dragged: boolean },
): Span {
  return rulerSpan(d.from, d.to, d.dragged, roll.gridStep(), roll.stepsPerBar());
}
