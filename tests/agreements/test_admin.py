"""The admin pages load, refuse every rule through their HTTP forms, and keep the record.

POST data is read from the page's own form (as a browser would send it), and new inline rows
are built from the form's empty template row, so the tests follow the real field names.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.db import connection
from django.forms import Field, ModelChoiceField
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from agreements.admin import ProcedureFormSet, ResolutionFormSet
from agreements.models import (
    ERROR_AFTER_ABOLITION,
    ERROR_AMENDMENT_BEFORE_CONCLUSION,
    ERROR_BILL_CLOSED,
    ERROR_CONTENT_BEFORE_COUNCILS,
    ERROR_DATE_BEFORE_PROPOSAL,
    ERROR_DROPPED_AND_EFFECTIVE,
    ERROR_EFFECT_BEFORE_RESOLUTION,
    ERROR_EFFECT_NEEDS_BOTH_PASSED,
    ERROR_NOTICE_BEFORE_RESOLUTION,
    ERROR_NOTICE_NEEDS_BOTH_PASSED,
    ERROR_PARTNER_IS_CENTRAL,
    ERROR_PROCEDURE_OPEN,
    ERROR_PROPOSED_BEFORE_CONCLUSION,
    ERROR_RESOLUTION_AFTER_EFFECT,
    ERROR_RESOLUTION_AFTER_PASSED,
    ERROR_RESOLUTION_BEFORE_PREVIOUS,
    ERROR_RESOLUTION_BEFORE_PROPOSAL,
    ERROR_RESOLUTION_MOVED,
    ERROR_RESOLUTION_NOT_A_PARTY,
    ERROR_RESOLUTION_NOT_PROPOSED,
    ERROR_RESOLUTION_ON_DROPPED,
    ERROR_TERM_ORDER,
    ERROR_UNPUBLISH,
    ERROR_WARD_PARTY,
    Agreement,
    AgreementItem,
    CouncilResolution,
    Procedure,
    Role,
)
from agreements.status import ProcedureKind, Result
from municipalities.models import MunicipalityKind, StaffRole
from tests import factories
from tests.factories import EFFECTIVE_ON, PROPOSED_ON, RESOLVED_ON

pytestmark = pytest.mark.django_db

MODELS = (Agreement, AgreementItem, Procedure, CouncilResolution)


# ---------------------------------------------------------------------------------------------
# Reading and submitting the admin's forms
# ---------------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The values a browser would submit from one form, and its empty inline rows."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self.templates: dict[str, str] = {}
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None
        self._text = []

    def _add(self, name, value):
        if "__prefix__" in name:
            self.templates[name] = value
        else:
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
                return
            self._add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._add(self._select, value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that follows <textarea>.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


class AdminForm:
    """A change or add form of the admin, read by GET, changed, and sent by POST."""

    def __init__(self, client, url, model_name):
        self.client = client
        self.url = url
        response = client.get(url)
        assert response.status_code == 200
        self.page = response
        reader = FormReader(f"{model_name}_form")
        reader.feed(response.content.decode())
        assert reader.fields, f"no form {model_name}_form on {url}"
        self.data = reader.fields
        self.templates = reader.templates

    def __setitem__(self, name, value):
        self.data[name] = [str(value)]

    def __getitem__(self, name):
        (value,) = self.data[name]
        return value

    def add_row(self, prefix, **values):
        """Add an inline row as the admin's "Add another" link does."""
        total = f"{prefix}-TOTAL_FORMS"
        assert total in self.data, f"no inline {prefix!r} on {self.url}"
        index = int(self[total])
        for name, value in self.templates.items():
            if name.startswith(f"{prefix}-__prefix__-"):
                field = name.removeprefix(f"{prefix}-__prefix__-")
                if field in values:
                    continue
                self.data[name.replace("__prefix__", str(index))] = [value]
        for field, value in values.items():
            if value is not None:
                self[f"{prefix}-{index}-{field}"] = value
        self[total] = index + 1
        return index

    def post(self):
        return self.client.post(self.url, self.data)


def _counts():
    return {model.__name__: (model.objects.count(), model.history.count()) for model in MODELS}


def _refused(form, message):
    """POST the form; it must come back with the message and save nothing."""
    before = _counts()
    response = form.post()
    assert response.status_code == 200, response.get("Location")
    assert escape(str(message)) in response.content.decode()
    assert _counts() == before
    return response


def _url(model, action="changelist", obj=None):
    name = model._meta.model_name
    if action == "changelist":
        return f"/admin/agreements/{name}/"
    if action == "add":
        return f"/admin/agreements/{name}/add/"
    return f"/admin/agreements/{name}/{obj.pk}/{action}/"


def _pass_both(procedure, on=RESOLVED_ON):
    factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True, resolved_on=on)
    factories.CouncilResolutionFactory(procedure=procedure, resolved_on=on)


# ---------------------------------------------------------------------------------------------
# Pages load
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def records():
    """One agreement in force (role ア item, partner kana known) and one draft (role ウ)."""
    in_force = factories.agreement_in_force(
        partner=factories.MunicipalityFactory(name="須坂市", name_kana="すざかし")
    )
    factories.AreaMembershipFactory(area=in_force.area, municipality=in_force.partner)
    factories.AgreementItemFactory(agreement=in_force, role=Role.ECONOMY)
    draft = factories.AgreementFactory()
    factories.AgreementItemFactory(agreement=draft, role=Role.LIVING_SERVICES)
    amendment = factories.ProcedureFactory(
        agreement=in_force, amendment=True, proposed_on=datetime.date(2018, 2, 20)
    )
    factories.CouncilResolutionFactory(
        procedure=amendment, rejected=True, resolved_on=datetime.date(2018, 3, 15)
    )
    return {"in_force": in_force, "draft": draft, "amendment": amendment}


