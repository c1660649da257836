"""The area picture with the partners of real areas (public.diagram): every label has room of
its own, whatever the number of partners, and every spoke leads to its agreement."""

import csv
import itertools
import math
import re

import pytest

from agreements.status import AgreementStatus
from municipalities.registry import DATA, entries
from municipalities.romaji import english_name
from public.diagram import RING_LIMIT, Spoke, area_diagram, centre_radius, layout, stack

# The longest status labels a partner can show, in Japanese.
STATUSES = [
    (AgreementStatus.IN_FORCE, "効力あり"),
    (AgreementStatus.LAPSE_PENDING, "効力あり（失効の通告を議会で審議中）"),
    (None, "連携協約は未記録"),
]


def _real_areas() -> dict[str, tuple[dict, list[dict]]]:
    """Each area of the national file: its central city and members, with coordinates."""
    registry = entries()
    by_name: dict[str, list[dict]] = {}
    for code, values in registry.items():
        by_name.setdefault(values["name"], []).append({"code": code, **values})
    areas = {}
    with open(DATA / "areas-national.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            central = {"code": "", **registry[row["central_city_code_if_known"].split(";")[0]]}

            def near(candidates, central=central):
                return min(
                    candidates,
                    key=lambda m: math.hypot(
                        float(m["latitude"] - central["latitude"]),
                        float(m["longitude"] - central["longitude"]),
                    ),
                )

            members = [
                near(by_name[{"梼原町": "檮原町"}.get(name, name)])
                for name in row["members"].split(";")
                if name and name != central["name"]
            ]
            areas[row["area_name"]] = (central, members)
    return areas


AREAS = _real_areas()


def _spokes(members, statuses=STATUSES):
    return [
        Spoke(
            name=member["name"],
            status_label=label,
            status=status,
            latitude=float(member["latitude"]),
            longitude=float(member["longitude"]),
            url=f"/areas/x/agreements/{member['code']}/",
        )
        for member, (status, label) in zip(members, itertools.cycle(statuses))
    ]


def _overlapping(boxes):
    return [
        (a, b)
        for a, b in itertools.combinations(range(len(boxes)), 2)
        if boxes[a].overlaps(boxes[b])
    ]


def test_the_real_areas_have_the_sizes_the_issue_names():
    sizes = {len(members) for _central, members in AREAS.values()}
    assert {32, 33} <= sizes  # 広島 and れんけいこうち: 33 and 34 members with the central city


@pytest.mark.parametrize("name", sorted(AREAS))
def test_no_two_labels_of_a_real_area_overlap(name):
    central, members = AREAS[name]
    parts, boxes, markers = layout(
        float(central["latitude"]), float(central["longitude"]), _spokes(members)
    )

    assert len(boxes) == len(members)
    assert _overlapping(boxes) == []
    # Nor does a label cover a marker or the central city's circle.
    assert [(label, m) for label in boxes for m in markers if label.overlaps(m)] == []


# As the English pages name them: the longest status labels, and the English names.
ENGLISH_STATUSES = [
    (AgreementStatus.IN_FORCE, "In force"),
    (AgreementStatus.LAPSE_PENDING, "In force, notice of lapse before a council"),
    (None, "No agreement recorded yet"),
]


def _in_english(member: dict) -> dict:
    return {**member, "name": english_name(member["name_kana"], member["kind"], member["name"])}


@pytest.mark.parametrize("name", sorted(AREAS))
def test_no_two_english_labels_of_a_real_area_overlap(name):
    central, members = AREAS[name]
    centre = centre_radius(_in_english(central)["name"])

    parts, boxes, markers = layout(
        float(central["latitude"]),
        float(central["longitude"]),
        _spokes([_in_english(m) for m in members], ENGLISH_STATUSES),
        centre,
    )

    assert _overlapping(boxes) == []
    assert [(label, m) for label in boxes for m in markers if label.overlaps(m)] == []
    # The central city's circle holds its name, and stays inside the ring of markers.
    assert 40 <= centre < 150 - 9


@pytest.mark.parametrize("count", [8, 15, 33, 34])
def test_partners_all_in_one_direction_still_get_a_label_each(count):
    # The worst case: every office in the same direction (a coastal area along one bay).
    members = [
        {
            "name": f"テスト町{n:02}",
            "code": f"{n:06}",
            "latitude": 34.0 + n * 0.001,
            "longitude": 133.0,
        }
        for n in range(count)
    ]
    parts, boxes, markers = layout(33.0, 133.0, _spokes(members))
    assert _overlapping(boxes) == []
    assert [(label, m) for label in boxes for m in markers if label.overlaps(m)] == []


def test_many_partners_stand_in_columns_and_few_around_the_ring():
    few = area_diagram(
        title="t",
        description="d",
        central_name="長野市",
        central_latitude=None,
        central_longitude=None,
        spokes=_spokes(AREAS["長野地域連携中枢都市圏"][1]),
    )
    many = area_diagram(
        title="t",
        description="d",
        central_name="高知市",
        central_latitude=None,
        central_longitude=None,
        spokes=_spokes(AREAS["れんけいこうち広域都市圏"][1]),
    )
    assert 'class="state"' in few
    assert many.count('class="leader"') == 33 and 'class="state"' not in many
    assert len(AREAS["長野地域連携中枢都市圏"][1]) <= RING_LIMIT < 33


def test_each_spoke_links_to_its_agreement_with_its_status_in_the_link_name():
    central, members = AREAS["広島広域都市圏"]
    svg = area_diagram(
        title="t",
        description="d",
        central_name="広島市",
        central_latitude=float(central["latitude"]),
        central_longitude=float(central["longitude"]),
        spokes=_spokes(members),
    )
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    assert [href for href, _label in links] == [
        f"/areas/x/agreements/{m['code']}/" for m in members
    ]
    assert links[0][1] == f"{members[0]['name']}: 効力あり"
    assert 'role="group"' in svg
    without = area_diagram(
        title="t",
        description="d",
        central_name="c",
        central_latitude=None,
        central_longitude=None,
        spokes=[Spoke("町", "未記録", None, None, None)],
    )
    assert 'role="img"' in without and "<a " not in without


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ([0, 100, 200], [0, 100, 200]),  # room enough: where they are wanted
        ([0, 0, 0], [-30, 0, 30]),  # crowded: pushed apart, centred on the wish
        ([], []),
    ],
)
def test_a_column_stacks_its_rows_apart_and_near_where_they_are_wanted(wanted, expected):
    placed = stack(wanted, 30)
    assert placed == pytest.approx(expected)
    assert all(b - a >= 30 - 1e-9 for a, b in itertools.pairwise(placed))
