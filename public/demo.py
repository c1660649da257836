"""The Nagano demo: the real Nagano area with its recorded facts, and sample details.

Recorded facts (sources: 長野市 Q&A, the municipalities' pages, public/data/README.md):
the nine members and the four eligible outsiders with their frameworks, the declaration of
2016-02-17, the eight agreements passed at the March 2016 sessions of both councils and in
force from 2016-03-29, and the vision 「長野地域スクラムビジョン」 adopted on 2016-03-29 for
five fiscal years. Everything else — texts, bill numbers, exact dates of submission and of
each resolution, project details and indicator values — is invented and marked `is_sample`,
so every page marks it. One amendment (飯綱町, adding disaster relief) is invented outright
and is before the councils, so that the demo clerk has a resolution to record.

The demo is data: its municipalities (public/data/nagano-area.csv and the registry's rows for
them) and its whole-area record (public/data/nagano-demo.json, the same document as
/areas/nagano.json without what pages derive), loaded through the path every real area takes
(public.records). Only the sample minutes are made here: files are not part of a record.

`load()` is safe to run again: the record updates in place and duplicates nothing.
"""

import csv
import json
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import models, transaction

from municipalities.models import CooperationArea, Municipality
from municipalities.services import municipality_save, save_with
from vision.models import RoundtableMeeting
from vision.services import meeting_save

from . import records

DATA = Path(__file__).resolve().parent / "data"
RECORD = DATA / "nagano-demo.json"
REASON = "Nagano demo"
AREA_SLUG = "nagano"
KINDS = {"市": "city", "町": "town", "村": "village"}


class DemoError(Exception):
    """The demo's record no longer fits the rules (the errors say where)."""


def _ensure(model: type[models.Model], service, lookup: dict, values: dict) -> models.Model:
    """Create the record, or change only the fields that differ; never duplicate it."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
    elif all(getattr(instance, name) == value for name, value in values.items()):
        return instance
    else:
        for name, value in values.items():
            setattr(instance, name, value)
    return save_with(service, instance, user=None, reason=REASON)


def _municipalities() -> dict[str, Municipality]:
    with open(DATA / "localgovjp-nagano-area.csv", encoding="utf-8") as f:
        places = {row["lgcode"]: row for row in csv.DictReader(f)}
    result = {}
    with open(DATA / "nagano-area.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            place = places[row["code"]]
            result[row["code"]] = _ensure(
                Municipality,
                municipality_save,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "name_kana": row["name_kana"],
                    "kind": KINDS[row["kind"]],
                    "prefecture": place["pref"],
                    "population": int(row["population_2020"]),
                    "population_census_year": 2020,
                    "population_figure": row["population_figure"],
                    "area_km2": Decimal(row["area_km2"]),
                    "website": place["url"],
                    "latitude": Decimal(place["lat"]).quantize(Decimal("0.000001")),
                    "longitude": Decimal(place["lng"]).quantize(Decimal("0.000001")),
                },
            )
    return result


def _record() -> dict:
    with open(RECORD, encoding="utf-8") as f:
        return json.load(f)


def _sample_minutes(area: CooperationArea) -> None:
    """Each roundtable meeting has sample minutes (a one-page PDF)."""
    meetings = RoundtableMeeting.objects.filter(vision__area=area).order_by("held_on", "id")
    for number, meeting in enumerate(meetings, start=1):
        if meeting.minutes_document or meeting.minutes_url:
            continue
        meeting.minutes_document.save(
            f"roundtable-{meeting.held_on:%Y%m%d}.pdf",
            ContentFile(sample_pdf(f"Roundtable meeting {number} - sample minutes")),
            save=False,
        )
        save_with(meeting_save, meeting, user=None, reason=REASON)


@transaction.atomic
def load() -> CooperationArea:
    """Load (or bring up to date) the Nagano demo; return the area."""
    _municipalities()
    report = records.import_record(_record(), user=None, commit=True, reason=REASON)
    if not report.ok:
        problems = "; ".join(f"{e.path}: {e.message}" for e in report.errors[:10])
        raise DemoError(f"The demo record {RECORD.name} does not load: {problems}")
    _sample_minutes(report.area)
    return report.area


def __getattr__(name: str):
    """DECLARATION, the demo's declaration text, read from its record when first asked for
    (not each time the module is imported)."""
    if name == "DECLARATION":
        return _record()["declaration"]["text"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def sample_pdf(text: str) -> bytes:
    """A one-page PDF showing one line of ASCII text (for sample minutes)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