def _listed(response):
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"in_force", "draft"}),
        ("status=in_force", set()),
        ("status=amending", {"in_force"}),
        ("status=draft", {"draft"}),
        ("status=abolished", set()),
        ("role=economy", {"in_force"}),
        ("role=living_services", {"draft"}),
        ("area__id__exact={draft.area_id}", {"draft"}),
        ("q=すざかし", {"in_force"}),
        ("q=すざ", {"in_force"}),
    ],
)
def test_agreement_changelist_filters_and_search(admin_client, records, query, expected):
    query = query.format(**records)
    response = admin_client.get(f"{_url(Agreement)}?{query}")
    assert _listed(response) == {records[key].pk for key in expected}


def test_agreement_changelist_status_in_force(admin_client):
    in_force = factories.agreement_in_force()
    factories.AgreementFactory()
    response = admin_client.get(f"{_url(Agreement)}?status=in_force")
    assert _listed(response) == {in_force.pk}
    assert str(in_force.status().label) in response.content.decode()


def test_agreement_changelist_queries_do_not_grow_with_rows(admin_client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(_url(Agreement)).status_code == 200
        return len(queries)

    factories.agreement_in_force()
    one = count_queries()
    for _ in range(3):
        factories.agreement_in_force()
    assert count_queries() == one


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"conclusion", "amendment"}),
        ("kind__exact=amendment", {"amendment"}),
        ("kind__exact=abolition", set()),
        ("agreement__area__id__exact={in_force.area_id}", {"conclusion", "amendment"}),
        ("agreement__area__id__exact={draft.area_id}", set()),
        ("q=すざかし", {"conclusion", "amendment"}),
    ],
)
def test_procedure_changelist_filters_and_search(admin_client, records, query, expected):
    procedures = {
        "conclusion": records["in_force"].procedures.get(kind=ProcedureKind.CONCLUSION),
        "amendment": records["amendment"],
    }
    response = admin_client.get(f"{_url(Procedure)}?{query.format(**records)}")
    assert _listed(response) == {procedures[key].pk for key in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 3),
        ("result__exact=rejected", 1),
        ("result__exact=passed", 2),
        ("procedure__kind__exact=amendment", 1),
        ("procedure__agreement__area__id__exact={in_force.area_id}", 3),
        ("procedure__agreement__area__id__exact={draft.area_id}", 0),
        ("resolved_on__year=2016", 2),
        ("resolved_on__year=2018&resolved_on__month=3", 1),
        ("q=すざかし", 2),
    ],
)
def test_resolution_changelist_filters_and_search(admin_client, records, query, expected):
    response = admin_client.get(f"{_url(CouncilResolution)}?{query.format(**records)}")
    assert len(_listed(response)) == expected


@pytest.mark.parametrize("model", MODELS)
def test_admin_add_pages_load(admin_client, model):
    assert admin_client.get(_url(model, "add")).status_code == 200


def test_admin_change_and_history_pages_load(admin_client, records):
    in_force = records["in_force"]
    objects = [
        in_force,
        in_force.items.get(),
        records["amendment"],
        records["amendment"].resolutions.get(),
    ]
    for obj in objects:
        for action in ("change", "history"):
            response = admin_client.get(_url(type(obj), action, obj))
            assert response.status_code == 200, (obj, action)
            assert str(obj) in response.content.decode()


def test_agreement_change_page_shows_status(admin_client, records):
    response = admin_client.get(_url(Agreement, "change", records["in_force"]))
    assert str(records["in_force"].status().label) in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Agreements: rules through the form
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def add_agreement(admin_client, area):
    form = AdminForm(admin_client, _url(Agreement, "add"), "agreement")
    form["area"] = area.pk
    form["title"] = "連携協約"
    return form


def test_agreement_admin_refuses_central_city_as_partner(add_agreement, area):
    add_agreement["partner"] = area.central_city_id
    _refused(add_agreement, ERROR_PARTNER_IS_CENTRAL)


def test_agreement_admin_refuses_a_ward_as_partner(add_agreement, area):
    ward = factories.MunicipalityFactory(kind=MunicipalityKind.WARD)
    add_agreement["partner"] = ward.pk
    _refused(add_agreement, ERROR_WARD_PARTY % {"partner": ward, "area": area})


def test_agreement_admin_refuses_second_agreement_with_same_partner(add_agreement, area):
    existing = factories.AgreementFactory(area=area)
    add_agreement["partner"] = existing.partner_id
    constraint = next(
        c for c in Agreement._meta.constraints if c.name.endswith("_one_per_pair_of_parties")
    )
    _refused(add_agreement, constraint.get_violation_error_message())


def test_agreement_admin_refuses_term_end_before_start(add_agreement, area):
    add_agreement["partner"] = factories.AreaMembershipFactory(area=area).municipality_id
    add_agreement["term_start"] = "2016-04-01"
    add_agreement["term_end"] = "2016-03-31"
    _refused(add_agreement, ERROR_TERM_ORDER)


def test_agreement_admin_add_saves_with_history_user(add_agreement, area, staff_user):
    partner = factories.AreaMembershipFactory(area=area).municipality
    add_agreement["partner"] = partner.pk
    response = add_agreement.post()
    assert response.status_code == 302
    agreement = Agreement.objects.get(area=area, partner=partner)
    record = agreement.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff_user


def test_agreement_admin_change_records_history_user_shown_on_history_page(
    admin_client, staff_user
):
    agreement = factories.AgreementFactory(title="旧題")
    form = AdminForm(admin_client, _url(Agreement, "change", agreement), "agreement")
    form["title"] = "新題"
    assert form.post().status_code == 302

    agreement.refresh_from_db()
    assert agreement.title == "新題"
    record = agreement.history.order_by("-history_id").first()
    assert record.history_type == "~"
    assert record.history_user == staff_user

    page = admin_client.get(_url(Agreement, "history", agreement)).content.decode()
    assert f">{staff_user.username}</a>" in page


def test_agreement_admin_refuses_two_new_procedures_in_one_submission(admin_client):
    agreement = factories.agreement_in_force()
    form = AdminForm(admin_client, _url(Agreement, "change", agreement), "agreement")
    for summary in ("変更その一", "変更その二"):
        form.add_row(
            "procedures",
            kind=ProcedureKind.AMENDMENT,
            summary=summary,
            proposed_on="2018-02-20",
        )
    _refused(form, ProcedureFormSet.message)


