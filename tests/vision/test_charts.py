import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from municipalities.numbers import decimal_places, format_value
from municipalities.templatetags.marks import number
from vision.charts import (
    MAX_YEAR_LABELS,
    chart_description,
    fiscal_year_label,
    indicator_chart,
    value_scale,
)
from vision.models import Indicator, IndicatorActual, IndicatorKind, IndicatorTarget

SVG = "{http://www.w3.org/2000/svg}"


def _indicator(**kwargs) -> Indicator:
    values = {
        "name": "圏域の外国人延べ宿泊者数",
        "unit": "人泊",
        "baseline_value": Decimal("98000"),
        "baseline_fiscal_year": 2014,
        "target_value": Decimal("150000"),
        "target_fiscal_year": 2020,
    } | kwargs
    return Indicator(**values)


def _actuals(*pairs) -> list[IndicatorActual]:
    return [IndicatorActual(fiscal_year=year, value=Decimal(value)) for year, value in pairs]


NAGANO_ACTUALS = _actuals((2016, "104000"), (2017, "118000"), (2018, "131000"), (2019, "142000"))


def _chart(indicator=None, actuals=NAGANO_ACTUALS) -> ElementTree.Element:
    return ElementTree.fromstring(indicator_chart(indicator or _indicator(), actuals, html_id="c"))


def test_indicator_chart_is_safe_well_formed_svg_named_by_title_and_desc():
    markup = indicator_chart(_indicator(), NAGANO_ACTUALS, html_id="indicator-7-chart")

    svg = ElementTree.fromstring(markup)
    assert isinstance(markup, SafeString)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("viewBox") and svg.get("width") == "100%"
    assert svg.get("aria-labelledby") == "indicator-7-chart-title indicator-7-chart-desc"
    assert svg.find(f"{SVG}title").get("id") == "indicator-7-chart-title"
    assert svg.find(f"{SVG}title").text == "圏域の外国人延べ宿泊者数"
    assert svg.find(f"{SVG}desc").get("id") == "indicator-7-chart-desc"


def test_indicator_chart_draws_one_marker_per_actual_joined_by_a_solid_line():
    svg = _chart()

    points = svg.findall(f".//{SVG}circle[@class='actual-point']")
    line = svg.find(f".//{SVG}polyline[@class='actuals']")
    assert len(points) == 4
    assert len(line.get("points").split()) == 4
    assert line.get("stroke-dasharray") is None
    # Higher values are drawn higher: y grows downwards.
    heights = [float(point.get("cy")) for point in points]
    assert heights == sorted(heights, reverse=True)


def test_indicator_chart_draws_actuals_in_fiscal_year_order():
    shuffled = _actuals((2018, "131000"), (2016, "104000"), (2017, "118000"))

    points = _chart(actuals=shuffled).findall(f".//{SVG}circle[@class='actual-point']")

    xs = [float(point.get("cx")) for point in points]
    assert xs == sorted(xs)


def test_indicator_chart_draws_target_as_dashed_line_labelled_with_its_value():
    svg = _chart()

    target = svg.find(f".//{SVG}line[@class='target']")
    label = svg.find(f".//{SVG}text[@class='target-label']")
    assert target.get("stroke-dasharray")
    assert target.get("y1") == target.get("y2")
    assert label.text == gettext("Target %(value)s") % {"value": "150,000"}


def test_indicator_chart_marks_the_baseline_with_a_square():
    svg = _chart()

    assert len(svg.findall(f".//{SVG}rect[@class='baseline-point']")) == 1


def test_indicator_chart_x_axis_runs_from_baseline_year_to_target_year():
    years = [t.text for t in _chart().findall(f"{SVG}text") if re.fullmatch(r"\d{4}", t.text)]

    assert years == [str(year) for year in range(2014, 2021)]


def test_indicator_chart_x_axis_includes_an_actual_after_the_target_year():
    indicator = _indicator(target_fiscal_year=2016)

    svg = _chart(indicator, actuals=_actuals((2018, "151000")))

    assert "2018" in [t.text for t in svg.findall(f"{SVG}text")]


def test_indicator_chart_thins_year_labels_over_a_long_period():
    indicator = _indicator(baseline_fiscal_year=1990, target_fiscal_year=2030)

    years = [
        t.text for t in _chart(indicator).findall(f"{SVG}text") if re.fullmatch(r"\d{4}", t.text)
    ]

    assert 2 <= len(years) <= MAX_YEAR_LABELS
    assert years[0] == "1990"


def test_indicator_chart_without_actuals_says_so_and_draws_no_line():
    svg = _chart(actuals=[])

    assert svg.find(f".//{SVG}polyline") is None
    assert svg.findall(f".//{SVG}circle[@class='actual-point']") == []
    assert svg.find(f".//{SVG}line[@class='target']") is not None
    assert gettext("No actual value recorded yet.") in svg.find(f"{SVG}desc").text


def test_indicator_chart_with_one_actual_draws_its_marker_without_a_line():
    svg = _chart(actuals=_actuals((2016, "104000")))

    assert svg.find(f".//{SVG}polyline") is None
    assert len(svg.findall(f".//{SVG}circle[@class='actual-point']")) == 1


@pytest.mark.parametrize("value", ["0", "5200", "-3.5"])
def test_indicator_chart_survives_baseline_equal_to_target_in_the_same_year(value):
    indicator = _indicator(
        baseline_value=Decimal(value),
        target_value=Decimal(value),
        baseline_fiscal_year=2020,
        target_fiscal_year=2020,
    )

    markup = indicator_chart(indicator, [], html_id="c")

    assert "nan" not in markup.lower() and "inf" not in markup.lower()
    ElementTree.fromstring(markup)


