"""The 6-digit local government code (全国地方公共団体コード, JIS X 0402)."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Mod, StrIndex, Substr
from django.db.models.lookups import Exact
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


def check_digit_holds(field: str = "code") -> Exact:
    """The check-digit rule in SQL, for a database constraint: no path that skips
    validation (a bulk write, raw SQL, a script) can store a code with a wrong check digit."""
    # A digit's value is its place in "0123456789" less one (not a cast, which PostgreSQL
    # would answer with an error for a letter: the six-digit constraint refuses those).
    digits = [
        StrIndex(Value("0123456789"), Substr(field, position, 1)) - 1 for position in range(1, 7)
    ]
    weighted = sum(
        (digit * weight for digit, weight in zip(digits, WEIGHTS, strict=False)), Value(0)
    )
    return Exact(digits[5], Mod(Value(11) - Mod(weighted, Value(11)), Value(10)))


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