def test_agreement_admin_refuses_amendment_inline_before_conclusion_in_force(admin_client):
    agreement = factories.AgreementFactory()
    form = AdminForm(admin_client, _url(Agreement, "change", agreement), "agreement")
    form.add_row("procedures", kind=ProcedureKind.AMENDMENT, summary="変更")
    _refused(form, ERROR_AMENDMENT_BEFORE_CONCLUSION)


# ---------------------------------------------------------------------------------------------
# Procedures: rules through the form
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def procedure():
    """A conclusion submitted to both councils on PROPOSED_ON, no resolution yet."""
    return factories.ProcedureFactory()


def _procedure_form(client, procedure):
    return AdminForm(client, _url(Procedure, "change", procedure), "procedure")


@pytest.mark.parametrize(
    ("passed_by", "missing"),
    [((), ("central", "partner")), (("central",), ("partner",)), (("partner",), ("central",))],
    ids=["none", "central-only", "partner-only"],
)
def test_procedure_admin_refuses_effect_before_both_councils_passed(
    admin_client, procedure, passed_by, missing
):
    agreement = procedure.agreement
    councils = {"central": agreement.central_city, "partner": agreement.partner}
    for key in passed_by:
        factories.CouncilResolutionFactory(procedure=procedure, municipality=councils[key])
    form = _procedure_form(admin_client, procedure)
    form["effective_on"] = EFFECTIVE_ON.isoformat()
    missing_names = "、".join(str(councils[key]) for key in missing)
    _refused(form, ERROR_EFFECT_NEEDS_BOTH_PASSED % {"missing": missing_names})
    procedure.refresh_from_db()
    assert procedure.effective_on is None


def test_procedure_admin_refuses_effect_with_resolutions_entered_in_same_submission(
    admin_client, procedure
):
    # The help text says so: record both passes, save, then enter the date.
    form = _procedure_form(admin_client, procedure)
    agreement = procedure.agreement
    for council in (agreement.central_city, agreement.partner):
        form.add_row(
            "resolutions",
            municipality=council.pk,
            session="3月定例会",
            bill_number="議案第1号",
            resolved_on=RESOLVED_ON.isoformat(),
            result=Result.PASSED,
        )
    form["effective_on"] = EFFECTIVE_ON.isoformat()
    missing = f"{agreement.central_city}、{agreement.partner}"
    _refused(form, ERROR_EFFECT_NEEDS_BOTH_PASSED % {"missing": missing})


def test_procedure_admin_refuses_effect_before_last_resolution(admin_client, procedure):
    _pass_both(procedure)
    form = _procedure_form(admin_client, procedure)
    form["effective_on"] = (RESOLVED_ON - datetime.timedelta(1)).isoformat()
    _refused(form, ERROR_EFFECT_BEFORE_RESOLUTION % {"date": RESOLVED_ON})


@pytest.mark.parametrize(
    "field", ["central_notice_on", "partner_notice_on", "governor_notified_on"]
)
def test_procedure_admin_refuses_notice_before_both_councils_passed(admin_client, procedure, field):
    factories.CouncilResolutionFactory(procedure=procedure)
    form = _procedure_form(admin_client, procedure)
    form[field] = EFFECTIVE_ON.isoformat()
    _refused(form, ERROR_NOTICE_NEEDS_BOTH_PASSED)


@pytest.mark.parametrize("field", ["central_notice_on", "governor_notified_on", "dropped_on"])
def test_procedure_admin_refuses_date_before_proposal(admin_client, procedure, field):
    form = _procedure_form(admin_client, procedure)
    form[field] = (PROPOSED_ON - datetime.timedelta(1)).isoformat()
    _refused(form, ERROR_DATE_BEFORE_PROPOSAL % {"date": PROPOSED_ON})


def test_procedure_admin_refuses_moving_the_proposal_after_a_resolution(admin_client, procedure):
    factories.CouncilResolutionFactory(procedure=procedure)
    form = _procedure_form(admin_client, procedure)
    moved = RESOLVED_ON + datetime.timedelta(1)
    form["proposed_on"] = moved.isoformat()
    _refused(form, ERROR_RESOLUTION_BEFORE_PROPOSAL % {"date": moved})


def test_procedure_admin_refuses_dropping_an_effective_procedure(admin_client):
    procedure = factories.agreement_in_force().procedures.get()
    form = _procedure_form(admin_client, procedure)
    form["dropped_on"] = "2016-04-30"
    _refused(form, ERROR_DROPPED_AND_EFFECTIVE)


def test_procedure_admin_puts_into_effect_with_history_user(admin_client, procedure, staff_user):
    _pass_both(procedure)
    form = _procedure_form(admin_client, procedure)
    form["effective_on"] = EFFECTIVE_ON.isoformat()
    assert form.post().status_code == 302
    procedure.refresh_from_db()
    assert procedure.effective_on == EFFECTIVE_ON
    assert procedure.history.order_by("-history_id").first().history_user == staff_user


@pytest.fixture
def add_procedure(admin_client):
    form = AdminForm(admin_client, _url(Procedure, "add"), "procedure")
    form["summary"] = "新しい手続"
    form["proposed_on"] = "2020-02-20"
    return form


@pytest.mark.parametrize("kind", [ProcedureKind.AMENDMENT, ProcedureKind.ABOLITION])
def test_procedure_admin_refuses_amendment_before_conclusion_in_force(
    add_procedure, procedure, kind
):
    add_procedure["agreement"] = procedure.agreement_id
    add_procedure["kind"] = kind
    _refused(add_procedure, ERROR_AMENDMENT_BEFORE_CONCLUSION)


def test_procedure_admin_refuses_a_second_open_procedure(add_procedure):
    agreement = factories.agreement_in_force()
    open_one = factories.ProcedureFactory(agreement=agreement, amendment=True)
    add_procedure["agreement"] = agreement.pk
    add_procedure["kind"] = ProcedureKind.AMENDMENT
    _refused(add_procedure, ERROR_PROCEDURE_OPEN % {"procedure": open_one.summary})


