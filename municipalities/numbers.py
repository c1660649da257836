"""Numbers as the pages show them."""

from decimal import ROUND_HALF_UP, Decimal


def decimal_places(values, most: int = 2) -> int:
    """How many decimals show every one of `values` (None left out) to `most` decimals:
    [40.5, 36] → 1, [150000, 98000] → 0, [1.234] → 2."""
    places = 0
    for value in values:
        if value is None:
            continue
        rounded = Decimal(value).quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
        places = max(places, -rounded.normalize().as_tuple().exponent)
    return min(places, most)


def format_value(value: Decimal, places: int | None = None) -> str:
    """A value as the pages show it: thousands separated by commas, and `places` decimals,
    or, without `places`, as many as it needs up to two (40.50 → "40.5", 1000 → "1,000").
    The values of one indicator take the same places (Indicator.decimals), so that 40.5 and
    36 read "40.5" and "36.0". Written out because a vision page formats thousands of values,
    and floatformat goes through the locale machinery for each."""
    value = Decimal(value)
    if places is None:
        places = decimal_places([value])
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if not rounded:
        rounded = abs(rounded)  # "0.0", never "-0.0"
    return f"{rounded:,.{places}f}"


def plain_number(value: Decimal) -> str:
    """A stored value as open data writes it: exact, without the trailing zeros of the
    column's scale and without exponent or thousands separators (12.5000 → "12.5",
    150000.0000 → "150000", 0.0000 → "0")."""
    value = Decimal(value)
    if not value:
        return "0"  # never "-0" or "0E-4"
    return f"{value.normalize():f}"
