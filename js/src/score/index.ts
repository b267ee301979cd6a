/**
 * The score view (anywidget entry, bundled as static/score.js): Python's engraved SVG shown on its
 * white paper, the selected note marked, the note under the roll's playhead marked while it plays
 * (see link.ts), what a model listened to marked with a legend (listened_draw.ts), and a click on a
 * note sent to Python, which selects it on the roll.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import { PLAYHEAD_EVENT, type PlayheadDetail, sameStudio } from "../link";
import { type Listened, readListened } from "./listened";
import { clearListened, drawListened, laidOut, showLegend } from "./listened_draw";
import { moveMark, noteIndexOf, notesByIndex, soundingNote } from "./notes";
import type { ScoreModel, ScoreToPython } from "./protocol";

/**
 * The selected note and the note a model's marks explain: the roll's selection colour; the sounding
 * note: a blue that reads on white. The legend of those marks is on white paper too, in either theme.
 */
const SCORE_CSS = `
  .jupymuse-score-view{max-width:100%;overflow-x:auto}
  .jupymuse-score-view svg.jupymuse-score{display:block;width:100%;height:auto;border:1px solid var(--jp-border-color2, #e0e0e0);border-radius:2px}
  .jupymuse-score-view g.note{cursor:pointer;pointer-events:bounding-box}
  .jupymuse-score-view g.note.jm-selected,.jupymuse-score-view g.note.jm-explained{color:#c8283c;fill:#c8283c}
  .jupymuse-score-view g.note.jm-playing{color:#1565c0;fill:#1565c0}
  .jm-score-message{padding:6px 2px;color:var(--jp-ui-font-color1, #1f1f1f)}
  .jm-score-message:empty{display:none}
  .jm-score-legend{box-sizing:border-box;background:#ffffff;color:#1f1f1f;border:1px solid var(--jp-border-color2, #e0e0e0);border-bottom:none;border-radius:2px 2px 0 0;padding:2px 6px;font-size:12px;line-height:18px}
  .jm-score-legend svg{vertical-align:middle}
  .jm-score-legend[hidden]{display:none}`;

/** The score fills the tab's width, up to this many times its engraved size (a projector in class). */
const MAX_ZOOM = 1.5;

/** Marks `selected`, `playing` and what a model listened to on the notes of the SVG shown now. */
class Marks {
  private byIndex = new Map<number, Element[]>();
  private paper: Element | null = null;
  private selected = -1;
  private playing = -1;
  private heard: Listened | null = null;
  /** Earlier notes marked as listened to (for tests and the page's data attributes). */
  marked = 0;
  /** Marks wait for the score to be laid out (not yet in the page, or in a hidden tab). */
  private waiting = false;

  /** A new SVG was shown: find its notes and mark them again. */
  reset(paper: Element): void {
    this.paper = paper;
    this.byIndex = notesByIndex(paper.querySelectorAll("g.note"));
    for (const [cls, index] of [
      ["jm-selected", this.selected],
      ["jm-playing", this.playing],
    ] as const) {
      moveMark(this.byIndex, cls, -1, index);
    }
    this.listened(this.heard);
  }

  /** Mark what a model listened to (null: take the marks off); drawn once the score can be measured. */
  listened(value: Listened | null): void {
    this.heard = value;
    if (!this.paper) return;
    clearListened(this.paper);
    this.waiting = value !== null && !laidOut(this.paper);
    this.marked = value && !this.waiting ? drawListened(this.byIndex, value) : 0;
  }

  /** The score was laid out (shown, resized): draw the marks that waited for it; true if any did. */
  laidOut(): boolean {
    if (!this.waiting) return false;
    this.listened(this.heard);
    return !this.waiting;
  }

  select(index: number): void {
    moveMark(this.byIndex, "jm-selected", this.selected, index);
    this.selected = index;
  }

  play(index: number): void {
    if (index === this.playing) return;
    moveMark(this.byIndex, "jm-playing", this.playing, index);
    this.playing = index;
  }

  get sounding(): number {
    return this.playing;
  }
}

function render({ model, el }: RenderProps<ScoreModel>): () => void {
  const root = document.createElement("div");
  root.className = "jupymuse-score-view";
  const style = document.createElement("style");
  style.textContent = SCORE_CSS;
  const message = document.createElement("div");
  message.className = "jm-score-message";
  message.setAttribute("role", "status");
  const legend = document.createElement("div");
  legend.className = "jm-score-legend";
  const paper = document.createElement("div");
  paper.className = "jm-score-paper";
  root.append(style, message, legend, paper);
  el.append(root);
  const marks = new Marks();

  const onSvg = (): void => {
    paper.innerHTML = model.get("svg"); // the kernel's own SVG (verovio's output, no scripts)
    const svg = paper.querySelector("svg");
    const width = Number.parseFloat(svg?.getAttribute("width") ?? "");
    if (svg && width > 0) {
      svg.style.maxWidth = `${MAX_ZOOM * width}px`;
      legend.style.maxWidth = svg.style.maxWidth; // the legend sits on the paper's top edge
    }
    marks.reset(paper);
    root.dataset.notes = String(model.get("spans").length / 2);
    root.dataset.listened = String(marks.marked);
  };
  const onListened = (): void => {
    const value = readListened(model.get("listened"));
    marks.listened(value);
    showLegend(legend, value && !paper.hidden ? value : null);
    root.dataset.listened = String(marks.marked);
  };
  const onMessage = (): void => {
    message.textContent = model.get("message");
    paper.hidden = model.get("message") !== "";
    onListened();
  };
  const onSelected = (): void => marks.select(model.get("selected"));
  const onClick = (e: MouseEvent): void => {
    const note = e.target instanceof Element ? e.target.closest("g.note") : null;
    const index = note ? noteIndexOf(note.id) : -1;
    if (index < 0) return;
    marks.select(index); // at once; Python's `selected` follows
    send(model, { type: "select-note", index });
  };
  const onPlayhead = (e: Event): void => {
    if (!sameStudio(el, e.target)) return;
    const { step } = (e as CustomEvent<PlayheadDetail>).detail;
    marks.play(soundingNote(model.get("spans"), step));
    root.dataset.playing = String(marks.sounding);
  };
  model.on("change:svg", onSvg);
  model.on("change:spans", onSvg);
  model.on("change:message", onMessage);
  model.on("change:selected", onSelected);
  model.on("change:listened", onListened);
  const layout = new ResizeObserver(() => {
    if (marks.laidOut()) root.dataset.listened = String(marks.marked);
  });
  layout.observe(paper);
  paper.addEventListener("click", onClick);
  document.addEventListener(PLAYHEAD_EVENT, onPlayhead);
  onSvg();
  onMessage();
  onSelected();
  return () => {
    model.off("change:svg", onSvg);
    model.off("change:spans", onSvg);
    model.off("change:message", onMessage);
    model.off("change:selected", onSelected);
    model.off("change:listened", onListened);
    layout.disconnect();
    paper.removeEventListener("click", onClick);
    document.removeEventListener(PLAYHEAD_EVENT, onPlayhead);
    el.replaceChildren();
  };
}

function send(model: AnyModel<ScoreModel>, msg: ScoreToPython): void {
  model.send(msg);
}

export default { render };
