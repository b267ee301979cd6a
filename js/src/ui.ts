/** The widget's DOM: toolbar, canvas, status line and the shortcuts popover. */
import { GM_PROGRAMS } from "./audio/gm";
import { NOTE_LENGTHS } from "./roll/length";

export const SHORTCUTS: readonly [string, string][] = [
  ["click or tap on empty space", "draw a note of the chosen note length"],
  ["drag on empty space", "draw a note as long as the drag (that length becomes the choice)"],
  ["Shift + drag", "select with a rubber band"],
  ["Shift + click a note", "select every note from the selection to it (a span to Fill or Vary)"],
  ["Ctrl + click a note", "add it to the selection, or take it out"],
  ["click / drag on the ruler", "select that bar / the steps dragged over (snapped to the grid)"],
  ["drag a note / its right edge", "move / resize (the selection moves together)"],
  ["double-click (double-tap) a note", "delete it"],
  ["Delete, Backspace", "delete the selection"],
  ["Ctrl+C, Ctrl+V", "copy, paste after the selection"],
  ["Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y", "undo, redo"],
  ["Ctrl+A, Escape", "select all, select none"],
  ["arrow keys (Shift: octave)", "move the selection by a snap step or a semitone"],
  ["wheel, Shift+wheel", "scroll pitches, scroll time"],
  ["Ctrl+wheel, Ctrl+Alt+wheel, + / -", "zoom time, zoom pitches, zoom time"],
  ["middle-drag", "pan"],
  ["F", "fit the melody in view"],
  ["Space", "play / stop"],
  ["click a key", "hear that pitch"],
];

export const SNAPS: readonly [string, number][] = [
  ["1/16", 1],
  ["1/8", 2],
  ["1/4", 4],
  ["1/2", 8],
  ["1 bar", 16],
  ["1/16 triplet", 4 / 3],
  ["1/8 triplet", 8 / 3],
  ["free", 0],
];

/**
 * The roll's stylesheet: every colour from JupyterLab's theme variables, with light fallbacks for
 * front ends that define none (the canvas reads the same variables, see roll/palette.ts).
 */
const FG = "var(--jp-ui-font-color1, #1f1f1f)";
const BG = "var(--jp-layout-color1, #ffffff)";
const BG0 = "var(--jp-layout-color0, #ffffff)";
const BORDER = "var(--jp-border-color1, #bdbdbd)";
const ROLL_CSS = `
  .jupymuse-roll{font:12px var(--jp-ui-font-family, sans-serif);color:${FG};background:${BG0};border:1px solid ${BORDER};border-radius:4px;outline:none;position:relative;user-select:none}
  .jupymuse-roll:focus{border-color:var(--jp-brand-color1, #1976d2)}
  .jm-toolbar{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;padding:4px;background:var(--jp-layout-color2, #eeeeee);color:${FG}}
  .jm-group{display:inline-flex;flex:0 0 auto;gap:6px;align-items:center;white-space:nowrap}
  .jm-group label{display:inline-flex;gap:3px;align-items:center}
  .jm-toolbar button{white-space:nowrap;flex:0 0 auto}
  .jm-velocity{width:110px}
  .jm-toolbar button,.jm-toolbar select,.jm-toolbar input[type=number]{font:inherit;color:${FG};background:${BG};border:1px solid ${BORDER};border-radius:2px;padding:1px 6px}
  .jm-toolbar button:hover:enabled{background:var(--jp-layout-color3, #bdbdbd)}
  .jm-toolbar button:disabled,.jm-toolbar select:disabled,.jm-toolbar input:disabled{opacity:.45;cursor:not-allowed}
  .jm-toolbar input[type=checkbox],.jm-toolbar input[type=range]{accent-color:var(--jp-brand-color1, #1976d2)}
  .jm-toolbar input[type=number]{width:52px}
  .jm-canvas{display:block;width:100%;cursor:crosshair;touch-action:none}
  .jm-status{min-height:16px;padding:2px 6px;color:${FG};background:${BG0}}
  .jm-status.jm-error{color:var(--jp-error-color1, #b71c1c);font-weight:bold}
  .jm-popover{position:absolute;right:8px;top:36px;color:${FG};background:${BG};border:1px solid ${BORDER};padding:8px;z-index:10;box-shadow:0 2px 8px rgba(0,0,0,.3)}
  .jm-popover td{padding:1px 8px 1px 0}`;

function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text = "",
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

