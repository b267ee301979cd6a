/**
 * The canvas's colours, read from JupyterLab's `--jp-*` CSS variables at paint time (so a theme
 * change shows at the next paint), with light fallbacks for front ends that define none. Note fills
 * (blue, orange accent, red selection) stay fixed in draw.ts: they read on both backgrounds. The
 * outlines of generated and selected notes, and the arcs of "what the model listened to" (arcs.ts),
 * are chosen per theme: of a dark and a light shade, the one that stands out more from the roll's
 * background (at least 3:1, WCAG's figure for graphics).
 */
import { contrast, parseColour, type Rgba } from "./colour";

/** The colours taken from the page's theme. */
export interface ThemeColours {
  /** White-key rows of the grid. */
  background: string;
  /** Ink: key and ruler labels, and (at low alpha) black-key rows, fine grid lines, the black keys. */
  text: string;
  /** The ruler strip along the top. */
  ruler: string;
  /** Bar lines, the octave line and the ruler's edge. */
  gridBar: string;
  /** Beat lines and the lines between keys. */
  gridBeat: string;
  /** White keys of the keyboard. */
  keyWhite: string;
  /** Tint of the rows in the key when the scale is shown. */
  scale: string;
}

/** The theme's colours and the outlines chosen for its background. */
export interface Palette extends ThemeColours {
  /** Outline of generated notes (from `accent_from` on): dark orange on a light roll, light orange on a dark one. */
  accentOutline: string;
  /** Outline of selected notes: dark red on a light roll, pink on a dark one. */
  selectionOutline: string;
  /** Arcs of bits toward the explained note's pitch (solid): dark teal on a light roll, light teal on a dark one. */
  pitchArc: string;
  /** Arcs of bits toward its rhythm (dashed): brown on a light roll, amber on a dark one. */
  rhythmArc: string;
}

/** The chosen colours: outlines and arcs. */
type Chosen = "accentOutline" | "selectionOutline" | "pitchArc" | "rhythmArc";

/** The two shades each outline and arc chooses from: [for a light background, for a dark one]. */
export const OUTLINES: Readonly<Record<Chosen, readonly [string, string]>> = {
  accentOutline: ["#a34a00", "#ffa94d"],
  selectionOutline: ["#7a0f20", "#ff8fa3"],
  pitchArc: ["#00695c", "#4fd1c5"],
  rhythmArc: ["#8d5a00", "#ffc94d"],
};

/** WCAG's least contrast for graphics that must be seen (non-text contrast, 1.4.11). */
export const GRAPHIC_CONTRAST = 3;

/**
 * Of `shades`, the one with the higher contrast against `background`; on a background neither reaches
 * 3:1 against (a mid grey), black or white, whichever stands out more. The light theme's shade when the
 * background cannot be read.
 */
export function outlineFor(shades: readonly [string, string], background: Rgba | null): string {
  if (!background) return shades[0];
  const on = (shade: string): number => contrast(parseColour(shade) as Rgba, background);
  const [dark, light] = shades;
  const shade = on(light) > on(dark) ? light : dark;
  if (on(shade) >= GRAPHIC_CONTRAST) return shade;
  return on("#ffffff") > on("#000000") ? "#ffffff" : "#000000";
}

/** Each colour: the variable it comes from and the fallback when the page has no such variable. */
export const PALETTE_SOURCES: Readonly<Record<keyof ThemeColours, readonly [string, string]>> = {
  background: ["--jp-layout-color1", "#ffffff"],
  text: ["--jp-ui-font-color1", "#1f1f1f"],
  ruler: ["--jp-layout-color2", "#eeeeee"],
  gridBar: ["--jp-border-color1", "#9aa1ad"],
  gridBeat: ["--jp-border-color2", "#d5d9e0"],
  keyWhite: ["--jp-layout-color0", "#ffffff"],
  scale: ["--jp-accent-color1", "#388e3c"],
};

/**
 * The palette from `lookup` (a CSS variable's value, "" when undefined); `resolve` turns a CSS colour
 * into one `parseColour` reads (the page's canvas does, for names such as "white"), to choose outlines.
 */
export function readPalette(
  lookup: (name: string) => string,
  resolve: (css: string) => string = (css) => css,
): Palette {
  const theme = {} as Record<keyof ThemeColours, string>;
  for (const [key, [name, fallback]] of Object.entries(PALETTE_SOURCES) as [
    keyof ThemeColours,
    [string, string],
  ][]) {
    theme[key] = lookup(name).trim() || fallback;
  }
  const background = parseColour(resolve(theme.background));
  return {
    ...theme,
    accentOutline: outlineFor(OUTLINES.accentOutline, background),
    selectionOutline: outlineFor(OUTLINES.selectionOutline, background),
    pitchArc: outlineFor(OUTLINES.pitchArc, background),
    rhythmArc: outlineFor(OUTLINES.rhythmArc, background),
  };
}

/** A CSS colour as the canvas writes it back ("#rrggbb" or "rgba(...)"): any colour the page knows. */
function canvasColour(css: string): string {
  const ctx = document.createElement("canvas").getContext("2d");
  if (!ctx) return css;
  ctx.fillStyle = css;
  return String(ctx.fillStyle);
}

/** The palette for the element `el` (its inherited `--jp-*` variables). */
export function paletteFor(el: Element): Palette {
  const style = getComputedStyle(el);
  return readPalette((name) => style.getPropertyValue(name), canvasColour);
}
