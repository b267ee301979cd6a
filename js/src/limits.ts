/**
 * The limits the page and Python both enforce, in one place: pitch, velocity, duration, step and
 * tempo ranges, the MIDI and ABC file sizes and the layout of a note row. Python's twins live in
 * `jupymuse/music/` (note.py, melody.py, midi.py); js/test/contract.test.ts checks these against tests/contract/boundary.json.
 */

export const MIN_PITCH = 0;
export const MAX_PITCH = 127;
export const MIN_VELOCITY = 1;
export const MAX_VELOCITY = 127;
/** Shortest note, in steps. */
export const MIN_DURATION = 1;
/** Latest start and longest duration, in steps. */
export const MAX_STEP = 2 ** 20;
/** Tempo range in quarter notes per minute (the toolbar refuses anything else). */
export const MIN_TEMPO = 1;
export const MAX_TEMPO = 1000;
/** Largest MIDI file the roll opens or accepts dropped (Python: `MAX_FILE_BYTES` in music/midi.py). */
export const MAX_MIDI_BYTES = 4 * 1024 * 1024;
/** Largest ABC file the roll opens or accepts dropped (Python: `MAX_ABC_BYTES` in music/abc_read.py). */
export const MAX_ABC_BYTES = 1024 * 1024;

/** The fields of one note row on the wire, in order, each an int32 little-endian (see notes.ts). */
export const ROW_FIELDS = ["pitch", "start", "duration", "velocity"] as const;
export const FIELDS = ROW_FIELDS.length;
export const ROW_BYTES = 4 * FIELDS;
