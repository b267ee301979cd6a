/**
 * Everything the widget and Python exchange: the synced traits (mirrored from
 * `jupymuse/widget/piano_roll.py`) and the custom messages, one union per direction.
 */

/** The synced traitlets of `PianoRoll` (names and types as in Python). */
export interface Model {
  /** int32 little-endian rows (pitch, start, duration, velocity): see notes.ts. */
  notes: DataView | ArrayBuffer;
  steps_per_quarter: number;
  tempo: number;
  time_signature: [number, number];
  key: string;
  /** Grid snap in steps (1 = a sixteenth at 4 steps per quarter). */
  snap: number;
  /** General MIDI program (0-127) used for playback. */
  program: number;
  loop: boolean;
  show_scale: boolean;
  velocity: number;
  height: number;
  /** Reason the last edit or file was refused ("" when all is well). */
  error: string;
  /** Read-only for the page: the synth in use ("soundfont", "fallback: ...", ""). */
  audio_status: string;
  /** Notes starting at or after this step are drawn in the accent colour (-1: none), e.g. a continuation. */
  accent_from: number;
  /** float32 LE, one value per note: surprise in bits shaded on the notes (empty: no shading). */
  shading: DataView | ArrayBuffer;
  /** Index of the single selected note (-1 for none or several); written by the page. */
  selected: number;
}

/** Messages from the page to Python. */
export type ToPython =
  | { type: "set-notes"; reason: string } // buffers[0]: note rows
  | { type: "import-midi"; name: string } // buffers[0]: the file's bytes
  | { type: "export-midi" }
  | { type: "need-soundfont" }
  | { type: "audio-status"; status: string };

/** Messages from Python to the page. */
export type FromPython =
  | { type: "soundfont"; name: string } // buffers[0]: the .sf2 bytes
  | { type: "soundfont-missing"; reason: string }
  | { type: "midi-file"; name: string } // buffers[0]: the exported .mid
  | { type: "play" }
  | { type: "stop" };
