"""The query parameters of the API's lists, each read and checked in one place.

A value that names nothing (an area slug no area has, a status that is not one) is an error,
not an empty list: the answer is 400 with the parameter's name and what is wrong, e.g.
`{"status": ["“in-force” is not one of: draft, proposed, …"]}`. An empty value is as if the
parameter were not given. The schema's descriptions of the parameters are here too, so the
documentation says what the code does.
"""

import datetime
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from municipalities.codes import validate_local_government_code
from municipalities.models import CooperationArea, Municipality

ERROR_NO_AREA = _("No area has the slug “%(value)s”.")
ERROR_NO_MUNICIPALITY = _("There is no local government with the code %(value)s.")
ERROR_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
ERROR_ID = _("“%(value)s” is not an id: give a whole number such as 12.")
ERROR_NOT_FOUND = _("Nothing public has the id %(value)s.")
ERROR_MOMENT = _(
    "“%(value)s” is not a date or a moment such as 2026-04-01 or 2026-04-01T09:00:00+09:00."
)

MIN_YEAR, MAX_YEAR = 2, 9998
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# A "+" of a time zone that was not written %2B arrives as a space: 09:00:00 09:00.
_OFFSET_AS_SPACE = re.compile(r" (\d\d(:?\d\d)?)$")


def _value(params, name: str) -> str | None:
    value = params.get(name, "").strip()
    return value or None


def _error(name: str, message, **values) -> ValidationError:
    return ValidationError({name: [str(message) % values if values else str(message)]})


def checked(*readers) -> list:
    """The value of each reader (a function that reads one parameter); every refused one
    together in one 400."""
    values, errors = [], {}
    for read in readers:
        try:
            values.append(read())
        except ValidationError as error:
            errors.update(error.detail)
    if errors:
        raise ValidationError(errors)
    return values


def area(params, name: str = "area") -> CooperationArea | None:
    """The area named by its slug."""
    slug = _value(params, name)
    if slug is None:
        return None
    found = CooperationArea.objects.filter(slug=slug).first() if _SLUG.fullmatch(slug) else None
    if found is None:
        raise _error(name, ERROR_NO_AREA, value=slug)
    return found


def municipality(params, name: str = "municipality") -> Municipality | None:
    """The municipality (or prefecture) named by its local government code."""
    code = _value(params, name)
    if code is None:
        return None
    try:
        validate_local_government_code(code)
    except DjangoValidationError as error:
        raise ValidationError({name: error.messages}) from None
    found = Municipality.objects.filter(code=code).first()
    if found is None:
        raise _error(name, ERROR_NO_MUNICIPALITY, value=code)
    return found


def choice(params, name: str, choices: list[str]) -> str | None:
    """One of the codes of a vocabulary."""
    value = _value(params, name)
    if value is not None and value not in choices:
        raise _error(name, ERROR_CHOICE, value=value, choices=", ".join(choices))
    return value


def record_id(params, name: str, queryset) -> int | None:
    """The id of a record of the queryset (a public one)."""
    value = _value(params, name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise _error(name, ERROR_ID, value=value)
    if not queryset.filter(pk=int(value)).exists():
        raise _error(name, ERROR_NOT_FOUND, value=value)
    return int(value)


def moment(params, name: str = "modified_since") -> datetime.datetime | None:
    """A date (from its start, 00:00 in Japan) or a date and time; without a time zone, in
    Japan's."""
    value = _value(params, name)
    if value is None:
        return None
    text = _OFFSET_AS_SPACE.sub(r"+\1", value) if "T" in value else value
    try:
        parsed = parse_datetime(text)
        day = None if parsed else parse_date(text)
    except ValueError:  # well formed, but no such day or time (2026-02-30)
        parsed = day = None
    if parsed is None and day is None:
        raise _error(name, ERROR_MOMENT, value=value)
    if parsed is None:
        parsed = datetime.datetime.combine(day, datetime.time())
    # Within the years a date can be shifted by a day in any time zone (not year 1 or 9999).
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise _error(name, ERROR_MOMENT, value=value)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


# The parameters as the schema documents them.


def area_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "area",
        OpenApiTypes.STR,
        description=f"Only {what} of this area, by its slug (e.g. `nagano`). An unknown "
        "slug is a 400.",
        pattern=r"^[-a-zA-Z0-9_]+$",
    )


def municipality_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "municipality",
        OpenApiTypes.STR,
        description=f"Only {what}, by its 6-digit local government code with check digit "
        "(e.g. `202070`). A malformed or unknown code is a 400.",
        pattern=r"^[0-9]{6}$",
    )


def choice_parameter(name: str, choices: list[str], description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, enum=choices, description=f"{description} Another value is a 400."
    )


def id_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.INT,
        description=f"{description} An id that is not a public record's is a 400.",
    )


MODIFIED_SINCE = OpenApiParameter(
    "modified_since",
    OpenApiTypes.STR,
    description=(
        "Only records modified at or after this moment: an ISO 8601 date (`2026-04-01`, from "
        "00:00 in Japan) or date and time (`2026-04-01T09:00:00+09:00`, `…Z`; without a time "
        "zone, Japan's). Write the `+` of an offset as `%2B`. What counts as a modification "
        "is said in each record's `modified` field. A value that is not a date is a 400."
    ),
)
