import datetime

import pytest

from municipalities.wareki import era_of, fiscal_year_of, wareki_date, wareki_fiscal_year


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2016, 3, 29), "平成28年3月29日"),
        (datetime.date(2019, 4, 30), "平成31年4月30日"),
        (datetime.date(2019, 5, 1), "令和元年5月1日"),
        (datetime.date(2020, 1, 1), "令和2年1月1日"),
        (datetime.date(1989, 1, 7), "昭和64年1月7日"),
        (datetime.date(1989, 1, 8), "平成元年1月8日"),
        (datetime.date(1926, 12, 25), "昭和元年12月25日"),
        (datetime.date(1926, 12, 24), "大正15年12月24日"),
    ],
)
def test_wareki_date_names_era_and_year(day, expected):
    assert wareki_date(day) == expected


def test_era_of_refuses_date_before_meiji():
    with pytest.raises(ValueError):
        era_of(datetime.date(1868, 1, 24))


@pytest.mark.parametrize(
    ("fiscal_year", "expected"),
    [
        (2016, "平成28年度"),
        (2015, "平成27年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),
        (2025, "令和7年度"),
        (1988, "昭和63年度"),
        (1989, "平成元年度"),
    ],
)
def test_wareki_fiscal_year_takes_era_begun_in_starting_year(fiscal_year, expected):
    assert wareki_fiscal_year(fiscal_year) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2016, 3, 31), 2015),
        (datetime.date(2016, 4, 1), 2016),
        (datetime.date(2017, 3, 29), 2016),
        (datetime.date(2016, 12, 31), 2016),
        (datetime.date(2017, 1, 1), 2016),
    ],
)
def test_fiscal_year_of_starts_in_april(day, expected):
    assert fiscal_year_of(day) == expected
