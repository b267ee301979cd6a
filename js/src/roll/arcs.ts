/**
 * "What the model listened to", drawn on the roll: arcs from the earlier notes a model's attribution
 * names (the synced `listened` trait, checked by Python's jupymuse/widget/listened.py) to the note it
 * explains. The rules, the same as the saved picture's (widget/picture_arcs.py):
 * - each source gets up to two arcs, from the middle of its top edge to the explained note's: a solid
 *   one for the bits it gave the explained note's pitch, a dashed one (under it) for its rhythm;
 * - thickness `arcWidth`: 1 px and 3 px per bit, at most 10 px; a part below `LEAST_BITS` (0.05 bits)
 *   or negative is not drawn (Python lists only sources whose whole contribution is positive);
 * - curves rise above both ends by a third of their span (at least 12 px), never above the ruler;
 * - arcs are clipped to the note area and follow pan and zoom (they are recomputed every paint); a
 *   source out of view gets a mark at the edge it lies beyond ("◀ note 4 +1.3"), and so does the
 *   explained note ("▶ note 13 (explained)"), so arcs that leave the view still say where they go.
 * Pure geometry here (unit-tested); `drawListened` paints it.
 */
import { LEAST_BITS, type Listened } from "../listened";
import type { Note } from "../notes";
import { pitchToY, stepToX, type Viewport, visibleRange } from "./geometry";

export { decodeListened, LEAST_BITS, type Listened, type ListenedState, type Source } from "../listened";

/** Thickest arc, in pixels (reached at 3 bits). */
export const MAX_ARC_WIDTH = 10;
/** The rhythm arcs' dash and gap, in pixels. */
export const DASH: readonly [number, number] = [6, 4];

/** An arc's thickness for `bits`: 1 px and 3 px per bit, at most 10 px; 0 (not drawn) below `LEAST_BITS`. */
export function arcWidth(bits: number): number {
  return bits >= LEAST_BITS ? Math.min(MAX_ARC_WIDTH, 1 + 3 * bits) : 0;
}

/** One quadratic curve from (x0, y0) through the control point (cx, cy) to (x1, y1). */
export interface Arc {
  kind: "pitch" | "rhythm";
  source: number;
  x0: number;
  y0: number;
  cx: number;
  cy: number;
  x1: number;
  y1: number;
  width: number;
}

/** The middle of note `n`'s top edge, in pixels. */
export function noteTop(v: Viewport, n: Note): [number, number] {
  return [stepToX(v, n.start + n.duration / 2), pitchToY(v, n.pitch) + 1];
}

/** The arcs of `listened` over `notes` in view `v` (off-screen ends included: the painter clips them). */
export function listenedArcs(v: Viewport, notes: readonly Note[], listened: Listened): Arc[] {
  const target = notes[listened.note];
  if (!target) return [];
  const [x1, y1] = noteTop(v, target);
  const arcs: Arc[] = [];
  for (const s of listened.sources) {
    const from = notes[s.index];
    if (!from) continue;
    const [x0, y0] = noteTop(v, from);
    const lift = Math.max(12, Math.abs(x1 - x0) / 3);
    const cy = Math.max(v.ruler + 2, Math.min(y0, y1) - lift);
    const cx = (x0 + x1) / 2;
    const pitch = arcWidth(s.pitch);
    const rhythm = arcWidth(s.rhythm);
    const ends = { source: s.index, x0, y0, cx, x1, y1 };
    if (pitch) arcs.push({ ...ends, kind: "pitch", cy, width: pitch });
    // under the pitch arc: its peak (half way to the control point) a few pixels lower
    if (rhythm)
      arcs.push({ ...ends, kind: "rhythm", cy: cy + (pitch ? pitch + rhythm + 6 : 0), width: rhythm });
  }
  return arcs;
}

/** A source (or the explained note) out of view: the edge it lies beyond, where along that edge, and its words. */
export interface EdgeMark {
  /** The note's index. */
  source: number;
  side: "left" | "right" | "above" | "below";
  x: number;
  y: number;
  label: string;
}

/** The bits as the marks print them: "+1.3". */
function signed(bits: number): string {
  return `${bits >= 0 ? "+" : ""}${bits.toFixed(1)}`;
}

