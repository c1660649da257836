"""Two people editing at once never lose a change silently (municipalities.concurrency).

Each test opens a form as two people, saves as one, then saves as the other: the second save
is refused with who changed the record and when and the values now, and nothing of it is kept.
The last test runs two saves at the same moment in two database sessions.
"""

import pytest
from django.db import connection
from django.test import Client

from agreements.models import Agreement, CouncilResolution, Procedure
from tests import factories
from tests.municipalities.admin_forms import change_form_data
from tests.sessions import at_the_same_moment
from vision.models import IndicatorActual

pytestmark = pytest.mark.django_db


def _operator(username: str, last_name: str = "", first_name: str = "") -> Client:
    person = factories.UserFactory(
        username=username,
        last_name=last_name,
        first_name=first_name,
        is_staff=True,
        is_superuser=True,
    )
    client = Client()
    client.force_login(person)
    return client


def _errors(response) -> str:
    return " ".join(response.context["adminform"].form.non_field_errors())


def _history_size(record) -> int:
    return record.history.count()


@pytest.fixture
def agreement():
    return factories.agreement_in_force()


def test_an_admin_save_over_someone_elses_change_is_refused_and_tells_who_and_what():
    agreement = factories.AgreementFactory()  # a draft: its title can still change
    first, second = _operator("first"), _operator("second", "佐藤", "次郎")
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    mine, theirs = change_form_data(first.get(url)), change_form_data(second.get(url))

    assert second.post(url, theirs | {"title": "長野市と須坂市の連携協約"}).status_code == 302
    versions = _history_size(agreement)
    response = first.post(url, mine | {"basic_policy": "圏域全体の経済を牽引する。"})

    assert response.status_code == 200
    errors = _errors(response)
    assert "佐藤 次郎" in errors  # who, family name first
    assert "長野市と須坂市の連携協約" in errors  # the value now
    agreement.refresh_from_db()
    assert agreement.title == "長野市と須坂市の連携協約"
    assert agreement.basic_policy != "圏域全体の経済を牽引する。"
    assert _history_size(agreement) == versions


def test_after_a_refusal_saving_again_knowingly_replaces_the_values():
    agreement = factories.AgreementFactory()  # a draft: its title can still change
    first, second = _operator("first"), _operator("second")
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    mine, theirs = change_form_data(first.get(url)), change_form_data(second.get(url))
    second.post(url, theirs | {"title": "第二の題名"})
    refused = first.post(url, mine | {"title": "第一の題名"})

    again = first.post(url, change_form_data(refused))

    assert again.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "第一の題名"


def test_a_change_to_a_row_the_page_edits_inline_also_stops_the_save(agreement):
    procedure = agreement.procedures.get()
    resolution = procedure.resolutions.filter(municipality=agreement.partner).get()
    first, second = _operator("first"), _operator("second", "鈴木")
    url = f"/admin/agreements/procedure/{procedure.pk}/change/"
    mine = change_form_data(first.get(url))
    resolution_url = f"/admin/agreements/councilresolution/{resolution.pk}/change/"
    theirs = change_form_data(second.get(resolution_url)) | {"bill_number": "議案第99号"}
    assert second.post(resolution_url, theirs).status_code == 302

    response = first.post(url, mine | {"summary": "連携協約の締結について"})

    assert response.status_code == 200
    assert "鈴木" in _errors(response) and "議案第99号" in _errors(response)
    procedure.refresh_from_db()
    assert procedure.summary != "連携協約の締結について"


def test_a_save_without_the_pages_version_is_refused(agreement):
    operator = _operator("first")
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    data = change_form_data(operator.get(url))
    del data["edit_token"]

    response = operator.post(url, data | {"title": "版のない保存"})

    assert response.status_code == 200 and _errors(response)
    assert Agreement.objects.get().title != "版のない保存"


def test_an_unchanged_record_saves_and_adding_needs_no_version(agreement, area):
    operator = _operator("first")
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"

    assert operator.post(url, change_form_data(operator.get(url))).status_code == 302
    page = operator.get("/admin/agreements/agreement/add/")
    assert 'name="edit_token"' not in page.content.decode()


