"""A small SVG chart of one indicator: its yearly actual values against the target line.

Drawn on the server, so it needs no JavaScript. It scales to its container (viewBox), says
what it shows in words (<title> and <desc>), and tells the series apart by shape and dash,
not by colour alone. Every number it displays is formatted from a Decimal, as the pages do;
floats serve only as coordinates.
"""

import functools
import math
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from municipalities.numbers import decimal_places, format_value

from .models import Indicator, IndicatorActual, IndicatorKind, IndicatorTarget

WIDTH, HEIGHT = 320, 232
RIGHT, TOP, BOTTOM = 310, 50, 188
INSET = 12  # keeps the first and last points off the axes
MAX_YEAR_LABELS = 7
ACTUAL_COLOUR, TARGET_COLOUR, INK, GRID = "#0b5cad", "#a4161a", "#1b1f24", "#d0d5db"


@functools.lru_cache
def _fiscal_year_pattern(language: str) -> str:
    with translation.override(language):
        return _("FY%(year)s")


def fiscal_year_label(year: int) -> str:
    return _fiscal_year_pattern(translation.get_language()) % {"year": year}


def value_scale(
    values: Sequence[Decimal], *, whole: bool = False
) -> tuple[Decimal, Decimal, Decimal]:
    """The lower and upper ends of the value axis and a round step between gridlines; for
    `whole` values (counts), a whole step: no gridline at half a municipality."""
    low, high = min(values), max(values)
    span = (high - low) or abs(high) or Decimal(1)
    rough = span / 4
    magnitude = Decimal(1).scaleb(rough.adjusted())
    steps = [m * magnitude for m in (1, 2, Decimal("2.5"), 5, 10)]
    if whole:
        steps = [step for step in steps if step >= 1 and step == step.to_integral_value()]
        steps = steps or [Decimal(1)]
    step = next((step for step in steps if rough <= step), steps[-1])
    lower = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    upper = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    if upper == lower:
        upper += step
    return lower, upper, step


def chart_description(
    indicator: Indicator,
    actuals: Sequence[IndicatorActual],
    targets: Sequence[IndicatorTarget] = (),
) -> str:
    """The chart in words: baseline, each year's actual value, yearly targets, target."""

    places = decimal_places(
        [
            indicator.baseline_value,
            indicator.target_value,
            *(a.value for a in actuals),
            *(t.value for t in targets),
        ]
    )

    def amount(value: Decimal) -> str:
        return f"{format_value(value, places)} {indicator.unit}"

    if actuals:
        values = _(", ").join(
            f"{fiscal_year_label(a.fiscal_year)} {amount(a.value)}" for a in actuals
        )
        actual_sentence = _("Actual values: %(values)s.") % {"values": values}
    else:
        actual_sentence = _("No actual value recorded yet.")
    description = _(
        "Baseline %(baseline)s (%(baseline_year)s). %(actuals)s "
        "Target %(target)s (%(target_year)s)."
    )
    text = description % {
        "baseline": amount(indicator.baseline_value),
        "baseline_year": fiscal_year_label(indicator.baseline_fiscal_year),
        "actuals": actual_sentence,
        "target": amount(indicator.target_value),
        "target_year": fiscal_year_label(indicator.target_fiscal_year),
    }
    if targets:
        values = _(", ").join(
            f"{fiscal_year_label(t.fiscal_year)} {amount(t.value)}" for t in targets
        )
        text += " " + _("Yearly targets: %(values)s.") % {"values": values}
    return text