@pytest.mark.parametrize("kind", list(ProcedureKind))
def test_procedure_admin_refuses_anything_after_abolition(add_procedure, kind):
    agreement = factories.agreement_in_force()
    abolition = factories.ProcedureFactory(
        agreement=agreement, abolition=True, proposed_on=datetime.date(2019, 2, 20)
    )
    _pass_both(abolition, on=datetime.date(2019, 3, 15))
    abolition.effective_on = datetime.date(2019, 4, 1)
    abolition.save()
    add_procedure["agreement"] = agreement.pk
    add_procedure["kind"] = kind
    _refused(add_procedure, ERROR_AFTER_ABOLITION)


# ---------------------------------------------------------------------------------------------
# Resolutions: through the procedure's inline
# ---------------------------------------------------------------------------------------------


def _resolution_row(form, council, result=Result.PASSED, on=RESOLVED_ON):
    return form.add_row(
        "resolutions",
        municipality=council.pk,
        session="平成28年3月定例会",
        bill_number="議案第12号",
        resolved_on=on.isoformat(),
        result=result,
    )


def test_procedure_admin_inline_offers_only_the_two_parties(admin_client, procedure):
    agreement = procedure.agreement
    third = factories.AreaMembershipFactory(area=agreement.area).municipality
    form = _procedure_form(admin_client, procedure)
    (inline,) = form.page.context["inline_admin_formsets"]
    choices = inline.formset.empty_form.fields["municipality"].queryset
    assert set(choices) == {agreement.central_city, agreement.partner}
    page = form.page.content.decode()
    assert f'<option value="{agreement.partner_id}">' in page
    assert f'<option value="{third.pk}">' not in page


def test_procedure_admin_inline_refuses_council_of_a_third_municipality(admin_client, procedure):
    third = factories.AreaMembershipFactory(area=procedure.agreement.area).municipality
    form = _procedure_form(admin_client, procedure)
    _resolution_row(form, third)
    response = _refused(form, ModelChoiceField.default_error_messages["invalid_choice"])
    (formset,) = response.context["inline_admin_formsets"]
    assert formset.formset.errors[0]["municipality"][0] == str(
        ModelChoiceField.default_error_messages["invalid_choice"]
    )


def test_procedure_admin_inline_refuses_two_new_resolutions_of_one_council(admin_client, procedure):
    form = _procedure_form(admin_client, procedure)
    partner = procedure.agreement.partner
    _resolution_row(form, partner, result=Result.CARRIED_OVER, on=RESOLVED_ON)
    _resolution_row(form, partner, on=RESOLVED_ON + datetime.timedelta(60))
    _refused(form, ResolutionFormSet.message)


def test_procedure_admin_inline_records_resolutions_of_both_councils(
    admin_client, procedure, staff_user
):
    form = _procedure_form(admin_client, procedure)
    agreement = procedure.agreement
    _resolution_row(form, agreement.central_city)
    _resolution_row(form, agreement.partner)
    assert form.post().status_code == 302
    resolutions = procedure.resolutions.all()
    assert {r.municipality_id for r in resolutions} == {
        agreement.central_city.pk,
        agreement.partner_id,
    }
    assert {r.history.get().history_user for r in resolutions} == {staff_user}


def test_procedure_admin_inline_refuses_resolution_after_the_council_passed(
    admin_client, procedure
):
    partner = procedure.agreement.partner
    factories.CouncilResolutionFactory(procedure=procedure)
    form = _procedure_form(admin_client, procedure)
    _resolution_row(form, partner, result=Result.REJECTED, on=RESOLVED_ON + datetime.timedelta(9))
    _refused(form, ERROR_RESOLUTION_AFTER_PASSED % {"council": partner, "date": RESOLVED_ON})


# ---------------------------------------------------------------------------------------------
# Resolutions: through their own add page
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def add_resolution(admin_client):
    form = AdminForm(admin_client, _url(CouncilResolution, "add"), "councilresolution")
    form["session"] = "平成28年3月定例会"
    form["bill_number"] = "議案第12号"
    form["resolved_on"] = RESOLVED_ON.isoformat()
    form["result"] = Result.PASSED
    return form


def _resolve_on(form, procedure, council):
    form["procedure"] = procedure.pk
    form["municipality"] = council.pk


def test_resolution_admin_refuses_council_of_a_third_municipality(add_resolution, procedure):
    agreement = procedure.agreement
    third = factories.AreaMembershipFactory(area=agreement.area).municipality
    _resolve_on(add_resolution, procedure, third)
    _refused(
        add_resolution,
        ERROR_RESOLUTION_NOT_A_PARTY
        % {"central": agreement.central_city, "partner": agreement.partner},
    )


def test_resolution_admin_refuses_unproposed_procedure(add_resolution):
    procedure = factories.ProcedureFactory(drafting=True)
    _resolve_on(add_resolution, procedure, procedure.agreement.partner)
    _refused(add_resolution, ERROR_RESOLUTION_NOT_PROPOSED)


def test_resolution_admin_refuses_dropped_procedure(add_resolution):
    procedure = factories.ProcedureFactory(dropped_on=datetime.date(2016, 3, 1))
    _resolve_on(add_resolution, procedure, procedure.agreement.partner)
    _refused(add_resolution, ERROR_RESOLUTION_ON_DROPPED)


def test_resolution_admin_refuses_date_before_proposal(add_resolution, procedure):
    _resolve_on(add_resolution, procedure, procedure.agreement.partner)
    add_resolution["resolved_on"] = (PROPOSED_ON - datetime.timedelta(1)).isoformat()
    _refused(add_resolution, ERROR_RESOLUTION_BEFORE_PROPOSAL % {"date": PROPOSED_ON})


