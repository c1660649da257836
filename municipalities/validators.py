"""Validators every app's fields share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERROR_LINE_BREAK = _("Type this on one line: a line break is not allowed here.")
# What Python's str.splitlines() breaks on: a mail header or a table cell would break there too.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def validate_one_line(value: str) -> None:
    """Titles, summaries, bill numbers: text that goes into a heading, a list or a mail subject."""
    if any(character in LINE_BREAKS for character in value):
        raise ValidationError(ERROR_LINE_BREAK, code="line_break")
