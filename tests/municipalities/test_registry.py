"""The national registry: every local government of Japan from the data shipped in the project,
loaded by `manage.py load_registry` (which `make run` runs)."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from municipalities import page_versions, registry
from municipalities.models import (
    ERROR_CENTRAL_CITY_NOT_A_CITY,
    ERROR_NOT_A_MUNICIPALITY,
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_registry", stdout=out)
    return out.getvalue()


def test_the_registry_holds_every_prefecture_municipality_and_ward_of_japan():
    output = _load()

    assert "1963 created, 0 updated, 0 unchanged" in output
    kinds = Counter(Municipality.objects.values_list("kind", flat=True))
    assert kinds == {
        "prefecture": 47,
        "city": 792,
        "town": 743,
        "village": 183,
        "special_ward": 23,
        "ward": 175,
    }
    # 1,741 municipalities: what can be a partner of an area.
    assert sum(m.is_municipality for m in Municipality.objects.all()) == 1741


@pytest.mark.parametrize(
    ("code", "name", "kana", "kind", "prefecture", "population"),
    [
        ("010006", "北海道", "ほっかいどう", "prefecture", "北海道", 5228885),
        ("011002", "札幌市", "さっぽろし", "city", "北海道", 1975065),
        ("011011", "札幌市中央区", "さっぽろしちゅうおうく", "ward", "北海道", 248840),
        ("131016", "千代田区", "ちよだく", "special_ward", "東京都", 66758),
        ("202011", "長野市", "ながのし", "city", "長野県", 373251),
        ("075469", "双葉町", "ふたばまち", "town", "福島県", None),  # evacuated in 2020
    ],
)
def test_each_local_government_has_its_code_names_kind_and_census_figure(
    code, name, kana, kind, prefecture, population
):
    _load()

    municipality = Municipality.objects.get(code=code)

    assert (municipality.name, municipality.name_kana) == (name, kana)
    assert (municipality.kind, municipality.prefecture) == (kind, prefecture)
    assert municipality.population == population
    if population is not None:
        assert municipality.population_census_year == 2020
        assert municipality.population_figure == Municipality.PopulationFigure.PRELIMINARY
    assert municipality.latitude and municipality.longitude
    assert municipality.website.startswith("https://")
    (created,) = municipality.history.all()
    assert created.history_change_reason == registry.REASON


def test_loading_again_changes_nothing_and_writes_no_history():
    _load()
    history = Municipality.history.count()

    output = _load()

    assert "0 created, 0 updated, 1963 unchanged" in output
    assert Municipality.history.count() == history


def test_a_renamed_municipality_keeps_its_record_and_gets_a_version_in_its_history():
    _load()
    nagano = Municipality.objects.get(code="202011")
    area = CooperationArea.objects.create(name="長野地域", slug="nagano", central_city=nagano)
    partner = Municipality.objects.get(code="202070")  # 須坂市
    membership = AreaMembership.objects.create(
        area=area, municipality=partner, joined_on="2016-03-29"
    )
    partner.name = "旧須坂市"  # as if the data had renamed it since the first load
    partner.save()

    output = _load()

    assert "0 created, 1 updated, 1962 unchanged" in output
    partner.refresh_from_db()
    membership.refresh_from_db()
    assert partner.name == "須坂市"
    assert membership.municipality_id == partner.pk
    latest = partner.history.first()
    assert (latest.name, latest.history_change_reason) == ("須坂市", registry.REASON)
    assert latest.prev_record.name == "旧須坂市"


def test_a_final_population_figure_recorded_by_hand_is_not_replaced_by_the_preliminary_one():
    _load()
    nagano = Municipality.objects.get(code="202011")
    nagano.population = 372760
    nagano.population_figure = Municipality.PopulationFigure.FINAL
    nagano.area_km2 = Decimal("834.81")
    nagano.save()

    assert "1963 unchanged" in _load()
    nagano.refresh_from_db()
    assert (nagano.population, nagano.population_figure) == (372760, "final")
    assert nagano.area_km2 == Decimal("834.81")


def test_a_local_government_no_longer_in_the_data_is_kept_and_named():
    merged = factories.MunicipalityFactory(code="999997", name="合併前の村")

    output = _load()

    assert Municipality.objects.filter(pk=merged.pk).exists()
    assert "1 local governments are no longer in the data and were kept" in output
    assert "999997" in output


def test_loading_moves_the_version_of_every_page_that_names_municipalities(
    django_capture_on_commit_callbacks,
):
    (before,) = page_versions.current([page_versions.REGISTRY])

    with django_capture_on_commit_callbacks(execute=True):
        _load()

    assert page_versions.current([page_versions.REGISTRY]) > [before]


def test_a_prefecture_or_a_ward_cannot_be_a_partner():
    _load()
    sapporo = Municipality.objects.get(code="011002")
    area = CooperationArea.objects.create(name="さっぽろ圏", slug="sapporo", central_city=sapporo)

    for code, name, kind in (
        ("010006", "北海道", Municipality.Kind.PREFECTURE),
        ("011011", "札幌市中央区", Municipality.Kind.WARD),
    ):
        membership = AreaMembership(
            area=area, municipality=Municipality.objects.get(code=code), joined_on="2019-04-01"
        )
        with pytest.raises(ValidationError) as error:
            membership.full_clean()

        expected = ERROR_NOT_A_MUNICIPALITY % {"name": name, "kind": kind.label}
        assert error.value.message_dict["municipality"] == [expected]
    # A municipality of the registry can.
    AreaMembership(
        area=area, municipality=Municipality.objects.get(code="013030"), joined_on="2019-04-01"
    ).full_clean()


def test_the_central_city_of_an_area_is_a_city():
    _load()
    town = Municipality.objects.get(code="013030")  # 当別町

    with pytest.raises(ValidationError) as error:
        CooperationArea(name="町の圏域", slug="town", central_city=town).full_clean()

    expected = ERROR_CENTRAL_CITY_NOT_A_CITY % {"name": "当別町", "kind": town.get_kind_display()}
    assert error.value.message_dict["central_city"] == [expected]


def test_a_figure_recorded_by_hand_is_kept_and_none_is_cleared():
    _load()
    nagano = Municipality.objects.get(code="202011")  # a later census, recorded by hand
    nagano.population, nagano.population_census_year = 367000, 2025
    nagano.save()
    futaba = Municipality.objects.get(code="075469")  # the data has no figure for 双葉町
    futaba.population, futaba.population_census_year = 5, 2020
    futaba.population_figure = Municipality.PopulationFigure.PRELIMINARY
    futaba.save()

    assert "1963 unchanged" in _load()
    nagano.refresh_from_db()
    futaba.refresh_from_db()
    assert (nagano.population, nagano.population_census_year) == (367000, 2025)
    assert futaba.population == 5


def test_a_prefecture_cannot_be_recorded_as_meeting_the_commuting_rule():
    _load()
    area = CooperationArea.objects.create(
        name="長野地域", slug="nagano", central_city=Municipality.objects.get(code="202011")
    )
    prefecture = Municipality.objects.get(code="200000")
    ratio = CommutingRatio(area=area, municipality=prefecture, meets_rule=True, outside_reason="県")

    with pytest.raises(ValidationError) as error:
        ratio.full_clean()

    expected = ERROR_NOT_A_MUNICIPALITY % {"name": "長野県", "kind": prefecture.get_kind_display()}
    assert error.value.message_dict["municipality"] == [expected]
