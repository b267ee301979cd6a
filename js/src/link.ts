/**
 * The page-side link between a roll and the score beside it (a Studio's Score tab). The roll
 * announces its playhead as a DOM event that bubbles up from its canvas; a score inside the same
 * `.jupymuse-studio` hears it and marks the sounding note. Nothing goes through the kernel, so the
 * highlight keeps time with the audio even while Python is busy.
 */

/** The event's name (a `CustomEvent<PlayheadDetail>` that bubbles). */
export const PLAYHEAD_EVENT = "jupymuse-playhead";
/** The element a roll and its score share (the Studio's root). */
export const STUDIO_SELECTOR = ".jupymuse-studio";

export interface PlayheadDetail {
  /** The playhead in steps, or null when playback stopped. */
  step: number | null;
}

/** Tell whoever listens above `from` where the playhead is now. */
export function announcePlayhead(from: EventTarget, step: number | null): void {
  from.dispatchEvent(new CustomEvent<PlayheadDetail>(PLAYHEAD_EVENT, { bubbles: true, detail: { step } }));
}

/** Whether `target` (an event's origin) is in the same Studio as `el`. */
export function sameStudio(el: Element, target: EventTarget | null): boolean {
  const studio = el.closest(STUDIO_SELECTOR);
  return studio !== null && target instanceof Node && studio.contains(target);
}