def test_resolution_admin_refuses_date_before_councils_previous(add_resolution, procedure):
    factories.CouncilResolutionFactory(procedure=procedure, rejected=True)
    _resolve_on(add_resolution, procedure, procedure.agreement.partner)
    add_resolution["resolved_on"] = (RESOLVED_ON - datetime.timedelta(1)).isoformat()
    _refused(add_resolution, ERROR_RESOLUTION_BEFORE_PREVIOUS % {"date": RESOLVED_ON})


def test_resolution_admin_refuses_resolution_after_effect(add_resolution):
    procedure = factories.agreement_in_force().procedures.get()
    _resolve_on(add_resolution, procedure, procedure.agreement.partner)
    add_resolution["result"] = Result.REJECTED
    add_resolution["resolved_on"] = "2016-06-01"
    _refused(add_resolution, ERROR_RESOLUTION_AFTER_EFFECT % {"date": EFFECTIVE_ON})


def test_resolution_admin_records_a_pass_with_history_user(add_resolution, procedure, staff_user):
    _resolve_on(add_resolution, procedure, procedure.agreement.partner)
    assert add_resolution.post().status_code == 302
    record = procedure.resolutions.get().history.get()
    assert record.history_user == staff_user


# ---------------------------------------------------------------------------------------------
# Deletion
# ---------------------------------------------------------------------------------------------


def _delete(client, obj):
    url = _url(type(obj), "delete", obj)
    return client.get(url), client.post(url, {"post": "yes"})


def test_agreement_admin_refuses_deleting_an_agreement_in_force(admin_client):
    agreement = factories.agreement_in_force()
    for response in _delete(admin_client, agreement):
        assert response.status_code == 403
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_resolution_admin_refuses_deleting_a_resolution(admin_client, procedure):
    resolution = factories.CouncilResolutionFactory(procedure=procedure)
    for response in _delete(admin_client, resolution):
        assert response.status_code == 403
    assert CouncilResolution.objects.filter(pk=resolution.pk).exists()


def test_procedure_admin_refuses_deleting_a_submitted_procedure(admin_client, procedure):
    for response in _delete(admin_client, procedure):
        assert response.status_code == 403
    assert Procedure.objects.filter(pk=procedure.pk).exists()


def test_procedure_admin_deletes_a_procedure_still_being_drafted(admin_client):
    procedure = factories.ProcedureFactory(drafting=True)
    confirm, done = _delete(admin_client, procedure)
    assert confirm.status_code == 200
    assert done.status_code == 302
    assert not Procedure.objects.filter(pk=procedure.pk).exists()


def test_item_admin_refuses_deleting_an_item_of_an_agreement_in_force(admin_client):
    item = factories.AgreementItemFactory(agreement=factories.agreement_in_force())
    for response in _delete(admin_client, item):
        assert response.status_code == 403
    assert AgreementItem.objects.filter(pk=item.pk).exists()


def test_item_admin_deletes_an_item_of_a_draft_agreement(admin_client):
    item = factories.AgreementItemFactory()
    confirm, done = _delete(admin_client, item)
    assert confirm.status_code == 200
    assert done.status_code == 302
    assert not AgreementItem.objects.filter(pk=item.pk).exists()


def test_agreement_admin_deletes_an_empty_draft_agreement(admin_client):
    agreement = factories.AgreementFactory()
    confirm, done = _delete(admin_client, agreement)
    assert confirm.status_code == 200
    assert done.status_code == 302
    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_agreement_admin_inline_deletes_an_item_of_a_draft(admin_client):
    item = factories.AgreementItemFactory()
    form = AdminForm(admin_client, _url(Agreement, "change", item.agreement), "agreement")
    form["items-0-DELETE"] = "on"
    assert form.post().status_code == 302
    assert not AgreementItem.objects.filter(pk=item.pk).exists()


def test_agreement_admin_inline_keeps_items_of_an_agreement_in_force(admin_client):
    item = factories.AgreementItemFactory(agreement=factories.agreement_in_force())
    form = AdminForm(admin_client, _url(Agreement, "change", item.agreement), "agreement")
    assert "items-0-DELETE" not in form.data
    assert "items-0-id" in form.data
    form["items-0-DELETE"] = "on"
    form.post()
    assert AgreementItem.objects.filter(pk=item.pk).exists()


def test_agreement_admin_inline_keeps_a_dropped_conclusion_with_resolutions(admin_client):
    # A draft again after a rejected, dropped conclusion: the rejection stays on record.
    agreement = factories.AgreementFactory()
    dropped = factories.ProcedureFactory(agreement=agreement)
    factories.CouncilResolutionFactory(procedure=dropped, rejected=True)
    dropped.dropped_on = RESOLVED_ON
    dropped.save()
    factories.ProcedureFactory(agreement=agreement, drafting=True)
    form = AdminForm(admin_client, _url(Agreement, "change", agreement), "agreement")
    assert form["procedures-0-id"] == str(dropped.pk)
    assert "procedures-0-DELETE" not in form.data
    form["procedures-0-DELETE"] = "on"
    form.post()
    assert Procedure.objects.filter(pk=dropped.pk).exists()
    assert dropped.resolutions.count() == 1


# ---------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------


def test_agreement_admin_error_in_english_under_en(admin_client, area):
    add_agreement = AdminForm(admin_client, "/en" + _url(Agreement, "add"), "agreement")
    add_agreement["area"] = area.pk
    add_agreement["title"] = "連携協約"
    add_agreement["partner"] = area.central_city_id
    response = add_agreement.post()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    with translation.override("en"):
        english = str(ERROR_PARTNER_IS_CENTRAL)
    with translation.override("ja"):
        japanese = str(ERROR_PARTNER_IS_CENTRAL)
    content = response.content.decode()
    assert escape(english) in content
    if japanese != english:
        assert escape(japanese) not in content


def test_agreement_admin_error_in_japanese_by_default(add_agreement, area):
    add_agreement["partner"] = area.central_city_id
    response = add_agreement.post()
    assert response["Content-Language"] == "ja"
    with translation.override("ja"):
        japanese = str(ERROR_PARTNER_IS_CENTRAL)
    assert escape(japanese) in response.content.decode()


