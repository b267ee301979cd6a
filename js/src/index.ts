/**
 * The PianoRoll widget (anywidget entry): draw, edit and hear a melody. Notes are the kernel's:
 * every edit is sent to Python, which validates it and writes the synced `notes` back; the page
 * shows edits at once and then whatever Python accepted.
 */
import type { RenderProps } from "@anywidget/types";
import { MidiRecorder } from "./audio/record";
import { level, Transport } from "./audio/transport";
import { copyBuffer, send, soundFontArrived, soundFontVia } from "./messages";
import { decodeNotes, decodeShading, encodeNotes, type Note } from "./notes";
import type { FromPython, Model } from "./protocol";
import { draw } from "./roll/draw";
import {
  addNote,
  copyNotes,
  deleteNotes,
  endOf,
  hitTest,
  monophonic,
  moveNotes,
  notesEqual,
  pasteNotes,
  resizeNotes,
  selectInBox,
  setVelocity,
} from "./roll/editing";
import {
  fitContent,
  pan,
  snapDown,
  snapNearest,
  type Viewport,
  xToStep,
  yToPitch,
  zoomX,
  zoomY,
} from "./roll/geometry";
import { History } from "./roll/history";
import { scalePitchClasses } from "./roll/scale";
import { buildUi } from "./ui";

/** Traits that only change how the roll looks or sounds (all repaint). */
const SETTINGS = [
  "accent_from",
  "tempo",
  "snap",
  "program",
  "loop",
  "show_scale",
  "velocity",
  "key",
  "height",
  "time_signature",
];

type Drag =
  | { kind: "draw"; index: number; start: number; before: Note[] }
  | { kind: "move"; x: number; y: number; before: Note[]; base: Note[] }
  | { kind: "resize"; x: number; before: Note[]; base: Note[] }
  | { kind: "band"; x0: number; y0: number; x1: number; y1: number }
  | { kind: "pan"; x: number; y: number };

