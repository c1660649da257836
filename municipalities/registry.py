"""The national registry: every local government of Japan, from data shipped in the project.

Sources (municipalities/data/README.md): code4fukui "localgovjp" (CC0 1.0) for the 47
prefectures and the 1,916 municipalities and wards of designated cities (codes with check
digit, names, kana, city-office coordinates, websites), and the 2020 census (preliminary
figures, 総務省統計局) for their population.

Loading it again updates in place: a renamed municipality keeps its record, its memberships
and agreements, and gets a new version in its history. Nothing is deleted: a municipality no
longer in the data (merged away) stays, since records may name it. A final population figure
recorded by hand (the demo's) is not replaced by the preliminary one.
"""

import csv
import dataclasses
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from . import page_versions
from .models import Municipality, MunicipalityKind, PopulationFigure
from .services import municipality_save

DATA = Path(__file__).resolve().parent / "data"
REASON = "National registry: code4fukui localgovjp (CC0 1.0); 2020 census, preliminary"
CENSUS_YEAR = 2020
KINDS_BY_SUFFIX = {
    "市": MunicipalityKind.CITY,
    "町": MunicipalityKind.TOWN,
    "村": MunicipalityKind.VILLAGE,
}
COORDINATE = Decimal("0.000001")


@dataclasses.dataclass(frozen=True)
class Result:
    created: int
    updated: int
    unchanged: int
    # Codes in the database that the data no longer lists (kept: records may name them).
    not_listed: list[str]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _coordinate(value: str) -> Decimal | None:
    return Decimal(value).quantize(COORDINATE) if value else None


def _kind(code: str, name: str) -> MunicipalityKind:
    """A ward of a designated city is listed as "札幌市 中央区"; Tokyo's 23 special wards
    (131016–131237) as "千代田区"."""
    if " " in name:
        return MunicipalityKind.WARD
    if name.endswith("区") and code.startswith("13"):
        return MunicipalityKind.SPECIAL_WARD
    return KINDS_BY_SUFFIX[name[-1]]


def entries() -> dict[str, dict]:
    """Every prefecture and municipality of the data, by local government code, with the
    values of the registry's FIELDS."""
    # 双葉町 has no figure: its people were still evacuated in 2020.
    population = {
        row["area_code"]: int(row["population"])
        for row in _rows("population_2020_preliminary.csv")
        if row["population"]
    }

    def census(code: str) -> dict:
        people = population.get(code[:5])
        if people is None:
            return {"population": None, "population_census_year": None, "population_figure": ""}
        return {
            "population": people,
            "population_census_year": CENSUS_YEAR,
            "population_figure": PopulationFigure.PRELIMINARY,
        }

    result = {}
    for row in _rows("prefjp-utf8.csv"):
        code = row["lgcode"].zfill(6)
        result[code] = {
            "name": row["pref"],
            "name_kana": row["prefkana"],
            "kind": MunicipalityKind.PREFECTURE,
            "prefecture": row["pref"],
            "website": row["url"],
            "latitude": _coordinate(row["lat"]),
            "longitude": _coordinate(row["lng"]),
            **census(code),
        }
    for row in _rows("localgovjp-utf8.csv"):
        code = row["lgcode"].zfill(6)
        result[code] = {
            "name": row["city"].replace(" ", ""),
            "name_kana": row["citykana"].replace(" ", ""),
            "kind": _kind(code, row["city"]),
            "prefecture": row["pref"],
            "website": row["url"],
            "latitude": _coordinate(row["lat"]),
            "longitude": _coordinate(row["lng"]),
            **census(code),
        }
    return result


def _keeps_population(municipality: Municipality, values: dict) -> bool:
    """Whether the recorded population stays as it is: the registry owns only a missing
    figure or its own (the 2020 preliminary one), and never clears a figure."""
    owned = municipality.population is None or (
        municipality.population_census_year == CENSUS_YEAR
        and municipality.population_figure == PopulationFigure.PRELIMINARY
    )
    return not owned or values["population"] is None


@transaction.atomic
def load(*, user: AbstractBaseUser | None = None) -> Result:
    """Create or update every local government of the data, all or nothing, with history."""
    existing = {m.code: m for m in Municipality.objects.all()}
    listed = entries()
    new, updated, unchanged = [], 0, 0
    for code, values in listed.items():
        municipality = existing.get(code)
        if municipality is None:
            municipality = Municipality(code=code, **values)
            municipality.full_clean(validate_unique=False, validate_constraints=False)
            new.append(municipality)
            continue
        if _keeps_population(municipality, values):
            values = {k: v for k, v in values.items() if not k.startswith("population")}
        if all(getattr(municipality, name) == value for name, value in values.items()):
            unchanged += 1
            continue
        for name, value in values.items():
            setattr(municipality, name, value)
        municipality_save(municipality=municipality, user=user, reason=REASON)
        updated += 1
    # One statement per 500 rows, each with its history row (a save per row would take
    # seconds); bulk writes send no signal, so the pages naming municipalities move here.
    bulk_create_with_history(
        new,
        Municipality,
        batch_size=500,
        default_user=user,
        default_change_reason=REASON,
    )
    if new:
        transaction.on_commit(lambda: page_versions.bump([page_versions.REGISTRY]))
    return Result(
        created=len(new),
        updated=updated,
        unchanged=unchanged,
        not_listed=sorted(set(existing) - set(listed)),
    )
