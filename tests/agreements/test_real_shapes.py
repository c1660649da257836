"""The shapes real areas have (DOMAIN.md, "Real areas across Japan"), entered through the
admin as planning staff would, and shown on the public pages and in the exports: two joint
central cities, a prefecture as a party, an area with no partner yet, a municipality named in
the declaration that never concludes, and a lapse by notice (失効)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from agreements import stored_status
from agreements.models import (
    ERROR_AFTER_ABOLITION,
    ERROR_CENTRAL_PARTY,
    ERROR_EFFECT_BEFORE_SIGNING,
    ERROR_LAPSE_DATE,
    ERROR_LAPSE_NEEDS_PASS,
    ERROR_LAPSE_NO_CLAUSE,
    ERROR_PARTNER_DID_NOT_CONCLUDE,
    ERROR_PREFECTURE_PARTY,
    ERROR_RESOLUTION_NOT_NOTIFYING,
    ERROR_SIGNED_BEFORE_RESOLUTION,
    ERROR_SIGNED_IN_FUTURE,
    ERROR_SIGNING_NEEDS_BOTH_PASSED,
    LAPSE_NOTICE_GIVEN,
    Agreement,
    Procedure,
    ProcedureKind,
    Result,
    add_months,
)
from agreements.status import AgreementStatus
from municipalities.access import is_planning_staff_of
from municipalities.models import (
    ERROR_CENTRAL_CITY_NOT_A_CITY,
    ERROR_DID_NOT_CONCLUDE_HAS_AGREEMENT,
    ERROR_FORMATION_POLICY_TEXT,
    ERROR_JOINT_SAME_AS_CENTRAL,
    ERROR_MEMBERSHIP_JOINT_CENTRAL,
    AreaMembership,
    CooperationArea,
    Municipality,
    StaffRole,
)
from municipalities.templatetags.jpdates import jdate
from tests import factories
from tests.agreements.test_admin import AdminForm, _refused, _url

pytestmark = pytest.mark.django_db

CONCLUDED_ON = datetime.date(2017, 3, 31)


def _area_form(client, area):
    return AdminForm(
        client, f"/admin/municipalities/cooperationarea/{area.pk}/change/", "cooperationarea"
    )


def _agreement_form(client, area, partner, central=None):
    form = AdminForm(client, _url(Agreement, "add"), "agreement")
    form["area"] = area.pk
    form["partner"] = partner.pk
    form["title"] = f"連携協約（{partner.name}）"
    if central is not None:
        form["central_party"] = central.pk
    return form


def _saved(response):
    assert response.status_code == 302, response.context and response.context.get("errors")


def _conclude(agreement, central=None, on=CONCLUDED_ON):
    """A conclusion that both parties' councils passed and that took effect on `on`."""
    procedure = factories.ProcedureFactory(
        agreement=agreement, proposed_on=on - datetime.timedelta(40)
    )
    for council in (central or agreement.central_party, agreement.partner):
        factories.CouncilResolutionFactory(
            procedure=procedure, municipality=council, resolved_on=on - datetime.timedelta(10)
        )
    procedure.effective_on = on
    procedure.save()
    return procedure


# ---------------------------------------------------------------------------------------------
# Two joint central cities (山口市 and 宇部市)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def joint_area(admin_client):
    """山口県央: 山口市 with 宇部市 as joint central city (set through the admin), and 萩市."""
    yamaguchi = factories.MunicipalityFactory(city=True, name="山口市", prefecture="山口県")
    ube = factories.MunicipalityFactory(city=True, name="宇部市", prefecture="山口県")
    area = factories.CooperationAreaFactory(name="山口県央連携都市圏域", central_city=yamaguchi)
    form = _area_form(admin_client, area)
    form["joint_central_city"] = ube.pk
    _saved(form.post())
    hagi = factories.AreaMembershipFactory(
        area=area, municipality__name="萩市", municipality__city=True
    ).municipality
    area.refresh_from_db()
    return area, yamaguchi, ube, hagi


