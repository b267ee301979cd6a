/** Talking to Python: typed sends, buffer copies, and the SoundFont fetched once per page. */
import type { AnyModel } from "@anywidget/types";
import type { Model, ToPython } from "./protocol";

let fontPromise: Promise<ArrayBuffer> | null = null;
let fontWaiter: { resolve: (b: ArrayBuffer) => void; reject: (e: Error) => void } | null = null;

export function send(model: AnyModel<Model>, msg: ToPython, buffers: ArrayBuffer[] = []): void {
  model.send(msg, undefined, buffers);
}

/** The exact bytes of a buffer anywidget handed over (a DataView may view a larger buffer). */
export function copyBuffer(b: DataView | ArrayBuffer): ArrayBuffer {
  if (b instanceof ArrayBuffer) return b.slice(0);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** A loader that asks this widget's kernel for the SoundFont, once for the whole page. */
export function soundFontVia(model: AnyModel<Model>): () => Promise<ArrayBuffer> {
  return () => {
    if (!fontPromise) {
      fontPromise = new Promise<ArrayBuffer>((resolve, reject) => {
        fontWaiter = { resolve, reject };
        send(model, { type: "need-soundfont" });
      });
      fontPromise.catch(() => {
        fontPromise = null;
      });
    }
    return fontPromise;
  };
}

/** Hand the SoundFont (or the reason it is missing) to whoever is waiting for it. */
export function soundFontArrived(buffer: DataView | null, missing?: string): void {
  if (buffer) fontWaiter?.resolve(copyBuffer(buffer));
  else fontWaiter?.reject(new Error(missing ?? "the SoundFont did not arrive"));
}
