import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from municipalities.codes import ERROR_CODE_CHECK_DIGIT
from municipalities.fixed import ERROR_FIXED
from municipalities.models import (
    ERROR_CENTRAL_CITY_FIXED,
    ERROR_LEFT_BEFORE_JOINED,
    ERROR_MEMBERSHIP_CENTRAL_CITY,
    ERROR_MEMBERSHIP_OVERLAP,
    ERROR_RATIO_MEETS_RULE,
    ERROR_RATIO_REASON_REQUIRED,
    ERROR_RATIO_SURVEY_YEAR,
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
)
from municipalities.services import (
    area_save,
    commuting_ratio_save,
    membership_save,
    municipality_save,
)
from tests import factories

pytestmark = pytest.mark.django_db

JOINED_ON = datetime.date(2016, 3, 29)


def _refused(service, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        service(**kwargs)
    return caught.value.message_dict


def _history_count(model) -> int:
    return model.history.model.objects.count()


# Municipality


def test_municipality_save_records_user_and_reason(staff_user):
    municipality = factories.MunicipalityFactory.build(code="202011", name="長野市")

    saved = municipality_save(municipality=municipality, user=staff_user, reason="初期登録")

    record = saved.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff_user
    assert record.history_change_reason == "初期登録"


def test_municipality_save_without_user_leaves_history_user_empty():
    saved = municipality_save(municipality=factories.MunicipalityFactory.build(), user=None)

    assert saved.history.get().history_user is None


def test_municipality_save_refuses_wrong_check_digit():
    municipality = factories.MunicipalityFactory.build(code="202012")

    errors = _refused(municipality_save, municipality=municipality, user=None)

    assert errors == {"code": [str(ERROR_CODE_CHECK_DIGIT) % {"code": "202012", "expected": 1}]}
    assert not Municipality.objects.exists()
    assert _history_count(Municipality) == 0


@pytest.mark.parametrize("missing", ["population_census_year", "population_figure"])
def test_municipality_save_refuses_population_without_census_year_or_figure(missing):
    municipality = factories.MunicipalityFactory.build(
        population=10000, **{missing: None if missing.endswith("year") else ""}
    )

    errors = _refused(municipality_save, municipality=municipality, user=None)

    assert list(errors) == [missing]
    assert not Municipality.objects.exists()


def test_municipality_save_accepts_unknown_population_without_year():
    municipality = factories.MunicipalityFactory.build(
        population=None, population_census_year=None, population_figure=""
    )

    assert municipality_save(municipality=municipality, user=None).pk is not None


def test_municipality_population_constraint_refuses_unvalidated_save():
    municipality = factories.MunicipalityFactory.build(population_census_year=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        municipality.save()


# Cooperation area


def test_area_save_refuses_declaration_date_without_text():
    city = factories.MunicipalityFactory(city=True)
    area = factories.CooperationAreaFactory.build(central_city=city, declaration_text="  ")

    errors = _refused(area_save, area=area, user=None)

    assert list(errors) == ["declaration_text"]
    assert not CooperationArea.objects.exists()


def test_area_save_accepts_no_declaration_yet(staff_user):
    city = factories.MunicipalityFactory(city=True)
    area = factories.CooperationAreaFactory.build(
        central_city=city, declared_on=None, declaration_text=""
    )

    saved = area_save(area=area, user=staff_user, reason="圏域の登録")

    assert saved.history.get().history_change_reason == "圏域の登録"


# Membership


def _membership(area, municipality=None, **kwargs) -> AreaMembership:
    municipality = municipality or factories.MunicipalityFactory()
    return AreaMembership(area=area, municipality=municipality, joined_on=JOINED_ON, **kwargs)


def test_membership_save_records_partner_with_user_and_reason(area, staff_user):
    membership = membership_save(
        membership=_membership(area), user=staff_user, reason="連携協約の締結"
    )

    record = membership.history.get()
    assert (record.history_user, record.history_change_reason) == (staff_user, "連携協約の締結")
    assert membership.is_current_on(JOINED_ON)
    assert not membership.is_current_on(JOINED_ON - datetime.timedelta(days=1))


def test_membership_save_refuses_central_city_in_its_own_area(area):
    errors = _refused(membership_save, membership=_membership(area, area.central_city), user=None)

    assert errors == {"municipality": [str(ERROR_MEMBERSHIP_CENTRAL_CITY)]}
    assert not AreaMembership.objects.exists()
    assert _history_count(AreaMembership) == 0


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        # (joined, left) of the saved membership, then of the new one.
        ((datetime.date(2016, 3, 29), None), (datetime.date(2020, 4, 1), None)),
        (
            (datetime.date(2016, 3, 29), None),
            (datetime.date(2010, 4, 1), datetime.date(2017, 1, 1)),
        ),
        (
            (datetime.date(2016, 3, 29), datetime.date(2020, 3, 31)),
            (datetime.date(2020, 3, 30), None),
        ),
        (
            (datetime.date(2016, 3, 29), datetime.date(2020, 3, 31)),
            (datetime.date(2017, 4, 1), datetime.date(2018, 3, 31)),
        ),
    ],
)
def test_membership_save_refuses_overlapping_periods(area, existing, new):
    saved = factories.AreaMembershipFactory(area=area, joined_on=existing[0], left_on=existing[1])
    municipality = saved.municipality
    membership = AreaMembership(
        area=area, municipality=municipality, joined_on=new[0], left_on=new[1]
    )

    errors = _refused(membership_save, membership=membership, user=None)

    assert errors["joined_on"] == [str(ERROR_MEMBERSHIP_OVERLAP) % {"municipality": municipality}]
    assert AreaMembership.objects.count() == 1


