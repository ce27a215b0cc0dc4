"""Charts as inline SVG, drawn here: the report needs no JavaScript, no
library and no network to show them."""

from __future__ import annotations

from html import escape

BAR = "#3b6ea5"
TEXT = "#222"
FONT = 'font-family="sans-serif" font-size="12"'


def bar_chart(pairs: list[tuple[str, float]], title: str, value_format: str = "{:g}", width: int = 640) -> str:
    """Horizontal bars, one row per ``(label, value)``, largest bar full width."""
    if not pairs:
        return f'<p class="empty">{escape(title)}: nothing to show.</p>'
    row, label_width, value_width = 20, 200, 60
    height = row * len(pairs) + 10
    largest = max(value for _, value in pairs) or 1
    span = width - label_width - value_width
    rows = []
    for index, (label, value) in enumerate(pairs):
        y = 5 + index * row
        length = max(1.0, span * value / largest) if value else 0
        rows.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" {FONT} fill="{TEXT}">{escape(_clip(label))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" fill="{BAR}">'
            f"<title>{escape(label)}: {escape(value_format.format(value))}</title></rect>"
            f'<text x="{label_width + length + 4:.1f}" y="{y + 14}" {FONT} fill="{TEXT}">{escape(value_format.format(value))}</text>'
        )
    return _svg(width, height, title, "".join(rows))


def column_chart(pairs: list[tuple[str, float]], title: str, width: int = 860, height: int = 220) -> str:
    """Vertical columns in order (months), the first and last label and
    every January under the axis."""
    if not pairs:
        return f'<p class="empty">{escape(title)}: nothing to show.</p>'
    left, bottom, top = 40, 30, 10
    span_x, span_y = width - left - 10, height - bottom - top
    largest = max(value for _, value in pairs) or 1
    step = span_x / len(pairs)
    parts = [
        f'<line x1="{left}" y1="{top + span_y}" x2="{width - 10}" y2="{top + span_y}" stroke="{TEXT}"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" {FONT} fill="{TEXT}">{largest:g}</text>',
        f'<text x="{left - 4}" y="{top + span_y}" text-anchor="end" {FONT} fill="{TEXT}">0</text>',
    ]
    for index, (label, value) in enumerate(pairs):
        bar_height = span_y * value / largest
        x = left + index * step
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{top + span_y - bar_height:.1f}" width="{max(step * 0.8, 0.5):.1f}" '
            f'height="{bar_height:.1f}" fill="{BAR}"><title>{escape(label)}: {value:g}</title></rect>'
        )
        if index in (0, len(pairs) - 1) or (label.endswith("-01") and len(pairs) > 24 and len(pairs) - index > 8):
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 10}" text-anchor="middle" {FONT} fill="{TEXT}">{escape(label)}</text>'
            )
    return _svg(width, height, title, "".join(parts))


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>{body}</svg>'
    )


def _clip(label: str, length: int = 30) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"
