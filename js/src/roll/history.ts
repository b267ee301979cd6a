/** Undo and redo over snapshots of the note list (each edit pushes the state it replaced). */
import type { Note } from "../notes";

export class History {
  private past: Note[][] = [];
  private future: Note[][] = [];

  constructor(private readonly limit = 500) {}

  /** Remember `before`, the state an edit is about to replace; clears the redo list. */
  push(before: readonly Note[]): void {
    this.past.push([...before]);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  /** The state to return to, given the `current` one; null when there is nothing to undo. */
  undo(current: readonly Note[]): Note[] | null {
    const prev = this.past.pop();
    if (!prev) return null;
    this.future.push([...current]);
    return prev;
  }

  redo(current: readonly Note[]): Note[] | null {
    const next = this.future.pop();
    if (!next) return null;
    this.past.push([...current]);
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
