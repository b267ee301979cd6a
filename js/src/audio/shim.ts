/**
 * Two fixes to spessasynth's AudioWorklet processor, put in front of its module text (see synth.ts).
 *
 * 1. **Its clock is the AudioContext's clock.** spessasynth's synth keeps its own clock: the
 *    context's time read as the processor starts being made, plus 128 samples per `process()` call.
 *    Making it blocks the audio thread (its Vorbis decoder is compiled, its voices and effects
 *    allocated: ~0.15 s measured in headless Chromium here, seconds on a busy machine) while the
 *    context's clock runs on, so the synth starts behind and stays behind for good: every event
 *    timed on the context's clock (each note of Play, each key click) sounded that much late, the
 *    1.6-3 s lag seen after the first Play on a busy machine. The shim sets the synth's clock to the
 *    worklet's `currentTime` (the context's time of the block being rendered) before each block, so
 *    a time given on the page's clock means that time.
 * 2. **Stop drops the notes still waiting.** `stopAll` silences the voices but leaves the
 *    queued (future) events in place, so notes handed over ahead of time would still start after
 *    Stop; the shim empties that queue too.
 *
 * It reaches into fields of the pinned spessasynth version (`core`, `synthesizer`, `synthCore`,
 * `eventQueue`, `handleMessage`); js/test/playback.test.ts checks the processor still has them, and
 * the browser test tests/e2e/test_audio_sync_browser.py measures the timing they give.
 */

/** The names of the processor's internals the shim uses (checked against the processor by a unit test). */
export const SHIM_NEEDS = ["this.core=new", "synthCore", "eventQueue", "handleMessage(", 'case"stopAll"'];

/**
 * A module-scope `registerProcessor` that shadows the global one for the processor's own module: it
 * registers the processor class wrapped with the two fixes above.
 */
export const PROCESSOR_SHIM = `
const registerProcessor = (name, Processor) => globalThis.registerProcessor(name, class extends Processor {
  constructor(options) {
    super(options);
    const core = this.core;
    const handle = core.handleMessage.bind(core);
    core.handleMessage = (message) => {
      if (message && message.type === "stopAll") core.synthesizer.synthCore.eventQueue.length = 0;
      handle(message);
    };
  }
  process(inputs, outputs, parameters) {
    this.core.synthesizer.synthCore.currentTime = currentTime;
    return super.process(inputs, outputs, parameters);
  }
});
`;
