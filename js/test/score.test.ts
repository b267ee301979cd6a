/** The score view's logic without a browser: SVG ids to note indexes, the sounding note, the marks, the playhead link. */
import { describe, expect, it } from "vitest";
import { announcePlayhead, PLAYHEAD_EVENT, type PlayheadDetail } from "../src/link";
import { moveMark, noteIndexOf, notesByIndex, soundingNote } from "../src/score/notes";
import { KernelRequests } from "../src/toolbar";

/** An element stand-in: an id and a class list. */
function el(id: string): { id: string; classList: Set<string> & { remove(c: string): boolean } } {
  const classList = new Set<string>() as Set<string> & { remove(c: string): boolean };
  classList.remove = (c: string) => classList.delete(c);
  return { id, classList };
}

describe("note ids", () => {
  it("map a note and its tied parts to the melody index", () => {
    expect(noteIndexOf("jm89952b45-n0")).toBe(0);
    expect(noteIndexOf("jm89952b45-n17")).toBe(17);
    expect(noteIndexOf("jm89952b45-n5-1")).toBe(5);
    expect(noteIndexOf("jm89952b45-n5-12")).toBe(5);
  });

  it("ignore rests, verovio's own ids and look-alikes", () => {
    for (const id of ["jm89952b45-r3", "s177yk44", "", "n5", "jm89952b45-n", "xjm89952b45-n5", "jmZZ-n5"]) {
      expect(noteIndexOf(id)).toBe(-1);
    }
  });

  it("group the drawn elements by note", () => {
    const elements = [el("jmab-n0"), el("jmab-r1"), el("jmab-n1"), el("jmab-n1-1"), el("t19r4c1y")];
    const byIndex = notesByIndex(elements);
    expect([...byIndex.keys()]).toEqual([0, 1]);
    expect(byIndex.get(1)?.map((e) => e.id)).toEqual(["jmab-n1", "jmab-n1-1"]);
  });
});

describe("the sounding note", () => {
  // G4:4 A4:4 r:4 B4:8 -> spans [0,4] [4,8] [12,20]
  const spans = [0, 4, 4, 8, 12, 20];

  it("is the note whose span holds the playhead", () => {
    expect(soundingNote(spans, 0)).toBe(0);
    expect(soundingNote(spans, 3.9)).toBe(0);
    expect(soundingNote(spans, 4)).toBe(1);
    expect(soundingNote(spans, 12.5)).toBe(2);
    expect(soundingNote(spans, 19.99)).toBe(2);
  });

  it("is none in a rest, before the first note, after the last, or when stopped", () => {
    expect(soundingNote(spans, 9)).toBe(-1);
    expect(soundingNote(spans, -1)).toBe(-1);
    expect(soundingNote(spans, 20)).toBe(-1);
    expect(soundingNote(spans, null)).toBe(-1);
    expect(soundingNote(spans, Number.NaN)).toBe(-1);
    expect(soundingNote([], 3)).toBe(-1);
  });

  it("is found quickly in a long melody", () => {
    const long = Array.from({ length: 8000 }, (_, i) => (i % 2 ? i + 1 : i)); // note k: [2k, 2k+2)
    expect(soundingNote(long, 7001)).toBe(3500);
  });
});

describe("marks", () => {
  it("move from one note's elements to another's, tied parts included", () => {
    const elements = [el("jmab-n0"), el("jmab-n1"), el("jmab-n1-1")];
    const byIndex = notesByIndex(elements);
    moveMark(byIndex, "jm-playing", -1, 1);
    expect(elements.map((e) => e.classList.has("jm-playing"))).toEqual([false, true, true]);
    moveMark(byIndex, "jm-playing", 1, 0);
    expect(elements.map((e) => e.classList.has("jm-playing"))).toEqual([true, false, false]);
    moveMark(byIndex, "jm-playing", 0, -1);
    expect(elements.some((e) => e.classList.has("jm-playing"))).toBe(false);
  });
});

describe("the playhead link", () => {
  it("announces the step as a bubbling event", () => {
    const target = new EventTarget();
    const heard: (number | null)[] = [];
    target.addEventListener(PLAYHEAD_EVENT, (e) => {
      expect(e.bubbles).toBe(true);
      heard.push((e as CustomEvent<PlayheadDetail>).detail.step);
    });
    announcePlayhead(target, 6.5);
    announcePlayhead(target, null);
    expect(heard).toEqual([6.5, null]);
  });
});

describe("a file asked of the kernel", () => {
  it("says so when no answer comes, and not when one does", async () => {
    let silences = 0;
    const requests = new KernelRequests(() => silences++, 20);
    requests.ask(() => {});
    requests.arrived();
    await new Promise((r) => setTimeout(r, 40));
    expect(silences).toBe(0);
    requests.ask(() => {});
    expect(requests.waiting).toBe(true);
    await new Promise((r) => setTimeout(r, 40));
    expect(silences).toBe(1);
    requests.ask(() => {
      throw new Error("no comm");
    });
    expect(silences).toBe(2);
    expect(requests.waiting).toBe(false);
  });
});
