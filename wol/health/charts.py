"""Numbers → inline SVG charts, built as an XML tree (never by pasting strings).

Each chart is one `<svg role="img">` with a `<title>` and a `<desc>` that says
in words what it shows, plain `<rect>` and `<text>` elements, and colours
in the text colour (`currentColor`): readable with no script, no
network and no stylesheet.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
# Presentation attributes in the text colour, so that light and dark schemes both read
# (and the sanitiser, which drops `style`, keeps them).
BAR = {"fill": "currentColor", "fill-opacity": "0.75"}
BAR_2 = {"fill": "currentColor", "fill-opacity": "0.3"}
TEXT = {"fill": "currentColor", "font-size": "12", "font-family": "sans-serif"}
AXIS = {"stroke": "currentColor", "stroke-opacity": "0.4"}


def render_bar_chart(title: str, desc: str, labels: list[str], values: list[float], fmt=str,
                     max_value: float | None = None, slug: str = "chart") -> str:
    """Vertical bars, one per label, each with its value written above it."""
    n = max(len(values), 1)
    longest = max((len(label) for label in labels), default=0)
    step, top, height, bottom = 40, 24, 160, 16 + round(longest * 5)
    left = max(10, round(longest * 5.5) - step // 2)  # room for the first label, which leans left
    width = left + 10 + step * n
    top_value = max_value if max_value is not None else max(values + [0]) or 1
    svg, chart_id = _svg(width, top + height + bottom, title, desc, slug)
    ET.SubElement(svg, "line", x1=str(left), y1=str(top + height), x2=str(width - 10), y2=str(top + height), **AXIS)
    for i, (label, value) in enumerate(zip(labels, values)):
        h = round(height * min(value, top_value) / top_value, 1) if top_value else 0
        x = left + i * step + 6
        rect = ET.SubElement(svg, "rect", x=str(x), y=str(round(top + height - h, 1)), width=str(step - 12),
                             height=str(h), **BAR)
        ET.SubElement(rect, "title").text = f"{label}: {fmt(value)}"
        _text(svg, x + (step - 12) / 2, top + height - h - 4, fmt(value), anchor="middle")
        lx, ly = x + (step - 12) / 2, top + height + 12
        _text(svg, lx, ly, label, anchor="end", rotate=(-40, lx, ly))
    return _serialise(svg)


def render_pair_chart(title: str, desc: str, rows: list[tuple[str, int, int]], names: tuple[str, str],
                      slug: str = "pairs") -> str:
    """Horizontal pairs of bars: for each row label, two values (e.g. help given and received)."""
    label_w, bar_w, row_h, top = 130, 260, 34, 30
    width = label_w + bar_w + 60
    height = top + row_h * max(len(rows), 1) + 10
    top_value = max([v for _, a, b in rows for v in (a, b)] + [1])
    svg, _ = _svg(width, height, title, desc, slug)
    for i, (name, style) in enumerate(zip(names, (BAR, BAR_2))):
        x = label_w + i * 150
        ET.SubElement(svg, "rect", x=str(x), y="8", width="12", height="12", **style)
        _text(svg, x + 18, 18, name)
    for r, (label, a, b) in enumerate(rows):
        y = top + r * row_h
        _text(svg, label_w - 8, y + 14, label, anchor="end")
        for j, (value, style) in enumerate(((a, BAR), (b, BAR_2))):
            w = round(bar_w * value / top_value, 1)
            rect = ET.SubElement(svg, "rect", x=str(label_w), y=str(y + j * 13), width=str(w), height="12", **style)
            ET.SubElement(rect, "title").text = f"{label}: {value} {names[j]}"
            _text(svg, label_w + w + 4, y + j * 13 + 10, str(value))
    return _serialise(svg)


def _svg(width, height, title, desc, slug):
    chart_id = f"wol-{slug}"
    svg = ET.Element("svg", xmlns=SVG_NS, viewBox=f"0 0 {width} {height}", role="img",
                     width=str(width), height=str(height))
    svg.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    svg.set("class", "wol-chart")
    ET.SubElement(svg, "title", id=f"{chart_id}-title").text = title
    ET.SubElement(svg, "desc", id=f"{chart_id}-desc").text = desc
    return svg, chart_id


def _text(parent, x, y, text, anchor="start", rotate=None):
    el = ET.SubElement(parent, "text", x=str(round(x, 1)), y=str(round(y, 1)), **TEXT)
    el.set("text-anchor", anchor)
    if rotate:
        el.set("transform", f"rotate({rotate[0]} {round(rotate[1], 1)} {round(rotate[2], 1)})")
    el.text = text
    return el


def _serialise(svg) -> str:
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)
