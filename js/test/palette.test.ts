/** The canvas palette (src/roll/palette.ts): JupyterLab's variables when set, light fallbacks otherwise. */
import { describe, expect, it } from "vitest";
import { PALETTE_SOURCES, readPalette } from "../src/roll/palette";

/** WCAG relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("palette", () => {
  it("falls back to light colours when the page defines no --jp-* variables", () => {
    const p = readPalette(() => "");
    for (const [key, [, fallback]] of Object.entries(PALETTE_SOURCES)) {
      expect(p[key as keyof typeof p]).toBe(fallback);
    }
    // labels are readable on the keys and the ruler
    expect(contrast(p.text, p.keyWhite)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.text, p.ruler)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(p.text, p.background)).toBeGreaterThanOrEqual(4.5);
  });

  it("takes the page's variables (trimmed) when they are set", () => {
    const vars: Record<string, string> = {
      "--jp-layout-color1": " #212121",
      "--jp-ui-font-color1": "rgba(255,255,255,.87)",
    };
    const p = readPalette((name) => vars[name] ?? "");
    expect(p.background).toBe("#212121");
    expect(p.text).toBe("rgba(255,255,255,.87)");
    expect(p.ruler).toBe("#eeeeee");
  });
});
