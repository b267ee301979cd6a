/**
 * Viewport math of the roll: steps and pitches to pixels and back, snapping, zoom and scroll.
 * Pure functions, unit-tested without a browser.
 */
import { MAX_PITCH, MIN_PITCH } from "../limits";
import type { Note } from "../notes";

export interface Viewport {
  /** First visible step (may be fractional) at the left edge of the note area. */
  step0: number;
  /** Highest pitch whose row touches the top edge (may be fractional). */
  pitchTop: number;
  pxPerStep: number;
  pxPerPitch: number;
  /** Width of the keyboard on the left, in pixels. */
  keys: number;
  /** Height of the bar ruler at the top, in pixels. */
  ruler: number;
  width: number;
  height: number;
}

export function stepToX(v: Viewport, step: number): number {
  return v.keys + (step - v.step0) * v.pxPerStep;
}

export function xToStep(v: Viewport, x: number): number {
  return v.step0 + (x - v.keys) / v.pxPerStep;
}

export function pitchToY(v: Viewport, pitch: number): number {
  return v.ruler + (v.pitchTop - pitch) * v.pxPerPitch;
}

/** The pitch row under y (rows are pxPerPitch tall; pitch p spans pitchToY(p)..+pxPerPitch). */
export function yToPitch(v: Viewport, y: number): number {
  return Math.ceil(v.pitchTop - (y - v.ruler) / v.pxPerPitch - 1e-9);
}

/** `step` rounded down to the snap grid (snap in steps; 0 or less: no snapping). */
export function snapDown(step: number, snap: number): number {
  return snap > 0 ? Math.floor(step / snap) * snap : Math.floor(step);
}

export function snapNearest(step: number, snap: number): number {
  return snap > 0 ? Math.round(step / snap) * snap : Math.round(step);
}

/** Visible step and pitch ranges (inclusive pitch bounds, clamped to MIDI). */
export function visibleRange(v: Viewport): {
  step0: number;
  step1: number;
  pitchLo: number;
  pitchHi: number;
} {
  const step1 = xToStep(v, v.width);
  const rows = (v.height - v.ruler) / v.pxPerPitch;
  return {
    step0: v.step0,
    step1,
    pitchLo: Math.max(MIN_PITCH, Math.floor(v.pitchTop - rows)),
    pitchHi: Math.min(MAX_PITCH, Math.ceil(v.pitchTop)),
  };
}

/** Keep the view inside the MIDI range and at or after step 0. */
export function clampView(v: Viewport): Viewport {
  const rows = (v.height - v.ruler) / v.pxPerPitch;
  const maxTop = MAX_PITCH + 1;
  const minTop = Math.min(maxTop, MIN_PITCH + rows);
  return { ...v, step0: Math.max(0, v.step0), pitchTop: Math.min(maxTop, Math.max(minTop, v.pitchTop)) };
}

/** Zoom horizontally by `factor` keeping the step under x fixed. */
export function zoomX(v: Viewport, factor: number, x: number): Viewport {
  const anchor = xToStep(v, x);
  const pxPerStep = Math.min(80, Math.max(0.5, v.pxPerStep * factor));
  return clampView({ ...v, pxPerStep, step0: anchor - (x - v.keys) / pxPerStep });
}

/** Zoom vertically by `factor` keeping the pitch under y fixed. */
export function zoomY(v: Viewport, factor: number, y: number): Viewport {
  const anchor = v.pitchTop - (y - v.ruler) / v.pxPerPitch;
  const pxPerPitch = Math.min(40, Math.max(3, v.pxPerPitch * factor));
  return clampView({ ...v, pxPerPitch, pitchTop: anchor + (y - v.ruler) / pxPerPitch });
}

/** Scroll by pixels. */
export function pan(v: Viewport, dx: number, dy: number): Viewport {
  return clampView({ ...v, step0: v.step0 + dx / v.pxPerStep, pitchTop: v.pitchTop + dy / v.pxPerPitch });
}

/** The span of `notes`: first start, last end, lowest and highest pitch. */
export function extent(notes: readonly Note[]): { first: number; end: number; lo: number; hi: number } {
  let first = Number.POSITIVE_INFINITY;
  let end = 0;
  let lo = MAX_PITCH;
  let hi = MIN_PITCH;
  for (const n of notes) {
    first = Math.min(first, n.start);
    end = Math.max(end, n.start + n.duration);
    lo = Math.min(lo, n.pitch);
    hi = Math.max(hi, n.pitch);
  }
  return { first, end, lo, hi };
}

