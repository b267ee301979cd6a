/**
 * A widget output that shows its saved picture when no live widget can be shown.
 *
 * A roll's output holds the widget view plus the picture and text the kernel keeps current
 * (`jupymuse.widget.live_picture`). Reopened without its kernel, ipywidgets' renderer finds no
 * model and writes "Error displaying widget: model not found" (or "Loading widget..." while no
 * kernel comes), never falling back to the picture beside it. `keepPicture` adds to that renderer:
 * whenever it shows no view, its node shows the output's PNG (or SVG) and text instead; once the
 * view comes, the view alone. And when the kernel updates the output of a widget whose view is
 * shown (`update_display_data`), the view is kept instead of being built anew (which lost its scroll
 * and zoom and left the old view behind).
 */

export const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";
export const PICTURE_CLASS = "jm-saved-picture";

/** The part of a rendered output this uses: its data. */
export interface MimeModel {
  readonly data: Readonly<Record<string, unknown>>;
}

/** The part of ipywidgets' `WidgetRenderer` (a Lumino panel) this uses. */
export interface WidgetRenderer {
  readonly node: HTMLElement;
  readonly widgets?: readonly unknown[];
  renderModel(model: MimeModel): Promise<void>;
}

/** The part of a notebook's `IRenderMimeRegistry` this uses. */
export interface Registry {
  createRenderer(mimeType: string): WidgetRenderer;
}

/** A saved picture: an image URL and the text that names what it shows. */
export interface Picture {
  readonly src: string;
  readonly text: string;
}

/** The picture saved in an output's data (PNG first, else SVG), or null when it has none. */
export function pictureOf(data: Readonly<Record<string, unknown>>): Picture | null {
  const png = data["image/png"];
  const svg = data["image/svg+xml"];
  const text = typeof data["text/plain"] === "string" ? data["text/plain"] : "";
  if (typeof png === "string" && png !== "") return { src: `data:image/png;base64,${png.trim()}`, text };
  if (typeof svg === "string" && svg !== "") {
    return { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, text };
  }
  return null;
}

function modelId(data: Readonly<Record<string, unknown>>): string {
  const view = data[WIDGET_VIEW] as { model_id?: unknown } | undefined;
  return typeof view?.model_id === "string" ? view.model_id : "";
}

/** The element that shows `picture`: the image, then its text. */
export function pictureElement(doc: Document, picture: Picture): HTMLElement {
  const box = doc.createElement("div");
  box.className = PICTURE_CLASS;
  box.dataset.src = picture.src;
  const img = doc.createElement("img");
  img.src = picture.src;
  img.alt = picture.text;
  img.style.maxWidth = "100%";
  const text = doc.createElement("div");
  text.className = `${PICTURE_CLASS}-text`;
  text.textContent = picture.text;
  text.style.color = "var(--jp-content-font-color1, inherit)";
  text.style.fontFamily = "var(--jp-code-font-family, monospace)";
  text.style.fontSize = "var(--jp-code-font-size, 13px)";
  box.append(img, text);
  return box;
}

/** Makes `renderer` show its output's saved picture whenever it shows no view, and keep a shown view on updates. */
export function keepPicture(renderer: WidgetRenderer): void {
  const render = renderer.renderModel.bind(renderer);
  let picture: Picture | null = null;
  let rendered = "";
  const live = (): boolean => (renderer.widgets?.length ?? 0) > 0;
  const refresh = (): void => {
    const node = renderer.node;
    const shown = node.querySelector<HTMLElement>(`:scope > .${PICTURE_CLASS}`) ?? undefined;
    if (live() || picture === null) {
      shown?.remove();
      return;
    }
    if (shown?.dataset.src === picture.src && node.childNodes.length === 1) return;
    node.textContent = "";
    node.append(pictureElement(node.ownerDocument, picture));
  };
  new MutationObserver(refresh).observe(renderer.node, { childList: true });
  renderer.renderModel = async (model: MimeModel): Promise<void> => {
    picture = pictureOf(model.data);
    const id = modelId(model.data);
    if (id !== "" && id === rendered && live()) return; // the same widget, already shown live
    rendered = id;
    await render(model);
    refresh();
  };
}

const patched = new WeakSet<Registry>();

/** Makes every widget output `registry` creates keep its picture (`keepPicture`); patching twice does nothing. */
export function patchRegistry(registry: Registry): void {
  if (patched.has(registry)) return;
  patched.add(registry);
  const create = registry.createRenderer.bind(registry);
  registry.createRenderer = (mimeType: string): WidgetRenderer => {
    const renderer = create(mimeType);
    if (mimeType === WIDGET_VIEW) keepPicture(renderer);
    return renderer;
  };
}
