"""What “modified” means for each kind of record of the API, and its `modified_since` filter.

A record is modified when a row of it is written — its own row or a row of one of its parts,
as each kind lists below, by whoever writes it: a person in the admin or at the desk, an
import, a command. The history tables (django-simple-history) keep every write, deletions
included, so a part that was removed moves its record too. And it is modified when a day it
names comes, on which what it shows changes without any write (an agreement takes effect,
and its status changes): such a day counts from its start, 00:00 in Japan.

Unlike the “last updated” line of an agreement's page (agreements.selectors.last_changed),
which leaves out writes no person made (a record loaded by a command), every write counts
here: a program that copies the record must not miss one. Rows still being drafted
(an amendment not yet before the councils) are not part of the public record and move
nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from agreements.models import Agreement, AgreementItem, CouncilResolution, Procedure
from agreements.selectors import EVENT_DATES, on_public_record
from municipalities.models import AreaMembership, CooperationArea, Municipality
from vision.models import (
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectParticipant,
    PublicComment,
    RoundtableMeeting,
    RoundtableMember,
    Vision,
)


@dataclass(frozen=True)
class Part:
    """Rows that belong to one kind of record: `rows()` all of them, `link` the field that
    names their record's primary key ("id" for the record's own history rows)."""

    rows: Callable[[], QuerySet]
    link: str

    def of(self, pk) -> QuerySet:
        """The rows of the record whose primary key is given (an OuterRef)."""
        return self.rows().filter(**{self.link: pk})

    def records(self, **conditions) -> QuerySet:
        """The primary keys of the records that rows meeting the conditions belong to."""
        return self.rows().filter(**conditions).order_by().values(self.link)


@dataclass(frozen=True)
class Day:
    """A date that changes the record when it comes: of the record's own row (`part` None)
    or of its parts' rows; it counts `after` days later (the day after a period ends)."""

    field: str
    part: Part | None = None
    after: int = 0


@dataclass(frozen=True)
class Changes:
    """What modifies one kind of record: the history rows of its parts (`writes`), and the
    dates it names (`days`)."""

    writes: tuple[Part, ...]
    days: tuple[Day, ...] = ()

    def annotate(self, queryset: QuerySet, today: datetime.date) -> QuerySet:
        """Each row with the latest write of each part and the latest day that has come;
        `modified()` reads them."""
        pk = OuterRef("pk")
        values = {
            f"_written_{i}": Subquery(
                part.of(pk).order_by("-history_date").values("history_date")[:1]
            )
            for i, part in enumerate(self.writes)
        }
        for i, day in enumerate(self.days):
            last = today - datetime.timedelta(days=day.after)
            if day.part is None:
                values[f"_day_{i}"] = _own_day(day.field, last)
            else:
                found = day.part.of(pk).filter(**{f"{day.field}__lte": last})
                values[f"_day_{i}"] = Subquery(
                    found.order_by(f"-{day.field}").values(day.field)[:1]
                )
        return queryset.annotate(**values)

    def since(self, queryset: QuerySet, moment: datetime.datetime, today: datetime.date):
        """The records modified at or after `moment` (an aware datetime).

        One set of primary keys from each part (a UNION), each read by its own date, rather
        than a condition on each record for each part: PostgreSQL answers each part from
        its table once, where an OR of EXISTS would run every part once per record."""
        first = _first_day_from(moment)
        found = [part.records(history_date__gte=moment) for part in self.writes]
        own = Q(pk__in=[])
        for day in self.days:
            span = (
                first - datetime.timedelta(days=day.after),
                today - datetime.timedelta(days=day.after),
            )
            if day.part is None:
                own |= Q(**{f"{day.field}__range": span})
            else:
                found.append(day.part.records(**{f"{day.field}__range": span}))
        ids = found[0].union(*found[1:]) if len(found) > 1 else found[0]
        return queryset.filter(Q(pk__in=ids) | own)

    def modified(self, record) -> datetime.datetime | None:
        """The moment the record was last modified, from the values `annotate` added."""
        moments = [getattr(record, f"_written_{i}") for i in range(len(self.writes))]
        for i, day in enumerate(self.days):
            value = getattr(record, f"_day_{i}")
            if value is not None:
                moments.append(start_of(value + datetime.timedelta(days=day.after)))
        return max((moment for moment in moments if moment is not None), default=None)


