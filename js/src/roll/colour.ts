/**
 * CSS colours as numbers, and WCAG contrast between them: the palette chooses note outlines that
 * stand out from the theme's background (palette.ts). Pure functions, unit-tested in node.
 */

/** Red, green, blue (0-255) and alpha (0-1). */
export type Rgba = [number, number, number, number];

const NAMED: Readonly<Record<string, Rgba>> = {
  white: [255, 255, 255, 1],
  black: [0, 0, 0, 1],
  transparent: [0, 0, 0, 0],
};

/** `css` as numbers: "#rgb", "#rrggbb", "#rrggbbaa", "rgb()"/"rgba()" (commas or spaces) and a few names; null otherwise. */
export function parseColour(css: string): Rgba | null {
  const text = css.trim().toLowerCase();
  const named = NAMED[text];
  if (named) return [...named];
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(text)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
    const byte = (i: number): number => Number.parseInt(full.slice(i, i + 2), 16);
    return [byte(0), byte(2), byte(4), full.length === 8 ? byte(6) / 255 : 1];
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(text)?.[1];
  if (!fn) return null;
  const parts = fn.split(/[\s,/]+/).filter(Boolean);
  if (parts.length < 3 || parts.length > 4) return null;
  const value = (part: string, scale: number): number =>
    part.endsWith("%") ? (Number.parseFloat(part) / 100) * scale : Number.parseFloat(part);
  const out: Rgba = [
    value(parts[0] as string, 255),
    value(parts[1] as string, 255),
    value(parts[2] as string, 255),
    parts[3] === undefined ? 1 : value(parts[3], 1),
  ];
  return out.every(Number.isFinite) ? out : null;
}

/** `top` painted over the opaque `below` (alpha compositing); the result is opaque. */
export function over(top: Rgba, below: Rgba): Rgba {
  const a = Math.min(1, Math.max(0, top[3]));
  return [0, 1, 2].map((i) => (top[i] as number) * a + (below[i] as number) * (1 - a)).concat(1) as Rgba;
}

/** WCAG relative luminance of an opaque colour. */
export function luminance(c: Rgba): number {
  const [r, g, b] = c.slice(0, 3).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of `fg` drawn on `bg` (a translucent `bg` is taken over white, a translucent `fg` over `bg`). */
export function contrast(fg: Rgba, bg: Rgba): number {
  const base = over(bg, [255, 255, 255, 1]);
  const [a, b] = [luminance(over(fg, base)), luminance(base)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
