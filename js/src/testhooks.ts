/**
 * Hooks for the browser tests and benchmarks, installed only when the page asked for them by
 * setting `globalThis.__jupymuseTestHooks = true` before the widget renders (Playwright's
 * `page.add_init_script`); a user's page gets none. On the roll's root element:
 * `__jupymuseLevel()` (the audio output's peak level), `__jupymusePlayhead()` (the playhead in
 * steps, null when stopped) and `__jupymuseFrame(action, amount)` (one
 * pan or zoom step painted now, returning its paint time in ms), `__jupymusePalette()` (the colours
 * of the last paint, see roll/palette.ts); on `globalThis`, `__jupymuseAudio`
 * (the page's AudioContext and analyser, see audio/transport.ts).
 */
import type { Disposer } from "./listen";
import type { Playback } from "./playback";
import type { RollController } from "./roll/controller";
import { pan, zoomX } from "./roll/geometry";
import type { Palette } from "./roll/palette";

export interface TestHooks {
  __jupymuseLevel?: () => number;
  __jupymusePlayhead?: () => number | null;
  __jupymuseFrame?: (action: "pan" | "zoom", amount: number) => number;
  __jupymusePalette?: () => Palette | null;
}

/** Whether the page asked for the test hooks (read when they would be installed). */
export function testHooksWanted(): boolean {
  return (globalThis as { __jupymuseTestHooks?: unknown }).__jupymuseTestHooks === true;
}

/** Put the hooks on `root`; the disposer takes them off again. */
export function installTestHooks(root: HTMLElement, roll: RollController, playback: Playback): Disposer {
  const hooks = root as HTMLElement & TestHooks;
  hooks.__jupymuseLevel = () => playback.level();
  hooks.__jupymusePlayhead = () => playback.position();
  hooks.__jupymuseFrame = (action, amount) => {
    roll.view = action === "pan" ? pan(roll.view, amount, 0) : zoomX(roll.view, amount, roll.view.width / 2);
    const t0 = performance.now();
    roll.paint();
    return performance.now() - t0;
  };
  hooks.__jupymusePalette = () => roll.palette;
  return () => {
    delete hooks.__jupymusePalette;
    delete hooks.__jupymuseLevel;
    delete hooks.__jupymusePlayhead;
    delete hooks.__jupymuseFrame;
  };
}