def indicator_chart(
    indicator: Indicator,
    actuals: Sequence[IndicatorActual],
    *,
    html_id: str,
    targets: Sequence[IndicatorTarget] = (),
) -> SafeString:
    """An inline SVG of one indicator; `html_id` prefixes the ids of its title and desc.

    The x axis runs over the fiscal years from the baseline to the target (and any actual
    value outside them); the target is a dashed line labelled with its value, the baseline a
    hollow square, yearly targets hollow diamonds, the actual values a solid line with round
    markers.
    """
    actuals = sorted(actuals, key=lambda a: a.fiscal_year)
    targets = sorted(targets, key=lambda t: t.fiscal_year)
    years = [indicator.baseline_fiscal_year, indicator.target_fiscal_year]
    years += [a.fiscal_year for a in actuals]
    first_year, last_year = min(years), max(years)
    values = [
        indicator.baseline_value,
        indicator.target_value,
        *(a.value for a in actuals),
        *(t.value for t in targets),
    ]
    lower, upper, step = value_scale(values, whole=indicator.kind == IndicatorKind.COUNT)
    ticks = [lower + step * i for i in range(int((upper - lower) / step) + 1)]
    tick_places = decimal_places(ticks)
    tick_labels = [format_value(t, tick_places) for t in ticks]
    left = max(44, 14 + 7 * max(len(label) for label in tick_labels))

    top = TOP + 16 if targets else TOP  # room for the legend's second line

    def x(year: int) -> float:
        if first_year == last_year:
            return (left + RIGHT) / 2
        share = (year - first_year) / (last_year - first_year)
        return left + INSET + share * (RIGHT - left - 2 * INSET)

    def y(value: Decimal) -> float:
        return BOTTOM - float((value - lower) / (upper - lower)) * (BOTTOM - top)

    title_id, desc_id = f"{html_id}-title", f"{html_id}-desc"
    svg = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="100%" role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}"'
        f' font-size="12" font-family="sans-serif" fill="{INK}">',
        f'<title id="{escape(title_id)}">{escape(indicator.name)}</title>',
        f'<desc id="{escape(desc_id)}">'
        f"{escape(chart_description(indicator, actuals, targets))}</desc>",
    ]
    svg += _legend(with_yearly_targets=bool(targets))
    svg.append(
        f'<text x="{left - 6}" y="{top - 12}" text-anchor="end">{escape(indicator.unit)}</text>'
    )
    for tick, label in zip(ticks, tick_labels, strict=True):
        ty = y(tick)
        svg.append(
            f'<line x1="{left}" x2="{RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{escape(label)}</text>'
        )
    every = math.ceil((last_year - first_year + 1) / MAX_YEAR_LABELS)
    for year in range(first_year, last_year + 1, every):
        svg.append(f'<text x="{x(year):.1f}" y="{BOTTOM + 18}" text-anchor="middle">{year}</text>')
    axis_label = _("fiscal year")
    svg.append(f'<text x="{RIGHT}" y="{HEIGHT - 6}" text-anchor="end">{escape(axis_label)}</text>')
    target_y = y(indicator.target_value)
    target_label = _("Target %(value)s") % {
        "value": format_value(
            indicator.target_value,
            decimal_places(values),
        )
    }
    svg.append(
        f'<line class="target" x1="{left}" x2="{RIGHT}" y1="{target_y:.1f}" y2="{target_y:.1f}"'
        f' stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="7 5"/>'
        f'<text class="target-label" x="{RIGHT}" y="{target_y - 6:.1f}" text-anchor="end"'
        f' stroke="#fff" stroke-width="4" paint-order="stroke" fill="{TARGET_COLOUR}">'
        f"{escape(target_label)}</text>"
    )
    bx, by = x(indicator.baseline_fiscal_year), y(indicator.baseline_value)
    svg.append(
        f'<rect class="baseline-point" x="{bx - 5:.1f}" y="{by - 5:.1f}" width="10" height="10"'
        f' fill="#fff" stroke="{INK}" stroke-width="2"/>'
    )
    for target in targets:
        svg.append(_diamond(x(target.fiscal_year), y(target.value), "yearly-target"))
    points = [(x(a.fiscal_year), y(a.value)) for a in actuals]
    if len(points) > 1:
        coordinates = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        svg.append(
            f'<polyline class="actuals" points="{coordinates}" fill="none"'
            f' stroke="{ACTUAL_COLOUR}" stroke-width="2.5"/>'
        )
    for px, py in points:
        svg.append(
            f'<circle class="actual-point" cx="{px:.1f}" cy="{py:.1f}" r="4.5"'
            f' fill="{ACTUAL_COLOUR}" stroke="#fff" stroke-width="1.5"/>'
        )
    svg.append(f'<line x1="{left}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{INK}"/>')
    svg.append("</svg>")
    return mark_safe("".join(svg))  # every text above went through escape()


def _diamond(cx: float, cy: float, css_class: str = "") -> str:
    points = (
        f"{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} {cx - 6:.1f},{cy:.1f}"
    )
    return (
        f'<polygon class="{css_class}" points="{points}" fill="#fff" stroke="{TARGET_COLOUR}"'
        ' stroke-width="2"/>'
    )


def _legend(with_yearly_targets: bool = False) -> list[str]:
    """Solid line with a dot for the actual values, dashed line for the target, square for the
    baseline, diamond for a yearly target: readable without colour."""
    actual, target, baseline = _("Actual"), _("Target"), _("Baseline")
    extra = []
    if with_yearly_targets:
        yearly = _("Yearly target")
        extra = [_diamond(15, 34), f'<text x="32" y="38">{escape(yearly)}</text>']
    return [
        '<g class="legend">',
        f'<line x1="4" x2="26" y1="16" y2="16" stroke="{ACTUAL_COLOUR}" stroke-width="2.5"/>'
        f'<circle cx="15" cy="16" r="4.5" fill="{ACTUAL_COLOUR}"/>'
        f'<text x="32" y="20">{escape(actual)}</text>',
        f'<line x1="108" x2="130" y1="16" y2="16" stroke="{TARGET_COLOUR}" stroke-width="2"'
        f' stroke-dasharray="7 5"/><text x="136" y="20">{escape(target)}</text>',
        f'<rect x="213" y="11" width="10" height="10" fill="#fff" stroke="{INK}"'
        f' stroke-width="2"/><text x="230" y="20">{escape(baseline)}</text>',
        *extra,
        "</g>",
    ]
