"""The progress status of an indicator: one rule, in the spirit of the SDG progress measures.

The rule, in plain words (the public pages show `RULE_EXPLANATION`):

1. **No data** — no actual value after the baseline year yet.
2. Take the latest actual value. **Achieved** — it has reached the target (at or above it when
   higher is better, at or below it when lower is better).
3. Otherwise compare the change since the baseline with the change that was needed by that
   year. What was needed by a year is the yearly target set for that year, or else the straight
   line from the baseline to the target (the target itself from the target year on).
   The ratio observed change ÷ needed change gives
   - **on track** at 0.95 or more,
   - **needs acceleration** from 0.5 up to 0.95,
   - **limited progress** from −0.1 up to 0.5,
   - **deteriorating** below −0.1 (the value moved away from the target).
   When no progress was needed by that year (its yearly target is at the baseline, or even
   behind it), the indicator is on track if it is at or ahead of what was expected that year,
   and deteriorating if it is behind.

These are the thresholds of the UN SDG Progress Chart (ratio of actual to expected change),
with a linear path instead of a growth rate so that a baseline of zero works. All arithmetic is
in `Decimal`.
"""

import dataclasses
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ON_TRACK_FROM = Decimal("0.95")
ACCELERATION_FROM = Decimal("0.5")
LIMITED_FROM = Decimal("-0.1")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class ProgressStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    NEEDS_ACCELERATION = "needs_acceleration", _("Needs acceleration")
    LIMITED = "limited", _("Limited progress")
    DETERIORATING = "deteriorating", _("Deteriorating")
    NO_DATA = "no_data", _("No data")


# The order in which roll-ups list the statuses: best first, no data last.
STATUS_ORDER = list(ProgressStatus)

RULE_EXPLANATION = _(
    "Progress compares the latest actual value with the baseline and the target. Achieved: "
    "the target has been reached. Otherwise the change since the baseline is divided by the "
    "change needed by that year (the yearly target, or else the straight line from the "
    "baseline to the target): 0.95 or more is on track, 0.5 to 0.95 needs acceleration, "
    "−0.1 to 0.5 is limited progress, and below −0.1 the value is deteriorating. When the "
    "yearly target asks for no progress yet, the indicator is on track if it is at or ahead of "
    "that target. No data: no actual value after the baseline year yet."
)


@dataclasses.dataclass(frozen=True)
class Progress:
    status: ProgressStatus
    latest_year: int | None = None
    latest_value: Decimal | None = None
    expected_value: Decimal | None = None
    ratio: Decimal | None = None

    @property
    def percent(self) -> int | None:
        """The ratio as a whole percentage of the change needed (0.83 → 83), for words."""
        if self.ratio is None:
            return None
        return int((self.ratio * 100).to_integral_value(rounding=ROUND_HALF_UP))


def expected_value(
    *,
    year: int,
    baseline_value: Decimal,
    baseline_year: int,
    target_value: Decimal,
    target_year: int,
    yearly_targets: Mapping[int, Decimal],
) -> Decimal:
    """What the indicator should have reached by `year` (after the baseline year)."""
    if year in yearly_targets:
        return yearly_targets[year]
    if year >= target_year or target_year == baseline_year:
        return target_value
    # Multiply before dividing: a share like 1/6 rounded first would move a ratio that lies
    # exactly on a threshold to the wrong side.
    return baseline_value + (target_value - baseline_value) * (year - baseline_year) / Decimal(
        target_year - baseline_year
    )


def progress(
    *,
    direction: str,
    baseline_value: Decimal,
    baseline_year: int,
    target_value: Decimal,
    target_year: int,
    actuals: Iterable[tuple[int, Decimal]],
    yearly_targets: Mapping[int, Decimal] | None = None,
) -> Progress:
    """The progress status by the rule above; `actuals` are (fiscal year, value) pairs."""
    later = [(year, value) for year, value in actuals if year > baseline_year]
    if not later:
        return Progress(ProgressStatus.NO_DATA)
    year, value = max(later, key=lambda pair: pair[0])
    sign = 1 if direction == Direction.HIGHER else -1
    if sign * (value - target_value) >= 0:
        return Progress(ProgressStatus.ACHIEVED, year, value)
    expected = expected_value(
        year=year,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        target_value=target_value,
        target_year=target_year,
        yearly_targets=yearly_targets or {},
    )
    observed = sign * (value - baseline_value)
    needed = sign * (expected - baseline_value)
    if needed <= 0:
        ahead = sign * (value - expected) >= 0
        status = ProgressStatus.ON_TRACK if ahead else ProgressStatus.DETERIORATING
        return Progress(status, year, value, expected)
    ratio = observed / needed
    if ratio >= ON_TRACK_FROM:
        status = ProgressStatus.ON_TRACK
    elif ratio >= ACCELERATION_FROM:
        status = ProgressStatus.NEEDS_ACCELERATION
    elif ratio >= LIMITED_FROM:
        status = ProgressStatus.LIMITED
    else:
        status = ProgressStatus.DETERIORATING
    return Progress(status, year, value, expected, ratio)