def test_procedure_admin_inline_refuses_resolution_on_unproposed_procedure(admin_client):
    procedure = factories.ProcedureFactory(drafting=True)
    form = _procedure_form(admin_client, procedure)
    _resolution_row(form, procedure.agreement.partner)
    _refused(form, ERROR_RESOLUTION_NOT_PROPOSED)


def test_procedure_admin_inline_refuses_moving_a_resolution_to_the_other_council(
    admin_client, procedure
):
    resolution = factories.CouncilResolutionFactory(procedure=procedure)
    form = _procedure_form(admin_client, procedure)
    form["resolutions-0-municipality"] = procedure.agreement.central_city.pk
    _refused(form, ERROR_RESOLUTION_MOVED)
    assert CouncilResolution.objects.get(pk=resolution.pk).municipality == resolution.municipality


# ---------------------------------------------------------------------------------------------
# Fields a page leaves out, fixed fields and history
# ---------------------------------------------------------------------------------------------


def test_agreement_admin_procedure_inline_shows_refusal_of_a_field_it_leaves_out(admin_client):
    # The inline has no notice columns; moving the submission after the notices is refused
    # with the notice field named above the row, not with a server error.
    agreement = factories.agreement_in_force()
    conclusion = agreement.procedures.get()
    conclusion.central_notice_on = EFFECTIVE_ON
    conclusion.save()
    form = AdminForm(admin_client, _url(Agreement, "change", agreement), "agreement")
    form["procedures-0-proposed_on"] = (EFFECTIVE_ON + datetime.timedelta(3)).isoformat()

    response = _refused(
        form, ERROR_DATE_BEFORE_PROPOSAL % {"date": EFFECTIVE_ON + datetime.timedelta(3)}
    )

    (procedures,) = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "procedures"
    ]
    label = str(Procedure._meta.get_field("central_notice_on").verbose_name)
    assert any(label in e for e in procedures.formset.errors[0]["__all__"])
    assert Procedure.objects.get(pk=conclusion.pk).proposed_on == PROPOSED_ON


def test_procedure_admin_keeps_kind_and_agreement_read_only_once_saved(admin_client, procedure):
    form = _procedure_form(admin_client, procedure)
    assert "kind" not in form.data
    assert "agreement" not in form.data


def test_resolution_admin_keeps_procedure_and_council_read_only_once_saved(admin_client):
    resolution = factories.CouncilResolutionFactory()
    form = AdminForm(
        admin_client, _url(CouncilResolution, "change", resolution), "councilresolution"
    )
    assert "procedure" not in form.data
    assert "municipality" not in form.data


def test_history_of_a_procedure_can_be_viewed_but_not_saved_back(admin_client, staff_user):
    procedure = factories.ProcedureFactory()
    factories.CouncilResolutionFactory(procedure=procedure, rejected=True)
    procedure.dropped_on = RESOLVED_ON
    procedure.save()
    old = procedure.history.earliest()
    url = f"{_url(Procedure, 'change', procedure).removesuffix('change/')}history/{old.history_id}/"

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"summary": procedure.summary, "dropped_on": ""})

    assert response.status_code == 403
    assert Procedure.objects.get(pk=procedure.pk).dropped_on == RESOLVED_ON


# ---------------------------------------------------------------------------------------------
# Same-day boundaries, edits beside an open procedure, incomplete forms (docs/mutation.md)
# ---------------------------------------------------------------------------------------------

DAY = datetime.timedelta(days=1)


def _accepted(form):
    """POST the form; it must be saved (the admin redirects) with no error shown."""
    response = form.post()
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def _accepted_or_refused(form, error):
    if error is None:
        _accepted(form)
    else:
        _refused(form, error)


@pytest.mark.parametrize(
    ("days", "accepted"), [(0, True), (1, True), (-1, False)], ids=["same-day", "after", "before"]
)
def test_procedure_admin_amendment_proposed_on_the_day_the_conclusion_takes_effect(
    add_procedure, days, accepted
):
    agreement = factories.agreement_in_force()
    proposed_on = EFFECTIVE_ON + days * DAY
    add_procedure["agreement"] = agreement.pk
    add_procedure["kind"] = ProcedureKind.AMENDMENT
    add_procedure["proposed_on"] = proposed_on.isoformat()

    error = None if accepted else ERROR_PROPOSED_BEFORE_CONCLUSION % {"date": EFFECTIVE_ON}
    _accepted_or_refused(add_procedure, error)

    amendments = Procedure.objects.filter(agreement=agreement, kind=ProcedureKind.AMENDMENT)
    assert [p.proposed_on for p in amendments] == ([proposed_on] if accepted else [])


@pytest.mark.parametrize("field", ["dropped_on", "central_notice_on", "governor_notified_on"])
def test_procedure_admin_accepts_a_drop_or_a_notice_on_the_day_of_proposal(
    admin_client, procedure, field
):
    # Both councils may pass a bill on the day it is submitted (即決); a notice can follow at once.
    _pass_both(procedure, on=PROPOSED_ON)
    form = _procedure_form(admin_client, procedure)
    form[field] = PROPOSED_ON.isoformat()

    _accepted(form)

    procedure.refresh_from_db()
    assert getattr(procedure, field) == PROPOSED_ON


@pytest.mark.parametrize(
    "field", ["effective_on", "central_notice_on", "partner_notice_on", "governor_notified_on"]
)
@pytest.mark.parametrize("days", [0, -1], ids=["same-day", "day-before"])
def test_procedure_admin_date_on_the_day_of_the_last_resolution(
    admin_client, procedure, field, days
):
    # The councils resolve on different days: the later one counts.
    last = RESOLVED_ON
    factories.CouncilResolutionFactory(
        procedure=procedure, by_central_city=True, resolved_on=last - 10 * DAY
    )
    factories.CouncilResolutionFactory(procedure=procedure, resolved_on=last)
    form = _procedure_form(admin_client, procedure)
    form[field] = (last + days * DAY).isoformat()

    if days == 0:
        _accepted(form)
        procedure.refresh_from_db()
        assert getattr(procedure, field) == last
    else:
        message = (
            ERROR_EFFECT_BEFORE_RESOLUTION
            if field == "effective_on"
            else ERROR_NOTICE_BEFORE_RESOLUTION
        )
        _refused(form, message % {"date": last})


