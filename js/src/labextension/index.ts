/**
 * jupymuse's JupyterLab 4 / Notebook 7 extension: a widget output shows its saved picture when the
 * widget cannot be shown (`savedPicture.ts`), in every notebook. Bundled by `build.mjs` into
 * `src/jupymuse/static/labextension/`, which the wheel installs as `share/jupyter/labextensions/jupymuse`.
 */

import { container, register, type ShareScope, shared } from "./container";
import { patchRegistry, type Registry } from "./savedPicture";

export const NAME = "jupymuse";

interface Signal<S, A> {
  connect(slot: (sender: S, args: A) => void): boolean;
}

interface NotebookPanel {
  readonly content: { readonly rendermime: Registry };
}

interface NotebookTracker {
  forEach(fn: (panel: NotebookPanel) => void): void;
  readonly widgetAdded: Signal<NotebookTracker, NotebookPanel>;
}

async function extension(scope: ShareScope): Promise<unknown> {
  const notebook = (await shared(scope, "@jupyterlab/notebook")) as { INotebookTracker: unknown };
  const plugin = {
    id: `${NAME}:saved-picture`,
    description: "Shows a jupymuse widget's saved picture when its live widget cannot be shown.",
    autoStart: true,
    requires: [notebook.INotebookTracker],
    activate: (_app: unknown, tracker: NotebookTracker): void => {
      tracker.forEach((panel) => {
        patchRegistry(panel.content.rendermime);
      });
      tracker.widgetAdded.connect((_tracker, panel) => patchRegistry(panel.content.rendermime));
    },
  };
  return { __esModule: true, default: plugin };
}

register(NAME, container({ "./extension": extension }));
