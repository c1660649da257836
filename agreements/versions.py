"""The versions of an agreement's text: as concluded, then after each amendment.

Each conclusion or amendment keeps the content it submitted to the councils (its
`content`); once it takes effect that content is a version, in force until the next one takes
effect or the agreement ends. The public page shows the version in force on a day, and each
amendment's 新旧対照表 compares its content with the version it amends.
"""

import datetime
from dataclasses import dataclass

from .models import CONTENT_KINDS, Procedure
from .status import ProcedureKind
from .texts import ComparisonRow, compare


@dataclass(frozen=True)
class Version:
    number: int
    procedure: Procedure
    effective_on: datetime.date
    ends_on: datetime.date | None

    @property
    def content(self) -> dict:
        return self.procedure.content

    @property
    def is_conclusion(self) -> bool:
        return self.procedure.kind == ProcedureKind.CONCLUSION


def agreement_versions(procedures: list[Procedure]) -> list[Version]:
    """The versions, oldest first, from the agreement's procedures (in the order started)."""
    taking_effect = [
        p
        for p in procedures
        if p.kind in CONTENT_KINDS and p.effective_on and p.content is not None and not p.dropped_on
    ]
    ending = min(
        (
            p.effective_on
            for p in procedures
            if p.kind in (ProcedureKind.ABOLITION, ProcedureKind.LAPSE) and p.effective_on
        ),
        default=None,
    )
    return [
        Version(
            number=index + 1,
            procedure=procedure,
            effective_on=procedure.effective_on,
            ends_on=(
                taking_effect[index + 1].effective_on if index + 1 < len(taking_effect) else ending
            ),
        )
        for index, procedure in enumerate(taking_effect)
    ]


def version_on(versions: list[Version], day: datetime.date) -> Version | None:
    """The version in force on a day (the last that took effect by then)."""
    return next((v for v in reversed(versions) if v.effective_on <= day), None)


def amended_version(versions: list[Version], amendment: Procedure) -> Version | None:
    """The version an amendment changes: the latest that took effect before it was started."""
    earlier = [v for v in versions if v.procedure.pk < amendment.pk]
    return earlier[-1] if earlier else None


def amendment_comparison(versions: list[Version], amendment: Procedure) -> list[ComparisonRow]:
    """The 新旧対照表 of an amendment: its content against the version it amends."""
    base = amended_version(versions, amendment)
    if base is None or amendment.content is None:
        return []
    return compare(base.content, amendment.content)


def public_content(agreement, procedures: list[Procedure], versions: list[Version], today):
    """The content the public sees today: the version in force, else the content before the
    councils, else the published draft; with the version (None for a draft)."""
    version = version_on(versions, today)
    if version is not None:
        return version.content, version
    submitted = [
        p
        for p in procedures
        if p.kind == ProcedureKind.CONCLUSION and p.content is not None and not p.dropped_on
    ]
    if submitted:
        return submitted[-1].content, None
    return agreement.content_of(), None


def with_english_titles(content: dict, agreement) -> dict:
    """The content with each item's English title: the one its record has now, while that
    record keeps the item's role and Japanese title (a translation given after the councils
    passed the content shows with it), else the one kept with the content, else ""."""
    records = {item.pk: item for item in agreement.items.all()}

    def english(entry: dict) -> str:
        record = records.get(entry.get("id"))
        same = record is not None and (record.role, record.title) == (
            entry["role"],
            entry["title"],
        )
        return (record.title_en if same else "") or entry.get("title_en") or ""

    items = [{**entry, "title_en": english(entry)} for entry in content.get("items", [])]
    return {**content, "items": items}


def changes_record(rows: list[ComparisonRow]) -> list[dict]:
    """An amendment's changes as open data: each provision's text before and after."""
    return [
        {
            "provision": row.label,
            "before": "".join(s.text for s in row.old) if row.old is not None else None,
            "after": "".join(s.text for s in row.new) if row.new is not None else None,
        }
        for row in rows
    ]
