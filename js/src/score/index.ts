/**
 * The score view (anywidget entry, bundled as static/score.js): Python's engraved SVG shown on its
 * white paper, the selected note marked, the note under the roll's playhead marked while it plays
 * (see link.ts), and a click on a note sent to Python, which selects it on the roll.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import { PLAYHEAD_EVENT, type PlayheadDetail, sameStudio } from "../link";
import { moveMark, noteIndexOf, notesByIndex, soundingNote } from "./notes";
import type { ScoreModel, ScoreToPython } from "./protocol";

/** The selected note: the roll's selection colour; the sounding note: a blue that reads on white. */
const SCORE_CSS = `
  .jupymuse-score-view{max-width:100%;overflow-x:auto}
  .jupymuse-score-view svg.jupymuse-score{display:block;width:100%;height:auto;border:1px solid var(--jp-border-color2, #e0e0e0);border-radius:2px}
  .jupymuse-score-view g.note{cursor:pointer;pointer-events:bounding-box}
  .jupymuse-score-view g.note.jm-selected{color:#c8283c;fill:#c8283c}
  .jupymuse-score-view g.note.jm-playing{color:#1565c0;fill:#1565c0}
  .jm-score-message{padding:6px 2px;color:var(--jp-ui-font-color1, #1f1f1f)}
  .jm-score-message:empty{display:none}`;

/** The score fills the tab's width, up to this many times its engraved size (a projector in class). */
const MAX_ZOOM = 1.5;

/** Marks `selected` and `playing` on the notes of the SVG shown now. */
class Marks {
  private byIndex = new Map<number, Element[]>();
  private selected = -1;
  private playing = -1;

  /** A new SVG was shown: find its notes and mark them again. */
  reset(paper: Element): void {
    this.byIndex = notesByIndex(paper.querySelectorAll("g.note"));
    for (const [cls, index] of [
      ["jm-selected", this.selected],
      ["jm-playing", this.playing],
    ] as const) {
      moveMark(this.byIndex, cls, -1, index);
    }
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
  const paper = document.createElement("div");
  paper.className = "jm-score-paper";
  root.append(style, message, paper);
  el.append(root);
  const marks = new Marks();

  const onSvg = (): void => {
    paper.innerHTML = model.get("svg"); // the kernel's own SVG (verovio's output, no scripts)
    const svg = paper.querySelector("svg");
    const width = Number.parseFloat(svg?.getAttribute("width") ?? "");
    if (svg && width > 0) svg.style.maxWidth = `${MAX_ZOOM * width}px`;
    marks.reset(paper);
    root.dataset.notes = String(model.get("spans").length / 2);
  };
  const onMessage = (): void => {
    message.textContent = model.get("message");
    paper.hidden = model.get("message") !== "";
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
    paper.removeEventListener("click", onClick);
    document.removeEventListener(PLAYHEAD_EVENT, onPlayhead);
    el.replaceChildren();
  };
}

function send(model: AnyModel<ScoreModel>, msg: ScoreToPython): void {
  model.send(msg);
}

export default { render };
