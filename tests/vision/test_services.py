import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Role
from municipalities.fixed import ERROR_FIXED
from tests import factories
from vision.models import (
    ERROR_ADOPTION_DATE_REQUIRED,
    ERROR_NOT_A_MEMBER,
    ERROR_ONE_ADOPTED,
    ERROR_PERIOD_ORDER,
    ERROR_TARGET_BEFORE_BASELINE,
    Indicator,
    IndicatorActual,
    Project,
    ProjectParticipant,
    Vision,
)
from vision.services import (
    actual_save,
    indicator_save,
    participant_save,
    project_save,
    vision_save,
)

pytestmark = pytest.mark.django_db

ADOPTED_ON = datetime.date(2016, 3, 29)


def _refused(service, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        service(**kwargs)
    return caught.value.message_dict


def _vision(area, **kwargs) -> Vision:
    values = {
        "title": "長野地域スクラムビジョン",
        "first_fiscal_year": 2016,
        "last_fiscal_year": 2020,
    }
    return Vision(area=area, **(values | kwargs))


# Vision


def test_vision_save_records_user_and_reason(area, staff_user):
    vision = vision_save(vision=_vision(area), user=staff_user, reason="ビジョン案の登録")

    record = vision.history.get()
    assert (record.history_user, record.history_change_reason) == (staff_user, "ビジョン案の登録")
    assert record.status == Vision.Status.DRAFT


def test_vision_save_accepts_one_year_period(area):
    vision = vision_save(vision=_vision(area, last_fiscal_year=2016), user=None)

    assert vision.pk is not None


def test_vision_save_refuses_period_ending_before_it_starts(area):
    errors = _refused(vision_save, vision=_vision(area, last_fiscal_year=2015), user=None)

    assert errors == {"last_fiscal_year": [str(ERROR_PERIOD_ORDER)]}
    assert not Vision.objects.exists()
    assert not Vision.history.exists()


@pytest.mark.parametrize("status", [Vision.Status.ADOPTED, Vision.Status.SUPERSEDED])
def test_vision_save_refuses_adopted_or_superseded_without_date(area, status):
    errors = _refused(vision_save, vision=_vision(area, status=status), user=None)

    assert errors == {"adopted_on": [str(ERROR_ADOPTION_DATE_REQUIRED)]}
    assert not Vision.objects.exists()


def test_vision_save_refuses_second_adopted_vision_of_the_area(area):
    factories.VisionFactory(area=area, adopted=True)
    second = _vision(area, title="第2期ビジョン", first_fiscal_year=2021, last_fiscal_year=2025)
    second.status, second.adopted_on = Vision.Status.ADOPTED, datetime.date(2021, 3, 25)

    errors = _refused(vision_save, vision=second, user=None)

    assert errors == {"status": [str(ERROR_ONE_ADOPTED)]}
    assert Vision.objects.count() == 1


def test_vision_save_adopts_successor_once_the_first_is_superseded(area, staff_user):
    first = factories.VisionFactory(area=area, adopted=True)
    first.status = Vision.Status.SUPERSEDED
    vision_save(vision=first, user=staff_user, reason="第2期ビジョンの策定")
    second = _vision(
        area,
        first_fiscal_year=2021,
        last_fiscal_year=2025,
        status=Vision.Status.ADOPTED,
        adopted_on=datetime.date(2021, 3, 25),
    )

    vision_save(vision=second, user=staff_user)

    assert list(Vision.objects.filter(status=Vision.Status.ADOPTED)) == [second]
    assert first.history.latest().history_change_reason == "第2期ビジョンの策定"


def test_vision_save_accepts_adopted_visions_of_two_areas():
    factories.VisionFactory(adopted=True)

    other_area = factories.CooperationAreaFactory()

    vision_save(vision=factories.VisionFactory.build(area=other_area, adopted=True), user=None)

    assert Vision.objects.filter(status=Vision.Status.ADOPTED).count() == 2


def test_vision_one_adopted_constraint_refuses_unvalidated_save(area):
    factories.VisionFactory(area=area, adopted=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.VisionFactory(area=area, adopted=True)


# Project and participants


def test_project_save_accepts_partner_as_lead(area, staff_user):
    vision = factories.VisionFactory(area=area)
    partner = factories.AreaMembershipFactory(area=area).municipality
    project = Project(
        vision=vision,
        code="ウ-01",
        role=Role.LIVING_SERVICES,
        title="移住・交流の促進",
        lead=partner,
    )

    project_save(project=project, user=staff_user, reason="事業の登録")

    record = project.history.get()
    assert (record.history_user, record.history_change_reason) == (staff_user, "事業の登録")


def test_project_save_refuses_lead_that_is_not_a_member(area):
    vision = factories.VisionFactory(area=area)
    outsider = factories.MunicipalityFactory()
    project = Project(
        vision=vision, code="ア-01", role=Role.ECONOMY, title="観光振興", lead=outsider
    )

    errors = _refused(project_save, project=project, user=None)

    assert errors == {"lead": [str(ERROR_NOT_A_MEMBER) % {"municipality": outsider, "area": area}]}
    assert not Project.objects.exists()


def test_participant_save_refuses_municipality_that_is_not_a_member(area):
    project = factories.ProjectFactory(vision__area=area)
    outsider = factories.MunicipalityFactory()

    errors = _refused(
        participant_save,
        participant=ProjectParticipant(project=project, municipality=outsider),
        user=None,
    )

    assert errors == {
        "municipality": [str(ERROR_NOT_A_MEMBER) % {"municipality": outsider, "area": area}]
    }
    assert not ProjectParticipant.objects.exists()


def test_participant_save_accepts_central_city_and_partner(area, staff_user):
    project = factories.ProjectFactory(vision__area=area)
    partner = factories.AreaMembershipFactory(area=area).municipality

    for municipality in (area.central_city, partner):
        participant_save(
            participant=ProjectParticipant(
                project=project,
                municipality=municipality,
                agreement_item=factories.covering_item(project, municipality),
            ),
            user=staff_user,
            reason="参加",
        )

    assert set(project.participants.all()) == {area.central_city, partner}
    assert ProjectParticipant.history.filter(history_user=staff_user).count() == 2


# Indicators and actual values


def _indicator(project, **kwargs) -> Indicator:
    values = {
        "code": "1",
        "name": "圏域の外国人延べ宿泊者数",
        "unit": "人泊",
        "baseline_value": Decimal("98000"),
        "baseline_fiscal_year": 2014,
        "target_value": Decimal("150000"),
        "target_fiscal_year": 2020,
    }
    return Indicator(project=project, **(values | kwargs))


def test_indicator_save_accepts_target_in_baseline_year():
    project = factories.ProjectFactory()

    indicator = indicator_save(indicator=_indicator(project, target_fiscal_year=2014), user=None)

    assert indicator.pk is not None


def test_indicator_save_refuses_target_year_before_baseline():
    project = factories.ProjectFactory()

    errors = _refused(
        indicator_save, indicator=_indicator(project, target_fiscal_year=2013), user=None
    )

    assert errors == {"target_fiscal_year": [str(ERROR_TARGET_BEFORE_BASELINE)]}
    assert not Indicator.objects.exists()


def test_actual_save_records_value_with_user_and_reason(staff_user):
    indicator = factories.IndicatorFactory()

    actual = actual_save(
        actual=IndicatorActual(indicator=indicator, fiscal_year=2016, value=Decimal("104000")),
        user=staff_user,
        reason="平成28年度実績",
    )

    record = actual.history.get()
    assert (record.history_user, record.history_change_reason) == (staff_user, "平成28年度実績")


def test_actual_save_refuses_second_value_for_the_same_year():
    first = factories.IndicatorActualFactory(fiscal_year=2016)
    constraint = next(
        c for c in IndicatorActual._meta.constraints if c.name.endswith("_one_per_year")
    )
    second = IndicatorActual(indicator=first.indicator, fiscal_year=2016, value=Decimal("1"))

    errors = _refused(actual_save, actual=second, user=None)

    assert errors == {"__all__": [str(constraint.get_violation_error_message())]}
    assert IndicatorActual.objects.count() == 1


def test_actual_save_accepts_the_same_year_for_another_indicator():
    first = factories.IndicatorActualFactory(fiscal_year=2016)
    other = factories.IndicatorFactory(project=first.indicator.project)

    actual_save(
        actual=IndicatorActual(indicator=other, fiscal_year=2016, value=Decimal("1")), user=None
    )

    assert IndicatorActual.objects.filter(fiscal_year=2016).count() == 2


def test_actual_save_corrects_a_value_with_history(staff_user):
    actual = factories.IndicatorActualFactory(value=Decimal("150"))
    actual.value = Decimal("151")

    actual_save(actual=actual, user=staff_user, reason="誤記の訂正")

    latest = actual.history.latest()
    assert (latest.history_type, latest.value) == ("~", Decimal("151"))
    assert (latest.history_user, latest.history_change_reason) == (staff_user, "誤記の訂正")


def test_project_save_refuses_moving_a_project_to_another_vision():
    project = factories.ProjectFactory()
    original = project.vision_id
    project.vision = factories.VisionFactory(area=project.vision.area, title="別のビジョン")

    errors = _refused(project_save, project=project, user=None)

    assert errors == {"vision": [str(ERROR_FIXED)]}
    assert Project.objects.get(pk=project.pk).vision_id == original
