// Bundles the widget into one ES module for anywidget: src/jupymuse/static/widget.js.
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
  entryPoints: ["src/index.ts"],
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: false,
  target: ["es2022"],
  outfile: "../src/jupymuse/static/widget.js",
  plugins: [inlineWorklet],
  logLevel: "info",
});