/** A checkbox with its text in a label (the tooltip on both); returns [label, checkbox]. */
function checkbox(cls: string, text: string, title: string): [HTMLLabelElement, HTMLInputElement] {
  const label = make("label", { title });
  const box = make("input", { type: "checkbox", class: cls, title });
  label.append(box, text);
  return [label, box];
}

/** The "?" popover: the table of SHORTCUTS. */
function shortcutsPopover(): HTMLDivElement {
  const popover = make("div", { class: "jm-popover", hidden: "" });
  const table = make("table");
  for (const [keys, what] of SHORTCUTS) {
    const row = make("tr");
    row.append(make("td", {}, keys), make("td", {}, what));
    table.append(row);
  }
  popover.append(make("strong", {}, "Piano roll shortcuts"), table);
  return popover;
}

export interface Ui {
  root: HTMLDivElement;
  canvas: HTMLCanvasElement;
  play: HTMLButtonElement;
  loop: HTMLInputElement;
  follow: HTMLInputElement;
  tempo: HTMLInputElement;
  snap: HTMLSelectElement;
  /** The note length a click draws (the `note_length` trait, in sixteenths). */
  length: HTMLSelectElement;
  program: HTMLSelectElement;
  velocity: HTMLInputElement;
  scale: HTMLInputElement;
  fit: HTMLButtonElement;
  download: HTMLButtonElement;
  musicxml: HTMLButtonElement;
  abc: HTMLButtonElement;
  record: HTMLButtonElement;
  help: HTMLButtonElement;
  popover: HTMLDivElement;
  status: HTMLDivElement;
  file: HTMLInputElement;
  open: HTMLButtonElement;
}

/** The toolbar's controls (the rest of `Ui` is the roll's frame). */
type Controls = Omit<Ui, "root" | "canvas" | "popover" | "status">;

/** Toolbar controls in a span that wraps as a whole, so a narrow notebook gets tidy rows and no control is cut. */
function group(...parts: (Node | string)[]): HTMLSpanElement {
  const g = make("span", { class: "jm-group" });
  g.append(...parts);
  return g;
}

/** One group of the toolbar: its node and the controls in it. */
interface Group<K extends keyof Controls> {
  node: HTMLSpanElement;
  controls: Pick<Controls, K>;
}

/** Play, loop and follow the playhead. */
function playGroup(): Group<"play" | "loop" | "follow"> {
  const play = make("button", { class: "jm-play", title: "Play / stop (Space)" }, "▶ Play");
  const [loopLabel, loop] = checkbox("jm-loop", "loop", "Loop: play again from the start");
  const [followLabel, follow] = checkbox(
    "jm-follow",
    "⇥ follow",
    "Follow the playhead: while playing, turn the page when it leaves the view " +
      "(scrolling by hand while playing waits until the playhead is back in view)",
  );
  return { node: group(play, loopLabel, followLabel), controls: { play, loop, follow } };
}

/** Time: the tempo, the snap grid and the note length a click draws. */
function timeGroup(): Group<"tempo" | "snap" | "length"> {
  const tempo = make("input", {
    type: "number",
    min: "20",
    max: "400",
    step: "1",
    class: "jm-tempo",
    title: "Tempo (quarter notes per minute)",
  });
  const snapTitle = "Snap: the grid notes are drawn and moved on";
  const snap = make("select", { class: "jm-snap", title: snapTitle, "aria-label": "Snap" });
  for (const [name, steps] of SNAPS) snap.append(make("option", { value: String(steps) }, name));
  const snapLabel = make("label", { class: "jm-snap-label", title: snapTitle }, "snap");
  snapLabel.append(snap);
  const lengthTitle =
    "Note length: how long a note you click is. Drag to draw a longer or shorter one; " +
    "the length you draw or resize last becomes the choice.";
  const length = make("select", { class: "jm-length", title: lengthTitle, "aria-label": "Note length" });
  for (const [name, sixteenths] of NOTE_LENGTHS) {
    length.append(make("option", { value: String(sixteenths) }, name));
  }
  const lengthLabel = make("label", { class: "jm-length-label", title: lengthTitle }, "note");
  lengthLabel.append(length);
  const tempoLabel = make("label", { title: "Tempo (quarter notes per minute)" }, "♩=");
  tempoLabel.append(tempo);
  return { node: group(tempoLabel, snapLabel, lengthLabel), controls: { tempo, snap, length } };
}

