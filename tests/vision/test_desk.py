"""The clerk's desk, indicators: the lead municipality's clerk enters yearly actual values."""

import re
from decimal import Decimal

import pytest

from tests import factories
from vision.models import ERROR_VALUE_NEGATIVE, FiscalYearClosure, IndicatorKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def led_indicator():
    """An indicator (2014 → 2020) of a project led by a partner, with 2016–2018 recorded."""
    agreement = factories.agreement_in_force()
    project = factories.ProjectFactory(
        vision__area=agreement.area, vision__adopted=True, lead=agreement.partner
    )
    indicator = factories.IndicatorFactory(project=project)
    for year in (2016, 2017, 2018):
        factories.IndicatorActualFactory(indicator=indicator, fiscal_year=year)
    return indicator


def test_desk_lists_the_missing_years_of_indicators_the_clerk_leads(client, led_indicator):
    client.force_login(factories.clerk(led_indicator.project.lead))

    waiting = client.get("/desk/").context["indicators"]

    assert waiting == [(led_indicator, [2015, 2019, 2020])]


def test_clerk_enters_an_actual_value_through_the_service(client, led_indicator):
    clerk = factories.clerk(led_indicator.project.lead)
    client.force_login(clerk)

    response = client.post(f"/desk/indicators/{led_indicator.pk}/actuals/2019/", {"value": "180"})

    assert response.status_code == 302
    actual = led_indicator.actuals.get(fiscal_year=2019)
    assert str(actual.value) == "180.0000"
    assert actual.history.get().history_user == clerk


def test_actual_value_must_be_a_number(client, led_indicator):
    client.force_login(factories.clerk(led_indicator.project.lead))

    response = client.post(f"/desk/indicators/{led_indicator.pk}/actuals/2019/", {"value": "多い"})

    assert response.status_code == 200
    assert response.context["form"].errors["value"]
    assert not led_indicator.actuals.filter(fiscal_year=2019).exists()


def test_clerk_cannot_enter_values_for_a_project_another_municipality_leads(client, led_indicator):
    other = factories.AreaMembershipFactory(area=led_indicator.project.vision.area).municipality
    client.force_login(factories.clerk(other))

    assert client.get("/desk/").context["indicators"] == []
    url = f"/desk/indicators/{led_indicator.pk}/actuals/2019/"
    assert client.post(url, {"value": "1"}).status_code == 404
    # A year already recorded, or not yet ended, is not open either.
    client.force_login(factories.clerk(led_indicator.project.lead))
    assert client.get(f"/desk/indicators/{led_indicator.pk}/actuals/2017/").status_code == 404
    assert not led_indicator.actuals.filter(fiscal_year=2019).exists()


def test_clerk_cannot_enter_a_negative_count(client, led_indicator):
    led_indicator.kind = "count"
    led_indicator.save()
    client.force_login(factories.clerk(led_indicator.project.lead))

    response = client.post(f"/desk/indicators/{led_indicator.pk}/actuals/2019/", {"value": "-3"})

    assert response.status_code == 200
    assert response.context["form"].errors["value"] == [
        str(ERROR_VALUE_NEGATIVE % {"kind": IndicatorKind.COUNT.label})
    ]
    assert not led_indicator.actuals.filter(fiscal_year=2019).exists()


# Correcting entered values until the fiscal year is closed


def test_desk_lists_the_entered_values_and_a_clerk_corrects_one_with_a_reason(
    client, led_indicator
):
    clerk = factories.clerk(led_indicator.project.lead)
    client.force_login(clerk)
    entered = client.get("/desk/").context["entered"]
    assert [(actual.fiscal_year, closed) for actual, closed in entered] == [
        (2016, False),
        (2017, False),
        (2018, False),
    ]
    actual = entered[0][0]

    url = f"/desk/actuals/{actual.pk}/"
    token = factories.loaded_token(client, url)
    response = client.post(url, {"value": "175", "reason": "集計の誤りを訂正"} | token)

    assert response.status_code == 302
    actual.refresh_from_db()
    assert actual.value == Decimal("175")
    latest = actual.history.latest("history_date")
    assert latest.history_user == clerk
    assert "集計の誤りを訂正" in latest.history_change_reason


def test_a_correction_needs_a_reason_and_saves_nothing_without(client, led_indicator):
    client.force_login(factories.clerk(led_indicator.project.lead))
    actual = led_indicator.actuals.get(fiscal_year=2017)
    before = actual.value

    response = client.post(f"/desk/actuals/{actual.pk}/", {"value": "175", "reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    actual.refresh_from_db()
    assert actual.value == before


def test_a_closed_fiscal_year_is_no_longer_corrected_at_the_desk(client, led_indicator):
    area = led_indicator.project.vision.area
    FiscalYearClosure.objects.create(area=area, fiscal_year=2016)
    client.force_login(factories.clerk(led_indicator.project.lead))

    entered = dict((a.fiscal_year, closed) for a, closed in client.get("/desk/").context["entered"])
    closed = led_indicator.actuals.get(fiscal_year=2016)
    open_year = led_indicator.actuals.get(fiscal_year=2017)

    assert entered == {2016: True, 2017: False, 2018: False}
    assert client.get(f"/desk/actuals/{closed.pk}/").status_code == 404
    assert (
        client.post(f"/desk/actuals/{closed.pk}/", {"value": "1", "reason": "x"}).status_code == 404
    )
    assert client.get(f"/desk/actuals/{open_year.pk}/").status_code == 200


def test_another_municipalitys_clerk_cannot_correct_a_value(client, led_indicator):
    other = factories.AreaMembershipFactory(area=led_indicator.project.vision.area).municipality
    client.force_login(factories.clerk(other))
    actual = led_indicator.actuals.get(fiscal_year=2017)

    assert client.get("/desk/").context["entered"] == []
    assert (
        client.post(f"/desk/actuals/{actual.pk}/", {"value": "1", "reason": "x"}).status_code == 404
    )


def test_the_input_shows_last_years_value_or_the_baseline_beside_it(client, led_indicator):
    client.force_login(factories.clerk(led_indicator.project.lead))
    led_indicator.actuals.filter(fiscal_year=2018).update(value=Decimal("163.5"))

    after_2018 = client.get(f"/desk/indicators/{led_indicator.pk}/actuals/2019/").content.decode()
    after_baseline = client.get(
        f"/desk/indicators/{led_indicator.pk}/actuals/2015/"
    ).content.decode()

    assert 'aria-describedby="last-year-value"' in after_2018
    hint = re.search(r'<span class="muted" id="last-year-value">(.*?)</span>\n', after_2018)
    text = re.sub(r"<[^>]+>", "", hint.group(1))
    assert text.startswith("前年度の実績：163.5 人") and "2018年度" in text
    hint = re.search(r'<span class="muted" id="last-year-value">(.*?)</span>\n', after_baseline)
    assert re.sub(r"<[^>]+>", "", hint.group(1)).startswith("基準値：100.0 人")


def test_the_desk_links_each_entered_value_to_its_public_page(client, led_indicator):
    client.force_login(factories.clerk(led_indicator.project.lead))
    project = led_indicator.project

    page = client.get("/desk/").content.decode()

    link = f"/areas/{project.vision.area.slug}/vision/projects/{project.pk}/"
    assert f'href="{link}#indicator-{led_indicator.pk}-h"' in page
    assert client.get(link).status_code == 200