def test_a_joint_central_city_is_another_city_and_not_a_partner(admin_client, area):
    member = factories.AreaMembershipFactory(area=area, municipality__city=True).municipality
    town = factories.MunicipalityFactory()
    for choice, message in (
        (area.central_city, ERROR_JOINT_SAME_AS_CENTRAL),
        (
            town,
            ERROR_CENTRAL_CITY_NOT_A_CITY % {"name": town.name, "kind": town.get_kind_display()},
        ),
        (member, ERROR_MEMBERSHIP_JOINT_CENTRAL % {"municipality": member}),
    ):
        form = _area_form(admin_client, area)
        form["joint_central_city"] = choice.pk
        _refused(form, message)
    area.refresh_from_db()
    assert area.joint_central_city is None


def test_each_joint_central_city_concludes_its_own_agreement_with_a_partner(
    admin_client, joint_area
):
    area, yamaguchi, ube, hagi = joint_area

    _saved(_agreement_form(admin_client, area, hagi).post())
    _saved(_agreement_form(admin_client, area, hagi, central=ube).post())
    # The two central cities conclude one with each other, with no membership.
    _saved(_agreement_form(admin_client, area, ube, central=yamaguchi).post())

    pairs = set(Agreement.objects.filter(area=area).values_list("central_party", "partner"))
    assert pairs == {(yamaguchi.pk, hagi.pk), (ube.pk, hagi.pk), (yamaguchi.pk, ube.pk)}
    # One agreement per pair of parties: a second 宇部市–萩市 agreement is refused.
    constraint = next(
        c for c in Agreement._meta.constraints if c.name.endswith("_one_per_pair_of_parties")
    )
    _refused(
        _agreement_form(admin_client, area, hagi, central=ube),
        constraint.get_violation_error_message(),
    )
    # A city that is no central city of the area is no 甲.
    _refused(
        _agreement_form(admin_client, area, ube, central=hagi),
        ERROR_CENTRAL_PARTY % {"party": hagi, "area": area},
    )


def test_joint_central_cities_show_on_the_area_and_agreement_pages_and_exports(client, joint_area):
    area, yamaguchi, ube, hagi = joint_area
    with_yamaguchi = factories.AgreementFactory(area=area, partner=hagi)
    with_ube = factories.AgreementFactory(area=area, partner=hagi, central_party=ube)
    _conclude(with_yamaguchi)
    _conclude(with_ube)

    page = client.get(area.get_absolute_url()).content.decode()
    assert f'<a href="/municipalities/{ube.code}/">宇部市</a>' in page
    assert f'href="/areas/{area.slug}/agreements/{hagi.code}/"' in page
    assert f'href="/areas/{area.slug}/agreements/{hagi.code}/with/{ube.code}/"' in page
    assert gettext("with %(city)s") % {"city": "宇部市"} in page
    # 萩市 counts once as a partner in force, though it has two agreements.
    assert (
        gettext("%(in_force)s of %(total)s partners in force")
        % {
            "in_force": 1,
            "total": 1,
        }
        in page
    )

    detail = client.get(with_ube.get_absolute_url())
    assert detail.context["agreement"] == with_ube
    content = detail.content.decode()
    assert f'<a href="/municipalities/{ube.code}/">宇部市</a>' in content
    assert gettext("Council of %(city)s") % {"city": "宇部市"} in content
    assert (
        client.get(f"/areas/{area.slug}/agreements/{hagi.code}/with/{yamaguchi.code}/").status_code
        == 404
    )

    rows = client.get(f"/areas/{area.slug}/agreements.json").json()["agreements"]
    assert sorted((r["central_city"], r["partner"]) for r in rows) == sorted(
        [(yamaguchi.code, hagi.code), (ube.code, hagi.code)]
    )
    record = client.get(f"/areas/{area.slug}.json").json()
    joint = record["joint_central_city"]
    assert (joint["code"], joint["name"], joint["name_en"]) == (ube.code, "宇部市", ube.name_en)
    (listed,) = [r for r in client.get("/areas.json").json()["areas"] if r["area"] == area.slug]
    assert listed["joint_central_city"] == ube.code


def test_planning_staff_of_either_joint_central_city_keep_the_area(joint_area):
    area, yamaguchi, ube, hagi = joint_area
    for city, keeps in ((yamaguchi, True), (ube, True), (hagi, False)):
        user = factories.UserFactory(is_staff=True)
        StaffRole.objects.create(user=user, kind=StaffRole.Kind.PLANNING_STAFF, municipality=city)
        assert is_planning_staff_of(user, area) is keeps


