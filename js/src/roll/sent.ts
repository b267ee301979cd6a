/**
 * The edits the page sent to Python that Python has not answered yet. Python answers every `set-notes`
 * by writing the synced notes back, so while a student clicks faster than a busy kernel answers, the
 * answer to an older edit arrives after newer ones were drawn: applied, it would wipe them. An answer
 * equal to a sent state confirms that state (and every older one); it is applied only when no newer
 * edit is still waiting. Anything else is Python's own change (Generate, a file opened, a refusal put
 * right) and always wins.
 */
import type { Note } from "../notes";
import { notesEqual } from "./editing";

export class SentStates {
  private waiting: (readonly Note[])[] = [];

  /** The page sent `notes` to Python. */
  sent(notes: readonly Note[]): void {
    this.waiting.push(notes);
  }

  /** Notes arrived from Python: whether to show them (false: an answer to an edit newer ones replaced). */
  arrived(incoming: readonly Note[]): boolean {
    const answered = this.waiting.findIndex((notes) => notesEqual(notes, incoming));
    if (answered < 0) {
      this.waiting = []; // Python's own change: it replaces whatever the page still waits for
      return true;
    }
    this.waiting = this.waiting.slice(answered + 1);
    return this.waiting.length === 0;
  }
}
