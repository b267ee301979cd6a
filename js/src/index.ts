/**
 * The PianoRoll widget (anywidget entry): draw, edit and hear a melody. Notes are the kernel's:
 * every edit is sent to Python, which validates it and writes the synced `notes` back; the page
 * shows edits at once and then whatever Python accepted. `render()` only wires the parts together:
 * the roll's state (roll/controller.ts), input (input/), Python sync (sync.ts), playback
 * (playback.ts), the toolbar (toolbar.ts) and, when a test asks, the test hooks (testhooks.ts).
 */
import type { RenderProps } from "@anywidget/types";
import { Transport } from "./audio/transport";
import { attachKeys } from "./input/keys";
import { attachMouse } from "./input/mouse";
import { type Disposer, disposeAll } from "./listen";
import { soundFontVia } from "./messages";
import { Playback } from "./playback";
import type { Model } from "./protocol";
import { RollController } from "./roll/controller";
import { notesSender, syncFromPython } from "./sync";
import { installTestHooks, testHooksWanted } from "./testhooks";
import { attachToolbar, KernelRequests, NO_KERNEL } from "./toolbar";
import { buildUi, showStatus } from "./ui";

function render({ model, el }: RenderProps<Model>): () => void {
  const ui = buildUi(el);
  const transport = new Transport(soundFontVia(model));
  const roll = new RollController(model, ui.canvas, transport, notesSender(model));
  const playback = new Playback(model, ui, transport, roll);
  const downloads = new KernelRequests(() => showStatus(ui, NO_KERNEL, true));
  const resize = new ResizeObserver(() => roll.schedule());
  resize.observe(ui.root);
  // JupyterLab marks a theme change on <body>: repaint with the new theme's colours
  const theme = new MutationObserver(() => roll.themeChanged());
  theme.observe(document.body, {
    attributes: true,
    attributeFilter: ["data-jp-theme-name", "data-jp-theme-light"],
  });
  const disposers: Disposer[] = [
    () => playback.dispose(),
    () => resize.disconnect(),
    () => theme.disconnect(),
    syncFromPython(model, ui, roll, playback, downloads),
    attachMouse(model, ui, roll, playback),
    attachKeys(ui, roll, playback),
    attachToolbar(model, ui, roll, playback, downloads),
    () => roll.dispose(),
  ];
  if (testHooksWanted()) disposers.push(installTestHooks(ui.root, roll, playback));
  roll.schedule();
  const dispose = disposeAll(disposers);
  return () => {
    dispose();
    el.replaceChildren();
  };
}

export default { render };