# ---------------------------------------------------------------------------------------------
# A prefecture as a party (高知市 and 高知県)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def kochi(admin_client):
    city = factories.MunicipalityFactory(city=True, name="高知市", prefecture="高知県")
    area = factories.CooperationAreaFactory(name="れんけいこうち広域都市圏", central_city=city)
    factories.AreaMembershipFactory(area=area, municipality__prefecture="高知県")
    prefecture = factories.MunicipalityFactory(
        name="高知県", kind=Municipality.Kind.PREFECTURE, prefecture="高知県"
    )
    return area, city, prefecture


def test_a_prefecture_concludes_an_agreement_and_is_notified_to_the_minister(
    admin_client, client, kochi
):
    area, city, prefecture = kochi
    elsewhere = factories.MunicipalityFactory(
        name="愛媛県", kind=Municipality.Kind.PREFECTURE, prefecture="愛媛県"
    )
    _refused(
        _agreement_form(admin_client, area, elsewhere),
        ERROR_PREFECTURE_PARTY % {"partner": elsewhere, "area": area},
    )
    _saved(_agreement_form(admin_client, area, prefecture).post())
    agreement = Agreement.objects.get(area=area, partner=prefecture)
    agreement.is_public = True
    agreement.save()

    # The prefecture's council resolves through the procedure's inline, like any party.
    procedure = factories.ProcedureFactory(agreement=agreement)
    form = AdminForm(admin_client, _url(Procedure, "change", procedure), "procedure")
    for council in (city, prefecture):
        form.add_row(
            "resolutions",
            municipality=council.pk,
            session="令和元年9月定例会",
            bill_number="議案第1号",
            resolved_on="2016-03-18",
            result=Result.PASSED,
        )
    _saved(form.post())
    form = AdminForm(admin_client, _url(Procedure, "change", procedure), "procedure")
    form["effective_on"] = "2016-04-01"
    form["governor_notified_on"] = "2016-04-05"
    form["partner_notified_on"] = "2016-04-06"
    _saved(form.post())

    page = client.get(agreement.get_absolute_url()).content.decode()
    minister = gettext("the Minister for Internal Affairs and Communications (総務大臣)")
    # Each party notifies, and both notify the Minister, not a governor.
    for day in (datetime.date(2016, 4, 5), datetime.date(2016, 4, 6)):
        assert (
            gettext("%(date)s, to %(authority)s") % {"date": jdate(day), "authority": minister}
            in page
        )
    assert gettext("prefecture") in page
    assert gettext("the Governor of %(prefecture)s") % {"prefecture": "高知県"} not in page
    (record,) = client.get(f"/areas/{area.slug}.json").json()["agreements"]
    assert (record["partner"], record["status"], record["notified_to"]) == (
        prefecture.code,
        "in_force",
        "minister",
    )
    # A prefecture is no partner municipality: the area's partners stay as they were.
    area_page = client.get(area.get_absolute_url())
    assert area_page.context["partner_count"] == 1


def test_a_municipalitys_agreement_is_notified_to_the_governor(client, kochi):
    area, city, prefecture = kochi
    partner = area.memberships.get().municipality
    agreement = factories.AgreementFactory(area=area, partner=partner)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert gettext("the Governor of %(prefecture)s") % {"prefecture": "高知県"} in page
    # Across prefectures each party notifies its own governor.
    other = factories.AreaMembershipFactory(area=area, municipality__prefecture="愛媛県")
    across = factories.AgreementFactory(area=area, partner=other.municipality)
    page = client.get(across.get_absolute_url()).content.decode()
    for name in ("高知県", "愛媛県"):
        assert gettext("the Governor of %(prefecture)s") % {"prefecture": name} in page


# ---------------------------------------------------------------------------------------------
# An area with no partner yet (下関市, formation policy 2015-12-18)
# ---------------------------------------------------------------------------------------------