def test_a_desk_correction_over_another_clerks_is_refused_and_names_them(agreement):
    resolution = CouncilResolution.objects.get(municipality=agreement.partner)
    first, second = Client(), Client()
    first.force_login(factories.clerk(agreement.partner, username="first-clerk"))
    second.force_login(factories.clerk(agreement.partner, username="second-clerk"))
    url = f"/desk/resolutions/{resolution.pk}/"
    form = {
        "session": resolution.session,
        "resolved_on": resolution.resolved_on.isoformat(),
        "result": resolution.result,
        "document_pending": "議決書は後日掲載",
    }
    mine, theirs = factories.loaded_token(first, url), factories.loaded_token(second, url)
    assert second.post(url, form | {"bill_number": "議案第20号"} | theirs).status_code == 302

    response = first.post(url, form | {"bill_number": "議案第21号"} | mine)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "second-clerk" in errors and "議案第20号" in errors
    resolution.refresh_from_db()
    assert resolution.bill_number == "議案第20号"
    assert "second-clerk" in response.content.decode()  # shown on the page, not only kept


def test_a_clerks_value_correction_over_planning_staffs_is_refused(agreement):
    project = factories.ProjectFactory(
        vision__area=agreement.area, vision__adopted=True, lead=agreement.partner
    )
    actual = factories.IndicatorActualFactory(
        indicator=factories.IndicatorFactory(project=project), fiscal_year=2016
    )
    clerk = Client()
    clerk.force_login(factories.clerk(agreement.partner))
    url = f"/desk/actuals/{actual.pk}/"
    token = factories.loaded_token(clerk, url)
    staff = _operator("staff", "高橋")
    admin_url = f"/admin/vision/indicatoractual/{actual.pk}/change/"
    staff_form = change_form_data(staff.get(admin_url)) | {"value": "321"}
    assert staff.post(admin_url, staff_form).status_code == 302

    response = clerk.post(url, {"value": "123", "reason": "集計の誤り"} | token)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "高橋" in errors and "321" in errors
    assert IndicatorActual.objects.get().value == 321


@pytest.mark.django_db(transaction=True)
def test_two_sessions_saving_at_the_same_moment_never_both_succeed():
    """Session 1 saves and holds its transaction open; session 2 saves meanwhile. Session 2
    must wait for the lock, then see session 1's change and be refused."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's in-memory test database shares one cache between threads, where a "
            "writer is refused at once instead of waiting; on a file database writers wait "
            "in turn (transaction_mode IMMEDIATE)."
        )
    # A draft whose conclusion is being prepared: its title can still change.
    agreement = factories.ProcedureFactory(drafting=True).agreement
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    first, second = _operator("first"), _operator("second", "佐藤")
    forms = {
        "first": change_form_data(first.get(url)) | {"title": "第一の題名"},
        "second": change_form_data(second.get(url)) | {"title": "第二の題名"},
    }
    waited, responses = at_the_same_moment(
        lambda: first.post(url, forms["first"]),
        lambda: second.post(url, forms["second"]),
        held=Agreement,
    )

    assert waited
    assert responses["first"].status_code == 302
    assert responses["second"].status_code == 200
    assert "第一の題名" in _errors(responses["second"])
    assert Agreement.objects.get().title == "第一の題名"
    titles = list(Agreement.history.values_list("title", flat=True))
    assert "第二の題名" not in titles
    assert Procedure.objects.count() == 1


def test_an_account_edit_over_another_operators_is_refused(agreement):
    account = factories.UserFactory(username="someone", email="old@example.jp")
    first, second = _operator("first"), _operator("second")
    url = f"/admin/auth/user/{account.pk}/change/"
    mine, theirs = change_form_data(first.get(url)), change_form_data(second.get(url))
    assert second.post(url, theirs | {"email": "new@example.jp"}).status_code == 302
    Client().force_login(account)  # signing in meanwhile is not an edit

    response = first.post(url, mine | {"last_name": "山本"})

    assert response.status_code == 200
    assert "new@example.jp" in _errors(response)
    account.refresh_from_db()
    assert (account.email, account.last_name) == ("new@example.jp", "")