def test_indicator_chart_escapes_every_text():
    indicator = _indicator(name='<script>alert("x")</script>', unit="<b>&")

    markup = indicator_chart(indicator, NAGANO_ACTUALS, html_id='x"><script>')

    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup
    assert "&lt;b&gt;&amp;" in markup
    svg = ElementTree.fromstring(markup)
    assert svg.find(f"{SVG}title").text == '<script>alert("x")</script>'


def test_indicator_chart_shows_decimal_values_without_float_artefacts():
    indicator = _indicator(
        unit="%", baseline_value=Decimal("0.1000"), target_value=Decimal("0.3000")
    )

    markup = indicator_chart(indicator, _actuals((2016, "0.2000")), html_id="c")

    labels = [t.text for t in ElementTree.fromstring(markup).iter(f"{SVG}text")]
    assert "0.30" in labels  # a gridline label (the gridlines share two decimals)
    assert not any(re.search(r"\d\.\d{3,}", label) for label in labels)
    # The indicator's values all take one decimal, as many as any of them needs.
    assert "0.2 %" in chart_description(indicator, _actuals((2016, "0.2000")))


def test_chart_description_names_baseline_each_actual_and_target():
    description = chart_description(_indicator(), NAGANO_ACTUALS)

    assert "98,000 人泊" in description and fiscal_year_label(2014) in description
    assert "150,000 人泊" in description and fiscal_year_label(2020) in description
    for year, value in ((2016, "104,000"), (2019, "142,000")):
        assert f"{fiscal_year_label(year)} {value} 人泊" in description
    assert description.index("98,000") < description.index("104,000") < description.index("150,000")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["98000", "150000", "142000"], ("80000", "160000", "20000")),
        (["0", "200", "190"], ("0", "200", "50")),
        (["0", "100", "52"], ("0", "100", "25")),
        (["5200", "5200", "4700"], ("4600", "5200", "200")),
        (["5200", "5200"], ("4000", "6000", "2000")),
        (["0", "0"], ("0", "0.25", "0.25")),
        (["-30", "-10"], ("-30", "-10", "5")),
    ],
)
def test_value_scale_holds_every_value_on_round_steps(values, expected):
    lower, upper, step = value_scale([Decimal(v) for v in values])

    assert (lower, upper, step) == tuple(Decimal(e) for e in expected)
    assert lower <= min(Decimal(v) for v in values)
    assert upper >= max(Decimal(v) for v in values)


def test_indicator_chart_marks_yearly_targets_with_diamonds_and_names_them():
    targets = [
        IndicatorTarget(fiscal_year=2016, value=Decimal("110000")),
        IndicatorTarget(fiscal_year=2018, value=Decimal("135000")),
    ]
    markup = indicator_chart(_indicator(), NAGANO_ACTUALS, html_id="c", targets=targets)
    svg = ElementTree.fromstring(markup)

    diamonds = svg.findall(f".//{SVG}polygon[@class='yearly-target']")
    assert len(diamonds) == 2
    # The 2018 target is higher than the 2016 one, so it is drawn higher (smaller y).
    first_y, second_y = (float(d.get("points").split()[1].split(",")[1]) for d in diamonds)
    assert second_y < first_y
    desc = svg.find(f"{SVG}desc").text
    assert f"{fiscal_year_label(2016)} 110,000 人泊" in desc
    assert gettext("Yearly target") in markup


def test_indicator_chart_without_yearly_targets_has_no_diamond_legend():
    markup = indicator_chart(_indicator(), NAGANO_ACTUALS, html_id="c")

    assert "yearly-target" not in markup
    assert gettext("Yearly target") not in markup


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    "value",
    [
        "0",
        "1",
        "-1",
        "0.5",
        "0.005",
        "0.004",
        "-0.004",
        "-0.005",
        "1.005",
        "2.675",
        "12.3",
        "999.995",
        "1000",
        "1234.5",
        "-1234.567",
        "142000",
        "1234567.891",
        "100.00",
        "3.10",
    ],
)
def test_chart_values_read_exactly_as_the_pages_show_them(language, value):
    # As Django's floatformat with as many decimals as the value needs, up to two: no
    # trailing zeros ("3.10" reads "3.1").
    places = decimal_places([Decimal(value)])
    with translation.override(language):
        expected = str(floatformat(Decimal(value), f"{places}g"))
        assert format_value(Decimal(value)) == expected
        assert number(Decimal(value)) == expected


def test_fiscal_year_label_speaks_the_pages_language():
    with translation.override("en"):
        english = fiscal_year_label(2019)
    with translation.override("ja"):
        japanese = fiscal_year_label(2019)
    assert english == "FY2019" and japanese == "2019年度"


def test_a_count_indicator_has_whole_gridlines_where_another_would_have_halves():
    values = {"baseline_value": Decimal("0"), "target_value": Decimal("2")}
    count = _indicator(unit="市町村", kind=IndicatorKind.COUNT, **values)
    other = _indicator(unit="点", kind=IndicatorKind.OTHER, **values)

    def gridlines(indicator) -> list[str]:
        markup = indicator_chart(indicator, _actuals((2016, "1")), html_id="c")
        texts = [t.text for t in ElementTree.fromstring(markup).iter(f"{SVG}text")]
        return [t for t in texts if t and re.fullmatch(r"[\d.,]+", t)]

    assert "0.5" in gridlines(other)  # 0, 0.5, 1 … for a score
    assert gridlines(count) and all("." not in label for label in gridlines(count))


def test_one_indicators_values_share_their_decimals_on_the_chart():
    indicator = _indicator(unit="分", baseline_value=Decimal("40.5"), target_value=Decimal("36"))

    text = chart_description(indicator, _actuals((2016, "38")))

    assert "40.5 分" in text and "36.0 分" in text and "38.0 分" in text
