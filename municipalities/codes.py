"""The 6-digit local government code (全国地方公共団体コード, JIS X 0402)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"[0-9]{6}")
WEIGHTS = (6, 5, 4, 3, 2)

ERROR_CODE_FORMAT = _("A local government code has exactly 6 digits, for example 202011.")
ERROR_CODE_CHECK_DIGIT = _(
    "%(code)s is not a valid local government code: its check digit should be %(expected)s."
)


def check_digit(first_five: str) -> int:
    """Return the check digit for the first five digits of a local government code."""
    remainder = sum(int(d) * w for d, w in zip(first_five, WEIGHTS, strict=True)) % 11
    return (11 - remainder) % 10


def is_valid_code(code: str) -> bool:
    return bool(CODE_PATTERN.fullmatch(code)) and int(code[5]) == check_digit(code[:5])


def validate_local_government_code(code: str) -> None:
    """Model-field validator: six digits whose last one is the JIS X 0402 check digit."""
    if not CODE_PATTERN.fullmatch(code or ""):
        raise ValidationError(ERROR_CODE_FORMAT, code="format")
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        raise ValidationError(
            ERROR_CODE_CHECK_DIGIT,
            code="check_digit",
            params={"code": code, "expected": expected},
        )
