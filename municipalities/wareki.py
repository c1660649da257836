"""Japanese era (和暦) dates and fiscal years (年度).

Official documents date by era as well as by the Western calendar: 2016-03-29 is
平成28年3月29日 and the fiscal year from April 2016 to March 2017 is 平成28年度.
The first year of an era is written 元年.
"""

import datetime

# (first day, name). Meiji is counted from its official start under the lunisolar calendar.
ERAS = (
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1868, 1, 25), "明治"),
)


def _year_label(era_year: int) -> str:
    return "元" if era_year == 1 else str(era_year)


def era_of(day: datetime.date) -> tuple[str, int]:
    """Return (era name, year of the era) for a date."""
    for first_day, name in ERAS:
        if day >= first_day:
            return name, day.year - first_day.year + 1
    raise ValueError(f"{day} is before the Meiji era")


def wareki_date(day: datetime.date) -> str:
    """平成28年3月29日 for 2016-03-29."""
    name, year = era_of(day)
    return f"{name}{_year_label(year)}年{day.month}月{day.day}日"


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year (April to March) a date falls in, named by its starting year."""
    return day.year if day.month >= 4 else day.year - 1


def wareki_fiscal_year(fiscal_year: int) -> str:
    """平成28年度 for fiscal 2016.

    A fiscal year takes the latest era that began in or before its starting calendar year:
    fiscal 2019 is 令和元年度 although April 2019 was still Heisei, and fiscal 1988 stays
    昭和63年度 although the era changed in January 1989 — as government documents write them.
    """
    for first_day, name in ERAS:
        if fiscal_year >= first_day.year:
            return f"{name}{_year_label(fiscal_year - first_day.year + 1)}年度"
    raise ValueError(f"fiscal year {fiscal_year} is before the Meiji era")
