"""Measure every chart text a reader sees: its size on screen, its ending and its contrast.

:data:`MEASURE` runs in the page. For each chart figure it takes the SVG on
show (the interactive view once hydrated, else the static layout CSS
displays) and, for every visible ``<text>``, reports the size it is drawn at
(font size times the SVG's scale on screen), whether it ends in an ellipsis
or runs past the SVG's edge,
and its contrast against what lies under its middle: the last filled shape
of the same SVG painted before it there, else the first opaque background of
the HTML around the SVG. :func:`problems` turns the figures into readable
failures; the browser tests and their negative tests share both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

MIN_TEXT_PX = 11.0
MIN_CONTRAST = 4.5

MEASURE = r"""
() => {
  const parse = (value) => {
    const m = /rgba?\(([^)]+)\)/.exec(value || "");
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const luminance = (c) => {
    const ch = [c.r, c.g, c.b].map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const contrast = (a, b) => {
    const x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const opacity = (el, stop) => {
    let o = 1;
    for (let n = el; n && n !== stop.parentElement; n = n.parentElement) {
      o *= Number(getComputedStyle(n).opacity);
    }
    return o;
  };
  const htmlBackground = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    // The canvas: the page's own background, else white.
    let base = { r: 255, g: 255, b: 255, a: 1 };
    if (!layers.length || layers[layers.length - 1].a < 1) {
      const scheme = getComputedStyle(document.documentElement).colorScheme || "";
      const system = matchMedia("(prefers-color-scheme: dark)").matches;
      const dark = scheme.includes("dark") && (!scheme.includes("light") || system);
      base = dark ? { r: 18, g: 18, b: 18, a: 1 } : base;
    }
    return layers.reverse().reduce((under, top) => over(top, under), base);
  };
  const shownSvg = (figure) => {
    const live = figure.querySelector(".chart-box.is-live .chart-view svg");
    if (live) return live;
    return Array.from(figure.querySelectorAll(".chart-box > svg")).find(
      (svg) => getComputedStyle(svg).display !== "none" && svg.getBoundingClientRect().width > 0
    ) || null;
  };
  const results = [];
  for (const figure of document.querySelectorAll("figure.chart[data-chart], figure[data-chart-test]")) {
    const svg = shownSvg(figure);
    if (!svg) { results.push({ chart: figure.getAttribute("data-chart"), missing: true }); continue; }
    const shapes = Array.from(svg.querySelectorAll("path, rect, circle, ellipse, polygon"));
    const behind = htmlBackground(svg.parentElement);
    const frame = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const content = (text.textContent || "").trim();
      const box = text.getBoundingClientRect();
      const style = getComputedStyle(text);
      if (!content || box.width === 0 || style.visibility === "hidden" || style.display === "none") continue;
      const ctm = text.getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      const size = parseFloat(style.fontSize) * scale;
      const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
      let under = behind;
      for (const shape of shapes) {
        if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
        const fill = parse(getComputedStyle(shape).fill);
        if (!fill || fill.a === 0) continue;
        const r = shape.getBoundingClientRect();
        if (r.width === 0 || cx < r.left || cx > r.right || cy < r.top || cy > r.bottom) continue;
        const shapeStyle = getComputedStyle(shape);
        if (shapeStyle.visibility === "hidden") continue;
        fill.a *= Number(shapeStyle.fillOpacity) * opacity(shape, svg);
        under = over(fill, under);
      }
      const ink = parse(style.fill);
      if (!ink) continue;
      ink.a *= Number(style.fillOpacity) * opacity(text, svg);
      const seen = over(ink, under);
      results.push({
        chart: figure.getAttribute("data-chart"),
        text: content.slice(0, 60),
        size: Math.round(size * 100) / 100,
        ellipsis: /(…|\.\.\.)$/.test(content),
        // Drawn past the SVG's edge, where the reader cannot see it.
        clipped: box.left < frame.left - 1 || box.right > frame.right + 1
          || box.top < frame.top - 1 || box.bottom > frame.bottom + 1,
        contrast: Math.round(contrast(seen, under) * 100) / 100,
      });
    }
  }
  return {
    texts: results,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
}
"""


@dataclass
class Measured:
    """What :data:`MEASURE` found on one page."""

    texts: list[dict[str, Any]]
    scroll_width: int
    inner_width: int


def measure(page: Page) -> Measured:
    """Measure the chart texts of the page as it is now."""
    found = page.evaluate(MEASURE)
    return Measured(found["texts"], int(found["scrollWidth"]), int(found["innerWidth"]))


def problems(where: str, measured: Measured) -> list[str]:
    """Every failure on the page, each with its figures: smallest text, worst contrast, the text."""
    found: list[str] = []
    missing = [t["chart"] for t in measured.texts if t.get("missing")]
    found.extend(f"{where}: chart {chart} shows no SVG" for chart in missing)
    texts = [t for t in measured.texts if not t.get("missing")]
    if measured.scroll_width > measured.inner_width:
        found.append(
            f"{where}: page is {measured.scroll_width} px wide in a {measured.inner_width} px window"
        )
    if texts:
        smallest = min(texts, key=lambda t: t["size"])
        if smallest["size"] < MIN_TEXT_PX:
            found.append(
                f"{where}: smallest chart text {smallest['size']:.2f} px < {MIN_TEXT_PX:g} px "
                f"({smallest['chart']}: {smallest['text']!r})"
            )
        worst = min(texts, key=lambda t: t["contrast"])
        if worst["contrast"] < MIN_CONTRAST:
            low = sum(1 for t in texts if t["contrast"] < MIN_CONTRAST)
            found.append(
                f"{where}: worst chart text contrast {worst['contrast']:.2f}:1 < {MIN_CONTRAST:g}:1 "
                f"({worst['chart']}: {worst['text']!r}; {low} of {len(texts)} texts below)"
            )
        cut = [t for t in texts if t["ellipsis"]]
        if cut:
            shown = "; ".join(f"{t['chart']}: {t['text']!r}" for t in cut[:5])
            found.append(f"{where}: {len(cut)} chart texts end in an ellipsis ({shown})")
        clipped = [t for t in texts if t["clipped"]]
        if clipped:
            shown = "; ".join(f"{t['chart']}: {t['text']!r}" for t in clipped[:5])
            found.append(f"{where}: {len(clipped)} chart texts run past the chart's edge ({shown})")
    return found
