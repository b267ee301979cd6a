/** A viewport for the tests: the roll's usual proportions, with whatever a test changes given as overrides. */
import type { Viewport } from "../src/roll/geometry";

export function testViewport(overrides: Partial<Viewport> = {}): Viewport {
  return {
    step0: 0,
    pitchTop: 72,
    pxPerStep: 12,
    pxPerPitch: 10,
    keys: 44,
    ruler: 16,
    width: 800,
    height: 300,
    ...overrides,
  };
}