@pytest.fixture
def open_amendment():
    """An agreement in force whose amendment is before the councils."""
    agreement = factories.agreement_in_force()
    return factories.ProcedureFactory(
        agreement=agreement, amendment=True, proposed_on=datetime.date(2018, 2, 20)
    )


def test_procedure_admin_edits_a_procedure_in_effect_while_another_is_open(
    admin_client, open_amendment
):
    conclusion = open_amendment.agreement.procedures.get(kind=ProcedureKind.CONCLUSION)
    form = _procedure_form(admin_client, conclusion)
    form["summary"] = "連携協約の締結（告示済み）"
    form["central_notice_on"] = EFFECTIVE_ON.isoformat()

    _accepted(form)

    conclusion.refresh_from_db()
    assert (conclusion.summary, conclusion.central_notice_on) == (
        "連携協約の締結（告示済み）",
        EFFECTIVE_ON,
    )


def test_procedure_admin_edits_a_dropped_procedure_while_another_is_open(admin_client):
    agreement = factories.agreement_in_force()
    dropped = factories.ProcedureFactory(
        agreement=agreement,
        amendment=True,
        proposed_on=datetime.date(2017, 2, 20),
        dropped_on=datetime.date(2017, 3, 31),
    )
    factories.ProcedureFactory(
        agreement=agreement, amendment=True, proposed_on=datetime.date(2018, 2, 20)
    )
    form = _procedure_form(admin_client, dropped)
    form["summary"] = "連携協約の変更（取下げ）"

    _accepted(form)

    dropped.refresh_from_db()
    assert dropped.summary == "連携協約の変更（取下げ）"


def test_procedure_admin_refuses_reopening_a_dropped_procedure_while_another_is_open(
    admin_client,
):
    agreement = factories.agreement_in_force()
    dropped = factories.ProcedureFactory(
        agreement=agreement,
        amendment=True,
        proposed_on=datetime.date(2017, 2, 20),
        dropped_on=datetime.date(2017, 3, 31),
    )
    open_one = factories.ProcedureFactory(
        agreement=agreement, amendment=True, proposed_on=datetime.date(2018, 2, 20)
    )
    form = _procedure_form(admin_client, dropped)
    form["dropped_on"] = ""

    _refused(form, ERROR_PROCEDURE_OPEN % {"procedure": open_one.summary})

    dropped.refresh_from_db()
    assert dropped.dropped_on == datetime.date(2017, 3, 31)


def _required_error(response, field):
    with translation.override("ja"):
        required = str(Field.default_error_messages["required"])
    assert response.context["adminform"].form.errors[field] == [required]


@pytest.mark.parametrize(
    ("model", "form_id", "values", "missing"),
    [
        (Agreement, "agreement", {"title": "連携協約", "partner": "partner"}, "area"),
        (Agreement, "agreement", {"title": "連携協約", "area": "area"}, "partner"),
        (
            Procedure,
            "procedure",
            {"kind": ProcedureKind.CONCLUSION, "summary": "締結"},
            "agreement",
        ),
        (CouncilResolution, "councilresolution", {"municipality": "partner"}, "procedure"),
        (CouncilResolution, "councilresolution", {"procedure": "procedure"}, "municipality"),
    ],
    ids=["agreement-no-area", "agreement-no-partner", "procedure-no-agreement"]
    + ["resolution-no-procedure", "resolution-no-council"],
)
def test_admin_add_page_names_the_missing_field_instead_of_failing(
    admin_client, model, form_id, values, missing
):
    procedure = factories.ProcedureFactory()
    records = {
        "area": procedure.agreement.area_id,
        "partner": procedure.agreement.partner_id,
        "procedure": procedure.pk,
    }
    form = AdminForm(admin_client, _url(model, "add"), form_id)
    if model is CouncilResolution:
        form["session"] = "平成28年3月定例会"
        form["bill_number"] = "議案第12号"
        form["resolved_on"] = RESOLVED_ON.isoformat()
        form["result"] = Result.PASSED
    for field, value in values.items():
        form[field] = records.get(value, value)
    form[missing] = ""
    before = _counts()

    response = form.post()

    assert response.status_code == 200
    _required_error(response, missing)
    assert _counts() == before


# ---------------------------------------------------------------------------------------------
# E-mails: the partner's clerks hear of a submission once; the operator's saves mail no one
# ---------------------------------------------------------------------------------------------


def _submission_subject(procedure):
    with translation.override("ja"):
        return gettext("For your council: %(procedure)s (%(agreement)s)") % {
            "procedure": procedure.summary,
            "agreement": procedure.agreement.title,
        }


@pytest.fixture
def partner_clerk():
    """A draft agreement whose partner has a clerk; a clerk elsewhere is not to be mailed."""
    agreement = factories.AgreementFactory()
    factories.clerk(agreement.partner, email="suzaka@example.jp")
    factories.clerk(factories.MunicipalityFactory(), email="other@example.jp")
    return agreement


def test_procedure_admin_mails_the_partners_clerks_when_a_new_procedure_is_submitted(
    add_procedure, partner_clerk, django_capture_on_commit_callbacks
):
    add_procedure["agreement"] = partner_clerk.pk
    add_procedure["kind"] = ProcedureKind.CONCLUSION

    with django_capture_on_commit_callbacks(execute=True):
        _accepted(add_procedure)

    procedure = partner_clerk.procedures.get()
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["suzaka@example.jp"], _submission_subject(procedure))
    assert "2020-02-20" in message.body


