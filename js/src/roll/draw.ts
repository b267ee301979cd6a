/**
 * Painting the roll on a canvas the size of the viewport: keyboard, bar/beat grid, scale rows,
 * notes (only the visible ones, on whole pixels, each ending in a gap and outlined, so repeated notes
 * of one pitch read as separate notes; generated and selected notes outlined in the theme's chosen
 * colours, see palette.ts), the arcs of "what the model listened to" (arcs.ts), the selected span (span.ts),
 * rubber band and playhead.
 */
import type { Note } from "../notes";
import { drawListened, type Listened } from "./arcs";
import { pitchToY, stepToX, type Viewport, visibleNotes, visibleRange } from "./geometry";
import type { Palette } from "./palette";

export interface Scene {
  notes: readonly Note[];
  selected: ReadonlySet<number>;
  stepsPerBar: number;
  stepsPerBeat: number;
  snap: number;
  scale: Set<number> | null;
  playhead: number | null;
  band: { x0: number; y0: number; x1: number; y1: number } | null;
  /** The selected span of steps [start, end) (Fill and Vary's), marked on the ruler and shaded lightly; null: none. */
  span: readonly [number, number] | null;
  /** Notes starting at or after this step are drawn in the accent colour (a continuation); -1: none. */
  accentFrom: number;
  /** ... and before this step (a filled or varied span's new notes); -1: to the end. */
  accentTo: number;
  /** Bits per note (same order as `notes`), shown as colour and number; null: none. */
  shading: Float32Array | null;
  /** What `shading` holds: surprise (`surpriseColour`) or style evidence (`evidenceColour`). */
  shadingScale: "surprise" | "evidence";
  /** What the model listened to for one note: arcs from its sources (null: none). */
  listened: Listened | null;
}

/**
 * Colour for a surprise of `bits`: green (expected) through orange to red (surprising), 0-8 bits.
 * The Studio's legend draws the same scale (`surprise_rgb` in jupymuse/widget/shading.py; the contract fixture checks both).
 */
export function surpriseColour(bits: number, alpha: number): string {
  const t = Math.min(1, Math.max(0, bits / 8));
  const r = Math.round(t < 0.5 ? 60 + 390 * t : 255);
  const g = Math.round(t < 0.5 ? 170 : 170 - 300 * (t - 0.5));
  return `rgba(${r},${Math.max(30, g)},60,${alpha})`;
}

/**
 * Colour for style evidence of `bits`: grey near 0, purple (the style makes the note more expected)
 * or orange (less expected), full at ±2 bits. The twin of `evidence_rgb` in jupymuse/widget/shading.py
 * (the contract fixture checks both).
 */
export function evidenceColour(bits: number, alpha: number): string {
  const t = Math.min(1, Math.max(-1, bits / 2));
  const end = t >= 0 ? [150, 60, 200] : [230, 140, 30];
  const [r, g, b] = [0, 1, 2].map((i) => Math.round(150 + ((end[i] as number) - 150) * Math.abs(t)));
  return `rgba(${r},${g},${b},${alpha})`;
}

const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);

/** The visible steps and pitches (geometry.ts `visibleRange`), computed once per frame. */
type VisibleRange = ReturnType<typeof visibleRange>;

/** The darker edge of a note that is neither generated nor selected: a shade of its own fill on any theme. */
const NOTE_EDGE = "rgba(0,0,0,0.5)";

/** A note's rectangle on whole pixels (crisp edges, and the same pixels for every note of a kind). */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where note `n` is painted: its row less a pixel above and below, from its start (clipped at the
 * keyboard) to its end less a gap, so two notes of one pitch in a row show the background between
 * them (2 px once the note is 8 px wide, 1 px from 3 px). Null when the note is left of the keys.
 */
export function noteBox(v: Viewport, n: Note): Box | null {
  const x0 = Math.round(Math.max(v.keys, stepToX(v, n.start)));
  const x1 = Math.round(stepToX(v, n.start + n.duration));
  const y = Math.round(pitchToY(v, n.pitch));
  const width = x1 - x0;
  if (width <= 0) return null;
  const gap = width >= 8 ? 2 : width >= 3 ? 1 : 0;
  return { x: x0, y: y + 1, w: Math.max(1, width - gap), h: Math.max(1, Math.round(v.pxPerPitch) - 2) };
}

/**
 * Stroke the inside edge of each box in `colour`, `width` pixels wide, as one path (one stroke per
 * kind of note keeps a frame of 10,000 notes cheap); boxes too small to hold an edge keep their fill.
 */
function outline(ctx: CanvasRenderingContext2D, boxes: readonly Box[], colour: string, width: number): void {
  const inset = width / 2;
  ctx.beginPath();
  let any = false;
  for (const b of boxes) {
    if (b.w < 2 * width + 2 || b.h < 2 * width + 1) continue;
    ctx.rect(b.x + inset, b.y + inset, b.w - width, b.h - width);
    any = true;
  }
  if (!any) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.stroke();
  ctx.lineWidth = 1;
}

