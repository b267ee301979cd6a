/** The one codec for notes crossing to and from Python: int32 LE rows (pitch, start, duration, velocity). */
import { ROW_BYTES } from "./limits";

export interface Note {
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

/** Notes from the synced bytes (a DataView from anywidget, or an ArrayBuffer). */
export function decodeNotes(data: DataView | ArrayBuffer | null | undefined): Note[] {
  if (!data) return [];
  const view = data instanceof DataView ? data : new DataView(data);
  const rows = Math.floor(view.byteLength / ROW_BYTES);
  const out: Note[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * ROW_BYTES;
    out[i] = {
      pitch: view.getInt32(o, true),
      start: view.getInt32(o + 4, true),
      duration: view.getInt32(o + 8, true),
      velocity: view.getInt32(o + 12, true),
    };
  }
  return out;
}

/** The bytes for `notes` (same layout as `decodeNotes` reads). */
export function encodeNotes(notes: readonly Note[]): ArrayBuffer {
  const buffer = new ArrayBuffer(notes.length * ROW_BYTES);
  const view = new DataView(buffer);
  notes.forEach((n, i) => {
    const o = i * ROW_BYTES;
    view.setInt32(o, n.pitch, true);
    view.setInt32(o + 4, n.start, true);
    view.setInt32(o + 8, n.duration, true);
    view.setInt32(o + 12, n.velocity, true);
  });
  return buffer;
}

/** Per-note float32 values (surprise in bits) from the synced bytes; null when empty. */
export function decodeShading(data: DataView | ArrayBuffer | null | undefined): Float32Array | null {
  if (!data || data.byteLength < 4) return null;
  const view = data instanceof DataView ? data : new DataView(data);
  const out = new Float32Array(Math.floor(view.byteLength / 4));
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
