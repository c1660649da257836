"""Numbers as the pages show them."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def format_value(value: Decimal) -> str:
    """A value as the pages show it, the same as Django's floatformat:"-2g" in Japanese and
    English: two decimals, none for whole numbers, thousands separated by commas. Written out
    because a vision page formats thousands of values, and floatformat goes through the
    locale machinery for each."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if not rounded:
        rounded = abs(rounded)  # "0.00", never "-0.00"
    return f"{rounded:,.2f}"
