"""The national directory of areas: the real cooperation areas of Japan, from data shipped in
the project (municipalities/data/areas-national.csv: 37 of the 38 areas of April 2024, with
the sources of each fact; a fact no source confirms says UNCERTAIN).

An area of the directory is created as a directory entry (`recorded` off): its pages show what
the directory knows and no progress, since its agreements are not recorded here. An area whose
procedure is recorded here (the Nagano demo) keeps its record and gets the directory's facts
and sources beside it. Loading again updates in place and deletes nothing.

Needs the national registry (municipalities.registry) loaded first: members are found there by
name, the one nearest the central city where several municipalities share a name (南部町).
"""

import csv
import dataclasses
import math
from collections import defaultdict

from django.db import transaction

from . import page_versions
from .models import (
    AreaDirectoryEntry,
    CooperationArea,
    Municipality,
    MunicipalityKind,
    proposed_slug,
)
from .registry import DATA
from .services import area_save

REASON = "National directory of areas: municipalities/data/areas-national.csv"
# Names the source spells otherwise than the registry.
NAME_VARIANTS = {"梼原町": "檮原町"}


class DirectoryError(Exception):
    """The directory's data does not fit the registry (a name or code it cannot find)."""


@dataclasses.dataclass(frozen=True)
class Result:
    """Directory entries created (with their area if it was not recorded yet), updated and
    unchanged."""

    created: int
    updated: int
    unchanged: int


def _rows() -> list[dict[str, str]]:
    with open(DATA / "areas-national.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _distance(a: Municipality, b: Municipality) -> float:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    return math.hypot(float(a.latitude - b.latitude), float(a.longitude - b.longitude))


class _Registry:
    def __init__(self):
        self.by_code = {}
        self.by_name = defaultdict(list)
        for municipality in Municipality.objects.exclude(
            kind__in=[MunicipalityKind.PREFECTURE, MunicipalityKind.WARD]
        ):
            self.by_code[municipality.code] = municipality
            self.by_name[municipality.name].append(municipality)

    def code(self, code: str, area: str) -> Municipality:
        try:
            return self.by_code[code.strip()]
        except KeyError:
            raise DirectoryError(f"{area}: no municipality has the code {code}") from None

    def named(self, name: str, near: Municipality, area: str) -> Municipality:
        candidates = self.by_name.get(NAME_VARIANTS.get(name, name), [])
        if not candidates:
            raise DirectoryError(f"{area}: no municipality is named {name}")
        nearest = min(candidates, key=lambda municipality: _distance(municipality, near))
        if len(candidates) > 1 and _distance(nearest, near) == math.inf:
            raise DirectoryError(
                f"{area}: {len(candidates)} municipalities are named {name}, and without "
                "coordinates the nearest cannot be told"
            )
        return nearest


@transaction.atomic
def load() -> Result:
    """Create or update every area of the directory, all or nothing."""
    registry = _Registry()
    created = updated = unchanged = 0
    for row in _rows():
        name = row["area_name"].strip()
        centrals = [
            registry.code(code, name) for code in row["central_city_code_if_known"].split(";")
        ]
        members = [
            registry.named(member.strip(), centrals[0], name)
            for member in row["members"].split(";")
            if member.strip()
        ]
        area = (
            CooperationArea.objects.filter(central_city=centrals[0]).first()
            or CooperationArea.objects.filter(name=name).first()
        )
        if area is None:
            area = area_save(
                area=CooperationArea(
                    name=name,
                    slug=proposed_slug(centrals[0]),
                    central_city=centrals[0],
                    # 山口市 and 宇部市: two adjacent cities as the central city together.
                    joint_central_city=centrals[1] if len(centrals) > 1 else None,
                    recorded=False,
                ),
                user=None,
                reason=REASON,
            )
        facts = {
            "central_cities": row["central_city"].strip(),
            "declaration": row["declaration_date"].strip(),
            "vision": row["vision_date"].strip(),
            "member_count": int(row["member_count"]),
            "as_of": row["as_of"].strip(),
            "sources": row["source_url"].strip(),
            "notes": row["notes"].strip(),
        }
        entry = AreaDirectoryEntry.objects.filter(area=area).first()
        same_members = entry is not None and {m.pk for m in entry.members.all()} == {
            m.pk for m in members
        }
        if (
            entry is not None
            and same_members
            and all(getattr(entry, field) == value for field, value in facts.items())
        ):
            unchanged += 1
            continue
        if entry is None:
            entry = AreaDirectoryEntry(area=area)
            created += 1
        else:
            updated += 1
        for field, value in facts.items():
            setattr(entry, field, value)
        entry._change_reason = REASON
        entry.full_clean(exclude=["members"])
        entry.save()
        entry.members.set(members)
        # A change of members alone sends no save signal: move the area's pages here.
        transaction.on_commit(
            lambda slug=area.slug: page_versions.bump(
                [page_versions.area_key(slug), page_versions.NATIONAL]
            )
        )
    return Result(created=created, updated=updated, unchanged=unchanged)
