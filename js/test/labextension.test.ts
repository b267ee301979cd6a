// The prebuilt JupyterLab extension's container protocol and the picture it takes from a saved output
// (the renderer's behaviour in a page is tested in tests/e2e/test_saved_picture_browser.py).

import { describe, expect, it } from "vitest";
import { type Container, compareVersions, container, register, shared } from "../src/labextension/container";
import { pictureOf, WIDGET_VIEW } from "../src/labextension/savedPicture";

describe("the federation container", () => {
  it("orders versions numerically", () => {
    expect(["4.10.0", "4.9.1", "4.9.1-rc.0", "10.0.0"].sort(compareVersions)).toEqual([
      "4.9.1-rc.0",
      "4.9.1",
      "4.10.0",
      "10.0.0",
    ]);
  });

  it("takes the page's newest shared copy of a package", async () => {
    const old = { token: "old" };
    const newest = { token: "new" };
    const scope = {
      "@jupyterlab/notebook": {
        "4.9.0": { get: async () => () => old },
        "4.10.2": { get: async () => () => newest },
      },
    };
    expect(await shared(scope, "@jupyterlab/notebook")).toBe(newest);
    await expect(shared(scope, "@jupyterlab/rendermime")).rejects.toThrow(
      /shares no @jupyterlab\/rendermime/,
    );
  });

  it("gives each module a factory once the page initialised it, and registers under its name", async () => {
    const tracker = { name: "tracker" };
    const entry = container({
      "./extension": async (scope) => ({ default: await shared(scope, "@jupyterlab/notebook") }),
    });
    entry.init({ "@jupyterlab/notebook": { "4.6.6": { get: async () => () => tracker } } });
    const factory = await entry.get("./extension");
    expect(factory()).toEqual({ default: tracker });
    await expect(entry.get("./style")).rejects.toThrow(/no module \.\/style/);
    register("jupymuse-test", entry);
    const page = globalThis as unknown as { _JUPYTERLAB: Record<string, Container> };
    expect(page._JUPYTERLAB["jupymuse-test"]).toBe(entry);
  });
});

describe("the saved picture", () => {
  it("prefers the PNG, falls back to the SVG, and keeps the text", () => {
    const data = {
      [WIDGET_VIEW]: { model_id: "a" },
      "image/png": "iVBORw0K\n",
      "text/plain": "PianoRoll: 34 notes",
    };
    expect(pictureOf(data)).toEqual({ src: "data:image/png;base64,iVBORw0K", text: "PianoRoll: 34 notes" });
    const svg = pictureOf({ "image/svg+xml": '<svg data-notes="34"/>', "text/plain": "t" });
    expect(svg?.src).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg data-notes="34"/>')}`);
  });

  it("has none for a widget that saved no picture", () => {
    expect(pictureOf({ [WIDGET_VIEW]: { model_id: "a" }, "text/plain": "IntSlider(value=3)" })).toBeNull();
  });
});
