/**
 * The canvas's colours, read from JupyterLab's `--jp-*` CSS variables at paint time (so a theme
 * change shows at the next paint), with light fallbacks for front ends that define none. Note
 * colours (blue, orange accent, red selection) stay fixed in draw.ts: they read on both backgrounds.
 */

export interface Palette {
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

/** Each colour: the variable it comes from and the fallback when the page has no such variable. */
export const PALETTE_SOURCES: Readonly<Record<keyof Palette, readonly [string, string]>> = {
  background: ["--jp-layout-color1", "#ffffff"],
  text: ["--jp-ui-font-color1", "#1f1f1f"],
  ruler: ["--jp-layout-color2", "#eeeeee"],
  gridBar: ["--jp-border-color1", "#9aa1ad"],
  gridBeat: ["--jp-border-color2", "#d5d9e0"],
  keyWhite: ["--jp-layout-color0", "#ffffff"],
  scale: ["--jp-accent-color1", "#388e3c"],
};

/** The palette from `lookup` (a CSS variable's value, "" when undefined). */
export function readPalette(lookup: (name: string) => string): Palette {
  const out = {} as Record<keyof Palette, string>;
  for (const [key, [name, fallback]] of Object.entries(PALETTE_SOURCES) as [
    keyof Palette,
    [string, string],
  ][]) {
    out[key] = lookup(name).trim() || fallback;
  }
  return out;
}

/** The palette for the element `el` (its inherited `--jp-*` variables). */
export function paletteFor(el: Element): Palette {
  const style = getComputedStyle(el);
  return readPalette((name) => style.getPropertyValue(name));
}
