"""The progress rule of vision.progress, pinned at every status boundary (pure functions; the last
test reads a stored indicator on its public page).

Unless a test says otherwise the indicator runs from a baseline of 100 in 2020 to a target of
200 in 2030 (higher is better), or from 200 to 100 (lower is better), and the latest actual is
for 2025: the straight line then expects 150, a needed change of 50 either way.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from vision.progress import (
    ACCELERATION_FROM,
    LIMITED_FROM,
    ON_TRACK_FROM,
    Direction,
    Progress,
    ProgressStatus,
    expected_value,
    progress,
)

D = Decimal
HIGHER = Direction.HIGHER
LOWER = Direction.LOWER
ACHIEVED = ProgressStatus.ACHIEVED
ON_TRACK = ProgressStatus.ON_TRACK
NEEDS_ACCELERATION = ProgressStatus.NEEDS_ACCELERATION
LIMITED = ProgressStatus.LIMITED
DETERIORATING = ProgressStatus.DETERIORATING
NO_DATA = ProgressStatus.NO_DATA

# (baseline value, target value) by direction; the years are 2020 and 2030.
SPAN = {HIGHER: (D("100"), D("200")), LOWER: (D("200"), D("100"))}


def _progress(direction=HIGHER, *, actuals, **kwargs) -> Progress:
    baseline_value, target_value = SPAN[direction]
    values = {
        "direction": direction,
        "baseline_value": baseline_value,
        "baseline_year": 2020,
        "target_value": target_value,
        "target_year": 2030,
        "actuals": actuals,
    } | kwargs
    return progress(**values)


def _expected(year, **kwargs) -> Decimal:
    values = {
        "year": year,
        "baseline_value": D("100"),
        "baseline_year": 2020,
        "target_value": D("200"),
        "target_year": 2030,
        "yearly_targets": {},
    } | kwargs
    return expected_value(**values)


def test_thresholds_are_those_of_the_rule():
    thresholds = (ON_TRACK_FROM, ACCELERATION_FROM, LIMITED_FROM)

    assert thresholds == (D("0.95"), D("0.5"), D("-0.1"))
    assert all(type(threshold) is Decimal for threshold in thresholds)


# --- No data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("direction", [HIGHER, LOWER])
@pytest.mark.parametrize(
    "actuals",
    [
        pytest.param([], id="no-actuals"),
        pytest.param([(2020, D("150"))], id="only-the-baseline-year"),
        pytest.param([(2018, D("150")), (2019, D("120"))], id="only-years-before-the-baseline"),
        pytest.param([(2019, D("200")), (2020, D("100"))], id="baseline-year-and-before"),
    ],
)
def test_no_data_without_an_actual_after_the_baseline_year(direction, actuals):
    assert _progress(direction, actuals=actuals) == Progress(NO_DATA)


def test_no_data_even_when_the_baseline_year_value_reached_the_target():
    result = _progress(actuals=[(2019, D("250")), (2020, D("250"))])

    assert result == Progress(NO_DATA)


# --- Achieved --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "year", "value"),
    [
        pytest.param(HIGHER, 2025, D("200"), id="higher-exactly-at-target"),
        pytest.param(HIGHER, 2025, D("200.0000"), id="higher-at-target-with-trailing-zeros"),
        pytest.param(HIGHER, 2025, D("250"), id="higher-beyond-target"),
        pytest.param(HIGHER, 2030, D("200"), id="higher-at-target-in-the-target-year"),
        pytest.param(HIGHER, 2034, D("201"), id="higher-beyond-target-after-the-target-year"),
        pytest.param(LOWER, 2025, D("100"), id="lower-exactly-at-target"),
        pytest.param(LOWER, 2025, D("40"), id="lower-beyond-target"),
        pytest.param(LOWER, 2021, D("99.9999"), id="lower-beyond-target-in-the-first-year"),
    ],
)
def test_achieved_when_the_latest_value_reaches_the_target(direction, year, value):
    result = _progress(direction, actuals=[(year, value)])

    assert result == Progress(ACHIEVED, latest_year=year, latest_value=value)


@pytest.mark.parametrize(
    ("direction", "value"),
    [
        pytest.param(HIGHER, D("199.9999"), id="higher-just-below-target"),
        pytest.param(LOWER, D("100.0001"), id="lower-just-above-target"),
    ],
)
def test_not_achieved_just_short_of_the_target(direction, value):
    result = _progress(direction, actuals=[(2025, value)])

    assert result.status == ON_TRACK
    assert result.ratio == D("1.999998")


@pytest.mark.parametrize(
    ("direction", "actuals"),
    [
        pytest.param(HIGHER, [(2023, D("200")), (2025, D("140"))], id="higher"),
        pytest.param(HIGHER, [(2025, D("140")), (2023, D("250"))], id="higher-listed-latest-first"),
        pytest.param(LOWER, [(2023, D("100")), (2025, D("160"))], id="lower"),
        pytest.param(LOWER, [(2025, D("160")), (2023, D("50"))], id="lower-listed-latest-first"),
    ],
)
def test_an_earlier_achievement_does_not_count_when_the_latest_value_fell_back(direction, actuals):
    result = _progress(direction, actuals=actuals)

    assert result.status == NEEDS_ACCELERATION
    assert (result.latest_year, result.expected_value, result.ratio) == (2025, D("150"), D("0.8"))


# --- The ratio thresholds --------------------------------------------------------------------

BOUNDARIES = [
    # (higher-is-better value, lower-is-better value, status, ratio)
    pytest.param(D("175"), D("125"), ON_TRACK, D("1.5"), id="ahead-of-the-line"),
    pytest.param(D("150"), D("150"), ON_TRACK, D("1"), id="on-the-line"),
    pytest.param(D("147.5"), D("152.5"), ON_TRACK, D("0.95"), id="on-track-at-0.95"),
    pytest.param(
        D("147.4999"), D("152.5001"), NEEDS_ACCELERATION, D("0.949998"), id="just-below-0.95"
    ),
    pytest.param(D("125"), D("175"), NEEDS_ACCELERATION, D("0.5"), id="needs-acceleration-at-0.5"),
    pytest.param(D("124.9999"), D("175.0001"), LIMITED, D("0.499998"), id="just-below-0.5"),
    pytest.param(D("100"), D("200"), LIMITED, D("0"), id="no-change"),
    pytest.param(D("95"), D("205"), LIMITED, D("-0.1"), id="limited-at-minus-0.1"),
    pytest.param(
        D("94.9999"), D("205.0001"), DETERIORATING, D("-0.100002"), id="just-below-minus-0.1"
    ),
    pytest.param(D("40"), D("260"), DETERIORATING, D("-1.2"), id="far-away"),
]


@pytest.mark.parametrize(("higher_value", "lower_value", "status", "ratio"), BOUNDARIES)
@pytest.mark.parametrize("direction", [HIGHER, LOWER])
def test_status_by_ratio_at_each_threshold(direction, higher_value, lower_value, status, ratio):
    value = higher_value if direction == HIGHER else lower_value

    result = _progress(direction, actuals=[(2025, value)])

    assert result == Progress(status, 2025, value, expected_value=D("150"), ratio=ratio)
    assert type(result.ratio) is Decimal


@pytest.mark.parametrize(
    ("direction", "value"),
    [
        pytest.param("higher", D("147.5"), id="higher"),
        pytest.param("lower", D("152.5"), id="lower"),
    ],
)
def test_direction_may_be_the_stored_string(direction, value):
    assert type(direction) is str

    result = _progress(direction, actuals=[(2025, value)])

    assert (result.status, result.ratio) == (ON_TRACK, D("0.95"))


# --- Yearly targets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "yearly_targets", "status", "expected", "ratio"),
    [
        pytest.param(HIGHER, D("150"), {}, ON_TRACK, D("150"), D("1"), id="higher-line-on-track"),
        pytest.param(
            HIGHER,
            D("150"),
            {2025: D("180")},
            NEEDS_ACCELERATION,
            D("180"),
            D("0.625"),
            id="higher-yearly-target-needs-acceleration",
        ),
        pytest.param(
            HIGHER,
            D("138"),
            {},
            NEEDS_ACCELERATION,
            D("150"),
            D("0.76"),
            id="higher-line-needs-acceleration",
        ),
        pytest.param(
            HIGHER,
            D("138"),
            {2025: D("140")},
            ON_TRACK,
            D("140"),
            D("0.95"),
            id="higher-yearly-target-on-track",
        ),
        pytest.param(LOWER, D("150"), {}, ON_TRACK, D("150"), D("1"), id="lower-line-on-track"),
        pytest.param(
            LOWER,
            D("150"),
            {2025: D("120")},
            NEEDS_ACCELERATION,
            D("120"),
            D("0.625"),
            id="lower-yearly-target-needs-acceleration",
        ),
        pytest.param(
            LOWER,
            D("162"),
            {},
            NEEDS_ACCELERATION,
            D("150"),
            D("0.76"),
            id="lower-line-needs-acceleration",
        ),
        pytest.param(
            LOWER,
            D("162"),
            {2025: D("160")},
            ON_TRACK,
            D("160"),
            D("0.95"),
            id="lower-yearly-target-on-track",
        ),
        pytest.param(
            HIGHER,
            D("150"),
            {2024: D("190"), 2026: D("190")},
            ON_TRACK,
            D("150"),
            D("1"),
            id="targets-of-other-years-do-not-apply",
        ),
    ],
)
def test_a_yearly_target_for_the_latest_year_replaces_the_line(
    direction, value, yearly_targets, status, expected, ratio
):
    result = _progress(direction, actuals=[(2025, value)], yearly_targets=yearly_targets)

    assert result == Progress(status, 2025, value, expected_value=expected, ratio=ratio)


@pytest.mark.parametrize(
    ("direction", "yearly_target", "value", "status"),
    [
        pytest.param(HIGHER, D("100"), D("100"), ON_TRACK, id="higher-not-moved"),
        pytest.param(HIGHER, D("100"), D("130"), ON_TRACK, id="higher-moved-towards-target"),
        pytest.param(HIGHER, D("100"), D("99.9999"), DETERIORATING, id="higher-moved-away"),
        pytest.param(HIGHER, D("90"), D("100"), ON_TRACK, id="higher-dip-allowed-not-moved"),
        pytest.param(HIGHER, D("90"), D("95"), ON_TRACK, id="higher-dip-allowed-ahead-of-it"),
        pytest.param(HIGHER, D("90"), D("89"), DETERIORATING, id="higher-dip-allowed-behind-it"),
        pytest.param(LOWER, D("200"), D("200"), ON_TRACK, id="lower-not-moved"),
        pytest.param(LOWER, D("200"), D("170"), ON_TRACK, id="lower-moved-towards-target"),
        pytest.param(LOWER, D("200"), D("200.0001"), DETERIORATING, id="lower-moved-away"),
    ],
)
def test_no_change_needed_by_the_yearly_target(direction, yearly_target, value, status):
    result = _progress(direction, actuals=[(2025, value)], yearly_targets={2025: yearly_target})

    assert result == Progress(status, 2025, value, expected_value=yearly_target, ratio=None)


# --- After the target year -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "year", "value", "status", "ratio"),
    [
        pytest.param(HIGHER, 2030, D("195"), ON_TRACK, D("0.95"), id="higher-in-the-target-year"),
        pytest.param(HIGHER, 2033, D("195"), ON_TRACK, D("0.95"), id="higher-on-track"),
        pytest.param(
            HIGHER, 2033, D("194.9999"), NEEDS_ACCELERATION, D("0.949999"), id="higher-just-below"
        ),
        pytest.param(LOWER, 2033, D("105"), ON_TRACK, D("0.95"), id="lower-on-track"),
        pytest.param(
            LOWER, 2040, D("105.0001"), NEEDS_ACCELERATION, D("0.949999"), id="lower-just-below"
        ),
    ],
)
def test_after_the_target_year_the_target_itself_is_expected(direction, year, value, status, ratio):
    # The line continued past 2030 would expect 230 (or 70) by 2033 and call 195 (105) too slow.
    _, target = SPAN[direction]

    result = _progress(direction, actuals=[(year, value)])

    assert result == Progress(status, year, value, expected_value=target, ratio=ratio)


# --- Maintaining the baseline (target equal to baseline) -------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "status"),
    [
        pytest.param(HIGHER, D("100"), ACHIEVED, id="higher-not-moved"),
        pytest.param(HIGHER, D("100.0001"), ACHIEVED, id="higher-moved-up"),
        pytest.param(HIGHER, D("99.9999"), DETERIORATING, id="higher-moved-away"),
        pytest.param(LOWER, D("100"), ACHIEVED, id="lower-not-moved"),
        pytest.param(LOWER, D("99.9999"), ACHIEVED, id="lower-moved-down"),
        pytest.param(LOWER, D("100.0001"), DETERIORATING, id="lower-moved-away"),
    ],
)
@pytest.mark.parametrize("target_year", [2030, 2020], ids=["target-later", "target-same-year"])
def test_target_equal_to_baseline(direction, value, status, target_year):
    result = _progress(
        direction,
        baseline_value=D("100"),
        target_value=D("100"),
        target_year=target_year,
        actuals=[(2025, value)],
    )

    assert (result.status, result.latest_year, result.latest_value) == (status, 2025, value)
    assert result.ratio is None
    assert result.expected_value == (None if status == ACHIEVED else D("100"))


# --- Target year equal to baseline year ------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "status", "ratio"),
    [
        pytest.param(HIGHER, D("195"), ON_TRACK, D("0.95"), id="higher-on-track"),
        pytest.param(
            HIGHER, D("150"), NEEDS_ACCELERATION, D("0.5"), id="higher-needs-acceleration"
        ),
        pytest.param(LOWER, D("190"), LIMITED, D("0.1"), id="lower-limited"),
        pytest.param(LOWER, D("210.0001"), DETERIORATING, D("-0.100001"), id="lower-deteriorating"),
    ],
)
def test_target_year_equal_to_baseline_year_expects_the_target_at_once(
    direction, value, status, ratio
):
    _, target = SPAN[direction]

    result = _progress(direction, target_year=2020, actuals=[(2021, value)])

    assert result == Progress(status, 2021, value, expected_value=target, ratio=ratio)


@pytest.mark.parametrize(
    ("direction", "value"),
    [
        pytest.param(HIGHER, D("200"), id="higher"),
        pytest.param(LOWER, D("99"), id="lower"),
    ],
)
def test_target_year_equal_to_baseline_year_achieved(direction, value):
    result = _progress(direction, target_year=2020, actuals=[(2021, value)])

    assert result == Progress(ACHIEVED, 2021, value)


# --- Only the latest year counts -------------------------------------------------------------

# 2022 reached the target, 2023 fell back to the baseline, 2025 (the latest) is at 0.8 of the line;
# 2019 and 2020 (the baseline year) do not count at all.
HISTORY = [(2022, D("200")), (2025, D("140")), (2023, D("100")), (2019, D("300")), (2020, D("0"))]


@pytest.mark.parametrize(
    "order",
    [
        pytest.param([0, 1, 2, 3, 4], id="as-listed"),
        pytest.param([3, 4, 0, 2, 1], id="chronological"),
        pytest.param([1, 2, 0, 4, 3], id="reverse-chronological"),
        pytest.param([0, 2, 1, 3, 4], id="latest-in-the-middle"),
        pytest.param([4, 3, 2, 0, 1], id="latest-last"),
    ],
)
def test_only_the_latest_year_counts_whatever_the_order(order):
    result = _progress(actuals=[HISTORY[index] for index in order])

    assert result == Progress(NEEDS_ACCELERATION, 2025, D("140"), D("150"), D("0.8"))


@pytest.mark.parametrize(
    "actuals",
    [
        pytest.param([(2022, D("120")), (2026, D("200"))], id="oldest-first"),
        pytest.param([(2026, D("200")), (2022, D("120"))], id="latest-first"),
    ],
)
def test_a_latest_value_at_the_target_is_achieved_whatever_came_before(actuals):
    assert _progress(actuals=actuals) == Progress(ACHIEVED, 2026, D("200"))


# --- expected_value --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "kwargs", "expected"),
    [
        pytest.param(2021, {}, D("110"), id="first-year-on-the-line"),
        pytest.param(2025, {}, D("150"), id="half-way-on-the-line"),
        pytest.param(2029, {}, D("190"), id="last-year-before-the-target"),
        pytest.param(2030, {}, D("200"), id="target-year"),
        pytest.param(2035, {}, D("200"), id="after-the-target-year"),
        pytest.param(
            2025,
            {"baseline_value": D("200"), "target_value": D("100")},
            D("150"),
            id="falling-line",
        ),
        pytest.param(
            2021,
            {"baseline_value": D("0"), "target_value": D("8"), "target_year": 2024},
            D("2"),
            id="baseline-zero",
        ),
        pytest.param(2025, {"yearly_targets": {2025: D("123.4")}}, D("123.4"), id="yearly-target"),
        pytest.param(
            2035, {"yearly_targets": {2035: D("250")}}, D("250"), id="yearly-after-target"
        ),
        pytest.param(2025, {"yearly_targets": {2026: D("123.4")}}, D("150"), id="other-yearly"),
        pytest.param(2021, {"target_year": 2020}, D("200"), id="target-year-is-baseline-year"),
    ],
)
def test_expected_value(year, kwargs, expected):
    result = _expected(year, **kwargs)

    assert result == expected
    assert type(result) is Decimal


# --- The straight line stays exact when the share of the span is not a finite decimal (1/6):
# the ratio lies exactly on a threshold and must not slip to the wrong side of it.


def test_expected_value_is_exact_on_a_six_year_line_from_zero():
    result = _expected(2025, baseline_value=D("0"), baseline_year=2024, target_value=D("30"))

    assert result == D("5")


@pytest.mark.parametrize(
    ("value", "status", "ratio"),
    [
        pytest.param(D("4.75"), ON_TRACK, D("0.95"), id="on-track-at-0.95"),
        pytest.param(D("2.5"), NEEDS_ACCELERATION, D("0.5"), id="needs-acceleration-at-0.5"),
    ],
)
def test_boundaries_hold_on_a_six_year_line_from_zero(value, status, ratio):
    result = progress(
        direction=HIGHER,
        baseline_value=D("0"),
        baseline_year=2024,
        target_value=D("30"),
        target_year=2030,
        actuals=[(2025, value)],
    )

    assert (result.status, result.ratio) == (status, ratio)


# --- Small scales: a baseline of 1.0 and a target of 2.0 (a rate, an index, a score) ----------
# By 2025 the line expects 1.5, a needed change of 0.5: each threshold lies a few hundredths
# apart, so a threshold or comparison that is off shows as a wrong status.

SMALL = [
    # (higher-is-better value, lower-is-better value, status, ratio)
    pytest.param(D("1.3"), D("1.7"), NEEDS_ACCELERATION, D("0.6"), id="1.3"),
    pytest.param(D("1.5"), D("1.5"), ON_TRACK, D("1"), id="on-the-line"),
    pytest.param(D("1.475"), D("1.525"), ON_TRACK, D("0.95"), id="at-0.95"),
    pytest.param(D("1.4749"), D("1.5251"), NEEDS_ACCELERATION, D("0.9498"), id="below-0.95"),
    pytest.param(D("1.25"), D("1.75"), NEEDS_ACCELERATION, D("0.5"), id="at-0.5"),
    pytest.param(D("1.2499"), D("1.7501"), LIMITED, D("0.4998"), id="below-0.5"),
    pytest.param(D("1.0"), D("2.0"), LIMITED, D("0"), id="no-change"),
    pytest.param(D("0.95"), D("2.05"), LIMITED, D("-0.1"), id="at-minus-0.1"),
    pytest.param(D("0.9499"), D("2.0501"), DETERIORATING, D("-0.1002"), id="below-minus-0.1"),
    pytest.param(D("0.5"), D("2.5"), DETERIORATING, D("-1"), id="far-away"),
]


@pytest.mark.parametrize(("higher_value", "lower_value", "status", "ratio"), SMALL)
@pytest.mark.parametrize("direction", [HIGHER, LOWER])
def test_status_on_a_small_scale(direction, higher_value, lower_value, status, ratio):
    baseline_value, target_value = (
        (D("1.0"), D("2.0")) if direction == HIGHER else (D("2.0"), D("1.0"))
    )
    value = higher_value if direction == HIGHER else lower_value

    result = progress(
        direction=direction,
        baseline_value=baseline_value,
        baseline_year=2020,
        target_value=target_value,
        target_year=2030,
        actuals=[(2025, value)],
    )

    assert result == Progress(status, 2025, value, expected_value=D("1.5"), ratio=ratio)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        pytest.param(D("2.0"), ACHIEVED, id="at-the-target"),
        pytest.param(D("1.3"), ON_TRACK, id="ahead-of-the-yearly-target"),
        pytest.param(D("1.0"), ON_TRACK, id="at-the-yearly-target"),
        pytest.param(D("0.9999"), DETERIORATING, id="behind-the-yearly-target"),
    ],
)
def test_small_scale_when_the_yearly_target_asks_for_no_progress_yet(value, status):
    result = progress(
        direction=HIGHER,
        baseline_value=D("1.0"),
        baseline_year=2020,
        target_value=D("2.0"),
        target_year=2030,
        actuals=[(2025, value)],
        yearly_targets={2025: D("1.0")},
    )

    assert result.status == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "status"),
    [
        pytest.param(D("1.3"), NEEDS_ACCELERATION, id="1.3"),
        pytest.param(D("1.475"), ON_TRACK, id="at-0.95"),
        pytest.param(D("1.2499"), LIMITED, id="below-0.5"),
        pytest.param(D("0.9499"), DETERIORATING, id="below-minus-0.1"),
    ],
)
def test_project_page_shows_the_status_of_a_small_scale_indicator(client, value, status):
    # Stored and read back as decimal(16, 4), then shown on the project's public page.
    indicator = factories.IndicatorFactory(
        project__vision__adopted=True,
        baseline_value=D("1.0"),
        baseline_fiscal_year=2014,
        target_value=D("2.0"),
        target_fiscal_year=2020,
    )
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2017, value=value)
    project = indicator.project
    url = reverse("vision:project", kwargs={"slug": project.vision.area.slug, "pk": project.pk})

    page = client.get(url).content.decode()

    shown = set(re.findall(r'class="progress progress-([a-z_]+)"', page))
    assert shown == {status.value}
    assert f'<span class="progress-mark"></span>{status.label}</span>' in page.replace(
        ' aria-hidden="true"', ""
    )
