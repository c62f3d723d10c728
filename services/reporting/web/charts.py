"""Charts drawn on the server as inline SVG: titled for screen readers, readable without colour."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from services.reporting.domain.rates import Rate
from services.reporting.web.views import CountsView, PeriodPoint

_WIDTH, _HEIGHT = 640, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 12, 16, 56
# Completeness solid, timeliness hatched: the two series differ by more than their colour.
_SERIES = (
    ("Tỷ lệ đầy đủ", "bar-received", ""),
    ("Tỷ lệ đúng hạn", "bar-on-time", ' fill="url(#hatch)"'),
)


def _share(rate: Rate) -> float:
    fraction = rate.fraction
    return float(fraction) if fraction is not None else 0.0


def rates_chart(points: Sequence[PeriodPoint], chart_id: str = "rates") -> Markup:
    """Grouped bars per reporting period: completeness and timeliness (0–100%)."""
    title = "Tỷ lệ báo cáo đầy đủ và đúng hạn theo kỳ báo cáo"
    summary = "; ".join(
        f"{p.label}: đầy đủ {p.completeness.text}, đúng hạn {p.timeliness.text}" for p in points
    )
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary or "Chưa có kỳ báo cáo.")}</desc>',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>',
    ]
    for tick in (0, 25, 50, 75, 100):
        y = _TOP + plot_h * (1 - tick / 100)
        parts.append(
            f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_WIDTH - _RIGHT}" y2="{y:.1f}" class="gridline"/>'
        )
        parts.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{tick}%</text>')
    slot = plot_w / max(len(points), 1)
    bar = min(slot * 0.34, 56)
    for i, point in enumerate(points):
        centre = _LEFT + slot * (i + 0.5)
        for j, (name, css, fill) in enumerate(_SERIES):
            rate = point.completeness if j == 0 else point.timeliness
            height = plot_h * _share(rate)
            x = centre - bar + j * bar
            y = _TOP + plot_h - height
            label = f"{point.label} — {name}: {rate.text}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{height:.1f}" '
                f'class="{css}"{fill}><title>{escape(label)}</title></rect>'
            )
            parts.append(
                f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 4:.1f}" class="value" '
                f'text-anchor="middle">{escape(rate.text)}</text>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{_HEIGHT - _BOTTOM + 18}" class="axis" '
            f'text-anchor="middle">{escape(point.period_id)}</text>'
        )
    legend_y = _HEIGHT - 14
    for j, (name, css, fill) in enumerate(_SERIES):
        x = _LEFT + j * 180
        parts.append(f'<rect x="{x}" y="{legend_y - 11}" width="14" height="14" class="{css}"{fill}/>')
        parts.append(f'<text x="{x + 20}" y="{legend_y}" class="axis">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def status_bar(counts: CountsView, chart_id: str, title: str) -> Markup:
    """One horizontal bar split by status, each part titled and marked with its symbol."""
    width, height = 640, 34
    summary = "; ".join(f"{i.style.label}: {i.count} ({i.share})" for i in counts.items)
    parts = [
        f'<svg class="status-bar" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    if counts.total == 0:
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" class="empty"/>')
        parts.append(f'<text x="8" y="22" class="axis">{escape("Chưa có nhiệm vụ")}</text>')
    x = 0.0
    for item in counts.items if counts.total else ():
        w = width * item.count / counts.total
        if w <= 0:
            continue
        tip = f"{item.style.label}: {item.count} ({item.share})"
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" class="seg-{item.style.css}">'
            f"<title>{escape(tip)}</title></rect>"
        )
        if w >= 44:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="22" text-anchor="middle" class="seg-text-{item.style.css}">'
                f"{escape(item.style.symbol)} {item.count}</text>"
            )
        x += w
    parts.append("</svg>")
    return Markup("".join(parts))
