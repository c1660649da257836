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
from functools import reduce
from operator import or_

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When
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

# The rows of a part that belong to the record whose primary key is given (an OuterRef).
Rows = Callable[[OuterRef], QuerySet]


@dataclass(frozen=True)
class Day:
    """A date that changes the record when it comes: of the record's own row (`rows` None)
    or of its parts' rows; it counts `after` days later (the day after a period ends)."""

    field: str
    rows: Rows | None = None
    after: int = 0


@dataclass(frozen=True)
class Changes:
    """What modifies one kind of record: the history rows of its parts (`writes`), and the
    dates it names (`days`)."""

    writes: tuple[Rows, ...]
    days: tuple[Day, ...] = ()

    def annotate(self, queryset: QuerySet, today: datetime.date) -> QuerySet:
        """Each row with the latest write of each part and the latest day that has come;
        `modified()` reads them."""
        pk = OuterRef("pk")
        values = {
            f"_written_{i}": Subquery(rows(pk).order_by("-history_date").values("history_date")[:1])
            for i, rows in enumerate(self.writes)
        }
        for i, day in enumerate(self.days):
            last = today - datetime.timedelta(days=day.after)
            if day.rows is None:
                values[f"_day_{i}"] = _own_day(day.field, last)
            else:
                found = day.rows(pk).filter(**{f"{day.field}__lte": last})
                values[f"_day_{i}"] = Subquery(
                    found.order_by(f"-{day.field}").values(day.field)[:1]
                )
        return queryset.annotate(**values)

    def since(self, queryset: QuerySet, moment: datetime.datetime, today: datetime.date):
        """The records modified at or after `moment` (an aware datetime)."""
        pk = OuterRef("pk")
        conditions = [Exists(rows(pk).filter(history_date__gte=moment)) for rows in self.writes]
        first = _first_day_from(moment)
        for day in self.days:
            span = (
                first - datetime.timedelta(days=day.after),
                today - datetime.timedelta(days=day.after),
            )
            if day.rows is None:
                conditions.append(Q(**{f"{day.field}__range": span}))
            else:
                conditions.append(Exists(day.rows(pk).filter(**{f"{day.field}__range": span})))
        return queryset.filter(reduce(or_, conditions))

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


def _procedures(pk) -> QuerySet:
    return Procedure.objects.filter(on_public_record(), agreement_id=pk)


def _resolutions(pk) -> QuerySet:
    return CouncilResolution.objects.filter(
        on_public_record("procedure__"), procedure__agreement_id=pk
    )


# An agreement: its row, its items, its procedures on the public record and their council
# resolutions; the days of its procedures' events and resolutions, and the day after its
# fixed term ends.
AGREEMENT = Changes(
    writes=(
        lambda pk: Agreement.history.filter(id=pk),
        lambda pk: AgreementItem.history.filter(agreement_id=pk),
        lambda pk: Procedure.history.filter(on_public_record(), agreement_id=pk),
        lambda pk: CouncilResolution.history.filter(
            on_public_record("procedure__"), procedure__agreement_id=pk
        ),
    ),
    days=(
        *(Day(name, _procedures) for name in EVENT_DATES),
        Day("resolved_on", _resolutions),
        Day("term_end", after=1),
    ),
)

# An indicator: its row, its yearly targets and actual values.
INDICATOR = Changes(
    writes=(
        lambda pk: Indicator.history.filter(id=pk),
        lambda pk: IndicatorTarget.history.filter(indicator_id=pk),
        lambda pk: IndicatorActual.history.filter(indicator_id=pk),
    )
)

# A project: its row, participants and costs, and its indicators as above.
PROJECT = Changes(
    writes=(
        lambda pk: Project.history.filter(id=pk),
        lambda pk: ProjectParticipant.history.filter(project_id=pk),
        lambda pk: ProjectBudget.history.filter(project_id=pk),
        lambda pk: Indicator.history.filter(project_id=pk),
        lambda pk: IndicatorTarget.history.filter(indicator__project_id=pk),
        lambda pk: IndicatorActual.history.filter(indicator__project_id=pk),
    )
)

# A vision: its row, its roundtable (members, meetings), its public comments and its
# projects as above; the first day of its public comment, and the day after it ends (the
# comments are public from then on).
VISION = Changes(
    writes=(
        lambda pk: Vision.history.filter(id=pk),
        lambda pk: RoundtableMember.history.filter(vision_id=pk),
        lambda pk: RoundtableMeeting.history.filter(vision_id=pk),
        lambda pk: PublicComment.history.filter(vision_id=pk),
        lambda pk: Project.history.filter(vision_id=pk),
        lambda pk: ProjectParticipant.history.filter(project__vision_id=pk),
        lambda pk: ProjectBudget.history.filter(project__vision_id=pk),
        lambda pk: Indicator.history.filter(project__vision_id=pk),
        lambda pk: IndicatorTarget.history.filter(indicator__project__vision_id=pk),
        lambda pk: IndicatorActual.history.filter(indicator__project__vision_id=pk),
    ),
    days=(Day("comment_starts_on"), Day("comment_ends_on", after=1)),
)

# An area: its row and its memberships; the days members join and leave. (Its figures —
# partners, agreements in force, step — follow its agreements and visions, which have their
# own `modified`.)
AREA = Changes(
    writes=(
        lambda pk: CooperationArea.history.filter(id=pk),
        lambda pk: AreaMembership.history.filter(area_id=pk),
    ),
    days=(
        Day("joined_on", lambda pk: AreaMembership.objects.filter(area_id=pk)),
        Day("left_on", lambda pk: AreaMembership.objects.filter(area_id=pk)),
    ),
)

# A municipality: its row (the national registry's, and the English name planning staff
# give).
MUNICIPALITY = Changes(writes=(lambda pk: Municipality.history.filter(id=pk),))