/** The instrument: the 128 General MIDI programs, numbered from 1 as instrument lists do. */
function programGroup(): Group<"program"> {
  const program = make("select", { class: "jm-program", title: "Instrument (General MIDI)" });
  GM_PROGRAMS.forEach((name, i) => {
    program.append(make("option", { value: String(i) }, `${i + 1} ${name}`));
  });
  return { node: group(program), controls: { program } };
}

/** The velocity of new and selected notes, and the key's notes shaded. */
function velocityGroup(): Group<"velocity" | "scale"> {
  const velocityTitle = "Velocity (loudness, 1-127) of new and selected notes";
  const velocity = make("input", {
    type: "range",
    min: "1",
    max: "127",
    class: "jm-velocity",
    title: velocityTitle,
  });
  const velocityLabel = make("label", { class: "jm-velocity-label", title: velocityTitle }, "vel");
  velocityLabel.append(velocity);
  const [scaleLabel, scale] = checkbox("jm-scale", "scale", "Highlight the notes of the melody's key");
  return { node: group(velocityLabel, scaleLabel), controls: { velocity, scale } };
}

/** Fit, open a MIDI or ABC file, recording and the shortcuts' "?". */
function actionsGroup(): Group<"fit" | "record" | "help" | "file" | "open"> {
  const fit = make("button", { class: "jm-fit", title: "Fit the melody in view (F)" }, "Fit");
  const open = make(
    "button",
    { class: "jm-open", title: "Open a MIDI or ABC file (or drop one on the roll)" },
    "Open…",
  );
  const file = make("input", {
    type: "file",
    accept: ".mid,.midi,audio/midi,.abc",
    class: "jm-file",
    style: "display:none",
  });
  const record = make("button", { class: "jm-record", title: "Record from a MIDI keyboard" }, "● Rec");
  const help = make("button", { class: "jm-help", title: "Keyboard shortcuts" }, "?");
  return { node: group(fit, open, file, record, help), controls: { fit, record, help, file, open } };
}

/** The downloads: MIDI, MusicXML or ABC (a group of their own, so a narrow notebook wraps them apart). */
function downloadsGroup(): Group<"download" | "musicxml" | "abc"> {
  const download = make(
    "button",
    { class: "jm-download", title: "Download the melody as a MIDI file" },
    "⬇ .mid",
  );
  const musicxml = make(
    "button",
    {
      class: "jm-musicxml",
      title: "Download the melody as MusicXML (for MuseScore and other notation programs)",
    },
    "⬇ .musicxml",
  );
  const abc = make(
    "button",
    { class: "jm-abc", title: "Download the melody as an ABC tune (the folk musicians' text notation)" },
    "⬇ .abc",
  );
  return { node: group(download, musicxml, abc), controls: { download, musicxml, abc } };
}

/** The toolbar: its controls, in groups that wrap as wholes. */
function buildToolbar(): { bar: HTMLDivElement; controls: Controls } {
  const bar = make("div", { class: "jm-toolbar" });
  const groups = [
    playGroup(),
    timeGroup(),
    programGroup(),
    velocityGroup(),
    actionsGroup(),
    downloadsGroup(),
  ] as const;
  bar.append(...groups.map((g) => g.node));
  const [play, time, program, velocity, files, downloads] = groups;
  const controls = {
    ...play.controls,
    ...time.controls,
    ...program.controls,
    ...velocity.controls,
    ...files.controls,
    ...downloads.controls,
  };
  return { bar, controls };
}

export function buildUi(el: HTMLElement): Ui {
  // data-lm-suppress-shortcuts: Jupyter's own shortcuts (Ctrl+Z, arrows...) stay out while the roll has focus
  const root = make("div", { class: "jupymuse-roll", tabindex: "0", "data-lm-suppress-shortcuts": "true" });
  const { bar, controls } = buildToolbar();
  const canvas = make("canvas", { class: "jm-canvas" });
  const status = make("div", { class: "jm-status", role: "status" });
  const popover = shortcutsPopover();
  const style = make("style");
  style.textContent = ROLL_CSS;
  root.append(style, bar, canvas, status, popover);
  el.append(root);
  return { root, canvas, popover, status, ...controls };
}

/** Show `text` in the status line (in red when it is an error). */
export function showStatus(ui: Ui, text: string, error = false): void {
  ui.status.textContent = text;
  ui.status.classList.toggle("jm-error", error);
}
