"""The area as a picture: the central city in the middle, one spoke per partner.

As in the seed's 「連携中枢都市圏のイメージ」, each agreement is a spoke between the central
city and one partner. Each partner sits in the true direction of its city office from the
central city's (from their coordinates), at one common distance, so that labels stay
readable even where offices are a few kilometres apart; spokes that would overlap are
spread apart. Each spoke carries its status as text and as a line style and marker shape,
never by colour alone, and links to its agreement. The SVG is drawn on the server and scales
to any width.

Where labels around the ring would collide (offices close in one direction, or many partners:
広島 33, れんけいこうち 34), they stand in two columns instead, left and right, each joined to
its marker by a leader line and stacked so that no two overlap. Beyond RING_LIMIT partners a
column row holds the name only: the status stays in the marker's shape, the spoke's line
style and each link's name (and the table beside the picture).
"""

import itertools
import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agreements.status import AgreementStatus

CENTRE_X, CENTRE_Y = 0.0, 0.0
RADIUS = 150
# The central city's circle: wide enough for its name (an English one is longer), at the
# size the stylesheet gives it (.area-diagram .centre text).
CENTRE_RADIUS, CENTRE_SIZE = 40, 20
NAME_SIZE, STATE_SIZE = 22, 18
PADDING = 12
MIN_GAP = math.radians(38)
RING_LIMIT = 10
COLUMN_GAP = 56  # from the ring to the columns of names
ROW = NAME_SIZE + 8  # one name per row in a column