/**
 * The keyboard's label of the C row in pitch `p`'s octave: "C4" for middle C (MIDI 60), "C-1" for MIDI 0.
 * Only Cs are labelled, as places on the keyboard, the same in every key; a note's own name, which follows
 * the melody's key ("Bb4" in F major), is the kernel's to write (`pitch_name(pitch, key)` in Python).
 */
export function octaveLabel(p: number): string {
  return `C${Math.floor(p / 12) - 1}`;
}

/** Fill a rectangle in `colour` at opacity `alpha` (a tint of whatever is below). */
function tint(
  ctx: CanvasRenderingContext2D,
  colour: string,
  alpha: number,
  x: number,
  y: number,
  w: number,
  h: number,
) {
  ctx.globalAlpha = alpha;
  ctx.fillStyle = colour;
  ctx.fillRect(x, y, w, h);
  ctx.globalAlpha = 1;
}

/** The note area's background and its rows: black-key rows a shade of ink, the key's rows tinted, a line under each C. */
function drawRows(ctx: CanvasRenderingContext2D, v: Viewport, r: VisibleRange, s: Scene, c: Palette): void {
  ctx.fillStyle = c.background;
  ctx.fillRect(v.keys, 0, v.width - v.keys, v.height);
  for (let p = r.pitchLo; p <= r.pitchHi; p++) {
    const y = pitchToY(v, p);
    const pc = p % 12;
    if (BLACK_KEYS.has(pc)) tint(ctx, c.text, 0.06, v.keys, y, v.width - v.keys, v.pxPerPitch);
    if (s.scale?.has(pc)) tint(ctx, c.scale, 0.12, v.keys, y, v.width - v.keys, v.pxPerPitch);
    if (pc === 0) {
      ctx.fillStyle = c.gridBar;
      ctx.fillRect(v.keys, y + v.pxPerPitch - 1, v.width - v.keys, 1);
    }
  }
}

