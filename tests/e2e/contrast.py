"""WCAG contrast measured in the page: the JavaScript helpers the browser tests share.

``WCAG_JS`` goes inside an arrow function's body (``"(sel) => {" + WCAG_JS + "...}"``) and defines
``rgba(css)`` (any CSS colour as [r, g, b, a]), ``over(top, below)`` (alpha compositing), ``lum(c)``
(relative luminance), ``ratio(fg, bg)`` (the WCAG contrast ratio, ``fg`` composited on ``bg``) and
``background(el)`` (the colour behind an element: translucent layers composited up to an opaque one,
white if none).
"""

WCAG_JS = """
  const probe = document.createElement('span');
  document.body.append(probe);
  const rgba = (css) => {
    probe.style.color = '';
    probe.style.color = css;
    const m = getComputedStyle(probe).color.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (fg, bg) => {
    const [a, b] = [lum(over(fg, bg)), lum(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
"""
