// Bundles the widgets into ES modules for anywidget: src/jupymuse/static/widget.js (the piano roll) and
// src/jupymuse/static/score.js (the Studio's score view).
// The SoundFont synth's AudioWorklet processor is inlined as text (it is loaded from a Blob URL).
// Also the JupyterLab 4 / Notebook 7 extension (src/labextension/): a prebuilt extension folder,
// src/jupymuse/static/labextension/ (package.json + static/remoteEntry.<hash>.js), that the wheel
// installs as share/jupyter/labextensions/jupymuse (pyproject's shared-data).

import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { build } from "esbuild";

const inlineWorklet = {
  name: "inline-worklet",
  setup(b) {
    b.onLoad({ filter: /spessasynth_processor\.min\.js$/ }, async (args) => ({
      contents: await readFile(args.path, "utf8"),
      loader: "text",
    }));
  },
};

await build({
  entryPoints: { widget: "src/index.ts", score: "src/score/index.ts" },
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: false,
  target: ["es2022"],
  outdir: "../src/jupymuse/static",
  plugins: [inlineWorklet],
  logLevel: "info",
});

const labextension = "../src/jupymuse/static/labextension";
await rm(labextension, { recursive: true, force: true });
const built = await build({
  entryPoints: { remoteEntry: "src/labextension/index.ts" },
  entryNames: "[name].[hash]",
  bundle: true,
  format: "iife",
  minify: true,
  sourcemap: false,
  target: ["es2022"],
  outdir: `${labextension}/static`,
  metafile: true,
  logLevel: "info",
});
const [entry] = Object.keys(built.metafile.outputs);
const version = JSON.parse(await readFile("package.json", "utf8")).version;
await mkdir(labextension, { recursive: true });
await writeFile(
  `${labextension}/package.json`,
  `${JSON.stringify(
    {
      name: "jupymuse",
      version,
      description: "Shows a jupymuse widget's saved picture when its live widget cannot be shown",
      license: "MIT",
      jupyterlab: { _build: { load: `static/${basename(entry)}`, extension: "./extension" } },
    },
    null,
    2,
  )}\n`,
);
await writeFile(
  `${labextension}/install.json`,
  `${JSON.stringify({ packageManager: "python", packageName: "jupymuse", uninstallInstructions: "pip uninstall jupymuse" }, null, 2)}\n`,
);