def test_a_single_city_area_stands_on_its_formation_policy(admin_client, client):
    city = factories.MunicipalityFactory(city=True, name="下関市", prefecture="山口県")
    area = factories.CooperationAreaFactory(
        name="下関市連携中枢都市圏", central_city=city, declared_on=datetime.date(2015, 9, 30)
    )
    form = _area_form(admin_client, area)
    form["formation_policy_on"] = "2015-12-18"
    _refused(form, ERROR_FORMATION_POLICY_TEXT)
    form["formation_policy_text"] = "下関市連携中枢都市圏形成方針"
    _saved(form.post())

    response = client.get(area.get_absolute_url())
    steps = {step.key: (step.done, step.current) for step in response.context["steps"]}
    assert steps["agreements"] == (True, False)
    assert steps["vision"] == (False, True)
    page = response.content.decode()
    assert gettext("Formation policy") in page
    assert gettext("The area has no partner yet: the policy stands in place of agreements.") in page
    (listed,) = [r for r in client.get("/areas.json").json()["areas"] if r["area"] == area.slug]
    assert listed["current_step"] == "vision"
    record = client.get(f"/areas/{area.slug}.json").json()
    assert record["formation_policy"] == {
        "resolved_on": "2015-12-18",
        "text": "下関市連携中枢都市圏形成方針",
    }


def test_without_a_formation_policy_an_area_without_partners_is_at_the_agreements_step(client):
    area = factories.CooperationAreaFactory()
    steps = {s.key: s.current for s in client.get(area.get_absolute_url()).context["steps"]}
    assert steps["agreements"] is True


# ---------------------------------------------------------------------------------------------
# A municipality named in the declaration that never concludes
# ---------------------------------------------------------------------------------------------


def test_a_municipality_named_but_never_concluding_is_shown_as_such(admin_client, client, area):
    named = factories.MunicipalityFactory(name="名のみ町")
    partner = factories.AreaMembershipFactory(area=area).municipality
    form = _area_form(admin_client, area)
    form.add_row(
        "memberships",
        municipality=named.pk,
        joined_on="2016-02-17",
        did_not_conclude="on",
    )
    _saved(form.post())
    assert AreaMembership.objects.get(municipality=named).did_not_conclude

    response = client.get(area.get_absolute_url())
    assert response.context["partner_count"] == 1
    assert response.context["did_not_conclude"] == [named]
    page = response.content.decode()
    assert gettext("Named in the declaration, did not conclude") in page
    assert f'<a href="/municipalities/{named.code}/">名のみ町</a>' in page
    # Drafting an agreement with it is refused until the mark is cleared.
    _refused(
        _agreement_form(admin_client, area, named),
        ERROR_PARTNER_DID_NOT_CONCLUDE % {"partner": named, "area": area},
    )
    assert partner.pk in {row.partner.pk for row in response.context["rows"]}


def test_a_partner_with_an_agreement_cannot_be_marked_as_never_concluding(admin_client, area):
    agreement = factories.AgreementFactory(area=area)
    form = _area_form(admin_client, area)
    form["memberships-0-did_not_conclude"] = "on"
    _refused(form, ERROR_DID_NOT_CONCLUDE_HAS_AGREEMENT % {"municipality": agreement.partner})


# ---------------------------------------------------------------------------------------------
# Lapse by notice (失効, 姫路市・稲美町 第6条: two years after the notice)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def lapsable():
    """An agreement in force since 2016 whose text lets either party end it by notice."""
    agreement = factories.agreement_in_force(lapse_notice_months=24)
    return agreement


def _lapse_form(client, agreement, notice_by):
    form = AdminForm(client, _url(Procedure, "add"), "procedure")
    form["agreement"] = agreement.pk
    form["kind"] = ProcedureKind.LAPSE
    form["summary"] = "連携協約の失効の通告"
    form["notice_by"] = notice_by.pk
    form["proposed_on"] = "2025-12-01"
    return form


def test_a_lapse_needs_the_agreements_clause(admin_client):
    agreement = factories.agreement_in_force()
    _refused(_lapse_form(admin_client, agreement, agreement.partner), ERROR_LAPSE_NO_CLAUSE)