def _own_day(field: str, last: datetime.date):
    """The record's own date, where it has come by `last`; else None."""
    return Case(When(**{f"{field}__lte": last}, then=F(field)), default=None)


def start_of(day: datetime.date) -> datetime.datetime:
    """00:00 of the day in Japan (settings.TIME_ZONE)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _first_day_from(moment: datetime.datetime) -> datetime.date:
    """The first day whose start is at or after the moment."""
    local = timezone.localtime(moment)
    day = local.date()
    return day if local == start_of(day) else day + datetime.timedelta(days=1)


# The public procedures of an agreement and their council resolutions.
PROCEDURES = Part(lambda: Procedure.objects.filter(on_public_record()), "agreement_id")
RESOLUTIONS = Part(
    lambda: CouncilResolution.objects.filter(on_public_record("procedure__")),
    "procedure__agreement_id",
)
MEMBERSHIPS = Part(lambda: AreaMembership.objects.all(), "area_id")


def _history(model, link: str = "id", *conditions: Q) -> Part:
    """The history rows of `model` (every write, deletions included) that `link` ties to the
    record."""
    return Part(lambda: model.history.filter(*conditions), link)


# An agreement: its row, its items, its procedures on the public record and their council
# resolutions; the days of its procedures' events and resolutions, and the day after its
# fixed term ends.
AGREEMENT = Changes(
    writes=(
        _history(Agreement),
        _history(AgreementItem, "agreement_id"),
        _history(Procedure, "agreement_id", on_public_record()),
        _history(CouncilResolution, "procedure__agreement_id", on_public_record("procedure__")),
    ),
    days=(
        *(Day(name, PROCEDURES) for name in EVENT_DATES),
        Day("resolved_on", RESOLUTIONS),
        Day("term_end", after=1),
    ),
)

# An indicator: its row, its yearly targets and actual values.
INDICATOR = Changes(
    writes=(
        _history(Indicator),
        _history(IndicatorTarget, "indicator_id"),
        _history(IndicatorActual, "indicator_id"),
    )
)

# A project: its row, participants and costs, and its indicators as above.
PROJECT = Changes(
    writes=(
        _history(Project),
        _history(ProjectParticipant, "project_id"),
        _history(ProjectBudget, "project_id"),
        _history(Indicator, "project_id"),
        _history(IndicatorTarget, "indicator__project_id"),
        _history(IndicatorActual, "indicator__project_id"),
    )
)

# A vision: its row, its roundtable (members, meetings), its public comments and its
# projects as above; the first day of its public comment, and the day after it ends (the
# comments are public from then on).
VISION = Changes(
    writes=(
        _history(Vision),
        _history(RoundtableMember, "vision_id"),
        _history(RoundtableMeeting, "vision_id"),
        _history(PublicComment, "vision_id"),
        _history(Project, "vision_id"),
        _history(ProjectParticipant, "project__vision_id"),
        _history(ProjectBudget, "project__vision_id"),
        _history(Indicator, "project__vision_id"),
        _history(IndicatorTarget, "indicator__project__vision_id"),
        _history(IndicatorActual, "indicator__project__vision_id"),
    ),
    days=(Day("comment_starts_on"), Day("comment_ends_on", after=1)),
)

# An area: its row and its memberships; the days members join and leave. (Its figures —
# partners, agreements in force, step — follow its agreements and visions, which have their
# own `modified`.)
AREA = Changes(
    writes=(_history(CooperationArea), _history(AreaMembership, "area_id")),
    days=(Day("joined_on", MEMBERSHIPS), Day("left_on", MEMBERSHIPS)),
)

# A municipality: its row (the national registry's, and the English name planning staff
# give).
MUNICIPALITY = Changes(writes=(_history(Municipality),))
