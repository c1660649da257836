"""The content the councils pass is fixed; an amendment changes it, and every version stays
readable with its 新旧対照表. Through the services, the admin and the public pages."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from openpyxl import load_workbook

from agreements import services
from agreements.models import (
    ERROR_CONTENT_BEFORE_COUNCILS,
    ERROR_CONTENT_IN_FORCE,
    ERROR_PROPOSAL_FROZEN,
    ERROR_REMOVED_ITEM_COVERS_PROJECTS,
    AgreementItem,
    Role,
)
from agreements.status import AgreementStatus, ProcedureKind, Result
from agreements.texts import ERROR_PREAMBLE_PARTIES
from tests import factories
from tests.agreements.test_services import messages, nothing_saved
from tests.factories import EFFECTIVE_ON, PROPOSED_ON, RESOLVED_ON
from tests.municipalities.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

TEXT = (
    "長野市（以下「甲」という。）と須坂市（以下「乙」という。）は、次のとおり締結する。\n"
    "（推進）\n第1条　甲及び乙の長は、毎年度協議を行うものとする。\n"
    "（その他）\n第2条　甲及び乙が協議して定める。"
)
AMENDED = TEXT.replace("協議を行うもの", "協議を行い、その結果を公表するもの")
AMENDED_ON = datetime.date(2018, 4, 1)


@pytest.fixture
def agreement():
    draft = factories.AgreementFactory(text=TEXT)
    factories.AgreementItemFactory(agreement=draft, title="職員研修", partner_part="参加する。")
    return draft


def _pass_both(procedure, on):
    agreement = procedure.agreement
    for council in (agreement.central_party, agreement.partner):
        services.resolution_record(
            procedure=procedure,
            municipality=council,
            session="3月定例会",
            bill_number="議案第1号",
            resolved_on=on,
            result=Result.PASSED,
        )


def _conclude(agreement):
    conclusion = services.procedure_start(
        agreement=agreement, kind=ProcedureKind.CONCLUSION, summary="締結", proposed_on=PROPOSED_ON
    )
    _pass_both(conclusion, RESOLVED_ON)
    return services.procedure_put_into_effect(procedure=conclusion, effective_on=EFFECTIVE_ON)


def _amend(agreement):
    """Draft an amendment that changes 第1条 and an item and adds another, submit it."""
    amendment = services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="公表と防災の追加"
    )
    agreement.text = AMENDED
    services.agreement_save(agreement=agreement, user=None)
    item = agreement.items.get(title="職員研修")
    item.partner_part = "参加し、成果を報告する。"
    services.item_save(item=item, user=None)
    services.item_save(
        item=AgreementItem(
            agreement=agreement,
            role=Role.LIVING_SERVICES,
            title="災害時の相互応援",
            central_city_part="職員を派遣する。",
            partner_part="避難者を受け入れる。",
        ),
        user=None,
    )
    amendment.proposed_on = datetime.date(2018, 2, 20)
    return services.procedure_save(procedure=amendment, user=None)


# Content frozen from submission --------------------------------------------------------------


def test_submission_keeps_the_content_before_the_councils(agreement):
    conclusion = factories.ProcedureFactory(agreement=agreement, proposed_on=None)
    assert conclusion.content is None

    conclusion.proposed_on = PROPOSED_ON
    services.procedure_save(procedure=conclusion, user=None)

    conclusion.refresh_from_db()
    assert conclusion.content["text"] == TEXT
    assert [i["title"] for i in conclusion.content["items"]] == ["職員研修"]


def test_content_is_frozen_from_submission(agreement):
    factories.ProcedureFactory(agreement=agreement)  # submitted on PROPOSED_ON
    agreement.text = AMENDED
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.agreement_save(agreement=agreement, user=None)
    expected = ERROR_CONTENT_BEFORE_COUNCILS % {"date": PROPOSED_ON}
    assert messages(exc, "text") == [expected]

    item = AgreementItem.objects.get(agreement=agreement)
    item.title = "改めた取組"
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.item_save(item=item, user=None)
    assert exc.value.messages == [expected]
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.item_delete(item=AgreementItem.objects.get(agreement=agreement), user=None)
    assert exc.value.messages == [expected]


def test_what_is_proposed_cannot_change_after_submission(agreement):
    amendment = _amend_in_force(agreement)
    amendment.proposed_text = "別の変更"
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=amendment, user=None)
    assert messages(exc, "proposed_text") == [
        ERROR_PROPOSAL_FROZEN % {"date": datetime.date(2018, 2, 20)}
    ]
    amendment.refresh_from_db()
    amendment.content = {**amendment.content, "text": TEXT}
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_save(procedure=amendment, user=None)
    assert messages(exc, "kind") == [ERROR_PROPOSAL_FROZEN % {"date": datetime.date(2018, 2, 20)}]


def _amend_in_force(agreement):
    _conclude(agreement)
    return _amend(agreement)


def test_no_edit_after_conclusion_without_an_amendment(agreement):
    _conclude(agreement)
    agreement.text = AMENDED
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.agreement_save(agreement=agreement, user=None)
    assert messages(exc, "text") == [ERROR_CONTENT_IN_FORCE]
    agreement.refresh_from_db()
    for change in ({"term_end": datetime.date(2030, 3, 31)}, {"title": "新しい題名"}):
        for name, value in change.items():
            setattr(agreement, name, value)
        with nothing_saved(), pytest.raises(ValidationError) as exc:
            services.agreement_save(agreement=agreement, user=None)
        assert messages(exc, name) == [ERROR_CONTENT_IN_FORCE]
        agreement.refresh_from_db()
    new_item = AgreementItem(
        agreement=agreement,
        role=Role.ECONOMY,
        title="新しい取組",
        central_city_part="a",
        partner_part="b",
    )
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.item_save(item=new_item, user=None)
    assert exc.value.messages == [ERROR_CONTENT_IN_FORCE]


def test_a_text_that_names_no_parties_is_refused(agreement):
    agreement.text = "第1条 目的"
    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.agreement_save(agreement=agreement, user=None)
    assert messages(exc, "text") == [ERROR_PREAMBLE_PARTIES]


# Amendment, effect, versions and the 新旧対照表 ------------------------------------------------


def test_an_amendment_in_effect_makes_a_version_and_keeps_the_old_one(client, agreement):
    amendment = _amend_in_force(agreement)
    # Before the councils: the page shows the text in force and the comparison.
    before = client.get(agreement.get_absolute_url())
    page = before.content.decode()
    assert "毎年度協議を行うものとする。" in page and "<ins>い、その結果を公表する</ins>" in page
    assert "災害時の相互応援" in page  # in the comparison only
    assert [i["title"] for _r, items in before.context["roles"] for i in items] == ["職員研修"]

    _pass_both(amendment, datetime.date(2018, 3, 20))
    services.procedure_put_into_effect(procedure=amendment, effective_on=AMENDED_ON)

    assert agreement.status() == AgreementStatus.AMENDED
    response = client.get(agreement.get_absolute_url())
    assert response.context["version"].number == 2
    shown = [i["title"] for _role, items in response.context["roles"] for i in items]
    assert sorted(shown) == ["災害時の相互応援", "職員研修"]
    assert "協議を行い、その結果を公表するものとする。" in response.content.decode()

    old = client.get(agreement.page_url("version", number=1))
    assert old.status_code == 200
    old_page = old.content.decode()
    assert "毎年度協議を行うものとする。" in old_page
    assert [i["title"] for _r, items in old.context["roles"] for i in items] == ["職員研修"]
    assert gettext("This is version %(number)s, no longer in force.") % {"number": 1} in old_page
    assert client.get(agreement.page_url("version", number=3)).status_code == 404


def test_the_comparison_shows_exactly_the_changed_parts(client, agreement):
    amendment = _amend_in_force(agreement)

    response = client.get(agreement.page_url("comparison", pk=amendment.pk))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.label for row in rows] == [
        "第1条",
        "別表第3（ウ 圏域全体の生活関連機能サービスの向上）　災害時の相互応援",
        "別表第3（ウ 圏域全体の生活関連機能サービスの向上）　職員研修",
    ]
    page = response.content.decode()
    assert "<ins>い、その結果を公表する</ins>" in page and "<del>う</del>" in page
    assert "参加<ins>し、成果を報告</ins>する。" in page
    assert "第2条" not in page  # unchanged provisions are left out
    assert page.index("改正後") < page.index("改正前")


def test_the_comparison_downloads_as_excel_with_the_changes_underlined(client, agreement):
    amendment = _amend_in_force(agreement)

    response = client.get(agreement.page_url("comparison_xlsx", pk=amendment.pk))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), rich_text=True).active
    assert [c.value for c in sheet[4]] == [None, "改正後", "改正前"]
    assert sheet["A5"].value == "第1条"
    underlined = [block.text for block in sheet["B5"].value if block.font.u == "single"]
    assert underlined == ["い、その結果を公表する"]
    assert sheet["C6"].value == "（新設）"


def test_a_conclusion_has_no_comparison_and_a_draft_amendment_is_not_public(client, agreement):
    conclusion = _conclude(agreement)
    drafting = services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="作成中の変更"
    )
    for procedure in (conclusion, drafting):
        assert client.get(agreement.page_url("comparison", pk=procedure.pk)).status_code == 404


def test_the_admin_refuses_editing_an_agreement_in_force_and_saves_nothing(admin_client, agreement):
    _conclude(agreement)
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    form = change_form_data(admin_client.get(url)) | {"text": AMENDED}

    with nothing_saved():
        response = admin_client.post(url, form)

    assert response.status_code == 200
    assert str(ERROR_CONTENT_IN_FORCE) in response.content.decode()
    # Items cannot be deleted either: the inline offers no delete box.
    assert "items-0-DELETE" not in change_form_data(admin_client.get(url))


def test_the_admin_edits_the_content_while_an_amendment_is_drafted(admin_client, agreement):
    _conclude(agreement)
    services.procedure_start(agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="変更")
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    form = change_form_data(admin_client.get(url)) | {"text": AMENDED}

    assert admin_client.post(url, form).status_code == 302

    agreement.refresh_from_db()
    assert agreement.text == AMENDED
    # The public page still shows the text in force: a draft amendment is internal work.
    assert "協議を行い" not in admin_client.get(agreement.get_absolute_url()).content.decode()


# Each party's notice and notification ---------------------------------------------------------


def test_each_party_has_its_notice_with_a_generated_text_and_its_notification(client, agreement):
    conclusion = _conclude(agreement)
    conclusion.signed_on = EFFECTIVE_ON
    conclusion.central_notice_on = conclusion.partner_notice_on = EFFECTIVE_ON
    conclusion.central_notice_number = "長野市告示第58号"
    conclusion.governor_notified_on = datetime.date(2016, 3, 31)
    services.procedure_save(procedure=conclusion, user=None)

    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "長野市告示第58号" in page
    governor = gettext("the Governor of %(prefecture)s") % {
        "prefecture": agreement.partner.prefecture
    }
    assert gettext("not yet (to %(authority)s)") % {"authority": governor} in page

    central = agreement.central_party
    url = agreement.page_url("notice", pk=conclusion.pk, party=central.code)
    assert url in page
    text = client.get(url).content.decode()
    assert text.startswith("長野市告示第58号\n")
    assert f"{agreement.partner.name}との間で次のとおり連携協約を締結したので" in text
    assert "４　効力発生日　平成28年3月29日" in text
    assert "第1条　甲及び乙の長は、毎年度協議を行うものとする。" in text
    assert "職員研修" in text  # the annexed tables
    partner_text = client.get(
        agreement.page_url("notice", pk=conclusion.pk, party=agreement.partner.code)
    ).content.decode()
    assert partner_text.startswith(f"{agreement.partner.name}告示第　号")
    other = factories.MunicipalityFactory()
    missing = agreement.page_url("notice", pk=conclusion.pk, party=other.code)
    assert client.get(missing).status_code == 404


def test_a_draft_without_a_text_starts_from_the_standard_structure(admin_client):
    draft = factories.AgreementFactory()
    url = f"/admin/agreements/agreement/{draft.pk}/change/"

    form = change_form_data(admin_client.get(url))

    assert form["text"].startswith(
        f"{draft.central_party.name}（以下「甲」という。）と{draft.partner.name}（以下「乙」という。）"
    )
    assert "（連携する取組及び役割分担）\n第3条" in form["text"]
    assert admin_client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert draft.text == form["text"].replace("\r\n", "\n")


def test_an_amendment_cannot_take_effect_removing_an_item_that_covers_projects(agreement):
    _conclude(agreement)
    item = agreement.items.get()
    project = factories.ProjectFactory(vision__area=agreement.area, vision__adopted=True)
    factories.ProjectParticipantFactory(
        project=project, municipality=agreement.partner, agreement_item=item
    )
    amendment = services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.AMENDMENT,
        summary="取組の削除",
        proposed_on=datetime.date(2018, 2, 20),
    )
    amendment.content = {**amendment.content, "items": []}  # as a record would bring it
    amendment.save(update_fields=["content"])
    _pass_both(amendment, datetime.date(2018, 3, 20))

    with nothing_saved(), pytest.raises(ValidationError) as exc:
        services.procedure_put_into_effect(procedure=amendment, effective_on=AMENDED_ON)
    assert exc.value.messages == [ERROR_REMOVED_ITEM_COVERS_PROJECTS % {"item": "職員研修"}]
