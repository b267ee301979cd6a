/**
 * What the score view and Python exchange: its synced traits (mirrored from
 * `jupymuse/widget/score_view.py`) and its one message (Python's twin: `SCORE_TO_PYTHON` in
 * `jupymuse/widget/protocol.py`, both checked against tests/contract/boundary.json).
 */

export interface ScoreModel {
  /** The engraved score (verovio's SVG on white paper); "" while there is none. */
  svg: string;
  /** Shown instead of a score (a refusal such as "at most 4,000 notes"); "" when the score shows. */
  message: string;
  /** Flat [start, end] in steps of each note of the engraved melody, in melody order. */
  spans: number[];
  /** The selected note's index (the roll's selection), -1 for none. */
  selected: number;
}

/** Names of the messages from the score page to Python. */
export const SCORE_TO_PYTHON = ["select-note"] as const;

/** A note clicked in the score: Python selects it on the roll. */
export type ScoreToPython = { type: "select-note"; index: number };