/**
 * Marks for the explained note and the sources out of view, at the edge each lies beyond (left or right in time first, else
 * above or below in pitch), spread 13 px apart along an edge so they never overlap.
 */
export function edgeMarks(v: Viewport, notes: readonly Note[], listened: Listened): EdgeMark[] {
  const r = visibleRange(v);
  const marks: EdgeMark[] = [];
  const top = v.ruler + 10;
  const bottom = v.height - 4;
  const ends: [number, string][] = [
    [listened.note, "(explained)"],
    ...listened.sources.map((s): [number, string] => [s.index, signed(s.pitch + s.rhythm)]),
  ];
  for (const [index, what] of ends) {
    const n = notes[index];
    if (!n) continue;
    const [x, y] = noteTop(v, n);
    const side =
      n.start + n.duration <= r.step0
        ? "left"
        : n.start >= r.step1
          ? "right"
          : n.pitch > r.pitchHi
            ? "above"
            : n.pitch < r.pitchLo
              ? "below"
              : null;
    if (!side) continue;
    const arrow = { left: "◀", right: "▶", above: "▲", below: "▼" }[side];
    const label = `${arrow} note ${index + 1} ${what}`;
    const at =
      side === "left"
        ? v.keys + 2
        : side === "right"
          ? v.width - 2
          : Math.min(Math.max(x, v.keys + 2), v.width - 2);
    const y0 = side === "above" ? top : side === "below" ? bottom : Math.min(Math.max(y + 10, top), bottom);
    marks.push({ source: index, side, x: at, y: y0, label });
  }
  const bySide = new Map<string, EdgeMark[]>();
  for (const m of marks) bySide.set(m.side, [...(bySide.get(m.side) ?? []), m]);
  for (const group of bySide.values()) {
    group.sort((a, b) => a.y - b.y || a.x - b.x);
    for (let i = 1; i < group.length; i++) {
      const prev = group[i - 1] as EdgeMark;
      const mark = group[i] as EdgeMark;
      if (prev.side === "left" || prev.side === "right") mark.y = Math.max(mark.y, prev.y + 13);
      else if (Math.abs(mark.x - prev.x) < 90) mark.y = prev.y + (prev.side === "above" ? 13 : -13);
    }
  }
  return marks;
}

/** The colours the arcs are painted in (chosen per theme, see palette.ts). */
export interface ArcColours {
  pitchArc: string;
  rhythmArc: string;
  text: string;
  background: string;
}

/** Paint the arcs of `listened` and the marks of its sources out of view; returns how many of each. */
export function drawListened(
  ctx: CanvasRenderingContext2D,
  v: Viewport,
  notes: readonly Note[],
  listened: Listened,
  c: ArcColours,
): { arcs: number; marks: number } {
  const arcs = listenedArcs(v, notes, listened);
  ctx.save();
  ctx.beginPath();
  ctx.rect(v.keys, v.ruler, v.width - v.keys, v.height - v.ruler);
  ctx.clip();
  ctx.lineCap = "round";
  for (const a of arcs) {
    ctx.beginPath();
    ctx.moveTo(a.x0, a.y0);
    ctx.quadraticCurveTo(a.cx, a.cy, a.x1, a.y1);
    ctx.strokeStyle = a.kind === "pitch" ? c.pitchArc : c.rhythmArc;
    ctx.lineWidth = a.width;
    ctx.setLineDash(a.kind === "rhythm" ? [DASH[0] + a.width, DASH[1] + a.width] : []);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  const marks = edgeMarks(v, notes, listened);
  ctx.font = "10px sans-serif";
  for (const m of marks) {
    const w = ctx.measureText(m.label).width + 6;
    const x = m.side === "right" ? m.x - w : m.side === "left" ? m.x : Math.min(m.x - w / 2, v.width - w - 2);
    ctx.fillStyle = c.background;
    ctx.fillRect(x, m.y - 10, w, 13);
    ctx.strokeStyle = c.pitchArc;
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 0.5, m.y - 9.5, w - 1, 12);
    ctx.fillStyle = c.text;
    ctx.fillText(m.label, x + 3, m.y);
  }
  ctx.restore();
  return { arcs: arcs.length, marks: marks.length };
}