function render({ model, el }: RenderProps<Model>): () => void {
  const ui = buildUi(el);
  const ctx = ui.canvas.getContext("2d") as CanvasRenderingContext2D;
  const history = new History();
  const transport = new Transport(soundFontVia(model));
  let notes = decodeNotes(model.get("notes"));
  let shading = decodeShading(model.get("shading"));
  let reported = -1;
  let selected = new Set<number>();
  let clipboard: Note[] = [];
  let drag: Drag | null = null;
  let frame = 0;
  let view: Viewport = {
    step0: 0,
    pitchTop: 84,
    pxPerStep: 12,
    pxPerPitch: 10,
    keys: 44,
    ruler: 16,
    width: 600,
    height: model.get("height"),
  };
  view = fitContent(view, notes);

  const stepsPerQuarter = (): number => model.get("steps_per_quarter");
  const stepsPerBar = (): number => {
    const [num, den] = model.get("time_signature");
    return Math.max(1, Math.round((num * 4 * stepsPerQuarter()) / den));
  };
  const snap = (): number => (model.get("snap") * stepsPerQuarter()) / 4;

  function status(text: string, error = false): void {
    ui.status.textContent = text;
    ui.status.classList.toggle("jm-error", error);
  }

  function paint(): void {
    frame = 0;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(100, ui.canvas.clientWidth);
    const h = model.get("height");
    if (ui.canvas.width !== Math.round(w * dpr) || ui.canvas.height !== Math.round(h * dpr)) {
      ui.canvas.width = Math.round(w * dpr);
      ui.canvas.height = Math.round(h * dpr);
      ui.canvas.style.height = `${h}px`;
    }
    view = { ...view, width: w, height: h };
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const band = drag?.kind === "band" ? drag : null;
    draw(ctx, view, {
      notes,
      selected,
      stepsPerBar: stepsPerBar(),
      stepsPerBeat: stepsPerQuarter() * (4 / model.get("time_signature")[1]),
      snap: snap(),
      scale: model.get("show_scale") ? scalePitchClasses(model.get("key")) : null,
      playhead: transport.position(),
      band,
      accentFrom: model.get("accent_from"),
      shading,
    });
    ui.canvas.dataset.view = JSON.stringify(view);
    ui.canvas.dataset.notes = String(notes.length);
    ui.canvas.dataset.shading = shading
      ? JSON.stringify(Array.from(shading, (b) => Math.round(b * 1000) / 1000))
      : "";
    if (transport.playing) schedule();
    const single = selected.size === 1 ? ([...selected][0] as number) : -1;
    if (single !== reported && !drag) {
      reported = single;
      model.set("selected", single); // Python's "why" views follow the chosen note
      model.save_changes();
    }
  }

  function schedule(): void {
    if (!frame) frame = requestAnimationFrame(paint);
  }

  /** Show `next` now and ask Python to make it the melody. */
  function commit(next: Note[], reason: string, before: Note[] = notes): void {
    history.push(before);
    notes = monophonic(next);
    send(model, { type: "set-notes", reason }, [encodeNotes(notes)]);
    schedule();
  }

  function restore(state: Note[] | null, reason: string): void {
    if (!state) return;
    notes = state;
    selected = new Set();
    send(model, { type: "set-notes", reason }, [encodeNotes(notes)]);
    schedule();
  }

  // ---------------------------------------------------------------- Python → page
  const onNotes = (): void => {
    const incoming = decodeNotes(model.get("notes"));
    if (drag) return; // the drag's end sends its own result
    if (!notesEqual(incoming, notes)) selected = new Set();
    notes = incoming;
    schedule();
  };
  const onError = (): void => {
    const error = model.get("error");
    if (error) status(error, true);
    else if (ui.status.classList.contains("jm-error")) status("");
  };
  const onSettings = (): void => {
    ui.tempo.value = String(Math.round(model.get("tempo")));
    ui.snap.value = String(model.get("snap"));
    ui.program.value = String(model.get("program"));
    ui.loop.checked = model.get("loop");
    ui.scale.checked = model.get("show_scale");
    ui.velocity.value = String(model.get("velocity"));
    schedule();
  };
  const onMessage = (msg: FromPython, buffers: DataView[]): void => {
    if (msg.type === "soundfont" && buffers[0]) soundFontArrived(buffers[0]);
    else if (msg.type === "soundfont-missing") soundFontArrived(null, msg.reason);
    else if (msg.type === "midi-file" && buffers[0]) {
      const url = URL.createObjectURL(new Blob([copyBuffer(buffers[0])], { type: "audio/midi" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = msg.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } else if (msg.type === "play") void startPlayback();
    else if (msg.type === "stop") stopPlayback();
  };
  const onShading = (): void => {
    shading = decodeShading(model.get("shading"));
    schedule();
  };
  model.on("change:notes", onNotes);
  model.on("change:shading", onShading);
  model.on("change:error", onError);
  for (const name of SETTINGS) model.on(`change:${name}`, onSettings);
  model.on("msg:custom", onMessage);

  // ---------------------------------------------------------------- playback
  async function startPlayback(): Promise<void> {
    try {
      const synth = await transport.play(notes, {
        secondsPerStep: 60 / (model.get("tempo") * stepsPerQuarter()),
        loop: model.get("loop"),
        program: model.get("program"),
        onEnd: () => {
          ui.play.textContent = "▶ Play";
          schedule();
        },
      });
      ui.play.textContent = "■ Stop";
      status(synth.kind === "soundfont" ? "" : `Sound: ${synth.kind}`, synth.kind !== "soundfont");
      send(model, { type: "audio-status", status: synth.kind });
      schedule();
    } catch (err) {
      status(`Audio could not start: ${err instanceof Error ? err.message : String(err)}`, true);
      send(model, { type: "audio-status", status: `failed: ${String(err)}` });
    }
  }
  function stopPlayback(): void {
    transport.stop();
    ui.play.textContent = "▶ Play";
    schedule();
  }
  const preview = (pitch: number, velocity = model.get("velocity")): void => {
    transport.preview(pitch, velocity, model.get("program")).catch((err: unknown) => {
      status(`Audio could not start: ${String(err)}`, true);
    });
  };

  // ---------------------------------------------------------------- mouse
  const point = (e: MouseEvent): { x: number; y: number } => {
    const r = ui.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onDown = (e: MouseEvent): void => {
    ui.root.focus({ preventScroll: true }); // scrolling now would move the note away from the mouse
    ui.popover.hidden = true;
    const { x, y } = point(e);
    if (y < view.ruler) return;
    if (e.button === 1) {
      drag = { kind: "pan", x, y };
      return;
    }
    if (x < view.keys) {
      preview(yToPitch(view, y));
      return;
    }
    const hit = hitTest(view, notes, x, y);
    if (hit) {
      if (!selected.has(hit.index))
        selected = e.shiftKey ? new Set([...selected, hit.index]) : new Set([hit.index]);
      drag =
        hit.part === "end"
          ? { kind: "resize", x, before: notes, base: notes }
          : { kind: "move", x, y, before: notes, base: notes };
      schedule();
      return;
    }
    if (e.shiftKey) {
      drag = { kind: "band", x0: x, y0: y, x1: x, y1: y };
      return;
    }
    const pitch = yToPitch(view, y);
    const start = snapDown(xToStep(view, x), snap());
    const length = Math.max(1, Math.round(snap()) || 1);
    const added = addNote(notes, { pitch, start, duration: length, velocity: model.get("velocity") });
    drag = { kind: "draw", index: added.index, start, before: notes };
    notes = added.notes;
    selected = new Set([added.index]);
    preview(pitch);
    schedule();
  };
  const onMove = (e: MouseEvent): void => {
    if (!drag) return;
    const { x, y } = point(e);
    if (drag.kind === "draw") {
      const { index, start } = drag;
      const end = Math.max(start + 1, snapNearest(xToStep(view, x), snap()) || start + 1);
      notes = notes.map((m, i) => (i === index ? { ...m, duration: end - start } : m));
    } else if (drag.kind === "move") {
      const dStep = snapNearest((x - drag.x) / view.pxPerStep, snap());
      const dPitch = yToPitch(view, y) - yToPitch(view, drag.y);
      notes = moveNotes(drag.base, selected, dStep, dPitch);
    } else if (drag.kind === "resize") {
      const dSteps = snapNearest((x - drag.x) / view.pxPerStep, snap());
      notes = resizeNotes(drag.base, selected, dSteps, 1);
    } else if (drag.kind === "band") {
      drag = { ...drag, x1: x, y1: y };
      selected = selectInBox(
        notes,
        xToStep(view, drag.x0),
        xToStep(view, x),
        yToPitch(view, drag.y0),
        yToPitch(view, y),
      );
    } else if (drag.kind === "pan") {
      view = pan(view, drag.x - x, y - drag.y);
      drag = { ...drag, x, y };
    }
    schedule();
  };
  const onUp = (): void => {
    const d = drag;
    drag = null;
    if (!d) return;
    if (d.kind === "draw") commit(notes, "draw", d.before);
    else if ((d.kind === "move" || d.kind === "resize") && !notesEqual(notes, d.before)) {
      commit(notes, d.kind, d.before);
    }
    schedule();
  };
  const onDouble = (e: MouseEvent): void => {
    const { x, y } = point(e);
    const hit = hitTest(view, notes, x, y);
    if (hit) {
      selected = new Set();
      commit(deleteNotes(notes, new Set([hit.index])), "delete");
    }
  };
  const onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const { x, y } = point(e);
    if (e.ctrlKey || e.metaKey) {
      const factor = Math.exp(-e.deltaY * 0.002);
      view = e.altKey ? zoomY(view, factor, y) : zoomX(view, factor, x);
    } else if (e.shiftKey) view = pan(view, e.deltaY || e.deltaX, 0);
    else view = pan(view, e.deltaX, -e.deltaY);
    schedule();
  };

  // ---------------------------------------------------------------- keyboard
  const onKey = (e: KeyboardEvent): void => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    let handled = true;
    if ((key === "delete" || key === "backspace") && selected.size) {
      const gone = selected;
      selected = new Set();
      commit(deleteNotes(notes, gone), "delete");
    } else if (mod && key === "z" && !e.shiftKey) restore(history.undo(notes), "undo");
    else if (mod && (key === "y" || (key === "z" && e.shiftKey))) restore(history.redo(notes), "redo");
    else if (mod && key === "a") selected = new Set(notes.map((_, i) => i));
    else if (mod && key === "c") clipboard = copyNotes(notes, selected);
    else if (mod && key === "v" && clipboard.length) {
      const at = selected.size
        ? Math.max(...[...selected].map((i) => (notes[i] as Note).start + (notes[i] as Note).duration))
        : endOf(notes);
      const pasted = pasteNotes(notes, clipboard, at);
      commit(pasted.notes, "paste");
      selected = pasted.pasted;
    } else if (key === "escape") {
      selected = new Set();
      ui.popover.hidden = true;
    } else if (key.startsWith("arrow") && selected.size) {
      const octave = e.shiftKey ? 12 : 1;
      const step = Math.max(1, Math.round(snap()) || 1);
      const [ds, dp] = {
        arrowup: [0, octave],
        arrowdown: [0, -octave],
        arrowleft: [-step, 0],
        arrowright: [step, 0],
      }[key] ?? [0, 0];
      commit(moveNotes(notes, selected, ds ?? 0, dp ?? 0), "arrow");
    } else if (key === "f" && !mod) view = fitContent(view, notes);
    else if (key === " ") {
      if (transport.playing) stopPlayback();
      else void startPlayback();
    } else if (key === "?") ui.popover.hidden = !ui.popover.hidden;
    else if ((key === "+" || key === "=") && !mod) view = zoomX(view, 1.25, view.width / 2);
    else if (key === "-" && !mod) view = zoomX(view, 0.8, view.width / 2);
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation(); // keep Jupyter's own shortcuts out while the roll has focus
      schedule();
    }
  };

  // ---------------------------------------------------------------- toolbar, files, MIDI input
  ui.play.onclick = () => (transport.playing ? stopPlayback() : void startPlayback());
  const setTrait = <K extends keyof Model>(name: K, value: Model[K]): void => {
    model.set(name, value);
    model.save_changes();
  };
  ui.scale.onchange = () => setTrait("show_scale", ui.scale.checked);
  ui.loop.onchange = () => setTrait("loop", ui.loop.checked);
  ui.snap.onchange = () => setTrait("snap", Number(ui.snap.value));
  ui.program.onchange = () => setTrait("program", Number(ui.program.value));
  ui.tempo.onchange = () => {
    const t = Number(ui.tempo.value);
    if (Number.isFinite(t) && t >= 1 && t <= 1000) setTrait("tempo", t);
    else status("Tempo must be between 1 and 1000 quarter notes per minute.", true);
  };
  ui.velocity.onchange = () => {
    const v = Number(ui.velocity.value);
    setTrait("velocity", v);
    if (selected.size) commit(setVelocity(notes, selected, v), "velocity");
  };
  ui.fit.onclick = () => {
    view = fitContent(view, notes);
    schedule();
  };
  ui.help.onclick = () => {
    ui.popover.hidden = !ui.popover.hidden;
  };
  ui.download.onclick = () => send(model, { type: "export-midi" });
  const importFile = async (file: File): Promise<void> => {
    history.push(notes);
    send(model, { type: "import-midi", name: file.name }, [await file.arrayBuffer()]);
  };
  ui.open.onclick = () => ui.file.click();
  ui.file.onchange = () => {
    const f = ui.file.files?.[0];
    if (f) void importFile(f);
    ui.file.value = "";
  };
  const onDragOver = (e: DragEvent): void => e.preventDefault();
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    const f = e.dataTransfer?.files?.[0];
    if (f) void importFile(f);
  };
  const recorder = new MidiRecorder();
  ui.record.hidden = !MidiRecorder.available();
  ui.record.onclick = async () => {
    if (recorder.recording) {
      const offset = endOf(notes);
      const take = recorder.stop().map((n) => ({ ...n, start: n.start + offset }));
      ui.record.textContent = "● Rec";
      if (take.length) commit([...notes, ...take], "record");
      return;
    }
    try {
      const stepAt = (ms: number): number =>
        snapNearest((ms / 1000) * (model.get("tempo") / 60) * stepsPerQuarter(), snap());
      if ((await recorder.start(stepAt, (pitch, velocity) => preview(pitch, velocity))) === 0) {
        status("No MIDI keyboard is connected.", true);
      } else {
        ui.record.textContent = "■ Stop rec";
        status("Recording from the MIDI keyboard: play, then press Stop rec.");
      }
    } catch (err) {
      status(`MIDI input is not available here (${String(err)}).`, true);
    }
  };

  ui.canvas.addEventListener("mousedown", onDown);
  window.addEventListener("mousemove", onMove);
  window.addEventListener("mouseup", onUp);
  ui.canvas.addEventListener("dblclick", onDouble);
  ui.canvas.addEventListener("wheel", onWheel, { passive: false });
  ui.canvas.addEventListener("contextmenu", (e) => e.preventDefault());
  ui.root.addEventListener("keydown", onKey);
  ui.root.addEventListener("dragover", onDragOver);
  ui.root.addEventListener("drop", onDrop);
  const resize = new ResizeObserver(() => schedule());
  resize.observe(ui.root);
  onSettings();
  onError();
  schedule();
  // hooks for the browser tests and benchmarks: the audio level, and one pan/zoom step painted now
  const hooks = ui.root as HTMLElement & {
    __jupymuseLevel?: () => number;
    __jupymuseFrame?: (action: "pan" | "zoom", amount: number) => number;
  };
  hooks.__jupymuseLevel = level;
  hooks.__jupymuseFrame = (action, amount) => {
    view = action === "pan" ? pan(view, amount, 0) : zoomX(view, amount, view.width / 2);
    const t0 = performance.now();
    paint();
    return performance.now() - t0;
  };

  return () => {
    transport.stop();
    resize.disconnect();
    window.removeEventListener("mousemove", onMove);
    window.removeEventListener("mouseup", onUp);
    model.off("change:notes", onNotes);
    model.off("change:shading", onShading);
    model.off("change:error", onError);
    model.off("msg:custom", onMessage);
    for (const name of SETTINGS) model.off(`change:${name}`, onSettings);
    if (frame) cancelAnimationFrame(frame);
    recorder.dispose();
    el.replaceChildren();
  };
}

export default { render };