def test_a_party_gives_notice_after_its_council_and_the_agreement_lapses_two_years_later(
    admin_client, client, lapsable
):
    partner = lapsable.partner
    _saved(_lapse_form(admin_client, lapsable, partner).post())
    lapse = lapsable.procedures.get(kind=ProcedureKind.LAPSE)
    lapse_url = _url(Procedure, "change", lapse)

    # Only the notifying party's council is offered and accepted.
    form = AdminForm(admin_client, lapse_url, "procedure")
    (inline,) = form.page.context["inline_admin_formsets"]
    assert list(inline.formset.empty_form.fields["municipality"].queryset) == [partner]
    # The notice before its council passed it is refused.
    form["notice_given_on"] = "2026-01-15"
    _refused(form, ERROR_LAPSE_NEEDS_PASS % {"party": partner})

    form = AdminForm(admin_client, lapse_url, "procedure")
    form.add_row(
        "resolutions",
        municipality=partner.pk,
        session="令和7年12月定例会",
        bill_number="議案第80号",
        resolved_on="2025-12-18",
        result=Result.PASSED,
    )
    _saved(form.post())
    stored_status.refresh([lapsable.pk])
    lapsable.refresh_from_db()
    assert lapsable.stored_status == AgreementStatus.LAPSE_PENDING

    form = AdminForm(admin_client, lapse_url, "procedure")
    form["notice_given_on"] = "2026-01-15"
    form["effective_on"] = "2027-01-15"
    _refused(form, ERROR_LAPSE_DATE % {"months": 24, "date": datetime.date(2028, 1, 15)})
    form["effective_on"] = ""
    _saved(form.post())

    lapse.refresh_from_db()
    assert lapse.effective_on == datetime.date(2028, 1, 15)
    lapsable.refresh_from_db()
    assert lapsable.stored_status == AgreementStatus.LAPSING
    assert lapsable.status(datetime.date(2028, 1, 14)) == AgreementStatus.LAPSING
    assert lapsable.status(datetime.date(2028, 1, 15)) == AgreementStatus.LAPSED

    page = client.get(lapsable.get_absolute_url()).content.decode()
    assert str(AgreementStatus.LAPSING.label) in page
    assert f"— {LAPSE_NOTICE_GIVEN}</span>" in page
    lapses = gettext("lapses on %(date)s") % {"date": "2028年1月15日"}
    assert lapses.split("2028")[0] in page and "2028年1月15日" in page
    area_page = client.get(lapsable.area.get_absolute_url()).content.decode()
    assert str(AgreementStatus.LAPSING.label) in area_page
    (record,) = client.get(f"/areas/{lapsable.area.slug}.json").json()["agreements"]
    assert record["status"] == "lapsing"
    (notice,) = [p for p in record["procedures"] if p["kind"] == "lapse"]
    assert (notice["notice_by"], notice["notice_given_on"], notice["effective_on"]) == (
        partner.code,
        "2026-01-15",
        "2028-01-15",
    )


def test_a_lapsed_agreement_takes_no_further_procedure(admin_client, lapsable):
    lapse = Procedure.objects.create(
        agreement=lapsable,
        kind=ProcedureKind.LAPSE,
        summary="失効の通告",
        notice_by=lapsable.partner,
        proposed_on=datetime.date(2019, 12, 1),
    )
    factories.CouncilResolutionFactory(procedure=lapse, resolved_on=datetime.date(2019, 12, 18))
    lapse.notice_given_on = datetime.date(2020, 1, 15)
    lapse.full_clean()
    lapse.save()
    assert lapse.effective_on == datetime.date(2022, 1, 15)
    lapsable.refresh_from_db()
    assert lapsable.stored_status == AgreementStatus.LAPSED
    assert CooperationArea.objects.get(pk=lapsable.area_id)  # the area stays

    form = AdminForm(admin_client, _url(Procedure, "add"), "procedure")
    form["agreement"] = lapsable.pk
    form["kind"] = ProcedureKind.AMENDMENT
    form["summary"] = "変更"
    _refused(form, ERROR_AFTER_ABOLITION)


def test_only_the_notifying_council_resolves_on_a_lapse(lapsable):
    lapse = Procedure.objects.create(
        agreement=lapsable,
        kind=ProcedureKind.LAPSE,
        summary="失効の通告",
        notice_by=lapsable.partner,
        proposed_on=datetime.date(2025, 12, 1),
    )
    resolution = factories.CouncilResolutionFactory.build(
        procedure=lapse, municipality=lapsable.central_party, resolved_on=datetime.date(2025, 12, 9)
    )
    with pytest.raises(ValidationError) as error:
        resolution.full_clean()
    assert error.value.message_dict["municipality"] == [
        str(ERROR_RESOLUTION_NOT_NOTIFYING % {"party": lapsable.partner})
    ]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 15), 24, datetime.date(2028, 1, 15)),
        (datetime.date(2024, 2, 29), 24, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 12, 15), 1, datetime.date(2027, 1, 15)),
        (datetime.date(2026, 11, 30), 13, datetime.date(2027, 12, 30)),
    ],
)
def test_the_lapse_falls_on_the_same_day_months_later_or_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