/** A view that shows all of `notes` (with a margin), or middle C when there are none. */
export function fitContent(v: Viewport, notes: readonly Note[]): Viewport {
  const rows = (v.height - v.ruler) / v.pxPerPitch;
  if (notes.length === 0) return clampView({ ...v, step0: 0, pitchTop: 60 + rows / 2 });
  const { first, end, lo, hi } = extent(notes);
  const span = Math.max(16, end - first);
  const pxPerStep = Math.min(40, Math.max(0.5, (v.width - v.keys) / (span * 1.1)));
  const centre = (lo + hi + 1) / 2;
  return clampView({
    ...v,
    pxPerStep,
    step0: Math.max(0, first - span * 0.05),
    pitchTop: Math.max(centre + rows / 2, hi + 2),
  });
}

/**
 * The view moved (panned, or zoomed out when they cannot fit) so that `shown` are all visible:
 * notes that arrived from Python (a continuation, a melody set from code) never land out of view.
 * Unchanged when they are visible already or there are none.
 */
export function reveal(v: Viewport, shown: readonly Note[]): Viewport {
  if (shown.length === 0) return v;
  const r = visibleRange(v);
  const { first, end, lo, hi } = extent(shown);
  const inTime = first >= r.step0 && end <= r.step1;
  const inPitch = lo >= r.pitchLo && hi <= r.pitchHi;
  if (inTime && inPitch) return v;
  const width = r.step1 - r.step0;
  const rows = r.pitchHi - r.pitchLo;
  if (end - first > width * 0.95 || hi - lo > rows - 2) return fitContent(v, shown);
  const margin = Math.min(width * 0.05, (width - (end - first)) / 2);
  const step0 = inTime ? v.step0 : end > r.step1 ? end + margin - width : first - margin;
  const pitchTop = inPitch ? v.pitchTop : (lo + hi + 1) / 2 + (v.height - v.ruler) / v.pxPerPitch / 2;
  return clampView({ ...v, step0, pitchTop });
}

/** Index of the first note with start >= step in notes sorted by start (binary search). */
export function firstAtOrAfter(notes: readonly Note[], step: number): number {
  let lo = 0;
  let hi = notes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((notes[mid] as Note).start < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Indices of the notes that intersect the visible range (notes sorted by start; monophonic). */
export function visibleNotes(v: Viewport, notes: readonly Note[]): number[] {
  const r = visibleRange(v);
  // monophonic: at most one note starting before step0 can still sound
  let i = Math.max(0, firstAtOrAfter(notes, r.step0) - 1);
  const out: number[] = [];
  for (; i < notes.length; i++) {
    const n = notes[i] as Note;
    if (n.start > r.step1) break;
    if (n.start + n.duration >= r.step0 && n.pitch >= r.pitchLo && n.pitch <= r.pitchHi) out.push(i);
  }
  return out;
}

/** Whether step `step` is on the visible part of the note area (left edge included, right edge not). */
export function stepInView(v: Viewport, step: number): boolean {
  return step >= v.step0 && step < xToStep(v, v.width);
}

/** Where the playhead lands after a page turn: this fraction of the view's width from the left edge. */
const PAGE_MARGIN = 0.02;

/**
 * The view that keeps a moving playhead in sight: unchanged while `step` is in view; when it has
 * left (past the right edge, or back before the left one as a loop starts again) the page turns so
 * that `step` is just inside the left edge, as a DAW's "follow playhead" pages.
 */
export function followPlayhead(v: Viewport, step: number): Viewport {
  if (stepInView(v, step)) return v;
  const width = xToStep(v, v.width) - v.step0;
  return clampView({ ...v, step0: step - width * PAGE_MARGIN });
}

/**
 * One painted frame of following: the view, and whether following stays paused. It pauses when the
 * user scrolls or zooms during playback (the caller sets `paused`) and resumes once the playhead is
 * in view again, so a hand scroll is never fought: look ahead and the playhead walks into the view
 * and is followed from there; look back and the view stays until the next Play.
 */
export function followFrame(v: Viewport, step: number, paused: boolean): { view: Viewport; paused: boolean } {
  if (paused) return { view: v, paused: !stepInView(v, step) };
  return { view: followPlayhead(v, step), paused: false };
}