def test_procedure_admin_mails_once_on_the_save_that_submits(
    add_procedure, admin_client, partner_clerk, django_capture_on_commit_callbacks
):
    add_procedure["agreement"] = partner_clerk.pk
    add_procedure["kind"] = ProcedureKind.CONCLUSION
    add_procedure["proposed_on"] = ""
    with django_capture_on_commit_callbacks(execute=True):
        _accepted(add_procedure)
    procedure = partner_clerk.procedures.get()
    assert mail.outbox == []  # a draft is not before the council yet

    form = _procedure_form(admin_client, procedure)
    form["summary"] = "連携協約の締結（案）"
    with django_capture_on_commit_callbacks(execute=True):
        _accepted(form)
    assert mail.outbox == []  # still a draft

    form = _procedure_form(admin_client, procedure)
    form["proposed_on"] = PROPOSED_ON.isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        _accepted(form)
    procedure.refresh_from_db()
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["suzaka@example.jp"], _submission_subject(procedure))

    form = _procedure_form(admin_client, procedure)
    form["summary"] = "連携協約の締結"
    with django_capture_on_commit_callbacks(execute=True):
        _accepted(form)
    assert len(mail.outbox) == 1  # a later save of the submitted procedure sends nothing


def test_resolution_admin_records_without_mailing_the_planning_staff(
    add_resolution, procedure, django_capture_on_commit_callbacks
):
    # The operator (or planning staff) keeps the record; only a clerk's entry is news to them.
    user = factories.UserFactory(email="plan@example.jp", is_staff=True)
    StaffRole.objects.create(
        user=user,
        kind=StaffRole.Kind.PLANNING_STAFF,
        municipality=procedure.agreement.area.central_city,
    )
    _resolve_on(add_resolution, procedure, procedure.agreement.partner)

    with django_capture_on_commit_callbacks(execute=True):
        _accepted(add_resolution)

    assert procedure.resolutions.count() == 1
    assert mail.outbox == []


# ---------------------------------------------------------------------------------------------
# Publishing and withdrawing a draft
# ---------------------------------------------------------------------------------------------


def test_agreement_admin_publish_action_records_who_published(admin_client, staff_user):
    draft = factories.AgreementFactory(internal=True)
    already = factories.AgreementFactory()

    response = admin_client.post(
        _url(Agreement), {"action": "publish", "_selected_action": [draft.pk, already.pk]}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_public
    record = draft.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (staff_user, "published")
    assert already.history.count() == 1  # nothing to publish: no new version


@pytest.mark.parametrize(
    ("procedure_on", "accepted"),
    [
        pytest.param(None, True, id="no-procedure"),
        pytest.param("drafting", True, id="procedure-being-drafted"),
        pytest.param("other-agreement", True, id="other-agreement-submitted"),
        pytest.param("submitted", False, id="procedure-submitted"),
    ],
)
def test_agreement_admin_withdraws_a_public_draft_until_it_is_submitted(
    admin_client, procedure_on, accepted
):
    agreement = factories.AgreementFactory()
    if procedure_on == "drafting":
        factories.ProcedureFactory(agreement=agreement, drafting=True)
    elif procedure_on == "other-agreement":
        factories.ProcedureFactory(agreement=factories.AgreementFactory(area=agreement.area))
    elif procedure_on == "submitted":
        factories.ProcedureFactory(agreement=agreement)
    form = AdminForm(admin_client, _url(Agreement, "change", agreement), "agreement")
    del form.data["is_public"]  # the box unticked

    _accepted_or_refused(form, None if accepted else ERROR_UNPUBLISH)

    agreement.refresh_from_db()
    assert agreement.is_public is not accepted


@pytest.mark.parametrize("field", ["effective_on", "partner_notice_on"])
def test_procedure_admin_refuses_a_new_procedure_already_in_effect_or_noticed(add_procedure, field):
    agreement = factories.AgreementFactory()
    add_procedure["agreement"] = agreement.pk
    add_procedure["kind"] = ProcedureKind.CONCLUSION
    add_procedure[field] = "2020-04-01"

    if field == "effective_on":
        missing = f"{agreement.central_city}、{agreement.partner}"
        _refused(add_procedure, ERROR_EFFECT_NEEDS_BOTH_PASSED % {"missing": missing})
    else:
        _refused(add_procedure, ERROR_NOTICE_NEEDS_BOTH_PASSED)


# Content fixed from submission; one bill per council (issue 13) ----------------------------


def test_agreement_admin_refuses_editing_the_text_before_the_councils(admin_client):
    procedure = factories.ProcedureFactory()  # a conclusion submitted on PROPOSED_ON
    agreement = procedure.agreement
    form = AdminForm(admin_client, _url(Agreement, "change", agreement), "agreement")
    form["basic_policy"] = "議会に提出した後で書き換えた方針"

    _refused(form, ERROR_CONTENT_BEFORE_COUNCILS % {"date": PROPOSED_ON})


def test_agreement_admin_refuses_a_new_item_before_the_councils(admin_client):
    agreement = factories.ProcedureFactory().agreement
    form = AdminForm(admin_client, _url(Agreement, "change", agreement), "agreement")
    form.add_row(
        "items",
        role=Role.ECONOMY,
        title="提出後に加えた取組",
        central_city_part="運営する。",
        partner_part="協力する。",
    )

    _refused(form, ERROR_CONTENT_BEFORE_COUNCILS % {"date": PROPOSED_ON})


def test_procedure_admin_refuses_a_resolution_on_a_closed_bill(admin_client):
    procedure = factories.ProcedureFactory()
    rejected = factories.CouncilResolutionFactory(procedure=procedure, rejected=True)
    form = AdminForm(admin_client, _url(Procedure, "change", procedure), "procedure")
    form.add_row(
        "resolutions",
        municipality=procedure.agreement.partner.pk,
        session=rejected.session,
        bill_number=rejected.bill_number,
        resolved_on="2016-06-20",
        result=Result.PASSED,
    )

    _refused(
        form,
        ERROR_BILL_CLOSED
        % {
            "bill": rejected.bill_number,
            "session": rejected.session,
            "date": rejected.resolved_on,
            "result": rejected.get_result_display(),
        },
    )