/** The vertical grid: snap lines (when at least 6 px apart, else beats), beats and bars, each a shade of its own. */
function drawGrid(ctx: CanvasRenderingContext2D, v: Viewport, r: VisibleRange, s: Scene, c: Palette): void {
  const first = Math.floor(r.step0);
  const last = Math.ceil(r.step1);
  const fine = s.snap > 0 && s.snap * v.pxPerStep >= 6 ? s.snap : s.stepsPerBeat;
  for (let step = first - (first % fine); step <= last; step += fine) {
    if (step < 0) continue;
    const x = Math.round(stepToX(v, step)) + 0.5;
    if (x < v.keys) continue;
    const bar = step % s.stepsPerBar === 0;
    const beat = step % s.stepsPerBeat === 0;
    ctx.strokeStyle = bar ? c.gridBar : beat ? c.gridBeat : c.text;
    ctx.globalAlpha = bar || beat ? 1 : 0.08;
    ctx.beginPath();
    ctx.moveTo(x, v.ruler);
    ctx.lineTo(x, v.height);
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
}

/** Whether note `n` is drawn in the accent colour: it starts in [accentFrom, accentTo) (no end: -1). */
export function accented(n: Note, s: Pick<Scene, "accentFrom" | "accentTo">): boolean {
  return s.accentFrom >= 0 && n.start >= s.accentFrom && (s.accentTo < 0 || n.start < s.accentTo);
}

/** A note's fill: its shading's colour when shaded, else accent, selected or plain; opacity from its velocity. */
function noteFill(n: Note, shade: number | null, s: Scene, accent: boolean, selected: boolean): string {
  const alpha = 0.45 + (0.55 * n.velocity) / 127;
  if (shade !== null)
    return s.shadingScale === "evidence" ? evidenceColour(shade, alpha) : surpriseColour(shade, alpha);
  if (accent) return `rgba(214,120,30,${alpha})`;
  return selected ? `rgba(200,40,60,${alpha})` : `rgba(40,90,200,${alpha})`;
}

/**
 * The visible notes (see `noteBox`): fills first, with each shaded note's bits written on it when
 * there is room, then each kind of outline in one stroke. Returns how many notes were visible.
 */
function drawNotes(ctx: CanvasRenderingContext2D, v: Viewport, s: Scene, c: Palette): number {
  const shown = visibleNotes(v, s.notes);
  const edges: Box[] = [];
  const accents: Box[] = [];
  const chosen: Box[] = [];
  for (const i of shown) {
    const n = s.notes[i] as Note;
    const box = noteBox(v, n);
    if (!box) continue;
    const sel = s.selected.has(i);
    const accent = accented(n, s);
    const shade = s.shading && i < s.shading.length ? (s.shading[i] as number) : null;
    ctx.fillStyle = noteFill(n, shade, s, accent, sel);
    ctx.fillRect(box.x, box.y, box.w, box.h);
    if (sel) chosen.push(box);
    else if (accent)
      accents.push(box); // generated notes stay recognisable, shaded or not
    else edges.push(box);
    if (shade !== null && box.w > 22 && v.pxPerPitch >= 9) {
      ctx.fillStyle = "#111";
      ctx.font = `${Math.min(10, v.pxPerPitch - 1)}px sans-serif`;
      const text = shade.toFixed(1);
      ctx.fillText(
        s.shadingScale === "evidence" && shade >= 0 ? `+${text}` : text,
        box.x + 3,
        box.y + box.h - 2,
      );
    }
  }
  outline(ctx, edges, NOTE_EDGE, 1);
  outline(ctx, accents, c.accentOutline, 2);
  outline(ctx, chosen, c.selectionOutline, 2);
  return shown.length;
}

/** The keyboard on the left: white keys, black keys a dark tint, each C labelled when rows are tall enough. */
function drawKeyboard(ctx: CanvasRenderingContext2D, v: Viewport, r: VisibleRange, c: Palette): void {
  for (let p = r.pitchLo; p <= r.pitchHi; p++) {
    const y = pitchToY(v, p);
    const black = BLACK_KEYS.has(p % 12);
    ctx.fillStyle = c.keyWhite;
    ctx.fillRect(0, y, v.keys, v.pxPerPitch);
    if (black) tint(ctx, c.text, 0.85, 0, y, v.keys, v.pxPerPitch);
    ctx.fillStyle = c.gridBeat;
    ctx.fillRect(0, y + v.pxPerPitch - 1, v.keys, 1);
    if (p % 12 === 0 && v.pxPerPitch >= 8) {
      ctx.fillStyle = c.text;
      ctx.font = `${Math.min(11, v.pxPerPitch - 1)}px sans-serif`;
      ctx.fillText(octaveLabel(p), 3, y + v.pxPerPitch - 2);
    }
  }
}

/** The ruler along the top, with the bar numbers (from 1) at the visible bar lines. */
function drawRuler(ctx: CanvasRenderingContext2D, v: Viewport, r: VisibleRange, s: Scene, c: Palette): void {
  ctx.fillStyle = c.ruler;
  ctx.fillRect(0, 0, v.width, v.ruler);
  ctx.fillStyle = c.gridBar;
  ctx.fillRect(0, v.ruler - 1, v.width, 1);
  ctx.fillStyle = c.text;
  ctx.font = "10px sans-serif";
  const first = Math.floor(r.step0);
  const last = Math.ceil(r.step1);
  for (let step = first - (first % s.stepsPerBar); step <= last; step += s.stepsPerBar) {
    const x = Math.round(stepToX(v, step)) + 0.5;
    if (step >= 0 && x >= v.keys) ctx.fillText(String(step / s.stepsPerBar + 1), x + 3, v.ruler - 4);
  }
}

/**
 * The selected span (Fill and Vary's): a band in the selection outline's colour on the ruler, with
 * edges down the note area and a light tint between them, so what a Fill would rewrite reads at a glance.
 */
function drawSpan(ctx: CanvasRenderingContext2D, v: Viewport, s: Scene, c: Palette): void {
  if (!s.span) return;
  const x0 = Math.max(v.keys, Math.round(stepToX(v, s.span[0])));
  const x1 = Math.min(v.width, Math.round(stepToX(v, s.span[1])));
  if (x1 <= x0) return;
  tint(ctx, c.selectionOutline, 0.07, x0, v.ruler, x1 - x0, v.height - v.ruler);
  tint(ctx, c.selectionOutline, 0.35, x0, 0, x1 - x0, v.ruler - 1);
  ctx.fillStyle = c.selectionOutline;
  for (const [step, x] of [
    [s.span[0], x0],
    [s.span[1], x1 - 1],
  ] as const) {
    if (stepToX(v, step) >= v.keys && stepToX(v, step) <= v.width)
      ctx.fillRect(x, v.ruler, 1, v.height - v.ruler);
  }
}

/** What is drawn over everything: the playhead (when in view) and the rubber band of a selection in progress. */
function drawOverlays(ctx: CanvasRenderingContext2D, v: Viewport, s: Scene): void {
  if (s.playhead !== null) {
    const x = stepToX(v, s.playhead);
    if (x >= v.keys && x <= v.width) {
      ctx.fillStyle = "#e0301e";
      ctx.fillRect(Math.round(x), 0, 2, v.height);
    }
  }
  if (s.band) {
    const { x0, y0, x1, y1 } = s.band;
    ctx.fillStyle = "rgba(40,90,200,0.12)";
    ctx.strokeStyle = "rgba(40,90,200,0.8)";
    ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    ctx.strokeRect(Math.min(x0, x1) + 0.5, Math.min(y0, y1) + 0.5, Math.abs(x1 - x0), Math.abs(y1 - y0));
  }
}

/** Paint scene `s` in view `v` with palette `c`, back to front; returns how many notes were visible. */
export function draw(ctx: CanvasRenderingContext2D, v: Viewport, s: Scene, c: Palette): number {
  const r = visibleRange(v);
  ctx.clearRect(0, 0, v.width, v.height);
  drawRows(ctx, v, r, s, c);
  drawGrid(ctx, v, r, s, c);
  const shown = drawNotes(ctx, v, s, c);
  if (s.listened) drawListened(ctx, v, s.notes, s.listened, c);
  drawKeyboard(ctx, v, r, c);
  drawRuler(ctx, v, r, s, c);
  drawSpan(ctx, v, s, c);
  drawOverlays(ctx, v, s);
  return shown;
}