# ---------------------------------------------------------------------------------------------
# Signing (締結) apart from effect (出雲市: signed 2025-03-28, in effect from 1 April)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def passed(admin_client):
    """A conclusion both councils passed on 2025-03-10, not yet signed."""
    procedure = factories.ProcedureFactory(proposed_on=datetime.date(2025, 2, 20))
    for council in (procedure.agreement.central_party, procedure.agreement.partner):
        factories.CouncilResolutionFactory(
            procedure=procedure, municipality=council, resolved_on=datetime.date(2025, 3, 10)
        )
    return procedure


def _dates(client, procedure, **dates):
    form = AdminForm(client, _url(Procedure, "change", procedure), "procedure")
    for name, value in dates.items():
        form[name] = value
    return form


def test_signing_comes_after_the_councils_and_effect_after_signing(admin_client, client, passed):
    agreement = passed.agreement
    _refused(
        _dates(admin_client, passed, signed_on="2025-03-05"),
        ERROR_SIGNED_BEFORE_RESOLUTION % {"date": datetime.date(2025, 3, 10)},
    )
    _refused(
        _dates(admin_client, passed, signed_on="2025-03-28", effective_on="2025-03-20"),
        ERROR_EFFECT_BEFORE_SIGNING % {"date": datetime.date(2025, 3, 28)},
    )
    _refused(_dates(admin_client, passed, signed_on="2099-04-01"), ERROR_SIGNED_IN_FUTURE)

    _saved(_dates(admin_client, passed, signed_on="2025-03-28").post())
    assert agreement.status(datetime.date(2025, 3, 30)) == AgreementStatus.CONCLUDED

    _saved(_dates(admin_client, passed, effective_on="2025-04-01").post())
    assert agreement.status(datetime.date(2025, 3, 31)) == AgreementStatus.CONCLUDED
    assert agreement.status(datetime.date(2025, 4, 1)) == AgreementStatus.IN_FORCE
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert gettext("signed on (締結日)") in page
    (row,) = [
        r for r in client.get(f"/areas/{agreement.area.slug}/agreements.json").json()["agreements"]
    ]
    (conclusion,) = row["procedures"]
    assert (conclusion["signed_on"], conclusion["effective_on"]) == ("2025-03-28", "2025-04-01")


def test_signing_needs_both_councils(admin_client):
    procedure = factories.ProcedureFactory(proposed_on=datetime.date(2025, 2, 20))
    factories.CouncilResolutionFactory(procedure=procedure, resolved_on=datetime.date(2025, 3, 10))
    _refused(
        _dates(admin_client, procedure, signed_on="2025-03-28"),
        ERROR_SIGNING_NEEDS_BOTH_PASSED % {"missing": procedure.agreement.central_party},
    )


def test_a_concluded_agreement_not_yet_in_effect_says_from_when(client, passed):
    passed.signed_on = datetime.date(2025, 3, 28)
    passed.effective_on = datetime.date(2099, 4, 1)
    passed.save()
    page = client.get(passed.agreement.get_absolute_url()).content.decode()
    assert str(AgreementStatus.CONCLUDED.label) in page
    day = jdate(datetime.date(2099, 4, 1))
    assert gettext("in force from %(date)s") % {"date": day} in page


def test_an_agreement_whose_term_starts_later_shows_from_when_it_is_in_force(client, today):
    agreement = factories.agreement_in_force(term_start=datetime.date(2099, 4, 1))
    assert agreement.status() == AgreementStatus.CONCLUDED
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert gettext("in force from %(date)s") % {"date": jdate(datetime.date(2099, 4, 1))} in page
    # On the day its term begins, it is in force: the stored status follows by itself.
    agreement.refresh_from_db()
    assert agreement.stored_status == AgreementStatus.CONCLUDED
    assert agreement.stored_status_until == datetime.date(2099, 4, 1)
    assert agreement.status(datetime.date(2099, 4, 1)) == AgreementStatus.IN_FORCE
