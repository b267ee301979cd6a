/**
 * What the score view and Python exchange: its synced traits (the fixture's list, written from
 * `jupymuse/widget/score_view.py` by scripts/write_contract.py) and its one message (Python's twin:
 * `SCORE_TO_PYTHON` in `jupymuse/widget/protocol.py`); both checked against tests/contract/boundary.json.
 */
import type { ModelOf, TraitTypes } from "../protocol";

/** The synced traits of `ScoreView` (its order), each with its TypeScript type. */
export const SCORE_TRAITS = {
  /** The engraved score (verovio's SVG on white paper); "" while there is none. */
  svg: "string",
  /** Shown instead of a score (a refusal such as "at most 4,000 notes"); "" when the score shows. */
  message: "string",
  /** Flat [start, end] in steps of each note of the engraved melody, in melody order. */
  spans: "number[]",
  /** The selected note's index (the roll's selection), -1 for none. */
  selected: "number",
  /**
   * What a model listened to, the value the roll draws as arcs: {} or {note, sources: [[index, pitch
   * bits, rhythm bits], ...]} (jupymuse/widget/listened.py); marked by listened_draw.ts.
   */
  listened: "Listened",
} as const satisfies Record<string, keyof TraitTypes>;

/** The score view's model: `SCORE_TRAITS` as types. */
export type ScoreModel = ModelOf<typeof SCORE_TRAITS>;

/** Names of the messages from the score page to Python. */
export const SCORE_TO_PYTHON = ["select-note"] as const;

/** A note clicked in the score: Python selects it on the roll. */
export type ScoreToPython = { type: "select-note"; index: number };
