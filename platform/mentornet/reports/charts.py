"""Server-rendered SVG charts: horizontal bars and a line over months.

Plain Python, no Flask. Drawn here rather than with a chart library because the charts
must print, work without JavaScript, and mirror for right-to-left languages (the bars
grow from the right, time runs from right to left), which the well-kept Python SVG
libraries (pygal, matplotlib) do not do. Each chart is an ``<svg role="img">`` with a
``<title>`` and a ``<desc>``, and every bar or point has its own ``<title>``; the page puts
the same figures in a table beside it for screen readers and for reading exact numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 720
LABEL_WIDTH = 270
VALUE_WIDTH = 96
ROW_HEIGHT = 28
BAR_HEIGHT = 18
PAD = 8
MAX_LABEL = 36  # characters; the full label is in the bar's title and in the table


@dataclass(frozen=True)
class Point:
    """One bar or point: its label, its value (None: nothing to draw) and how it reads."""

    label: str
    value: float | None
    text: str
    axis: str = ""  # a shorter label for the time axis ("Mar"), when there is one


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


class _Canvas:
    """Places things by their left-to-right x; mirrors every x when the text runs right
    to left, so one drawing serves both directions."""

    def __init__(self, rtl: bool) -> None:
        self.rtl = rtl

    def x(self, x: float) -> float:
        return WIDTH - x if self.rtl else x

    def span(self, x: float, width: float) -> float:
        """The left edge of a shape from ``x`` to ``x + width`` in left-to-right terms."""
        return WIDTH - x - width if self.rtl else x


def _open(chart_id: str, title: str, description: str, height: float, rtl: bool) -> list[str]:
    direction = "rtl" if rtl else "ltr"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id={quoteattr(chart_id)} '
        f'viewBox="0 0 {WIDTH} {_num(height)}" role="img" direction="{direction}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Point],
    *,
    rtl: bool = False,
    max_value: float | None = None,
) -> str:
    """Horizontal bars, one per row: the label beside the axis, the value after the bar."""
    canvas = _Canvas(rtl)
    height = PAD * 2 + ROW_HEIGHT * max(len(bars), 1)
    top = max((b.value for b in bars if b.value is not None), default=0.0)
    scale_max = max_value if max_value else (top or 1.0)
    bar_start = LABEL_WIDTH + PAD
    room = WIDTH - bar_start - VALUE_WIDTH
    parts = _open(chart_id, title, description, height, rtl)
    axis_x = canvas.x(bar_start)
    parts.append(
        f'<line class="axis" x1="{_num(axis_x)}" x2="{_num(axis_x)}" y1="{PAD}" '
        f'y2="{_num(height - PAD)}" stroke="#4f5868" stroke-width="1"/>'
    )
    for index, bar in enumerate(bars):
        y = PAD + index * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        width = 0.0
        if bar.value is not None and bar.value > 0:
            width = max(1.0, room * min(bar.value, scale_max) / scale_max)
        parts.append(f"<g><title>{escape(bar.label)}: {escape(bar.text)}</title>")
        parts.append(
            f'<text class="label" x="{_num(canvas.x(LABEL_WIDTH))}" y="{_num(middle)}" '
            f'text-anchor="end" dominant-baseline="middle" fill="#1d2330">'
            f"{escape(_short(bar.label))}</text>"
        )
        if width:
            parts.append(
                f'<rect class="bar" x="{_num(canvas.span(bar_start, width))}" '
                f'y="{_num(middle - BAR_HEIGHT / 2)}" width="{_num(width)}" '
                f'height="{BAR_HEIGHT}" rx="2" fill="#7a2e57"/>'
            )
        parts.append(
            f'<text class="value" x="{_num(canvas.x(bar_start + width + 6))}" '
            f'y="{_num(middle)}" text-anchor="start" dominant-baseline="middle" '
            f'fill="#1d2330">{escape(bar.text)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


LINE_HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 44
MAX_TICKS = 12


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    *,
    rtl: bool = False,
    max_value: float = 1.0,
    ticks: Sequence[tuple[float, str]] = (),
) -> str:
    """A line through the points, left to right in time (right to left in RTL); a point
    with no value breaks the line. ``ticks`` are (value, text) lines across the plot."""
    canvas = _Canvas(rtl)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = LINE_HEIGHT - TOP - BOTTOM
    parts = _open(chart_id, title, description, LINE_HEIGHT, rtl)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - min(max(value, 0.0), max_value) / max_value)

    for value, text in ticks:
        y = y_of(value)
        parts.append(
            f'<line class="grid" x1="{_num(canvas.x(LEFT))}" x2="{_num(canvas.x(LEFT + plot_w))}" '
            f'y1="{_num(y)}" y2="{_num(y)}" stroke="#d9dce3" stroke-width="1"/>'
            f'<text class="tick" x="{_num(canvas.x(LEFT - 8))}" y="{_num(y)}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#4f5868">{escape(text)}</text>'
        )
    count = len(points)
    step = plot_w / (count - 1) if count > 1 else 0.0
    every = max(1, -(-count // MAX_TICKS))

    def x_of(index: int) -> float:
        return canvas.x(LEFT + (index * step if count > 1 else plot_w / 2))

    run: list[str] = []
    runs: list[list[str]] = []
    for index, point in enumerate(points):
        if point.value is None:
            if run:
                runs.append(run)
            run = []
            continue
        run.append(f"{_num(x_of(index))},{_num(y_of(point.value))}")
    if run:
        runs.append(run)
    for segment in runs:
        parts.append(
            f'<polyline class="line" points="{" ".join(segment)}" fill="none" '
            f'stroke="#7a2e57" stroke-width="2.5"/>'
        )
    for index, point in enumerate(points):
        x = x_of(index)
        if point.value is not None:
            parts.append(
                f"<g><title>{escape(point.label)}: {escape(point.text)}</title>"
                f'<circle class="point" cx="{_num(x)}" cy="{_num(y_of(point.value))}" r="4" '
                f'fill="#7a2e57"/></g>'
            )
        if index % every == 0:
            parts.append(
                f'<text class="tick" x="{_num(x)}" y="{LINE_HEIGHT - BOTTOM + 18}" '
                f'text-anchor="middle" font-size="11" fill="#4f5868">'
                f"{escape(point.axis or _short(point.label))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
