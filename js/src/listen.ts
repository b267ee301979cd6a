/**
 * Listener registration that always hands back its undo: every `listen`/`onModel` returns a
 * disposer, so `render()`'s cleanup is just running the disposers it collected.
 */
import type { AnyModel } from "@anywidget/types";
import type { Model } from "./protocol";

/** Undoes one registration (or a whole module's). */
export type Disposer = () => void;

/** `addEventListener` on a DOM element or the window; the disposer removes exactly that listener. */
export function listen<K extends keyof WindowEventMap>(
  target: Window,
  type: K,
  handler: (e: WindowEventMap[K]) => void,
  options?: AddEventListenerOptions,
): Disposer;
export function listen<K extends keyof HTMLElementEventMap>(
  target: HTMLElement,
  type: K,
  handler: (e: HTMLElementEventMap[K]) => void,
  options?: AddEventListenerOptions,
): Disposer;
export function listen(
  target: EventTarget,
  type: string,
  handler: (e: Event) => void,
  options?: AddEventListenerOptions,
): Disposer {
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}

/** `model.on` for a trait change or custom messages; the disposer is the matching `model.off`. */
export function onModel(
  model: AnyModel<Model>,
  event: `change:${keyof Model}` | "msg:custom",
  // biome-ignore lint/suspicious/noExplicitAny: anywidget hands listeners untyped arguments
  handler: (...args: any[]) => void,
): Disposer {
  model.on(event, handler);
  return () => model.off(event, handler);
}

/** One disposer running all of `disposers`, in order. */
export function disposeAll(disposers: readonly Disposer[]): Disposer {
  return () => {
    for (const dispose of disposers) dispose();
  };
}