IN_FORCE = {AgreementStatus.IN_FORCE, AgreementStatus.AMENDED}
UNDER_WAY = {
    AgreementStatus.PROPOSED,
    AgreementStatus.IN_COUNCIL,
    AgreementStatus.PASSED,
    AgreementStatus.CONCLUDED,
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
    url: str | None = None  # its agreement's page


@dataclass(frozen=True)
class Box:
    """Where a label is drawn, as the picture estimates it (full-width characters are about
    one em wide): left, top, right, bottom."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def text_width(text: str, size: float) -> float:
    """About how wide a line of text is: a full-width character one em, others half."""
    return sum(size if ord(char) > 0x2E7F else size * 0.6 for char in text)


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


def _angles(central_latitude, central_longitude, spokes: list[Spoke]) -> list[float]:
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
    return spread(angles)


def _link(spoke: Spoke, body: str, family: str) -> str:
    group = f'<g class="spoke spoke-{family}">{body}</g>'
    if not spoke.url:
        return group
    label = escape(f"{spoke.name}: {spoke.status_label}")
    return f'<a href="{escape(spoke.url)}" aria-label="{label}">{group}</a>'


def _ring(spokes: list[Spoke], angles: list[float]) -> tuple[list[str], list[Box]]:
    """Names and statuses around the ring, each beyond its own marker."""
    parts, boxes = [], []
    for spoke, angle in zip(spokes, angles, strict=True):
        family = _family(spoke.status)
        x = CENTRE_X + RADIUS * math.cos(angle)
        y = CENTRE_Y - RADIUS * math.sin(angle)
        label_x = CENTRE_X + (RADIUS + 16) * math.cos(angle)
        label_y = CENTRE_Y - (RADIUS + 16) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        # Above the ring both lines stand above the marker; below it, both below.
        sin = math.sin(angle)
        dy_name = -10 - STATE_SIZE if sin > 0.3 else 16 if sin < -0.3 else 4
        width = max(text_width(spoke.name, NAME_SIZE), text_width(spoke.status_label, STATE_SIZE))
        start = {"start": label_x, "end": label_x - width}.get(anchor, label_x - width / 2)
        boxes.append(
            Box(
                start,
                label_y + dy_name - NAME_SIZE,
                start + width,
                label_y + dy_name + STATE_SIZE + 6,
            )
        )
        parts.append(
            _link(
                spoke,
                f'<line x1="{CENTRE_X:.1f}" y1="{CENTRE_Y:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>'
                f"{_marker(family, x, y)}"
                f'<text x="{label_x:.1f}" y="{label_y + dy_name:.1f}" text-anchor="{anchor}">'
                # The space keeps name and status apart in the text read out, as in the
                # link's name ("Suzaka City: In force"), not "Suzaka CityIn force".
                f'<tspan class="name">{escape(spoke.name)}</tspan> '
                f'<tspan class="state" x="{label_x:.1f}" dy="{STATE_SIZE + 4}">'
                f"{escape(spoke.status_label)}</tspan>"
                f"</text>",
                family,
            )
        )
    return parts, boxes


def stack(wanted: list[float], row: float) -> list[float]:
    """Rows as near as they can be to where they are wanted (in order), at least `row`
    apart: pushed down where they crowd, then the whole stack moved up by what pushing added
    on average, so that it stays centred on what was wanted."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + row) if placed else y)
    if placed:
        shift = (sum(placed) - sum(wanted)) / len(placed)
        placed = [y - shift for y in placed]
    return placed


def _columns(spokes: list[Spoke], angles: list[float]) -> tuple[list[str], list[Box]]:
    """Labels in two columns, right and left of the ring, joined by leader lines; with the
    status under each name up to RING_LIMIT partners."""
    with_state = len(spokes) <= RING_LIMIT
    extra = STATE_SIZE + 6 if with_state else 0
    markers = [(CENTRE_X + RADIUS * math.cos(a), CENTRE_Y - RADIUS * math.sin(a)) for a in angles]
    column_x = RADIUS + COLUMN_GAP
    rows: dict[int, float] = {}
    for side in (1, -1):
        mine = sorted(
            (i for i, (x, _y) in enumerate(markers) if (x >= CENTRE_X) == (side == 1)),
            key=lambda i: markers[i][1],
        )
        for i, y in zip(mine, stack([markers[i][1] for i in mine], ROW + extra), strict=True):
            rows[i] = y
    parts, boxes = [], []
    for i, (spoke, (x, y)) in enumerate(zip(spokes, markers, strict=True)):
        family = _family(spoke.status)
        right = x >= CENTRE_X
        label_x = column_x if right else -column_x
        label_y = rows[i]
        width = text_width(spoke.name, NAME_SIZE)
        state = ""
        if with_state:
            width = max(width, text_width(spoke.status_label, STATE_SIZE))
            state = (
                f' <tspan class="state" x="{label_x:.1f}" dy="{STATE_SIZE + 4}">'
                f"{escape(spoke.status_label)}</tspan>"
            )
        start = label_x if right else label_x - width
        top = label_y - NAME_SIZE / 2 - 3
        boxes.append(Box(start, top, start + width, label_y + NAME_SIZE / 2 + 3 + extra))
        elbow = label_x - 8 if right else label_x + 8
        parts.append(
            _link(
                spoke,
                f'<line x1="{CENTRE_X:.1f}" y1="{CENTRE_Y:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>'
                f'<polyline class="leader" points="{x:.1f},{y:.1f} {elbow:.1f},{label_y:.1f}"/>'
                f"{_marker(family, x, y)}"
                f'<text x="{label_x:.1f}" y="{label_y + NAME_SIZE * 0.35:.1f}" '
                f'text-anchor="{"start" if right else "end"}">'
                f'<tspan class="name">{escape(spoke.name)}</tspan>{state}</text>',
                family,
            )
        )
    return parts, boxes


def centre_radius(name: str) -> float:
    """The radius of the central city's circle, with room for its name."""
    return max(CENTRE_RADIUS, text_width(name, CENTRE_SIZE) / 2 + 8)


def marker_boxes(angles: list[float], centre: float = CENTRE_RADIUS) -> list[Box]:
    """Where the markers are (and the central city's circle of radius `centre`, last)."""
    boxes = []
    for angle in angles:
        x, y = CENTRE_X + RADIUS * math.cos(angle), CENTRE_Y - RADIUS * math.sin(angle)
        boxes.append(Box(x - 9, y - 9, x + 9, y + 9))
    return [
        *boxes,
        Box(CENTRE_X - centre, CENTRE_Y - centre, CENTRE_X + centre, CENTRE_Y + centre),
    ]


def layout(
    central_latitude: float | None,
    central_longitude: float | None,
    spokes: list[Spoke],
    centre: float = CENTRE_RADIUS,
) -> tuple[list[str], list[Box], list[Box]]:
    """Each spoke's markup, the box of its label and the boxes of the markers: labels
    around the ring where they have room there, in columns otherwise."""
    angles = _angles(central_latitude, central_longitude, spokes)
    markers = marker_boxes(angles, centre)
    if len(spokes) <= RING_LIMIT:
        parts, boxes = _ring(spokes, angles)
        clash = any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2)) or any(
            label.overlaps(marker) for label in boxes for marker in markers
        )
        if not clash:
            return parts, boxes, markers
    return (*_columns(spokes, angles), markers)


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
    centre = centre_radius(central_name)
    parts, boxes, _markers = layout(central_latitude, central_longitude, spokes, centre)
    # The picture is cropped to what it draws, so it is as large as the page allows.
    edge = RADIUS + 10
    left = min([-edge if spokes else -centre, *(b.left for b in boxes)])
    right = max([edge if spokes else centre, *(b.right for b in boxes)])
    top = min([-edge if spokes else -centre, *(b.top for b in boxes)])
    bottom = max([edge if spokes else centre, *(b.bottom for b in boxes)])
    parts.append(
        f'<g class="centre"><circle cx="{CENTRE_X:.1f}" cy="{CENTRE_Y:.1f}" r="{centre:g}"/>'
        f'<text x="{CENTRE_X:.1f}" y="{CENTRE_Y + 6:.1f}" text-anchor="middle">'
        f"{escape(central_name)}</text></g>"
    )
    left, top = left - PADDING, top - PADDING
    width, height = right - left + PADDING, bottom - top + PADDING
    # With links inside, the picture is a group of them; without, one image.
    role = "group" if any(spoke.url for spoke in spokes) else "img"
    head = (
        f'<svg class="area-diagram" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" '
        f'role="{role}" aria-labelledby="area-diagram-title area-diagram-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="area-diagram-title">{escape(title)}</title>'
        f'<desc id="area-diagram-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # every piece of text above is escaped