def test_membership_save_accepts_rejoining_on_the_day_it_left(area):
    left = factories.AreaMembershipFactory(area=area, left=True)
    rejoin = AreaMembership(area=area, municipality=left.municipality, joined_on=left.left_on)

    membership_save(membership=rejoin, user=None)

    assert AreaMembership.objects.filter(municipality=left.municipality).count() == 2
    assert rejoin.is_current_on(left.left_on)
    assert not left.is_current_on(left.left_on)


@pytest.mark.parametrize("left_on", [JOINED_ON, JOINED_ON - datetime.timedelta(days=1)])
def test_membership_save_refuses_left_on_not_after_joined_on(area, left_on):
    errors = _refused(membership_save, membership=_membership(area, left_on=left_on), user=None)

    assert errors == {"left_on": [str(ERROR_LEFT_BEFORE_JOINED)]}
    assert not AreaMembership.objects.exists()


def test_membership_one_open_constraint_refuses_second_open_membership(area):
    first = factories.AreaMembershipFactory(area=area)
    second = AreaMembership(
        area=area, municipality=first.municipality, joined_on=datetime.date(2020, 4, 1)
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert AreaMembership.objects.count() == 1


def test_membership_left_after_joined_constraint_refuses_unvalidated_save(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        _membership(area, left_on=JOINED_ON).save()


# Commuting ratio


def _ratio(area, **kwargs) -> CommutingRatio:
    values = {
        "municipality": factories.MunicipalityFactory(),
        "ratio": Decimal("0.1500"),
        "survey_year": 2010,
        "meets_rule": True,
        "outside_reason": "北信定住自立圏の構成市町村であるため",
    }
    return CommutingRatio(area=area, **(values | kwargs))


@pytest.mark.parametrize(
    ("ratio", "meets_rule"),
    [
        (Decimal("0.0999"), False),
        (Decimal("0.1000"), True),
        (Decimal("0.0000"), False),
        (Decimal("1.0000"), True),
    ],
)
def test_commuting_ratio_save_accepts_meets_rule_that_follows_ratio(area, ratio, meets_rule):
    saved = commuting_ratio_save(ratio=_ratio(area, ratio=ratio, meets_rule=meets_rule), user=None)

    saved.refresh_from_db()
    assert (saved.ratio, saved.meets_rule) == (ratio, meets_rule)


@pytest.mark.parametrize(
    ("ratio", "meets_rule"),
    [(Decimal("0.0999"), True), (Decimal("0.1000"), False), (Decimal("0.5000"), False)],
)
def test_commuting_ratio_save_refuses_meets_rule_against_ratio(area, ratio, meets_rule):
    errors = _refused(
        commuting_ratio_save, ratio=_ratio(area, ratio=ratio, meets_rule=meets_rule), user=None
    )

    assert errors == {"meets_rule": [str(ERROR_RATIO_MEETS_RULE) % {"ratio": ratio}]}
    assert not CommutingRatio.objects.exists()


@pytest.mark.parametrize(
    ("ratio", "meets_rule"), [(Decimal("0.0999"), True), (Decimal("0.1000"), False)]
)
def test_commuting_ratio_constraint_refuses_meets_rule_against_ratio(area, ratio, meets_rule):
    with pytest.raises(IntegrityError), transaction.atomic():
        _ratio(area, ratio=ratio, meets_rule=meets_rule).save()


def test_commuting_ratio_save_refuses_ratio_without_survey_year(area):
    errors = _refused(commuting_ratio_save, ratio=_ratio(area, survey_year=None), user=None)

    assert errors == {"survey_year": [str(ERROR_RATIO_SURVEY_YEAR)]}
    assert not CommutingRatio.objects.exists()


def test_commuting_ratio_save_refuses_eligible_non_member_without_reason(area):
    outsider = factories.MunicipalityFactory(name="中野市")

    errors = _refused(
        commuting_ratio_save,
        ratio=_ratio(area, municipality=outsider, outside_reason=" "),
        user=None,
    )

    assert errors == {
        "outside_reason": [str(ERROR_RATIO_REASON_REQUIRED) % {"municipality": outsider}]
    }
    assert not CommutingRatio.objects.exists()


def test_commuting_ratio_save_accepts_member_without_reason(area):
    member = factories.AreaMembershipFactory(area=area).municipality

    commuting_ratio_save(ratio=_ratio(area, municipality=member, outside_reason=""), user=None)

    assert CommutingRatio.objects.get().municipality == member


def test_commuting_ratio_save_accepts_non_member_below_rule_without_reason(area):
    ratio = _ratio(area, ratio=Decimal("0.0500"), meets_rule=False, outside_reason="")

    commuting_ratio_save(ratio=ratio, user=None)

    assert CommutingRatio.objects.count() == 1


@pytest.mark.parametrize("meets_rule", [True, False])
def test_commuting_ratio_save_accepts_unknown_ratio(area, staff_user, meets_rule):
    ratio = _ratio(area, ratio=None, survey_year=None, meets_rule=meets_rule)

    saved = commuting_ratio_save(ratio=ratio, user=staff_user, reason="Q10による")

    record = saved.history.get()
    assert (record.ratio, record.meets_rule) == (None, meets_rule)
    assert (record.history_user, record.history_change_reason) == (staff_user, "Q10による")


# What a record is about stays fixed


def test_membership_save_refuses_moving_a_membership_to_another_municipality(area):
    membership = factories.AreaMembershipFactory(area=area)
    original = membership.municipality_id
    membership.municipality = factories.MunicipalityFactory()

    errors = _refused(membership_save, membership=membership, user=None)

    assert errors == {"municipality": [str(ERROR_FIXED)]}
    assert AreaMembership.objects.get(pk=membership.pk).municipality_id == original


def test_area_save_refuses_a_new_central_city_once_it_has_partners(area):
    partner = factories.AreaMembershipFactory(area=area).municipality
    area.central_city = partner

    errors = _refused(area_save, area=area, user=None)

    assert errors == {"central_city": [str(ERROR_CENTRAL_CITY_FIXED)]}
    assert CooperationArea.objects.get(pk=area.pk).central_city != partner


def test_area_save_accepts_a_new_central_city_before_any_partner(area):
    city = factories.MunicipalityFactory(city=True)
    area.central_city = city

    area_save(area=area, user=None)

    assert CooperationArea.objects.get(pk=area.pk).central_city == city
