// Bundles the widgets into ES modules for anywidget: src/jupymuse/static/widget.js (the piano roll) and
// src/jupymuse/static/score.js (the Studio's score view).
// The SoundFont synth's AudioWorklet processor is inlined as text (it is loaded from a Blob URL).

import { readFile } from "node:fs/promises";
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
