/**
 * Everything the widget and Python exchange: the synced traits and the custom messages, one union
 * per direction. The trait list and the message names are runtime lists, so the contract test can
 * check them against tests/contract/boundary.json (whose "traits" section scripts/write_contract.py
 * writes from `jupymuse/widget/piano_roll.py`; the message names' Python twins are in
 * `jupymuse/widget/protocol.py`); the types are derived from them.
 */

import type { ListenedState } from "./roll/arcs";

/** The TypeScript type each spelling in a trait list stands for (the fixture's "ts" uses the same spellings). */
export interface TraitTypes {
  number: number;
  string: string;
  boolean: boolean;
  "number[]": number[];
  "[number, number]": [number, number];
  "DataView | ArrayBuffer": DataView | ArrayBuffer;
  /** What a model listened to (jupymuse/widget/listened.py): `{}` or `{note, sources: [[j, pitch, rhythm], ...]}`. */
  Listened: ListenedState;
}

/** A widget's model type from its trait list: each name with the type its spelling stands for. */
export type ModelOf<T extends Readonly<Record<string, keyof TraitTypes>>> = {
  -readonly [K in keyof T]: TraitTypes[T[K]];
};

/** The synced traits of `PianoRoll` (its order), each with its TypeScript type. */
export const TRAITS = {
  /** int32 little-endian rows (pitch, start, duration, velocity): see notes.ts. */
  notes: "DataView | ArrayBuffer",
  steps_per_quarter: "number",
  tempo: "number",
  time_signature: "[number, number]",
  key: "string",
  /** Grid snap in steps (1 = a sixteenth at 4 steps per quarter). */
  snap: "number",
  /** The length a click draws, in sixteenth notes (4 = a quarter note); the last length drawn by dragging. */
  note_length: "number",
  /** General MIDI program (0-127) used for playback. */
  program: "number",
  loop: "boolean",
  /** While playing, turn the page when the playhead leaves the view (the toolbar's "follow"). */
  follow: "boolean",
  show_scale: "boolean",
  velocity: "number",
  height: "number",
  /** Reason the last edit or file was refused ("" when all is well). */
  error: "string",
  /** Read-only for the page: the synth in use ("soundfont", "fallback: ...", ""). */
  audio_status: "string",
  /** Notes starting at or after this step are drawn in the accent colour (-1: none), e.g. a continuation. */
  accent_from: "number",
  /** ... and before this step (-1: to the end): the new notes of a filled or varied span. */
  accent_to: "number",
  /** float32 LE, one value per note: bits shaded on the notes (empty: no shading). */
  shading: "DataView | ArrayBuffer",
  /** What `shading` holds: "surprise" (green to red) or "evidence" (style evidence: orange, grey, purple). */
  shading_scale: "string",
  /** Arcs from the earlier notes a model listened to, to the note it explains ({}: none); see roll/arcs.ts. */
  listened: "Listened",
  /** Index of the single selected note (-1 for none or several); written by the page. */
  selected: "number",
  /**
   * The selected span of steps [start, end): the selected notes' (first start, last end), or the steps
   * dragged on the ruler; [0, 0]: none. Written by the page; one from Python selects the notes in it.
   */
  selection: "[number, number]",
  /** Undo/Redo are sent to Python (whose history, e.g. the Studio's, takes them) instead of the page's. */
  kernel_undo: "boolean",
  /** Show the roll's own status line (false inside a Studio, which shows one status line for all). */
  show_status: "boolean",
} as const satisfies Record<string, keyof TraitTypes>;

/** The roll's model: `TRAITS` as types (`notes: DataView | ArrayBuffer`, `tempo: number`, ...). */
export type Model = ModelOf<typeof TRAITS>;

/** Names of the messages from the page to Python. */
export const TO_PYTHON = [
  "set-notes",
  "import-midi",
  "export-midi",
  "export-musicxml",
  "need-soundfont",
  "audio-status",
  "undo",
  "redo",
  "import-abc",
  "export-abc",
] as const;
/** Names of the messages from Python to the page. */
export const FROM_PYTHON = [
  "soundfont",
  "soundfont-missing",
  "midi-file",
  "musicxml-file",
  "play",
  "stop",
  "abc-file",
] as const;

export type ToPythonType = (typeof TO_PYTHON)[number];
export type FromPythonType = (typeof FROM_PYTHON)[number];

/** The fields each message carries besides `type` (one entry per name: a missing one fails to compile). */
interface ToPythonFields {
  "set-notes": { reason: string }; // buffers[0]: note rows
  "import-midi": { name: string }; // buffers[0]: the file's bytes
  "export-midi": object;
  "export-musicxml": object;
  "need-soundfont": object;
  "audio-status": { status: string };
  undo: object; // only when kernel_undo: the kernel's history takes it
  redo: object;
  "import-abc": { name: string }; // buffers[0]: the ABC file's text, UTF-8
  "export-abc": object;
}

interface FromPythonFields {
  soundfont: { name: string }; // buffers[0]: the .sf2 bytes
  "soundfont-missing": { reason: string };
  "midi-file": { name: string }; // buffers[0]: the exported .mid
  "musicxml-file": { name: string }; // buffers[0]: the MusicXML text, UTF-8
  play: object;
  stop: object;
  "abc-file": { name: string }; // buffers[0]: the ABC text, UTF-8
}

/** Messages from the page to Python. */
export type ToPython = { [T in ToPythonType]: { type: T } & ToPythonFields[T] }[ToPythonType];
/** Messages from Python to the page. */
export type FromPython = { [T in FromPythonType]: { type: T } & FromPythonFields[T] }[FromPythonType];
