// The AudioWorklet processor is bundled as text by build.mjs (see its inline-worklet plugin).
declare module "spessasynth_lib/dist/spessasynth_processor.min.js" {
  const source: string;
  export default source;
}
