/** The test hooks (src/testhooks.ts): only behind the page's flag, and removable. */
import { afterEach, describe, expect, it } from "vitest";
import type { Playback } from "../src/playback";
import { initialView, type RollController } from "../src/roll/controller";
import { installTestHooks, type TestHooks, testHooksWanted } from "../src/testhooks";

const flag = globalThis as { __jupymuseTestHooks?: unknown };

describe("test hooks", () => {
  afterEach(() => {
    delete flag.__jupymuseTestHooks;
  });

  it("are wanted only when the page set the flag to true", () => {
    expect(testHooksWanted()).toBe(false);
    flag.__jupymuseTestHooks = "yes";
    expect(testHooksWanted()).toBe(false);
    flag.__jupymuseTestHooks = true;
    expect(testHooksWanted()).toBe(true);
  });

  it("go on the root element and come off with their disposer", () => {
    const root = {} as HTMLElement & TestHooks;
    let painted = 0;
    const roll = {
      view: initialView(240),
      palette: null,
      paint: () => {
        painted++;
      },
    } as unknown as RollController;
    const playback = { level: () => 0.5, position: () => 3.5 } as unknown as Playback;
    const dispose = installTestHooks(root, roll, playback);
    expect(root.__jupymuseLevel?.()).toBe(0.5);
    expect(root.__jupymusePlayhead?.()).toBe(3.5);
    expect(root.__jupymuseFrame?.("pan", 120)).toBeGreaterThanOrEqual(0);
    expect(roll.view.step0).toBe(10);
    expect(painted).toBe(1);
    expect(root.__jupymusePalette?.()).toBeNull();
    dispose();
    expect(root.__jupymuseLevel).toBeUndefined();
    expect(root.__jupymusePlayhead).toBeUndefined();
    expect(root.__jupymuseFrame).toBeUndefined();
    expect(root.__jupymusePalette).toBeUndefined();
  });
});
