"""The area as a picture: the central city in the middle, one spoke per partner.

As in the seed's 「連携中枢都市圏のイメージ」, each agreement is a spoke between the central
city and one partner. Each partner sits in the true direction of its city office from the
central city's (from their coordinates), at one common distance, so that labels stay
readable even where offices are a few kilometres apart; spokes that would overlap are
spread apart. Each spoke carries its status as text and as a line style and marker shape,
never by colour alone. The SVG is drawn on the server and scales to any width.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agreements.status import AgreementStatus

CENTRE_X, CENTRE_Y = 0.0, 0.0
RADIUS = 150
NAME_SIZE, STATE_SIZE = 22, 18
PADDING = 12
MIN_GAP = math.radians(38)

IN_FORCE = {AgreementStatus.IN_FORCE, AgreementStatus.AMENDED}
UNDER_WAY = {
    AgreementStatus.PROPOSED,
    AgreementStatus.IN_COUNCIL,
    AgreementStatus.PASSED,
    AgreementStatus.AMENDING,
    AgreementStatus.ABOLISHING,
    AgreementStatus.LAPSE_PENDING,
    AgreementStatus.LAPSING,
}


@dataclass(frozen=True)
class Spoke:
    name: str
    status_label: str
    status: AgreementStatus | None  # None: no public agreement yet
    latitude: float | None
    longitude: float | None


def _family(status: AgreementStatus | None) -> str:
    if status in IN_FORCE:
        return "in-force"
    if status in UNDER_WAY:
        return "under-way"
    return "none"


def _bearing(lat0: float, lng0: float, lat: float, lng: float) -> float:
    """Angle in radians, counter-clockwise from east, as on a map with north up."""
    dx = (lng - lng0) * math.cos(math.radians(lat0))
    dy = lat - lat0
    return math.atan2(dy, dx)


def spread(angles: list[float], min_gap: float = MIN_GAP) -> list[float]:
    """Move angles apart so neighbours are at least `min_gap` apart, keeping their order."""
    n = len(angles)
    if n < 2:
        return list(angles)
    gap = min(min_gap, 2 * math.pi / n)
    order = sorted(range(n), key=lambda i: angles[i])
    result = [angles[i] for i in order]
    for _ in range(50):
        moved = False
        for k in range(n):
            a, b = result[k], result[(k + 1) % n] + (2 * math.pi if k == n - 1 else 0)
            if b - a < gap - 1e-9:
                push = (gap - (b - a)) / 2
                result[k] -= push
                result[(k + 1) % n] += push
                moved = True
        if not moved:
            break
    out = [0.0] * n
    for position, i in enumerate(order):
        out[i] = result[position]
    return out


def _marker(family: str, x: float, y: float) -> str:
    if family == "in-force":
        return f'<circle class="marker" cx="{x:.1f}" cy="{y:.1f}" r="7"/>'
    if family == "under-way":
        return (
            f'<polygon class="marker" points="{x:.1f},{y - 8:.1f} {x + 8:.1f},{y:.1f} '
            f'{x:.1f},{y + 8:.1f} {x - 8:.1f},{y:.1f}"/>'
        )
    return f'<rect class="marker" x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12"/>'


def area_diagram(
    *,
    title: str,
    description: str,
    central_name: str,
    central_latitude: float | None,
    central_longitude: float | None,
    spokes: list[Spoke],
) -> SafeString:
    """The SVG markup of the area picture (escaped, safe to insert in a page)."""
    n = len(spokes)
    fallback = [math.pi / 2 - 2 * math.pi * i / max(n, 1) for i in range(n)]
    angles = []
    for i, spoke in enumerate(spokes):
        if None in (central_latitude, central_longitude, spoke.latitude, spoke.longitude):
            angles.append(fallback[i])
        else:
            angles.append(
                _bearing(central_latitude, central_longitude, spoke.latitude, spoke.longitude)
            )
    angles = spread(angles)

    parts = []
    # The picture is cropped to what it draws, so it is as large as the page allows.
    left, top, right, bottom = -40.0, -40.0, 40.0, 40.0
    for spoke, angle in zip(spokes, angles, strict=True):
        family = _family(spoke.status)
        x = CENTRE_X + RADIUS * math.cos(angle)
        y = CENTRE_Y - RADIUS * math.sin(angle)
        label_x = CENTRE_X + (RADIUS + 16) * math.cos(angle)
        label_y = CENTRE_Y - (RADIUS + 16) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        dy_name = -6 if math.sin(angle) > 0.3 else 16 if math.sin(angle) < -0.3 else 4
        # Full-width characters are about one em wide.
        text_width = max(len(spoke.name) * NAME_SIZE, len(spoke.status_label) * STATE_SIZE)
        start = {"start": label_x, "end": label_x - text_width}.get(
            anchor, label_x - text_width / 2
        )
        left, right = min(left, start, x - 10), max(right, start + text_width, x + 10)
        top = min(top, label_y + dy_name - NAME_SIZE, y - 10)
        bottom = max(bottom, label_y + dy_name + STATE_SIZE + 8, y + 10)
        parts.append(
            f'<g class="spoke spoke-{family}">'
            f'<line x1="{CENTRE_X:.1f}" y1="{CENTRE_Y:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>'
            f"{_marker(family, x, y)}"
            f'<text x="{label_x:.1f}" y="{label_y + dy_name:.1f}" text-anchor="{anchor}">'
            f'<tspan class="name">{escape(spoke.name)}</tspan>'
            f'<tspan class="state" x="{label_x:.1f}" dy="{STATE_SIZE + 4}">'
            f"{escape(spoke.status_label)}</tspan>"
            f"</text></g>"
        )
    parts.append(
        f'<g class="centre"><circle cx="{CENTRE_X:.1f}" cy="{CENTRE_Y:.1f}" r="40"/>'
        f'<text x="{CENTRE_X:.1f}" y="{CENTRE_Y + 6:.1f}" text-anchor="middle">'
        f"{escape(central_name)}</text></g>"
    )
    left, top = left - PADDING, top - PADDING
    width, height = right - left + PADDING, bottom - top + PADDING
    head = (
        f'<svg class="area-diagram" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="area-diagram-title area-diagram-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="area-diagram-title">{escape(title)}</title>'
        f'<desc id="area-diagram-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # every piece of text above is escaped
