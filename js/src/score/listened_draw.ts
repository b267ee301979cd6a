/**
 * Draws "what the model listened to" on the engraved score (verovio's SVG) and takes it off again:
 * the explained note gets the selection's colour (class `jm-explained`), each earlier note shown a
 * ring round its head (pitch) and a bar under the staff (rhythm), as listened.ts lays them out, and
 * every marked note an accessible name (`aria-label` and a `<title>`) saying its bits. The marks are
 * drawn in the note's staff (the same units as its head) and let clicks through to the notes.
 */
import {
  type Box,
  bar,
  explainedText,
  type Listened,
  PITCH_COLOUR,
  RHYTHM_COLOUR,
  ring,
  type Source,
  sourceText,
  thickness,
} from "./listened";

const SVG = "http://www.w3.org/2000/svg";
/** Every element drawn here carries this class, so one query takes them all off. */
const MARK = "jm-listened-mark";
/**
 * The marks' paint, as inline style: verovio's own stylesheet strokes every ellipse and rect of the
 * score in `currentColor`, which beats presentation attributes (not an inline style).
 */
const PITCH_PAINT = `fill:none;stroke:${PITCH_COLOUR}`;
const RHYTHM_PAINT = `fill:${RHYTHM_COLOUR};stroke:none`;
/** Classes given to the score's own note groups. */
const NOTE_CLASSES = ["jm-explained", "jm-listened-source"] as const;

type Measurable = Element & { getBBox(): DOMRect };

function measurable(e: Element | null): e is Measurable {
  return e !== null && typeof (e as Partial<Measurable>).getBBox === "function";
}

/** The staff's line spacing and its lowest line, in its own units (verovio draws the lines as its paths). */
function staffLines(staff: Element): { space: number; bottom: number } | null {
  const ys = [...staff.querySelectorAll(":scope > path")].filter(measurable).map((p) => p.getBBox().y);
  if (ys.length < 2) return null;
  const top = Math.min(...ys);
  const bottom = Math.max(...ys);
  return { space: (bottom - top) / (ys.length - 1), bottom };
}

function svgElement(name: string, attributes: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  e.classList.add(MARK);
  return e;
}

/** Give `note` (a `g.note`) an accessible name: an `aria-label` and a `<title>` (a tooltip too). */
function name(note: Element, text: string): void {
  note.setAttribute("role", "img");
  note.setAttribute("aria-label", text);
  const title = svgElement("title", {});
  title.textContent = text;
  note.prepend(title);
}

/** Ring and bar for `source` drawn by its first drawn element `note`; false when it cannot be measured. */
function drawSource(note: Element, source: Source): boolean {
  const head = note.querySelector(".notehead");
  const staff = note.closest("g.staff");
  if (!measurable(head) || !measurable(note) || !staff) return false;
  const box: Box = head.getBBox();
  const own = note.getBBox();
  const lines = staffLines(staff) ?? { space: box.height, bottom: own.y + own.height };
  const group = svgElement("g", { "pointer-events": "none", "data-note": source.index });
  if (thickness(source.pitch)) {
    const r = ring(box, lines.space, source.pitch);
    group.append(
      svgElement("ellipse", {
        class: `${MARK} jm-listened-pitch`,
        cx: r.cx,
        cy: r.cy,
        rx: r.rx,
        ry: r.ry,
        style: PITCH_PAINT,
        "stroke-width": r.width,
        "data-bits": source.pitch.toFixed(3),
      }),
    );
  }
  if (thickness(source.rhythm)) {
    const below = Math.max(lines.bottom, own.y + own.height);
    const b = bar(box, below, lines.space, source.rhythm);
    group.append(
      svgElement("rect", {
        class: `${MARK} jm-listened-rhythm`,
        x: b.x,
        y: b.y,
        width: b.width,
        height: b.height,
        style: RHYTHM_PAINT,
        "data-bits": source.rhythm.toFixed(3),
      }),
    );
  }
  staff.append(group);
  return true;
}

/**
 * Whether the score under `paper` is laid out, so its notes can be measured: a score not yet in the
 * page, or in a hidden tab, measures 0 everywhere (draw its marks when it shows, see index.ts).
 */
export function laidOut(paper: Element): boolean {
  const head = paper.querySelector("g.note .notehead");
  return (
    paper.getClientRects().length > 0 && (head === null || (measurable(head) && head.getBBox().width > 0))
  );
}

/** Take off every mark drawn under `paper` by `drawListened`. */
export function clearListened(paper: Element): void {
  for (const e of paper.querySelectorAll(`.${MARK}`)) e.remove();
  for (const e of paper.querySelectorAll(NOTE_CLASSES.map((c) => `g.note.${c}`).join(","))) {
    e.classList.remove(...NOTE_CLASSES);
    e.removeAttribute("role");
    e.removeAttribute("aria-label");
  }
}

/**
 * Mark `listened` on the notes `byIndex` (each note index's drawn elements, tied parts after the
 * first); returns how many earlier notes were marked (a note the score does not draw is skipped).
 */
export function drawListened(byIndex: ReadonlyMap<number, readonly Element[]>, listened: Listened): number {
  let marked = 0;
  for (const source of listened.sources) {
    const parts = byIndex.get(source.index);
    const first = parts?.[0];
    if (!parts || !first) continue;
    for (const e of parts) e.classList.add("jm-listened-source");
    name(first, sourceText(source, listened.note));
    if (drawSource(first, source)) marked += 1;
  }
  const explained = byIndex.get(listened.note) ?? [];
  for (const e of explained) e.classList.add("jm-explained");
  if (explained[0]) name(explained[0], explainedText(listened));
  return marked;
}

/** A small picture of a mark for the legend (hidden from screen readers: the words say it). */
function swatch(kind: "pitch" | "rhythm"): SVGElement {
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({
    width: 22,
    height: 14,
    viewBox: "0 0 22 14",
    "aria-hidden": "true",
  })) {
    svg.setAttribute(k, String(v));
  }
  svg.classList.add(`jm-swatch-${kind}`);
  const mark =
    kind === "pitch"
      ? svgElement("ellipse", {
          cx: 11,
          cy: 7,
          rx: 8,
          ry: 5.5,
          style: PITCH_PAINT,
          "stroke-width": 2,
        })
      : svgElement("rect", { x: 2, y: 5, width: 18, height: 3, style: RHYTHM_PAINT });
  svg.append(mark);
  return svg;
}

/** Fill `legend` with what the marks of `listened` mean (emptied, and hidden, for none). */
export function showLegend(legend: HTMLElement, listened: Listened | null): void {
  legend.replaceChildren();
  legend.hidden = listened === null;
  if (listened === null) return;
  const words = (text: string): Text => document.createTextNode(text);
  legend.append(
    words(`What the model listened to for note ${listened.note + 1} (red): `),
    swatch("pitch"),
    words(" ring: bits for its pitch; "),
    swatch("rhythm"),
    words(" bar under the staff: bits for its rhythm; thicker = more bits."),
  );
}
